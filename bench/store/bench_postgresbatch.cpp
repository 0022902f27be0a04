// How to send a batch of history rows to PostgreSQL: libpq's pipeline mode (one prepared INSERT per
// row, results read after a sync — what PostgresHistoryWriter does) against COPY FROM STDIN (one
// stream per batch), on a private local server (fsync on). Prints figures; asserts nothing.
//
//   bench_postgresbatch [rows=200000] [batch=2000] [runs=5] [--history-url URL]
//
// Each run writes `rows` message rows (the history's `messages` columns and indexes) in transactions
// of `batch` rows into a fresh table, and reports rows per second; the median of the runs is printed.

#include "benchhistory.h"
#include "store/postgres/postgresconnection.h"
#include "store/postgres/postgrescopyrows.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QUuid>

#include <algorithm>
#include <cstdio>

using namespace agentdesk;
using namespace Qt::StringLiterals;

namespace {

const char *const kTable =
    "DROP TABLE IF EXISTS bench_messages;"
    "CREATE TABLE bench_messages (seq BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, thread_id TEXT NOT NULL,"
    " from_agent TEXT NOT NULL, to_agent TEXT NOT NULL, payload_type TEXT NOT NULL, payload_xml TEXT NOT NULL,"
    " payload_fields TEXT NOT NULL, ts BIGINT, depth INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX ON bench_messages(thread_id, seq); CREATE INDEX ON bench_messages(from_agent);"
    "CREATE INDEX ON bench_messages(to_agent, from_agent); CREATE INDEX ON bench_messages(payload_type, seq);"
    "CREATE INDEX ON bench_messages(ts)";

struct Row
{
    QList<QByteArray> values;
};

QList<Row> makeRows(qint64 count)
{
    QList<Row> rows;
    rows.reserve(count);
    for (qint64 seq = 1; seq <= count; ++seq) {
        const QByteArray text = "Hello number " + QByteArray::number(seq) + ", how are you today?";
        rows.append(Row{{QByteArray::number(seq), QUuid::createUuid().toByteArray(QUuid::WithoutBraces),
                         "thread-" + QByteArray::number(seq % 1000), "agent-" + QByteArray::number(seq % 10),
                         "agent-" + QByteArray::number((seq + 3) % 10), "Greeting",
                         "<Greeting><Message>" + text + "</Message></Greeting>",
                         "{\"message\":\"" + text + "\",\"count\":" + QByteArray::number(seq) + "}",
                         QByteArray::number(QDateTime::currentMSecsSinceEpoch()), QByteArray::number(seq % 5)}});
    }
    return rows;
}

bool pipelineRun(PostgresConnection &db, const QList<Row> &rows, qsizetype batch)
{
    QString error;
    if (!db.prepare("bench_insert",
                    u"INSERT INTO bench_messages VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                    " ON CONFLICT DO NOTHING"_s,
                    &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return false;
    }
    for (qsizetype start = 0; start < rows.size(); start += batch) {
        if (!db.enterPipeline(&error))
            return false;
        db.sendQuery(u"BEGIN"_s);
        qsizetype sent = 1;
        const qsizetype end = std::min(rows.size(), start + batch);
        const auto drain = [&] {
            db.sync();
            for (qsizetype i = 0; i < sent; ++i)
                db.nextResult();
            db.nextResult(); // the sync
            sent = 0;
        };
        for (qsizetype i = start; i < end; ++i) {
            PostgresConnection::Params params;
            for (const QByteArray &value : rows.at(i).values)
                params.add(value);
            db.sendPrepared("bench_insert", params);
            if (++sent >= 512)
                drain();
        }
        db.sendQuery(u"COMMIT"_s);
        ++sent;
        drain();
        db.exitPipeline();
    }
    return true;
}

bool copyRun(PostgresConnection &db, const QList<Row> &rows, qsizetype batch)
{
    for (qsizetype start = 0; start < rows.size(); start += batch) {
        db.exec(u"BEGIN"_s);
        PostgresCopyRows buffer;
        const qsizetype end = std::min(rows.size(), start + batch);
        for (qsizetype i = start; i < end; ++i) {
            for (const QByteArray &value : rows.at(i).values)
                buffer.add(value);
            buffer.endRow();
        }
        QString error;
        if (!db.copyIn(u"COPY bench_messages FROM STDIN"_s, buffer.data(), &error)) {
            std::fprintf(stderr, "COPY: %s\n", qPrintable(error));
            return false;
        }
        db.exec(u"COMMIT"_s);
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    test::PostgresTestServer server;
    args.append({u"--history"_s, u"postgresql"_s});
    QString error;
    const QString url = test::benchHistoryUrl(&args, &server, &error);
    if (url.isEmpty()) {
        std::fprintf(stderr, "PostgreSQL: %s\n", qPrintable(error));
        return 1;
    }
    const qint64 count = args.size() > 1 ? args[1].toLongLong() : 200000;
    const qsizetype batch = args.size() > 2 ? args[2].toLongLong() : 2000;
    const int runs = args.size() > 3 ? args[3].toInt() : 5;
    const QList<Row> rows = makeRows(count);
    std::printf("%lld message rows in transactions of %lld, %d runs each, alternating\n", static_cast<long long>(count),
                static_cast<long long>(batch), runs);
    QList<double> pipeline;
    QList<double> copy;
    for (int run = 0; run < runs; ++run) {
        for (const bool useCopy : {false, true}) {
            PostgresConnection db;
            if (!db.connect(url, u"bench"_s, &error) || !db.execOk(QString::fromLatin1(kTable), &error)) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return 1;
            }
            QElapsedTimer timer;
            timer.start();
            if (!(useCopy ? copyRun(db, rows, batch) : pipelineRun(db, rows, batch)))
                return 1;
            const double rate = double(count) / (double(timer.nsecsElapsed()) / 1e9);
            (useCopy ? copy : pipeline).append(rate);
            std::printf("  run %d %-8s %9.0f rows/s\n", run + 1, useCopy ? "COPY" : "pipeline", rate);
        }
    }
    std::sort(pipeline.begin(), pipeline.end());
    std::sort(copy.begin(), copy.end());
    std::printf("median: pipeline %.0f rows/s, COPY %.0f rows/s\n", pipeline.at(runs / 2), copy.at(runs / 2));
    return 0;
}
