// Helper of tst_historystore's durability test: appends messages to the history in <directory>
// forever (or <count> of them), and prints "ACK <seq>" for each one only after its commit was
// confirmed, while the next chunk is already being written. The test kills it at a random moment.

#include "store/historystore.h"

#include <QCoreApplication>
#include <QUuid>

#include <cstdio>
#include <limits>

using namespace agentdesk;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr int kChunk = 50;

MessageRecord makeMessage(qint64 seq)
{
    MessageRecord message;
    message.seq = seq;
    message.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    message.threadId = u"crash-thread-%1"_s.arg(seq % 7);
    message.from = u"writer"_s;
    message.to = u"sink"_s;
    message.payloadType = u"Tick"_s;
    message.fields = {{u"n"_s, seq}, {u"text"_s, u"payload number %1"_s.arg(seq)}};
    message.xml = u"<Tick><N>%1</N><Text>payload number %1</Text></Tick>"_s.arg(seq).toUtf8();
    message.timestamp = QDateTime::currentDateTimeUtc();
    return message;
}

void acknowledge(qint64 from, qint64 to)
{
    for (qint64 seq = from; seq < to; ++seq)
        std::printf("ACK %lld\n", static_cast<long long>(seq));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() < 2) {
        std::fprintf(stderr, "usage: storecrashwriter <directory> [count]\n");
        return 2;
    }
    const qint64 count = arguments.size() > 2 ? arguments.at(2).toLongLong() : std::numeric_limits<qint64>::max();

    HistoryStore store;
    HistoryConfig config;
    config.maxAgeDays = 0;
    // tst_historystore_postgresql: the organism's history on the test's PostgreSQL server.
    if (const QString url = qEnvironmentVariable("AGENTDESK_TEST_HISTORY_URL"); !url.isEmpty()) {
        config.backend = HistoryBackend::Postgresql;
        config.url = url;
        store.setOrganismName(qEnvironmentVariable("AGENTDESK_TEST_HISTORY_ORGANISM"));
    }
    QString error;
    if (!store.open(arguments.at(1), config, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }

    const qint64 first = store.maxSeq() + 1;
    const qint64 end = count > std::numeric_limits<qint64>::max() - first ? std::numeric_limits<qint64>::max()
                                                                          : first + count;
    qint64 previousStart = first;
    qint64 previousEnd = first;
    quint64 previousTicket = 0;
    for (qint64 seq = first; seq < end || previousEnd > previousStart;) {
        const qint64 chunkStart = seq;
        quint64 ticket = 0;
        for (int i = 0; i < kChunk && seq < end; ++i, ++seq)
            ticket = store.appendMessage(makeMessage(seq));
        if (previousEnd > previousStart) {
            if (!store.waitForCommit(previousTicket, 60s)) {
                std::fprintf(stderr, "commit timed out\n");
                return 1;
            }
            acknowledge(previousStart, previousEnd);
        }
        previousStart = chunkStart;
        previousEnd = seq;
        previousTicket = ticket;
    }
    store.close();
    return 0;
}
