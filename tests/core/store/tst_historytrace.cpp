#include "store/historyschema.h"
#include "store/historystore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace agentdesk;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QDateTime kBase(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);

MessageRecord makeMessage(qint64 seq, const QString &thread, const QString &to = u"greeter"_s)
{
    MessageRecord message;
    message.seq = seq;
    message.id = u"msg-%1"_s.arg(seq);
    message.threadId = thread;
    message.from = u"api"_s;
    message.to = to;
    message.payloadType = u"Greeting"_s;
    message.xml = u"<Greeting><Name>%1</Name></Greeting>"_s.arg(seq).toUtf8();
    message.timestamp = kBase.addSecs(seq);
    return message;
}

HandlerRun runOf(qint64 seq, int waitMs, int handlerMs, const QString &error = {})
{
    const QDateTime started = kBase.addSecs(seq).addMSecs(waitMs);
    return HandlerRun{seq, started, started.addMSecs(handlerMs), error};
}

ThreadInfo makeThread(const QString &id, const QDateTime &at = kBase)
{
    ThreadInfo thread;
    thread.id = id;
    thread.status = ThreadStatus::Completed;
    thread.createdAt = at;
    thread.lastActivity = at;
    return thread;
}

qint64 count(const QString &path, const QString &sql)
{
    qint64 value = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"inspector"_s);
        db.setDatabaseName(path);
        db.open();
        QSqlQuery query(db);
        if (query.exec(sql) && query.next())
            value = query.value(0).toLongLong();
    }
    QSqlDatabase::removeDatabase(u"inspector"_s);
    return value;
}

} // namespace

// The history side of a thread's timeline: how each handler ran, where a thread came from, and that
// both follow retention.
class tst_HistoryTrace : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_store = std::make_unique<HistoryStore>();
    }
    void cleanup()
    {
        m_store.reset();
        m_dir.reset();
    }

    void runsAreStoredWithTheirDelivery()
    {
        QVERIFY(open());
        m_store->saveThread(makeThread(u"t"_s));
        m_store->appendMessage(makeMessage(1, u"t"_s));
        // The handler of 1 replied with 2 (one transaction); 2's handler failed; 3 was never handled.
        m_store->appendMessages({makeMessage(2, u"t"_s, u"shouter"_s)}, {1}, {runOf(1, 5, 120)});
        m_store->markDelivered({2}, {runOf(2, 7, 30, u"shouter timed out after 0.03 s"_s)});
        m_store->appendMessage(makeMessage(3, u"t"_s));
        m_store->appendMessage(makeMessage(4, u"other"_s)); // another thread's message in between
        m_store->markDelivered({4}, {runOf(4, 1, 1)});
        QVERIFY(m_store->sync());

        const std::optional<ThreadTrace> trace = m_store->trace(u"t"_s, 100);
        QVERIFY(trace);
        QCOMPARE(trace->thread.id, u"t"_s);
        QCOMPARE(trace->totalHops, 3);
        QCOMPARE(trace->hops.size(), 3);
        QCOMPARE(trace->hops.at(0).message.seq, 1); // oldest first
        QVERIFY(trace->hops.at(0).run);
        QCOMPARE(trace->hops.at(0).message.timestamp.msecsTo(trace->hops.at(0).run->started), 5);
        QCOMPARE(trace->hops.at(0).run->started.msecsTo(trace->hops.at(0).run->ended), 120);
        QVERIFY(!trace->hops.at(0).run->failed());
        QCOMPARE(trace->hops.at(1).run->error, u"shouter timed out after 0.03 s"_s);
        QVERIFY(!trace->hops.at(2).run);
        QVERIFY(!trace->origin);
        QVERIFY(!trace->hops.at(0).copied);

        const std::optional<ThreadTrace> newest = m_store->trace(u"t"_s, 2);
        QCOMPARE(newest->totalHops, 3);
        QCOMPARE(newest->hops.size(), 2);
        QCOMPARE(newest->hops.first().message.seq, 2);
        QVERIFY(!m_store->trace(u"nope"_s, 10));
    }

    void aResumedMessageKeepsItsLatestRun()
    {
        QVERIFY(open());
        m_store->saveThread(makeThread(u"t"_s));
        m_store->appendMessage(makeMessage(1, u"t"_s));
        m_store->markDelivered({1}, {runOf(1, 5, 10, u"interrupted"_s)});
        m_store->markDelivered({1}, {runOf(1, 900, 10)});
        QVERIFY(m_store->sync());
        const std::optional<ThreadTrace> trace = m_store->trace(u"t"_s, 10);
        QCOMPARE(trace->hops.first().message.timestamp.msecsTo(trace->hops.first().run->started), 900);
        QVERIFY(!trace->hops.first().run->failed());
    }

    void originMarksTheCopies()
    {
        QVERIFY(open());
        m_store->saveThread(makeThread(u"fork"_s));
        m_store->appendMessages({makeMessage(1, u"fork"_s), makeMessage(2, u"fork"_s), makeMessage(3, u"fork"_s)},
                                {1, 2});
        m_store->saveThreadOrigin(u"fork"_s, {ThreadOriginKind::Fork, u"source"_s, u"msg-source"_s, 3});
        QVERIFY(m_store->sync());
        const std::optional<ThreadTrace> trace = m_store->trace(u"fork"_s, 10);
        QVERIFY(trace->origin);
        QCOMPARE(toString(trace->origin->kind), u"fork"_s);
        QCOMPARE(trace->origin->threadId, u"source"_s);
        QCOMPARE(trace->origin->messageId, u"msg-source"_s);
        QCOMPARE(trace->origin->firstSeq, 3);
        QVERIFY(trace->hops.at(0).copied && trace->hops.at(1).copied);
        QVERIFY(!trace->hops.at(2).copied);
        // Copies were recorded as handled: nothing but the forked message is left to resume.
        QCOMPARE(m_store->undeliveredMessages().size(), 1);
        QCOMPARE(m_store->undeliveredMessages().first().seq, 3);
    }

    void llmTranscriptsSitBesideTheirHop()
    {
        QVERIFY(open());
        m_store->saveThread(makeThread(u"t"_s));
        m_store->appendMessage(makeMessage(1, u"t"_s, u"writer"_s));
        UsageEvent usage;
        usage.timestamp = kBase.addSecs(2);
        usage.threadId = u"t"_s;
        usage.agentId = u"writer"_s;
        usage.model = u"gpt-4o-mini"_s;
        usage.promptTokens = 1200;
        usage.cachedPromptTokens = 1024;
        usage.completionTokens = 80;
        usage.totalTokens = 1280;
        usage.estimatedCost = 0.0002;
        const QString system = u"You write. "_s.repeated(200); // long and repetitive, as prompts are
        m_store->appendUsage(usage,
                             LlmTranscript{1,
                                           {{u"system"_s, system}, {u"user"_s, u"Message from api: <Draft/>"_s}},
                                           u"<Done><Text>ok</Text></Done>"_s});
        m_store->appendUsage(usage); // an attempt without a transcript is still usage
        QVERIFY(m_store->sync());
        const std::optional<ThreadTrace> trace = m_store->trace(u"t"_s, 10);
        QCOMPARE(trace->hops.first().llm.size(), 1);
        const LlmExchange &call = trace->hops.first().llm.first();
        QCOMPARE(call.usage.model, u"gpt-4o-mini"_s);
        QCOMPARE(call.usage.cachedPromptTokens, 1024);
        QCOMPARE(call.usage.estimatedCost, std::optional<double>(0.0002));
        QCOMPARE(call.prompt.size(), 2);
        QCOMPARE(call.prompt.first().content, system);
        QCOMPARE(call.response, u"<Done><Text>ok</Text></Done>"_s);
        m_store->close();
        const QString path = m_dir->filePath(u"data/history.sqlite"_s);
        // Stored compressed: the repeated system text takes a fraction of its length.
        QVERIFY(count(path, u"SELECT LENGTH(prompt) FROM llm_transcripts"_s) < system.size() / 4);
        QCOMPARE(count(path, u"SELECT COUNT(*) FROM usage_events"_s), 2);
    }

    void retentionTakesRunsAndOriginsAlong()
    {
        HistoryConfig config;
        config.maxMessages = 10000;
        config.maxAgeDays = 2;
        QVERIFY(open(config));
        const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-5);
        ThreadInfo gone = makeThread(u"gone"_s, old);
        m_store->saveThread(gone);
        MessageRecord ancient = makeMessage(1, u"gone"_s);
        ancient.timestamp = old;
        m_store->appendMessages({ancient}, {1}, {HandlerRun{1, old, old.addMSecs(3), {}}});
        m_store->saveThreadOrigin(u"gone"_s, {ThreadOriginKind::Replay, u"x"_s, u"y"_s, 1});
        UsageEvent usage;
        usage.timestamp = old;
        usage.threadId = u"gone"_s;
        usage.model = u"m"_s;
        m_store->appendUsage(usage, LlmTranscript{1, {{u"user"_s, u"hi"_s}}, u"hello"_s});
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (qint64 seq = 2; seq <= 10101; ++seq) { // enough for retention by count to take 2..101 as well
            MessageRecord recent = makeMessage(seq, u"kept"_s);
            recent.timestamp = now;
            m_store->appendMessages({recent}, {seq}, {HandlerRun{seq, now, now.addMSecs(1), {}}});
        }
        QVERIFY(m_store->waitForCommit(m_store->requestRetention(), 60s));
        m_store->close();
        const QString path = m_dir->filePath(u"data/history.sqlite"_s);
        QCOMPARE(count(path, u"SELECT COUNT(*) FROM messages"_s), 10000);
        QCOMPARE(count(path, u"SELECT COUNT(*) FROM handler_runs"_s), 10000);
        QCOMPARE(count(path, u"SELECT COUNT(*) FROM handler_runs WHERE seq NOT IN (SELECT seq FROM messages)"_s), 0);
        QCOMPARE(count(path, u"SELECT COUNT(*) FROM thread_origins"_s), 0);
        QCOMPARE(count(path, u"SELECT COUNT(*) FROM llm_transcripts"_s), 0); // went with its message
        QCOMPARE(count(path, u"SELECT COUNT(*) FROM usage_events"_s), 1);    // the usage history stays whole
    }

    void versionTwoHistoryGainsTheTables()
    {
        QVERIFY(open());
        m_store->saveThread(makeThread(u"t"_s));
        m_store->appendMessage(makeMessage(1, u"t"_s));
        m_store->close();
        const QString path = m_dir->filePath(u"data/history.sqlite"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"downgrade"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            for (const QString &sql :
                 {u"DROP TRIGGER messages_forget_runs"_s, u"DROP TRIGGER threads_forget_origin"_s,
                  u"DROP TRIGGER messages_forget_transcripts"_s, u"DROP TABLE handler_runs"_s,
                  u"DROP TABLE thread_origins"_s, u"DROP TABLE llm_transcripts"_s,
                  // and version 4's usage columns and settings
                  u"DROP TABLE settings"_s, u"ALTER TABLE usage_events DROP COLUMN outcome"_s,
                  u"ALTER TABLE usage_events DROP COLUMN cache_write_tokens"_s,
                  u"ALTER TABLE usage_events DROP COLUMN reasoning_tokens"_s,
                  u"ALTER TABLE usage_events DROP COLUMN ttft_ms"_s,
                  u"ALTER TABLE usage_events DROP COLUMN tokens_per_second"_s, u"PRAGMA user_version=2"_s})
                QVERIFY2(query.exec(sql), qPrintable(sql));
        }
        QSqlDatabase::removeDatabase(u"downgrade"_s);
        m_store = std::make_unique<HistoryStore>();
        QVERIFY(open());
        QCOMPARE(m_store->trace(u"t"_s, 10)->hops.size(), 1);
        m_store->markDelivered({1}, {runOf(1, 1, 2)});
        QVERIFY(m_store->sync());
        QVERIFY(m_store->trace(u"t"_s, 10)->hops.first().run);
        m_store->close();
        QCOMPARE(count(path, u"PRAGMA user_version"_s), HistorySchema::Version);
    }

private:
    bool open(const HistoryConfig &config = {})
    {
        QString error;
        const bool opened = m_store->open(m_dir->filePath(u"data"_s), config, &error);
        if (!opened)
            qWarning() << error;
        return opened;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HistoryStore> m_store;
};

QTEST_GUILESS_MAIN(tst_HistoryTrace)
#include "tst_historytrace.moc"
