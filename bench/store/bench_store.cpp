// Prints figures for the history store; not a test, asserts nothing.
//   bench_store [--keep <directory>] [--rate-only | --memory-only] [--max-pending <records>]
//   --keep: store the 1,000,000-message history in <directory> and leave it there
//   [--history sqlite|postgresql [--history-url URL]]: the engine (PostgreSQL: the server at URL, or a
//   private one started for the benchmark, fsync on; each store an organism of its own)

#include "store/historystore.h"
#include "store/postgres/postgresconnection.h"

#include "benchhistory.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace agentdesk;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr qint64 kRateMessages = 200000;
constexpr int kRateRuns = 5;
constexpr qint64 kRssMessages = 1000000;
qsizetype s_maxPending = 0; // 0: the store's default
QString s_postgresUrl;      // "": SQLite
QString s_lastOrganism;     // PostgreSQL: the organism of the store opened last

// What the engine hands to the store: agent names and types are shared strings, ids and payloads new.
class MessageFactory
{
public:
    MessageFactory()
    {
        for (int i = 0; i < 10; ++i)
            m_agents.append(u"agent-%1"_s.arg(i));
        for (int i = 0; i < 1000; ++i)
            m_threads.append(QUuid::createUuid().toString(QUuid::WithoutBraces));
        m_types = {u"Greeting"_s, u"GreetingResponse"_s, u"Calculate"_s, u"Result"_s};
    }

    MessageRecord make(qint64 seq) const
    {
        MessageRecord message;
        message.seq = seq;
        message.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        message.threadId = m_threads.at(seq % m_threads.size());
        message.from = m_agents.at(seq % m_agents.size());
        message.to = m_agents.at((seq + 3) % m_agents.size());
        message.payloadType = m_types.at(seq % m_types.size());
        const QString text = u"Hello number %1, how are you today?"_s.arg(seq);
        message.fields = {{u"message"_s, text}, {u"count"_s, seq}};
        message.xml = (u"<"_s + message.payloadType + u"><Message>"_s + text + u"</Message><Count>"_s
                       + QString::number(seq) + u"</Count></"_s + message.payloadType + u">"_s)
                          .toUtf8();
        message.timestamp = QDateTime::currentDateTimeUtc();
        message.depth = int(seq % 5);
        return message;
    }

    QString thread(int i) const { return m_threads.at(i); }

private:
    QStringList m_agents;
    QStringList m_threads;
    QStringList m_types;
};

qint64 procStatusKiB(const char *field)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// CPU time of the writer thread so far, whatever else the machine is doing.
double writerCpuSeconds()
{
    const QDir tasks(u"/proc/self/task"_s);
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + u"/comm"_s));
        if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != "HistoryWriter")
            continue;
        QFile schedstat(tasks.filePath(tid + u"/schedstat"_s));
        if (schedstat.open(QIODevice::ReadOnly))
            return schedstat.readAll().split(' ').value(0).toDouble() / 1e9;
    }
    return 0;
}

double mib(qint64 kib)
{
    return double(kib) / 1024.0;
}

bool openStore(HistoryStore *store, const QString &directory)
{
    HistoryConfig config; // the defaults: 1,000,000 messages, 30 days
    if (!s_postgresUrl.isEmpty()) {
        static int serial = 0;
        config.backend = HistoryBackend::Postgresql;
        config.url = s_postgresUrl;
        s_lastOrganism = u"bench-store-%1-%2"_s.arg(QCoreApplication::applicationPid()).arg(++serial);
        store->setOrganismName(s_lastOrganism);
    }
    if (s_maxPending > 0)
        store->setMaxPending(s_maxPending);
    QString error;
    if (!store->open(directory, config, &error)) {
        std::fprintf(stderr, "cannot open the store: %s\n", qPrintable(error));
        return false;
    }
    return true;
}

double appendRun(const QList<MessageRecord> &messages)
{
    QTemporaryDir dir;
    HistoryStore store;
    if (!openStore(&store, dir.path()))
        return 0;
    // The first appends find room in the queue: what an append costs the engine thread when the
    // writer keeps up. Later ones wait for the writer (back-pressure) whenever it falls behind.
    const qsizetype unblocked = std::min<qsizetype>(store.maxPending() / 2, messages.size());
    QElapsedTimer timer;
    timer.start();
    for (qsizetype i = 0; i < unblocked; ++i)
        store.appendMessage(messages.at(i));
    const qint64 unblockedNs = timer.nsecsElapsed();
    for (qsizetype i = unblocked; i < messages.size(); ++i)
        store.appendMessage(messages.at(i));
    const qint64 queued = timer.nsecsElapsed();
    if (!store.sync(10min))
        std::fprintf(stderr, "sync timed out\n");
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const double cpu = writerCpuSeconds();
    std::printf("  run: %.0f messages/s committed; writer thread CPU %.1f us/message (%.0f messages per CPU second);"
                " append %.0f ns while the queue has room, %.2f us on average with back-pressure\n",
                double(messages.size()) / seconds, cpu * 1e6 / double(messages.size()), double(messages.size()) / cpu,
                double(unblockedNs) / double(unblocked), double(queued) / 1e3 / double(messages.size()));
    return double(messages.size()) / seconds;
}

void benchAppendRate(const MessageFactory &factory)
{
    std::printf("Append rate: %d runs of %lld messages, fresh database each, from append to committed\n", kRateRuns,
                static_cast<long long>(kRateMessages));
    QList<MessageRecord> messages;
    messages.reserve(kRateMessages);
    for (qint64 seq = 1; seq <= kRateMessages; ++seq)
        messages.append(factory.make(seq));
    QList<double> rates;
    for (int run = 0; run < kRateRuns; ++run)
        rates.append(appendRun(messages));
    std::sort(rates.begin(), rates.end());
    std::printf("  median: %.0f messages/s\n\n", rates.at(rates.size() / 2));
}

// The median of up to 21 reads (at least 3; fewer when they take long), so that one read that met a
// busy machine or a cold cache does not decide the figure.
void timeRead(const char *label, const std::function<qint64()> &read)
{
    QList<double> times;
    qint64 result = 0;
    QElapsedTimer total;
    total.start();
    while (times.size() < 21 && (times.size() < 3 || total.elapsed() < 2000)) {
        QElapsedTimer timer;
        timer.start();
        result = read();
        times.append(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    std::printf("  %-44s %9.2f ms  (total %lld; median of %lld)\n", label, times.at(times.size() / 2),
                static_cast<long long>(result), static_cast<long long>(times.size()));
}

// PostgreSQL: what autovacuum does within a minute or so of a table's writes (visibility map and
// statistics), done at once, so that reads are measured as they are on a history that has been
// written a while ago — not in the minute after a million rows arrived at once. Counts rely on the
// visibility map for index-only scans.
void settleLikeAutovacuum()
{
    PostgresConnection db;
    QString error;
    if (!db.connect(s_postgresUrl, u"bench_store"_s, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return;
    }
    PostgresConnection::Params organism;
    organism.add(s_lastOrganism);
    const auto schema = db.exec(u"SELECT schema_name FROM agentdesk.instances WHERE organism = $1"_s, organism);
    if (!schema.ok() || schema.rows() != 1)
        return;
    const QString name = schema.text(0, 0);
    if (db.execOk(u"VACUUM ANALYZE %1.messages, %1.threads, %1.thread_participants"_s.arg(name), &error))
        std::printf("(PostgreSQL: VACUUM ANALYZE before the reads, as autovacuum does within a minute of writing)\n");
    else
        std::fprintf(stderr, "VACUUM: %s\n", qPrintable(error));
}

void benchReads(const HistoryStore &store, const MessageFactory &factory)
{
    if (!s_postgresUrl.isEmpty())
        settleLikeAutovacuum();
    std::printf("Reads on %lld stored messages:\n", static_cast<long long>(store.messageCount()));
    timeRead("newest page of 50, unfiltered total", [&] { return store.messages({}).total; });
    timeRead("threads: newest page of 50, total", [&] { return store.threads({}).total; });
    MessageQuery deep;
    deep.offset = 500000;
    timeRead("page at offset 500,000", [&] { return store.messages(deep).total; });
    MessageQuery keyset;
    keyset.beforeSeq = 500000;
    timeRead("keyset page before seq 500,000", [&] { return store.messages(keyset).total; });
    MessageQuery thread;
    thread.threadId = factory.thread(7);
    timeRead("thread filter (1,000 messages)", [&] { return store.messages(thread).total; });
    MessageQuery agent;
    agent.agent = u"agent-4"_s;
    timeRead("agent filter, from or to (200,000 messages)", [&] { return store.messages(agent).total; });
    MessageQuery type;
    type.payloadType = u"Calculate"_s;
    timeRead("payload type filter (250,000 messages)", [&] { return store.messages(type).total; });
    MessageQuery text;
    text.text = u"number 123456,"_s;
    timeRead("text search (full scan)", [&] { return store.messages(text).total; });
    MessageQuery recent;
    recent.since = QDateTime::currentDateTimeUtc().addSecs(-1);
    timeRead("since one second ago", [&] { return store.messages(recent).total; });
    timeRead("message by id", [&] { return qint64(store.message(u"no-such-id"_s).has_value()); });
    std::printf("\n");
}

void benchMemory(const MessageFactory &factory, const QString &keepDirectory)
{
    QTemporaryDir temporary;
    const QString directory = keepDirectory.isEmpty() ? temporary.path() : keepDirectory;
    HistoryStore store;
    if (!openStore(&store, directory))
        return;
    store.sync();
    const qint64 rssBefore = procStatusKiB("VmRSS");
    const qint64 hwmBefore = procStatusKiB("VmHWM");
    QElapsedTimer timer;
    timer.start();
    const qint64 first = store.maxSeq() + 1;
    for (qint64 seq = first; seq < first + kRssMessages; ++seq)
        store.appendMessage(factory.make(seq));
    // The threads those messages belong to, as the organism saves them (for the threads page).
    for (int i = 0; i < 1000; ++i) {
        ThreadInfo thread;
        thread.id = factory.thread(i);
        thread.status = i % 10 == 0 ? ThreadStatus::Active : ThreadStatus::Completed;
        thread.participants = {u"agent-1"_s, u"agent-4"_s};
        thread.messageCount = 1000;
        thread.createdAt = QDateTime::currentDateTimeUtc().addSecs(-3600 + i);
        thread.lastActivity = QDateTime::currentDateTimeUtc().addSecs(-1000 + i);
        store.saveThread(thread);
    }
    store.sync(10min);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const qint64 rssAfter = procStatusKiB("VmRSS");
    const qint64 hwmAfter = procStatusKiB("VmHWM");
    std::printf("Memory: storing %lld messages (made on the fly, %.0f messages/s including making them)\n",
                static_cast<long long>(kRssMessages), double(kRssMessages) / seconds);
    std::printf("  VmRSS  before %.1f MiB, after %.1f MiB: growth %.1f MiB\n", mib(rssBefore), mib(rssAfter),
                mib(rssAfter - rssBefore));
    std::printf("  VmHWM  before %.1f MiB, after %.1f MiB: peak growth over the start %.1f MiB\n", mib(hwmBefore),
                mib(hwmAfter), mib(hwmAfter - rssBefore));
    if (s_postgresUrl.isEmpty())
        std::printf("  database file %.1f MiB (+ WAL %.1f MiB)\n\n",
                    double(QFileInfo(store.databasePath()).size()) / 1048576.0,
                    double(QFileInfo(store.databasePath() + u"-wal"_s).size()) / 1048576.0);
    benchReads(store, factory);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList arguments = app.arguments();
    agentdesk::test::PostgresTestServer server;
    QString serverError;
    s_postgresUrl = agentdesk::test::benchHistoryUrl(&arguments, &server, &serverError);
    if (!serverError.isEmpty()) {
        std::fprintf(stderr, "PostgreSQL: %s\n", qPrintable(serverError));
        return 1;
    }
    std::printf("History: %s\n\n", s_postgresUrl.isEmpty() ? "SQLite" : "PostgreSQL");
    const qsizetype keep = arguments.indexOf(u"--keep"_s);
    const qsizetype maxPending = arguments.indexOf(u"--max-pending"_s);
    if (maxPending > 0)
        s_maxPending = arguments.value(maxPending + 1).toLongLong();
    const QString keepDirectory = keep > 0 ? arguments.value(keep + 1) : QString();

    const MessageFactory factory;
    // Memory first, while the process is still small.
    if (!arguments.contains(u"--rate-only"_s))
        benchMemory(factory, keepDirectory);
    if (!arguments.contains(u"--memory-only"_s))
        benchAppendRate(factory);
    return 0;
}
