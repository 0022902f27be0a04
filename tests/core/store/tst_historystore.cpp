#include "store/historycodec.h"
#include "store/historystore.h"

#include "testhistory.h"

#include "store/postgres/postgresconnection.h"
#include "store/postgres/postgresschema.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrl>

#include <algorithm>
#include <future>
#include <thread>

#include <unistd.h>
#include <memory>
#include <set>

Q_DECLARE_METATYPE(agentdesk::MessageQuery)
Q_DECLARE_METATYPE(agentdesk::UsageQuery)

using namespace agentdesk;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QDateTime kBase(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC);

// The suite runs once per engine: with AGENTDESK_TEST_HISTORY=postgresql (ctest's
// tst_historystore_postgresql) every store lives on a private PostgreSQL server, each test function in
// an organism (and so a schema) of its own.
bool onPostgres()
{
    return test::historyOnPostgres();
}

test::PostgresTestServer &postgresServer()
{
    return *test::testPostgresServer();
}

QString &currentOrganism()
{
    static QString name;
    return name;
}

// The engine's part of a history configuration.
HistoryConfig withEngine(HistoryConfig config)
{
    if (onPostgres()) {
        config.backend = HistoryBackend::Postgresql;
        config.url = postgresServer().url();
    }
    return config;
}

HistoryConfig keepEverything()
{
    HistoryConfig config;
    config.maxMessages = 1000000;
    config.maxAgeDays = 0;
    return withEngine(config);
}

// storecrashwriter, writing this test's history (on PostgreSQL: its organism on the test's server).
void startCrashWriter(QProcess &process, const QString &directory)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (onPostgres()) {
        environment.insert(u"AGENTDESK_TEST_HISTORY_URL"_s, postgresServer().url());
        environment.insert(u"AGENTDESK_TEST_HISTORY_ORGANISM"_s, currentOrganism());
    }
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(STORECRASHWRITER_PATH), {directory});
}

std::unique_ptr<HistoryStore> newStore()
{
    auto store = std::make_unique<HistoryStore>();
    store->setOrganismName(currentOrganism());
    return store;
}

MessageRecord makeMessage(qint64 seq, const QString &thread = u"t1"_s, const QString &from = u"api"_s,
                          const QString &to = u"greeter"_s, const QString &type = u"Greeting"_s,
                          const QByteArray &xml = {}, const QDateTime &timestamp = {})
{
    MessageRecord message;
    message.seq = seq;
    message.id = u"msg-%1"_s.arg(seq);
    message.threadId = thread;
    message.from = from;
    message.to = to;
    message.payloadType = type;
    message.xml = xml.isEmpty() ? u"<%1><N>%2</N></%1>"_s.arg(type).arg(seq).toUtf8() : xml;
    message.fields = {{u"n"_s, seq}};
    message.timestamp = timestamp.isValid() ? timestamp : kBase.addSecs(seq);
    message.depth = int(seq % 3);
    return message;
}

ThreadInfo makeThread(const QString &id, ThreadStatus status, const QStringList &participants,
                      const QDateTime &createdAt, const QDateTime &lastActivity = {})
{
    ThreadInfo thread;
    thread.id = id;
    thread.status = status;
    thread.participants = participants;
    thread.createdAt = createdAt;
    thread.lastActivity = lastActivity;
    return thread;
}

UsageEvent makeUsage(const QDateTime &timestamp, const QString &agent, const QString &model, qint64 prompt,
                     qint64 completion, std::optional<double> cost, const QString &org)
{
    UsageEvent event;
    event.timestamp = timestamp;
    event.threadId = u"thread-u"_s;
    event.agentId = agent;
    event.model = model;
    event.provider = model.startsWith(u"grok"_s) ? u"xai"_s : u"anthropic"_s;
    event.promptTokens = prompt;
    event.completionTokens = completion;
    event.totalTokens = prompt + completion;
    event.latencyMs = 250.5;
    event.estimatedCost = cost;
    event.orgId = org;
    return event;
}

QList<qint64> seqs(const MessagePage &page)
{
    QList<qint64> result;
    for (const MessageRecord &message : page.items)
        result.append(message.seq);
    return result;
}

QStringList ids(const QList<ThreadInfo> &threads)
{
    QStringList result;
    for (const ThreadInfo &thread : threads)
        result.append(thread.id);
    return result;
}

// A connection of the test's own, to look at the file (or the organism's PostgreSQL schema) the way
// another tool would.
class Inspector
{
public:
    explicit Inspector(const QString &path)
        : m_name(u"inspector-%1"_s.arg(++s_serial))
    {
        if (onPostgres()) {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, m_name);
            PostgresConnection::configure(db, postgresServer().url());
            db.open();
            exec(u"SELECT set_config('search_path', schema_name, false) FROM agentdesk.instances"
                 " WHERE organism = '%1'"_s.arg(currentOrganism()));
            return;
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~Inspector() { QSqlDatabase::removeDatabase(m_name); }

    QVariantList column(const QString &sql) const
    {
        QVariantList values;
        QSqlQuery query(QSqlDatabase::database(m_name));
        if (!query.exec(sql))
            qWarning() << query.lastError().text();
        while (query.next())
            values.append(query.value(0));
        return values;
    }
    QVariant value(const QString &sql) const { return column(sql).value(0); }
    bool exec(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name));
        return query.exec(sql);
    }

private:
    static inline int s_serial = 0;
    QString m_name;
};

// usage_events and no settings table, as schema versions 1 and 2 wrote them (empty).
bool downgradeUsageToVersionTwo(const Inspector &db)
{
    return db.exec(u"DROP TABLE usage_events"_s) && db.exec(u"DROP TABLE settings"_s)
        && db.exec(u"CREATE TABLE usage_events (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp TEXT NOT NULL,"
                   " thread_id TEXT, agent_id TEXT, model TEXT, provider TEXT, prompt_tokens INTEGER,"
                   " completion_tokens INTEGER, total_tokens INTEGER, latency_ms REAL, estimated_cost REAL,"
                   " metadata TEXT, org_id TEXT, user_id TEXT, cached_prompt_tokens INTEGER DEFAULT 0,"
                   " estimated_tokens INTEGER DEFAULT 0)"_s)
        && db.exec(u"CREATE INDEX idx_usage_timestamp ON usage_events(timestamp)"_s);
}

} // namespace

class tst_HistoryStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void openCreatesSchema();
    void openRefusesSecondOpenOfSameDirectory();
    void openRefusesNewerSchema();
    void openUpgradesVersionTwo();
    void messageRoundTrip();
    void pagingByOffset();
    void keysetPaging();
    void messageFilters_data();
    void messageFilters();
    void filteredPagesOnALongerHistory();
    void filterValuesAreTakenLiterally();
    void threadUpsertMergesParticipants();
    void threadOrderFiltersAndTotals();
    void agentCounters();
    void usageEventsHistory();
    void usageEventsFilters_data();
    void usageEventsFilters();
    void billingSummary();
    void dailyUsage();
    void usageTimeseries();
    void retentionByCount();
    void retentionByAge();
    void waitForCommitSemantics();
    void undeliveredUntilHandled();
    void messageHandledAgainKeepsItsLatestRun();
    void versionOneHistoryIsMigrated();
    void lockOfALiveProcessNamesIt();
    void lockOfADeadProcessIsTakenOver();
    void unwritableDirectoryNamesTheCause();
    void refusedRecordIsReportedAndOthersStored();
    void failedWriteIsRetriedNotDropped();
    void backPressureStoresEverything();
    void readsFromAnotherThread();
    void reopenKeepsEverything();
    void survivesKill();
    void postgresSchemaPerOrganism();
    void unreachableDatabaseIsRetried();
    void roundsLikePython_data();
    void roundsLikePython();
    void isoTimestamps();

private:
    bool openStore(const HistoryConfig &config = keepEverything());
    void appendFilterFixture();
    void appendUsageFixture();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HistoryStore> m_store;
};

void tst_HistoryStore::initTestCase()
{
    if (onPostgres())
        QVERIFY(postgresServer().isStarted());
}

void tst_HistoryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    static int serial = 0;
    currentOrganism() = u"%1-%2"_s.arg(QString::fromLatin1(QTest::currentTestFunction())).arg(++serial);
    m_store = newStore();
}

void tst_HistoryStore::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

bool tst_HistoryStore::openStore(const HistoryConfig &config)
{
    QString error;
    const bool opened = m_store->open(m_dir->filePath(u"data"_s), withEngine(config), &error);
    if (!opened)
        qWarning() << "open failed:" << error;
    return opened;
}

void tst_HistoryStore::openCreatesSchema()
{
    if (onPostgres())
        QSKIP("the SQLite file's layout (WAL, user_version); PostgreSQL's schema: postgresSchemaPerOrganism");
    QString error;
    const QString directory = m_dir->filePath(u"nested/deeper"_s);
    QVERIFY2(m_store->open(directory, keepEverything(), &error), qPrintable(error));
    QCOMPARE(m_store->databasePath(), QDir(directory).absoluteFilePath(u"history.sqlite"_s));
    QVERIFY(QFile::exists(m_store->databasePath()));

    const Inspector db(m_store->databasePath());
    QCOMPARE(db.value(u"PRAGMA user_version"_s).toInt(), HistorySchema::Version);
    QCOMPARE(db.value(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    const QVariantList usageColumns = db.column(u"SELECT name FROM pragma_table_info('usage_events') ORDER BY cid"_s);
    const QVariantList expected{u"id"_s,
                                u"timestamp"_s,
                                u"thread_id"_s,
                                u"agent_id"_s,
                                u"model"_s,
                                u"provider"_s,
                                u"prompt_tokens"_s,
                                u"completion_tokens"_s,
                                u"total_tokens"_s,
                                u"latency_ms"_s,
                                u"estimated_cost"_s,
                                u"metadata"_s,
                                u"org_id"_s,
                                u"user_id"_s,
                                u"cached_prompt_tokens"_s,
                                u"estimated_tokens"_s,
                                u"outcome"_s,
                                u"cache_write_tokens"_s,
                                u"reasoning_tokens"_s,
                                u"ttft_ms"_s,
                                u"tokens_per_second"_s};
    QCOMPARE(usageColumns, expected);
    const QVariantList tables = db.column(
        u"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"_s);
    QCOMPARE(tables,
             (QVariantList{u"agents"_s, u"counters"_s, u"handler_runs"_s, u"llm_transcripts"_s, u"messages"_s,
                           u"settings"_s, u"thread_origins"_s, u"thread_participants"_s, u"threads"_s, u"undelivered"_s,
                           u"usage_events"_s}));
    QVERIFY(m_store->isOpen());
    QCOMPARE(m_store->messageCount(), 0);
    QCOMPARE(m_store->maxSeq(), 0);
}

void tst_HistoryStore::openRefusesSecondOpenOfSameDirectory()
{
    QVERIFY(openStore());
    HistoryStore second;
    second.setOrganismName(currentOrganism());
    QString error;
    QVERIFY(!second.open(m_dir->filePath(u"data"_s), keepEverything(), &error));
    QVERIFY2(error.contains(u"in use"_s), qPrintable(error));
    if (onPostgres()) // names the holder and says what to do
        QVERIFY2(error.contains(u"in use by process %1 on "_s.arg(QCoreApplication::applicationPid()))
                     && error.contains(u"history.instance"_s),
                 qPrintable(error));
    QVERIFY(!second.isOpen());
    QCOMPARE(second.appendMessage(makeMessage(1)), 0u);

    m_store->close();
    QVERIFY2(second.open(m_dir->filePath(u"data"_s), keepEverything(), &error), qPrintable(error));
}

void tst_HistoryStore::openRefusesNewerSchema()
{
    QVERIFY(openStore());
    const QString path = m_store->databasePath();
    m_store->close();
    {
        const Inspector db(path);
        QVERIFY(db.exec(onPostgres() ? u"UPDATE agentdesk.instances SET schema_version = %1 WHERE organism = '%2'"_s
                                           .arg(HistorySchema::Version + 1)
                                           .arg(currentOrganism())
                                     : u"PRAGMA user_version=%1"_s.arg(HistorySchema::Version + 1)));
    }
    QString error;
    QVERIFY(!m_store->open(m_dir->filePath(u"data"_s), keepEverything(), &error));
    QVERIFY2(error.contains(u"newer"_s), qPrintable(error));
    QVERIFY(!m_store->isOpen());
}

// A history written by schema version 2 (before issue 11's usage columns) is upgraded to 3 in place:
// its usage events stay and read as outcome ok, the new columns and the settings table appear, and
// what version 2 knew (undelivered messages) is kept.
void tst_HistoryStore::openUpgradesVersionTwo()
{
    if (onPostgres())
        QSKIP("a file written by SQLite schema version 2; PostgreSQL histories start at version 4");
    QVERIFY(openStore());
    m_store->appendMessage(makeMessage(1, u"running"_s));
    QVERIFY(m_store->sync());
    const QString path = m_store->databasePath();
    m_store->close();
    {
        const Inspector db(path);
        QVERIFY(downgradeUsageToVersionTwo(db));
        QVERIFY(db.exec(u"INSERT INTO usage_events(timestamp, thread_id, agent_id, model, provider, prompt_tokens,"
                        " completion_tokens, total_tokens, latency_ms, estimated_cost, metadata) VALUES"
                        " ('2026-01-02T03:04:05.000000+00:00', 't', 'writer', 'gpt-4o', 'openai', 100, 20, 120, 5.0,"
                        " 0.00045, '{}')"_s));
        QVERIFY(db.exec(u"PRAGMA user_version=2"_s));
    }
    QString error;
    QVERIFY2(m_store->open(m_dir->filePath(u"data"_s), keepEverything(), &error), qPrintable(error));
    {
        const Inspector db(path);
        QCOMPARE(db.value(u"PRAGMA user_version"_s).toInt(), 4);
        QCOMPARE(HistorySchema::Version, 4);
    }
    const Page<UsageEvent> events = m_store->usageEvents(UsageQuery{});
    QCOMPARE(events.total, 1);
    QCOMPARE(toString(events.items.first().outcome), u"ok"_s);
    QCOMPARE(events.items.first().totalTokens, 120);
    QCOMPARE(events.items.first().cacheWriteTokens, 0);
    QVERIFY(!events.items.first().ttftMs);
    QCOMPARE(m_store->undeliveredMessages().size(), 1);
    m_store->saveSetting(u"usage_reset_at"_s, u"2026-01-01T00:00:00.000Z"_s);
    QVERIFY(m_store->sync());
    QCOMPARE(m_store->setting(u"usage_reset_at"_s), u"2026-01-01T00:00:00.000Z"_s);
    UsageEvent metered = events.items.first();
    metered.outcome = UsageOutcome::Unusable;
    metered.reasoningTokens = 7;
    m_store->appendUsage(metered);
    QVERIFY(m_store->sync());
    UsageQuery unusable;
    unusable.outcome = UsageOutcome::Unusable;
    QCOMPARE(m_store->usageEvents(unusable).items.value(0).reasoningTokens, 7);
}

void tst_HistoryStore::messageRoundTrip()
{
    QVERIFY(openStore());
    MessageRecord message = makeMessage(7, u"thread-ü"_s, u"api"_s, u"grüßer"_s, u"Greeting"_s,
                                        u"<Greeting><Name>Zoë «quoted» 日本</Name></Greeting>"_s.toUtf8());
    message.fields = {
        {u"name"_s, u"Zoë «quoted» 日本"_s},
        {u"count"_s, qint64(9007199254740993LL)},
        {u"ratio"_s, 0.125},
        {u"flag"_s, true},
        {u"nested"_s,
         QVariantMap{{u"list"_s, QVariantList{qint64(1), u"two"_s, QVariantMap{{u"three"_s, false}}}},
                     {u"empty"_s, QVariantMap()}}},
        {u"items"_s, QVariantList{QVariantMap{{u"k"_s, u"v"_s}}, QVariantList{}}},
    };
    message.timestamp = QDateTime(QDate(2026, 2, 10), QTime(12, 34, 56, 789), Qt::UTC);
    message.depth = 4;
    const quint64 ticket = m_store->appendMessage(message);
    QVERIFY(ticket > 0);
    QVERIFY(m_store->sync());

    const auto check = [&](const MessageRecord &stored) {
        QCOMPARE(stored.seq, message.seq);
        QCOMPARE(stored.id, message.id);
        QCOMPARE(stored.threadId, message.threadId);
        QCOMPARE(stored.from, message.from);
        QCOMPARE(stored.to, message.to);
        QCOMPARE(stored.payloadType, message.payloadType);
        QCOMPARE(stored.xml, message.xml);
        QCOMPARE(stored.fields, message.fields);
        QCOMPARE(stored.fields.value(u"count"_s).toLongLong(), 9007199254740993LL);
        QCOMPARE(stored.timestamp, message.timestamp);
        QCOMPARE(stored.timestamp.timeSpec(), Qt::UTC);
        QCOMPARE(stored.depth, message.depth);
    };
    const std::optional<MessageRecord> byId = m_store->message(message.id);
    QVERIFY(byId);
    check(*byId);
    const MessagePage page = m_store->messages({});
    QCOMPARE(page.items.size(), 1);
    check(page.items.first());
    QVERIFY(!m_store->message(u"no-such-id"_s));
    QCOMPARE(m_store->maxSeq(), 7);
    QCOMPARE(m_store->messageCount(), 1);
}

void tst_HistoryStore::pagingByOffset()
{
    QVERIFY(openStore());
    for (qint64 seq = 1; seq <= 25; ++seq)
        m_store->appendMessage(makeMessage(seq));
    QVERIFY(m_store->sync());

    MessageQuery query;
    query.offset = 10;
    query.limit = 5;
    MessagePage page = m_store->messages(query);
    QCOMPARE(seqs(page), (QList<qint64>{15, 14, 13, 12, 11}));
    QCOMPARE(page.total, 25);
    QCOMPARE(page.offset, 10);
    QCOMPARE(page.limit, 5);

    query.newestFirst = false;
    QCOMPARE(seqs(m_store->messages(query)), (QList<qint64>{11, 12, 13, 14, 15}));

    query.offset = 40;
    page = m_store->messages(query);
    QVERIFY(page.items.isEmpty());
    QCOMPARE(page.total, 25);

    query.offset = 0;
    query.limit = 0;
    page = m_store->messages(query);
    QVERIFY(page.items.isEmpty());
    QCOMPARE(page.total, 25);

    query.limit = -1;
    QCOMPARE(m_store->messages(query).items.size(), 25);
}

void tst_HistoryStore::keysetPaging()
{
    QVERIFY(openStore());
    for (qint64 seq = 1; seq <= 25; ++seq)
        m_store->appendMessage(makeMessage(seq, seq % 2 ? u"odd"_s : u"even"_s));
    QVERIFY(m_store->sync());

    MessageQuery query;
    query.beforeSeq = 10;
    query.limit = 3;
    MessagePage page = m_store->messages(query);
    QCOMPARE(seqs(page), (QList<qint64>{9, 8, 7}));
    QCOMPARE(page.total, 25); // the bounds page, they do not filter

    query.beforeSeq = 0;
    query.afterSeq = 20;
    query.newestFirst = false;
    query.limit = 50;
    QCOMPARE(seqs(m_store->messages(query)), (QList<qint64>{21, 22, 23, 24, 25}));

    query.threadId = u"odd"_s;
    query.afterSeq = 5;
    query.beforeSeq = 13;
    page = m_store->messages(query);
    QCOMPARE(seqs(page), (QList<qint64>{7, 9, 11}));
    QCOMPARE(page.total, 13);
}

void tst_HistoryStore::appendFilterFixture()
{
    const auto at = [](int minute) { return kBase.addSecs(60 * minute); };
    m_store->appendMessage(
        makeMessage(1, u"t1"_s, u"api"_s, u"greeter"_s, u"Greeting"_s, "<Greeting><Name>Dan</Name></Greeting>", at(0)));
    m_store->appendMessage(makeMessage(2, u"t1"_s, u"greeter"_s, u"shouter"_s, u"GreetingResponse"_s,
                                       "<GreetingResponse><Message>Hello Dan</Message></GreetingResponse>", at(1)));
    m_store->appendMessage(makeMessage(3, u"t1"_s, u"shouter"_s, u"greeter"_s, u"ShoutedResponse"_s,
                                       "<ShoutedResponse><Message>HELLO DAN</Message></ShoutedResponse>", at(2)));
    m_store->appendMessage(makeMessage(4, u"t2"_s, u"api"_s, u"greeter"_s, u"Greeting"_s,
                                       u"<Greeting><Name>Zoë Ärger</Name></Greeting>"_s.toUtf8(), at(3)));
    m_store->appendMessage(makeMessage(
        5, u"t2"_s, u"greeter"_s, u"shouter"_s, u"GreetingResponse"_s,
        u"<GreetingResponse><Message>Hello ZOË ärger 100%_done</Message></GreetingResponse>"_s.toUtf8(), at(4)));
    m_store->appendMessage(makeMessage(6, u"t3"_s, u"api"_s, u"calc"_s, u"Calculate"_s,
                                       "<Calculate><Expression>2*3</Expression></Calculate>", at(5)));
}

void tst_HistoryStore::messageFilters_data()
{
    QTest::addColumn<MessageQuery>("query");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::addColumn<qint64>("total");

    const auto at = [](int minute) { return kBase.addSecs(60 * minute); };
    const auto make = [](auto &&set) {
        MessageQuery query;
        set(query);
        return query;
    };
    QTest::newRow("none") << MessageQuery() << QList<qint64>{6, 5, 4, 3, 2, 1} << qint64(6);
    QTest::newRow("thread") << make([](MessageQuery &q) { q.threadId = u"t1"_s; }) << QList<qint64>{3, 2, 1}
                            << qint64(3);
    QTest::newRow("agent from or to") << make([](MessageQuery &q) { q.agent = u"greeter"_s; })
                                      << QList<qint64>{5, 4, 3, 2, 1} << qint64(5);
    QTest::newRow("agent total before paging") << make([](MessageQuery &q) {
        q.agent = u"greeter"_s;
        q.offset = 1;
        q.limit = 2;
    }) << QList<qint64>{4, 3} << qint64(5);
    QTest::newRow("agent receiver only") << make([](MessageQuery &q) { q.agent = u"calc"_s; }) << QList<qint64>{6}
                                         << qint64(1);
    QTest::newRow("unknown agent") << make([](MessageQuery &q) { q.agent = u"nobody"_s; }) << QList<qint64>{}
                                   << qint64(0);
    QTest::newRow("payload type") << make([](MessageQuery &q) { q.payloadType = u"GreetingResponse"_s; })
                                  << QList<qint64>{5, 2} << qint64(2);
    QTest::newRow("text ignores ASCII case")
        << make([](MessageQuery &q) { q.text = u"hello dan"_s; }) << QList<qint64>{3, 2} << qint64(2);
    QTest::newRow("text ignores Unicode case")
        << make([](MessageQuery &q) { q.text = u"ÄRGER"_s; }) << QList<qint64>{5, 4} << qint64(2);
    QTest::newRow("text Unicode both ways")
        << make([](MessageQuery &q) { q.text = u"zoë"_s; }) << QList<qint64>{5, 4} << qint64(2);
    QTest::newRow("text wildcards are literal")
        << make([](MessageQuery &q) { q.text = u"100%_"_s; }) << QList<qint64>{5} << qint64(1);
    QTest::newRow("text percent is not a wildcard")
        << make([](MessageQuery &q) { q.text = u"1%0"_s; }) << QList<qint64>{} << qint64(0);
    QTest::newRow("text underscore is not a wildcard")
        << make([](MessageQuery &q) { q.text = u"Hello_"_s; }) << QList<qint64>{} << qint64(0);
    QTest::newRow("since") << make([&](MessageQuery &q) { q.since = at(2); }) << QList<qint64>{6, 5, 4, 3} << qint64(4);
    QTest::newRow("until") << make([&](MessageQuery &q) { q.until = at(1); }) << QList<qint64>{2, 1} << qint64(2);
    QTest::newRow("since and until") << make([&](MessageQuery &q) {
        q.since = at(1);
        q.until = at(3);
    }) << QList<qint64>{4, 3, 2} << qint64(3);
    QTest::newRow("thread and agent") << make([](MessageQuery &q) {
        q.threadId = u"t1"_s;
        q.agent = u"shouter"_s;
    }) << QList<qint64>{3, 2} << qint64(2);
    QTest::newRow("thread and text") << make([](MessageQuery &q) {
        q.threadId = u"t2"_s;
        q.text = u"hello"_s;
    }) << QList<qint64>{5} << qint64(1);
    QTest::newRow("oldest first with type") << make([](MessageQuery &q) {
        q.payloadType = u"Greeting"_s;
        q.newestFirst = false;
    }) << QList<qint64>{1, 4} << qint64(2);
}

void tst_HistoryStore::messageFilters()
{
    QFETCH(MessageQuery, query);
    QFETCH(QList<qint64>, expected);
    QFETCH(qint64, total);

    QVERIFY(openStore());
    appendFilterFixture();
    QVERIFY(m_store->sync());
    const MessagePage page = m_store->messages(query);
    QCOMPARE(seqs(page), expected);
    QCOMPARE(page.total, total);
}

// What an operator types into a filter is a value, whatever it holds: quotes, backslashes, question
// marks and SQL (on PostgreSQL the readers send values as literals in the statement, see ReadQuery).
void tst_HistoryStore::filterValuesAreTakenLiterally()
{
    QVERIFY(openStore());
    const QString tricky = u"it's \\' a ? test"_s;
    m_store->appendMessage(makeMessage(1, u"t'1"_s, u"api"_s, u"greeter"_s, u"Greeting"_s,
                                       (u"<Greeting><N>"_s + tricky + u"</N></Greeting>"_s).toUtf8()));
    m_store->appendMessage(makeMessage(2));
    QVERIFY(m_store->sync());

    MessageQuery query;
    query.text = tricky;
    QCOMPARE(seqs(m_store->messages(query)), (QList<qint64>{1}));
    query = {};
    query.threadId = u"t'1"_s;
    QCOMPARE(seqs(m_store->messages(query)), (QList<qint64>{1}));
    query = {};
    query.agent = u"x' OR '1'='1"_s;
    QCOMPARE(m_store->messages(query).total, 0);
    query = {};
    query.text = u"'; DROP TABLE messages; --"_s;
    QCOMPARE(m_store->messages(query).total, 0);
    QCOMPARE(m_store->messages({}).total, 2);
}

void tst_HistoryStore::filteredPagesOnALongerHistory()
{
    // Enough matching rows that pages are read by walking the table in seq order rather than by
    // sorting what an index found: both ways must give the same pages.
    QVERIFY(openStore());
    for (qint64 seq = 1; seq <= 300; ++seq)
        m_store->appendMessage(makeMessage(seq, u"t"_s, seq % 3 == 0 ? u"a"_s : u"b"_s, u"c"_s));
    QVERIFY(m_store->sync());

    MessageQuery query;
    query.agent = u"a"_s;
    query.offset = 2;
    query.limit = 5;
    MessagePage page = m_store->messages(query);
    QCOMPARE(seqs(page), (QList<qint64>{294, 291, 288, 285, 282}));
    QCOMPARE(page.total, 100);
    query.newestFirst = false;
    QCOMPARE(seqs(m_store->messages(query)), (QList<qint64>{9, 12, 15, 18, 21}));

    query = {};
    query.agent = u"a"_s;
    query.beforeSeq = 100;
    query.limit = 3;
    QCOMPARE(seqs(m_store->messages(query)), (QList<qint64>{99, 96, 93}));

    query = {};
    query.since = kBase.addSecs(100);
    query.limit = 3;
    page = m_store->messages(query);
    QCOMPARE(seqs(page), (QList<qint64>{300, 299, 298}));
    QCOMPARE(page.total, 201);
    query.newestFirst = false;
    QCOMPARE(seqs(m_store->messages(query)), (QList<qint64>{100, 101, 102}));

    query = {};
    query.agent = u"c"_s; // every message, as receiver
    query.text = u"<N>15"_s;
    page = m_store->messages(query);
    QCOMPARE(seqs(page), (QList<qint64>{159, 158, 157, 156, 155, 154, 153, 152, 151, 150, 15}));
    QCOMPARE(page.total, 11);
}

void tst_HistoryStore::threadUpsertMergesParticipants()
{
    QVERIFY(openStore());
    const QDateTime created = kBase;
    m_store->saveThread(makeThread(u"x"_s, ThreadStatus::Active, {u"api"_s, u"greeter"_s}, created, created));
    QVERIFY(m_store->sync());

    ThreadInfo later = makeThread(u"x"_s, ThreadStatus::Completed, {u"greeter"_s, u"shouter"_s}, created.addSecs(5),
                                  created.addSecs(9));
    later.messageCount = 3;
    later.error = u"boom"_s;
    m_store->saveThread(later);
    // Repeated saves of the same thread, most likely in one batch.
    ThreadInfo again = later;
    again.participants = {u"echo"_s, u"api"_s};
    again.messageCount = 4;
    m_store->saveThread(again);
    QVERIFY(m_store->sync());

    const std::optional<ThreadInfo> thread = m_store->thread(u"x"_s);
    QVERIFY(thread);
    QCOMPARE(thread->participants, (QStringList{u"api"_s, u"greeter"_s, u"shouter"_s, u"echo"_s}));
    QCOMPARE(toString(thread->status), toString(ThreadStatus::Completed));
    QCOMPARE(thread->messageCount, 4);
    QCOMPARE(thread->createdAt, created);
    QCOMPARE(thread->lastActivity, created.addSecs(9));
    QCOMPARE(thread->error, u"boom"_s);
    QVERIFY(!m_store->thread(u"y"_s));

    ThreadQuery byAgent;
    byAgent.agent = u"echo"_s;
    QCOMPARE(ids(m_store->threads(byAgent).items), QStringList{u"x"_s});
}

void tst_HistoryStore::threadOrderFiltersAndTotals()
{
    QVERIFY(openStore());
    const auto at = [](int minute) { return kBase.addSecs(60 * minute); };
    m_store->saveThread(makeThread(u"A"_s, ThreadStatus::Completed, {u"api"_s, u"greeter"_s}, at(0), at(5)));
    m_store->saveThread(makeThread(u"B"_s, ThreadStatus::Active, {u"api"_s, u"shouter"_s}, at(1), at(5)));
    m_store->saveThread(makeThread(u"C"_s, ThreadStatus::Active, {u"x"_s}, at(2)));
    m_store->saveThread(makeThread(u"D"_s, ThreadStatus::Killed, {u"greeter"_s, u"y"_s}, at(3), at(10)));
    QVERIFY(m_store->sync());

    ThreadPage page = m_store->threads({});
    // lastActivity (else createdAt) descending; A and B tie and keep their creation order.
    QCOMPARE(ids(page.items), (QStringList{u"D"_s, u"A"_s, u"B"_s, u"C"_s}));
    QCOMPARE(page.total, 4);
    QVERIFY(!page.items.at(3).lastActivity.isValid());

    ThreadQuery query;
    query.status = ThreadStatus::Active;
    page = m_store->threads(query);
    QCOMPARE(ids(page.items), (QStringList{u"B"_s, u"C"_s}));
    QCOMPARE(page.total, 2);

    query = {};
    query.agent = u"greeter"_s;
    page = m_store->threads(query);
    QCOMPARE(ids(page.items), (QStringList{u"D"_s, u"A"_s}));
    QCOMPARE(page.total, 2);

    query.status = ThreadStatus::Completed;
    page = m_store->threads(query);
    QCOMPARE(ids(page.items), QStringList{u"A"_s});
    QCOMPARE(page.total, 1);

    query = {};
    query.offset = 1;
    query.limit = 2;
    page = m_store->threads(query);
    QCOMPARE(ids(page.items), (QStringList{u"A"_s, u"B"_s}));
    QCOMPARE(page.total, 4);

    query.offset = 10;
    page = m_store->threads(query);
    QVERIFY(page.items.isEmpty());
    QCOMPARE(page.total, 4);

    QCOMPARE(ids(m_store->threadsWithStatus(ThreadStatus::Active)), (QStringList{u"B"_s, u"C"_s}));
    QCOMPARE(ids(m_store->threadsWithStatus(ThreadStatus::Error)), QStringList());
}

void tst_HistoryStore::agentCounters()
{
    QVERIFY(openStore());
    m_store->saveAgent(u"greeter"_s, 1, kBase);
    m_store->saveAgent(u"shouter"_s, 2, kBase.addSecs(1));
    m_store->saveAgent(u"greeter"_s, 5, kBase.addSecs(2));
    m_store->saveAgent(u"idle"_s, 0, QDateTime());
    QVERIFY(m_store->sync());

    const QHash<QString, QPair<qint64, QDateTime>> counters = m_store->agentCounters();
    QCOMPARE(counters.size(), 3);
    QCOMPARE(counters.value(u"greeter"_s), qMakePair(qint64(5), kBase.addSecs(2)));
    QCOMPARE(counters.value(u"shouter"_s), qMakePair(qint64(2), kBase.addSecs(1)));
    QCOMPARE(counters.value(u"idle"_s).first, 0);
    QVERIFY(!counters.value(u"idle"_s).second.isValid());
}

void tst_HistoryStore::appendUsageFixture()
{
    const auto day = [](int d, QTime time) { return QDateTime(QDate(2026, 2, d), time, Qt::UTC); };
    UsageEvent e1 = makeUsage(day(10, QTime(10, 0)), u"greeter"_s, u"grok-4.1"_s, 100, 50, 0.00107, u"acme"_s);
    UsageEvent e2 = makeUsage(day(10, QTime(10, 0, 30, 250)), u"greeter"_s, u"grok-4.1"_s, 1000, 500, 0.0105,
                              u"acme"_s);
    e2.cachedPromptTokens = 200;
    const UsageEvent e3 = makeUsage(day(10, QTime(11, 15, 0, 500)), u"shouter"_s, u"claude-x"_s, 10, 5, std::nullopt,
                                    u"globex"_s);
    const UsageEvent e4 = makeUsage(day(11, QTime(9, 0, 0, 125)), QString(), u"grok-4.1"_s, 7, 3, 0.123456, u"acme"_s);
    UsageEvent e5 = makeUsage(day(11, QTime(23, 59, 59, 999)), u"shouter"_s, u"claude-x"_s, 1, 1, 0.000049, QString());
    e5.estimatedTokens = true;
    e5.metadata = {{u"user_id"_s, u"u1"_s}, {u"trace"_s, QVariantList{qint64(1), u"ü"_s}}};
    for (const UsageEvent &event : {e1, e2, e3, e4, e5})
        m_store->appendUsage(event);
}

void tst_HistoryStore::usageEventsHistory()
{
    QVERIFY(openStore());
    appendUsageFixture();
    QVERIFY(m_store->sync());

    const Page<UsageEvent> page = m_store->usageEvents({});
    QCOMPARE(page.total, 5);
    QCOMPARE(page.limit, 100);
    QCOMPARE(page.items.size(), 5);
    QList<qint64> order;
    for (const UsageEvent &event : page.items)
        order.append(event.id);
    QCOMPARE(order, (QList<qint64>{5, 4, 3, 2, 1})); // timestamp descending

    const UsageEvent &e5 = page.items.at(0);
    QCOMPARE(e5.timestamp, QDateTime(QDate(2026, 2, 11), QTime(23, 59, 59, 999), Qt::UTC));
    QCOMPARE(e5.threadId, u"thread-u"_s);
    QCOMPARE(e5.agentId, u"shouter"_s);
    QCOMPARE(e5.model, u"claude-x"_s);
    QCOMPARE(e5.provider, u"anthropic"_s);
    QCOMPARE(e5.promptTokens, 1);
    QCOMPARE(e5.completionTokens, 1);
    QCOMPARE(e5.totalTokens, 2);
    QCOMPARE(e5.latencyMs, 250.5);
    QVERIFY(e5.estimatedCost);
    QCOMPARE(*e5.estimatedCost, 0.000049);
    QVERIFY(e5.estimatedTokens);
    QCOMPARE(e5.metadata, (QVariantMap{{u"user_id"_s, u"u1"_s}, {u"trace"_s, QVariantList{qint64(1), u"ü"_s}}}));
    QCOMPARE(e5.userId, u"u1"_s); // taken from metadata, as the original does
    QVERIFY(e5.orgId.isEmpty());

    const UsageEvent &e3 = page.items.at(2);
    QVERIFY(!e3.estimatedCost);
    QCOMPARE(e3.orgId, u"globex"_s);
    const UsageEvent &e4 = page.items.at(1);
    QVERIFY(e4.agentId.isEmpty());
    QCOMPARE(*e4.estimatedCost, 0.123456);
    QCOMPARE(page.items.at(3).cachedPromptTokens, 200);
    QVERIFY(!page.items.at(3).estimatedTokens);

    // Stored as the original stores them: isoformat() text, NULL agent and cost.
    const Inspector db(m_store->databasePath());
    QCOMPARE(db.column(u"SELECT timestamp FROM usage_events ORDER BY id"_s),
             (QVariantList{u"2026-02-10T10:00:00+00:00"_s, u"2026-02-10T10:00:30.250000+00:00"_s,
                           u"2026-02-10T11:15:00.500000+00:00"_s, u"2026-02-11T09:00:00.125000+00:00"_s,
                           u"2026-02-11T23:59:59.999000+00:00"_s}));
    QVERIFY(db.value(u"SELECT agent_id FROM usage_events WHERE id = 4"_s).isNull());
    QVERIFY(db.value(u"SELECT estimated_cost FROM usage_events WHERE id = 3"_s).isNull());
    QCOMPARE(db.value(u"SELECT user_id FROM usage_events WHERE id = 5"_s).toString(), u"u1"_s);
}

void tst_HistoryStore::usageEventsFilters_data()
{
    QTest::addColumn<UsageQuery>("query");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::addColumn<qint64>("total");

    const auto make = [](auto &&set) {
        UsageQuery query;
        set(query);
        return query;
    };
    QTest::newRow("agent") << make([](UsageQuery &q) { q.agentId = u"greeter"_s; }) << QList<qint64>{2, 1} << qint64(2);
    QTest::newRow("model, total before paging") << make([](UsageQuery &q) {
        q.model = u"claude-x"_s;
        q.limit = 1;
    }) << QList<qint64>{5} << qint64(2);
    QTest::newRow("org") << make([](UsageQuery &q) { q.orgId = u"acme"_s; }) << QList<qint64>{4, 2, 1} << qint64(3);
    QTest::newRow("start and end as text") << make([](UsageQuery &q) {
        q.startTime = u"2026-02-10T10:00:30"_s;
        q.endTime = u"2026-02-11T09:00:00.125000+00:00"_s;
    }) << QList<qint64>{4, 3, 2} << qint64(3);
    QTest::newRow("every filter") << make([](UsageQuery &q) {
        q.startTime = u"2026-02-10"_s;
        q.orgId = u"acme"_s;
        q.model = u"grok-4.1"_s;
        q.agentId = u"greeter"_s;
        q.offset = 1;
    }) << QList<qint64>{1} << qint64(2);
    QTest::newRow("nothing") << make([](UsageQuery &q) { q.agentId = u"nobody"_s; }) << QList<qint64>{} << qint64(0);
}

void tst_HistoryStore::usageEventsFilters()
{
    QFETCH(UsageQuery, query);
    QFETCH(QList<qint64>, expected);
    QFETCH(qint64, total);

    QVERIFY(openStore());
    appendUsageFixture();
    QVERIFY(m_store->sync());
    const Page<UsageEvent> page = m_store->usageEvents(query);
    QList<qint64> found;
    for (const UsageEvent &event : page.items)
        found.append(event.id);
    QCOMPARE(found, expected);
    QCOMPARE(page.total, total);
}

void tst_HistoryStore::billingSummary()
{
    QVERIFY(openStore());
    appendUsageFixture();
    QVERIFY(m_store->sync());

    BillingSummary all = m_store->billing({}, {}, {});
    QCOMPARE(all.totals.totalTokens, 1677);
    QCOMPARE(all.totals.promptTokens, 1118);
    QCOMPARE(all.totals.completionTokens, 559);
    QCOMPARE(all.totals.requestCount, 5);
    QCOMPARE(all.totals.totalCost, 0.1351); // 0.135075: null costs left out, rounded to 4 places

    QCOMPARE(all.byModel.keys(), (QStringList{u"claude-x"_s, u"grok-4.1"_s}));
    const UsageAggregate grok = all.byModel.value(u"grok-4.1"_s);
    QCOMPARE(grok.totalTokens, 1660);
    QCOMPARE(grok.promptTokens, 1107);
    QCOMPARE(grok.completionTokens, 553);
    QCOMPARE(grok.requestCount, 3);
    QCOMPARE(grok.totalCost, 0.135); // 0.135026
    const UsageAggregate claude = all.byModel.value(u"claude-x"_s);
    QCOMPARE(claude.totalTokens, 17);
    QCOMPARE(claude.requestCount, 2);
    QCOMPARE(claude.totalCost, 0.0); // 0.000049 and a null cost

    // Events without an agent are left out of byAgent.
    QCOMPARE(all.byAgent.keys(), (QStringList{u"greeter"_s, u"shouter"_s}));
    const UsageAggregate greeter = all.byAgent.value(u"greeter"_s);
    QCOMPARE(greeter.totalTokens, 1650);
    QCOMPARE(greeter.promptTokens, 1100);
    QCOMPARE(greeter.completionTokens, 550);
    QCOMPARE(greeter.requestCount, 2);
    QCOMPARE(greeter.totalCost, 0.0116); // 0.01157
    QCOMPARE(all.byAgent.value(u"shouter"_s).totalTokens, 17);

    const BillingSummary acme = m_store->billing({}, {}, u"acme"_s);
    QCOMPARE(acme.totals.totalTokens, 1660);
    QCOMPARE(acme.totals.requestCount, 3);
    QCOMPARE(acme.totals.totalCost, 0.135);
    QCOMPARE(acme.byModel.keys(), QStringList{u"grok-4.1"_s});

    const BillingSummary secondDay = m_store->billing(u"2026-02-11"_s, {}, {});
    QCOMPARE(secondDay.totals.totalTokens, 12);
    QCOMPARE(secondDay.totals.requestCount, 2);
    QCOMPARE(secondDay.totals.totalCost, 0.1235); // 0.123505

    const BillingSummary none = m_store->billing(u"2030-01-01"_s, {}, {});
    QCOMPARE(none.totals.requestCount, 0);
    QCOMPARE(none.totals.totalCost, 0.0);
    QVERIFY(none.byModel.isEmpty());
}

void tst_HistoryStore::dailyUsage()
{
    QVERIFY(openStore());
    appendUsageFixture();
    QVERIFY(m_store->sync());

    const QList<DailyUsage> days = m_store->daily({}, {}, {});
    QCOMPARE(days.size(), 2);
    QCOMPARE(days.at(0).date, u"2026-02-10"_s);
    QCOMPARE(days.at(0).totalTokens, 1665);
    QCOMPARE(days.at(0).promptTokens, 1110);
    QCOMPARE(days.at(0).completionTokens, 555);
    QCOMPARE(days.at(0).requestCount, 3);
    QCOMPARE(days.at(0).totalCost, 0.0116);
    QCOMPARE(days.at(1).date, u"2026-02-11"_s);
    QCOMPARE(days.at(1).totalTokens, 12);
    QCOMPARE(days.at(1).requestCount, 2);
    QCOMPARE(days.at(1).totalCost, 0.1235);

    const QList<DailyUsage> globex = m_store->daily({}, {}, u"globex"_s);
    QCOMPARE(globex.size(), 1);
    QCOMPARE(globex.at(0).totalTokens, 15);
    QCOMPARE(globex.at(0).totalCost, 0.0); // only null costs

    QCOMPARE(m_store->daily(u"2026-02-11"_s, u"2026-02-11T12"_s, {}).size(), 1);
}

void tst_HistoryStore::usageTimeseries()
{
    QVERIFY(openStore());
    appendUsageFixture();
    QVERIFY(m_store->sync());

    QList<UsageBucket> buckets = m_store->usageTimeseries(UsageBucketSize::Hour, UsageGroupBy::Model, {}, {});
    QCOMPARE(buckets.size(), 4);
    QCOMPARE(buckets.at(0).start, QDateTime(QDate(2026, 2, 10), QTime(10, 0), Qt::UTC));
    QCOMPARE(buckets.at(0).key, u"grok-4.1"_s);
    QCOMPARE(buckets.at(0).promptTokens, 1100);
    QCOMPARE(buckets.at(0).completionTokens, 550);
    QCOMPARE(buckets.at(0).cachedPromptTokens, 200);
    QCOMPARE(buckets.at(0).totalTokens, 1650);
    QCOMPARE(buckets.at(0).requestCount, 2);
    QVERIFY(qFuzzyCompare(buckets.at(0).totalCost, 0.01157));
    QCOMPARE(buckets.at(1).start, QDateTime(QDate(2026, 2, 10), QTime(11, 0), Qt::UTC));
    QCOMPARE(buckets.at(1).key, u"claude-x"_s);
    QCOMPARE(buckets.at(1).totalCost, 0.0);
    QCOMPARE(buckets.at(2).start, QDateTime(QDate(2026, 2, 11), QTime(9, 0), Qt::UTC));
    QCOMPARE(buckets.at(3).start, QDateTime(QDate(2026, 2, 11), QTime(23, 0), Qt::UTC));

    buckets = m_store->usageTimeseries(UsageBucketSize::Day, UsageGroupBy::Agent, {}, {});
    QCOMPARE(buckets.size(), 4);
    const QDateTime day10(QDate(2026, 2, 10), QTime(0, 0), Qt::UTC);
    const QDateTime day11(QDate(2026, 2, 11), QTime(0, 0), Qt::UTC);
    QCOMPARE(buckets.at(0).start, day10);
    QCOMPARE(buckets.at(0).key, u"greeter"_s);
    QCOMPARE(buckets.at(0).requestCount, 2);
    QCOMPARE(buckets.at(1).start, day10);
    QCOMPARE(buckets.at(1).key, u"shouter"_s);
    QCOMPARE(buckets.at(2).start, day11);
    QCOMPARE(buckets.at(2).key, QString()); // a call made without an agent
    QCOMPARE(buckets.at(2).totalTokens, 10);
    QCOMPARE(buckets.at(3).key, u"shouter"_s);
    QCOMPARE(buckets.at(3).totalCost, 0.000049);

    buckets = m_store->usageTimeseries(UsageBucketSize::Minute, UsageGroupBy::Model,
                                       QDateTime(QDate(2026, 2, 10), QTime(10, 0, 15), Qt::UTC),
                                       QDateTime(QDate(2026, 2, 10), QTime(11, 15, 0, 500), Qt::UTC));
    QCOMPARE(buckets.size(), 2);
    QCOMPARE(buckets.at(0).start, QDateTime(QDate(2026, 2, 10), QTime(10, 0), Qt::UTC));
    QCOMPARE(buckets.at(0).totalTokens, 1500);
    QCOMPARE(buckets.at(1).start, QDateTime(QDate(2026, 2, 10), QTime(11, 15), Qt::UTC));
    QCOMPARE(buckets.at(1).key, u"claude-x"_s);
}

void tst_HistoryStore::retentionByCount()
{
    HistoryConfig config;
    config.maxMessages = 500; // never below 10,000
    config.maxAgeDays = 0;
    QVERIFY(openStore(config));
    // Every message handled (in the batch that stores it) but seq 10, which retention keeps for resume.
    for (qint64 seq = 1; seq <= 10050; ++seq) {
        const MessageRecord message = makeMessage(seq, seq <= 100 ? u"early"_s : u"late"_s);
        m_store->appendMessages({message}, seq == 10 ? QList<qint64>{} : QList<qint64>{seq});
    }
    QVERIFY(m_store->waitForCommit(m_store->requestRetention(), 60s));

    QCOMPARE(m_store->messageCount(), 10000);
    const MessagePage newest = m_store->messages({});
    QCOMPARE(newest.total, 10000);
    QCOMPARE(newest.items.first().seq, 10050);
    MessageQuery oldestFirst;
    oldestFirst.newestFirst = false;
    oldestFirst.limit = 2;
    QCOMPARE(seqs(m_store->messages(oldestFirst)), (QList<qint64>{10, 52}));
    QCOMPARE(m_store->maxSeq(), 10050);

    MessageQuery early;
    early.threadId = u"early"_s;
    QCOMPARE(m_store->messages(early).total, 50);
    QVERIFY(!m_store->message(u"msg-51"_s));
    QVERIFY(m_store->message(u"msg-52"_s));
    QCOMPARE(m_store->undeliveredMessages().size(), 1);

    const Inspector db(m_store->databasePath());
    QCOMPARE(db.value(u"SELECT COUNT(*) FROM messages"_s).toLongLong(), 10000);
}

void tst_HistoryStore::retentionByAge()
{
    HistoryConfig config;
    config.maxMessages = 1000000;
    config.maxAgeDays = 2;
    QVERIFY(openStore(config));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime old = now.addDays(-3);
    for (qint64 seq = 1; seq <= 10; ++seq)
        m_store->appendMessage(makeMessage(seq, u"t"_s, u"api"_s, u"greeter"_s, u"Greeting"_s, {},
                                           seq <= 4 ? old.addSecs(seq) : now.addSecs(-60 + seq)));
    m_store->markDelivered({1, 3, 4, 5, 6, 7, 8, 9, 10}); // 2 is still to be handled: it stays
    m_store->saveThread(makeThread(u"old-done"_s, ThreadStatus::Completed, {u"a"_s}, old, old));
    m_store->saveThread(makeThread(u"old-active"_s, ThreadStatus::Active, {u"a"_s}, old, old));
    m_store->saveThread(makeThread(u"old-created-recent"_s, ThreadStatus::Killed, {u"a"_s}, old, now));
    m_store->saveThread(makeThread(u"old-no-activity"_s, ThreadStatus::Error, {u"a"_s}, old));
    QVERIFY(m_store->waitForCommit(m_store->requestRetention(), 60s));

    QCOMPARE(m_store->messageCount(), 7);
    QCOMPARE(m_store->messages({}).total, 7);
    QVERIFY(m_store->message(u"msg-2"_s));
    QVERIFY(!m_store->message(u"msg-4"_s));
    QVERIFY(m_store->message(u"msg-5"_s));
    QCOMPARE(m_store->maxSeq(), 10);

    QStringList kept = ids(m_store->threads({}).items);
    kept.sort();
    QCOMPARE(kept, (QStringList{u"old-active"_s, u"old-created-recent"_s}));
    ThreadQuery byAgent;
    byAgent.agent = u"a"_s;
    QCOMPARE(m_store->threads(byAgent).total, 2);
    const Inspector db(m_store->databasePath());
    QCOMPARE(db.value(u"SELECT COUNT(*) FROM thread_participants"_s).toLongLong(), 2);
}

void tst_HistoryStore::undeliveredUntilHandled()
{
    QVERIFY(openStore());
    for (qint64 seq = 1; seq <= 3; ++seq)
        m_store->appendMessage(makeMessage(seq));
    // A handler's replies and the end of its call, in one transaction.
    m_store->appendMessages({makeMessage(4), makeMessage(5)}, {1});
    m_store->markDelivered({2});
    // Stored and handled in the same batch: never written as undelivered.
    m_store->appendMessages({makeMessage(6)}, {6});
    QVERIFY(m_store->sync());
    QCOMPARE(seqs(MessagePage{m_store->undeliveredMessages()}), (QList<qint64>{3, 4, 5}));
    QCOMPARE(m_store->undeliveredMessages().first().id, u"msg-3"_s);
    QCOMPARE(m_store->messageCount(), 6);

    m_store->close(); // survives a reopen
    m_store = newStore();
    QVERIFY(openStore());
    QCOMPARE(m_store->undeliveredMessages().size(), 3);
}

// A message handled again (its thread retried, or resumed after a crash) keeps the run of its latest
// handling, and nothing else in the batch that records it is lost or refused.
void tst_HistoryStore::messageHandledAgainKeepsItsLatestRun()
{
    QVERIFY(openStore());
    QSignalSpy failures(m_store.get(), &HistoryStore::writeFailed);
    m_store->saveThread(makeThread(u"t1"_s, ThreadStatus::Active, {u"api"_s, u"greeter"_s}, kBase));
    m_store->appendMessage(makeMessage(1));
    const HandlerRun failed{1, kBase, kBase.addMSecs(30), u"time-out"_s};
    m_store->appendMessages({makeMessage(2)}, {1}, {failed});
    QVERIFY(m_store->sync());

    const HandlerRun retried{1, kBase.addSecs(5), kBase.addSecs(6), {}};
    m_store->appendMessages({makeMessage(3)}, {1}, {retried});
    QVERIFY(m_store->sync());
    QCOMPARE(failures.size(), 0);
    QCOMPARE(m_store->messageCount(), 3);
    const std::optional<ThreadTrace> trace = m_store->trace(u"t1"_s, 10);
    QVERIFY(trace);
    QCOMPARE(trace->hops.size(), 3);
    QVERIFY(trace->hops.first().run);
    QVERIFY(!trace->hops.first().run->failed());
    QCOMPARE(trace->hops.first().run->started, retried.started);
}

void tst_HistoryStore::versionOneHistoryIsMigrated()
{
    if (onPostgres())
        QSKIP("a file written by SQLite schema version 1; PostgreSQL histories start at version 4");
    QVERIFY(openStore());
    m_store->saveThread(makeThread(u"running"_s, ThreadStatus::Active, {u"a"_s}, kBase));
    m_store->saveThread(makeThread(u"done"_s, ThreadStatus::Completed, {u"a"_s}, kBase));
    m_store->appendMessage(makeMessage(1, u"running"_s));
    m_store->close();
    {
        // What agentdesk wrote before it tracked deliveries.
        const Inspector db(m_dir->filePath(u"data/history.sqlite"_s));
        QVERIFY(db.exec(u"DROP TABLE undelivered"_s));
        QVERIFY(downgradeUsageToVersionTwo(db)); // the same in versions 1 and 2
        QVERIFY(db.exec(u"PRAGMA user_version=1"_s));
    }
    m_store = newStore();
    QVERIFY(openStore());
    QCOMPARE(toString(m_store->thread(u"running"_s)->status), toString(ThreadStatus::Error));
    QVERIFY(m_store->thread(u"running"_s)->error.startsWith(u"interrupted"_s));
    QCOMPARE(toString(m_store->thread(u"done"_s)->status), toString(ThreadStatus::Completed));
    QVERIFY(m_store->undeliveredMessages().isEmpty());
    QCOMPARE(m_store->messageCount(), 1);
    const Inspector db(m_store->databasePath());
    QCOMPARE(db.value(u"PRAGMA user_version"_s).toInt(), HistorySchema::Version);
}

void tst_HistoryStore::lockOfALiveProcessNamesIt()
{
    const QString directory = m_dir->filePath(u"shared"_s);
    QProcess holder; // keeps the history open (and writes) until it is killed
    holder.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    startCrashWriter(holder, directory);
    QVERIFY(holder.waitForReadyRead(30000)); // its first acknowledgement: the store is open
    QString error;
    QVERIFY(!m_store->open(directory, keepEverything(), &error));
    const QString holderNamed = onPostgres()
        ? u"is in use by process %1 on "_s.arg(holder.processId())
        : u"is in use by storecrashwriter (process %1 on "_s.arg(holder.processId());
    QVERIFY2(error.contains(holderNamed), qPrintable(error));
    holder.kill();
    QVERIFY(holder.waitForFinished());
}

// SQLite: the lock file of a process that died. PostgreSQL: the advisory lock of a process that died
// ends with its session, which the server closes a moment later; a restart in that moment waits for
// it instead of being refused (a session of the test's own plays the dying one for a second).
void tst_HistoryStore::lockOfADeadProcessIsTakenOver()
{
    QProcess gone;
    gone.start(u"true"_s);
    QVERIFY(gone.waitForStarted());
    const qint64 deadPid = gone.processId();
    QVERIFY(gone.waitForFinished());
    if (onPostgres()) {
        QVERIFY(openStore()); // its instance row
        m_store->close();
        std::promise<bool> held;
        std::future<bool> isHeld = held.get_future();
        std::thread dyingSession([&, url = postgresServer().url(), organism = currentOrganism()] {
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, u"dying"_s);
                PostgresConnection::configure(db, url);
                const bool opened = db.open();
                QSqlQuery query(db);
                held.set_value(opened
                               && query.exec(u"SELECT pg_advisory_lock(%1, id) FROM agentdesk.instances"
                                             " WHERE organism = '%2'"_s.arg(PostgresSchema::LockClass)
                                                 .arg(organism))
                               && query.exec(u"UPDATE agentdesk.instances SET running = true, pid = %1, host = '%2'"
                                             " WHERE organism = '%3'"_s.arg(deadPid)
                                                 .arg(QSysInfo::machineHostName(), organism)));
                QThread::sleep(1);
                db.close(); // the session ends; the server frees its lock
            }
            QSqlDatabase::removeDatabase(u"dying"_s);
        });
        const bool wasHeld = isHeld.get();
        const bool opened = wasHeld && openStore();
        dyingSession.join();
        QVERIFY(wasHeld);
        QVERIFY(opened);
        QVERIFY(m_store->previousRunEndedUncleanly());
        return;
    }
    QVERIFY(QDir().mkpath(m_dir->filePath(u"data"_s)));
    QFile lock(m_dir->filePath(u"data/history.lock"_s));
    QVERIFY(lock.open(QIODevice::WriteOnly));
    lock.write(QByteArray::number(deadPid) + "\nagentdesk\n" + QSysInfo::machineHostName().toUtf8() + "\n");
    lock.close();
    QVERIFY(openStore());
    QVERIFY(m_store->previousRunEndedUncleanly());
}

void tst_HistoryStore::unwritableDirectoryNamesTheCause()
{
    if (onPostgres())
        QSKIP("file permissions; an unreachable PostgreSQL server: unreachableDatabaseIsRetried");
    if (::geteuid() == 0)
        QSKIP("runs as root, whom file permissions do not stop (the full-disk and read-only causes are tested in "
              "tst_historyfailure)");
    const QString directory = m_dir->filePath(u"locked-up"_s);
    QVERIFY(QDir().mkpath(directory));
    QVERIFY(QFile::setPermissions(directory, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    QString error;
    const bool opened = m_store->open(directory, keepEverything(), &error);
    QFile::setPermissions(directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(!opened);
    QVERIFY2(error.contains(u"Permission denied (EACCES)"_s), qPrintable(error));
}

void tst_HistoryStore::waitForCommitSemantics()
{
    QVERIFY(openStore());
    QSignalSpy committed(m_store.get(), &HistoryStore::committed);
    QVERIFY(m_store->sync(0ms)); // nothing pending
    QCOMPARE(m_store->committedTicket(), 0u);

    const quint64 first = m_store->appendMessage(makeMessage(1));
    const quint64 second = m_store->saveThread(makeThread(u"t1"_s, ThreadStatus::Active, {u"api"_s}, kBase));
    const quint64 third = m_store->saveAgent(u"api"_s, 1, kBase);
    QVERIFY(first > 0);
    QVERIFY(second > first);
    QVERIFY(third > second);
    QCOMPARE(m_store->lastTicket(), third);

    QVERIFY(m_store->waitForCommit(second, 30s));
    QVERIFY(m_store->committedTicket() >= second);
    QVERIFY(m_store->message(u"msg-1"_s)); // committed before waitForCommit returned
    QVERIFY(m_store->thread(u"t1"_s));
    QVERIFY(m_store->sync());
    QCOMPARE(m_store->committedTicket(), third);
    QVERIFY(m_store->waitForCommit(first, 0ms)); // already committed: no wait

    // A ticket that was never handed out is not committed.
    QVERIFY(!m_store->waitForCommit(third + 1000, 20ms));

    QTRY_VERIFY(!committed.isEmpty()); // queued to this thread
    QCOMPARE(committed.last().at(0).value<quint64>(), third);

    m_store->close();
    QVERIFY(!m_store->isOpen());
    QCOMPARE(m_store->appendMessage(makeMessage(2)), 0u);
    QVERIFY(m_store->sync());
    QVERIFY(m_store->messages({}).items.isEmpty()); // reads need an open store

    // Tickets keep growing across a reopen.
    QVERIFY(openStore());
    QVERIFY(m_store->appendMessage(makeMessage(3)) > third);
}

void tst_HistoryStore::refusedRecordIsReportedAndOthersStored()
{
    QVERIFY(openStore());
    QSignalSpy failures(m_store.get(), &HistoryStore::writeFailed);
    m_store->appendMessage(makeMessage(1));
    MessageRecord duplicate = makeMessage(2);
    duplicate.id = u"msg-1"_s;
    m_store->appendMessage(duplicate);
    m_store->appendMessage(makeMessage(3));
    QVERIFY(m_store->sync());

    QTRY_COMPARE(failures.size(), 1);
    QVERIFY2(failures.first().at(0).toString().contains(u"msg-1"_s), qPrintable(failures.first().at(0).toString()));
    QCOMPARE(seqs(m_store->messages({})), (QList<qint64>{3, 1}));
    QCOMPARE(m_store->messageCount(), 2);

    m_store->appendMessage(makeMessage(4));
    QVERIFY(m_store->sync());
    QCOMPARE(m_store->messageCount(), 3);
}

void tst_HistoryStore::failedWriteIsRetriedNotDropped()
{
    if (onPostgres())
        QSKIP("SQLite's write lock; on PostgreSQL: unreachableDatabaseIsRetried");
    QVERIFY(openStore());
    QSignalSpy failures(m_store.get(), &HistoryStore::writeFailed);
    // Another connection holds the write lock: the writer's transaction fails (busy) until it lets go.
    const Inspector blocker(m_store->databasePath());
    QVERIFY(blocker.exec(u"BEGIN IMMEDIATE"_s));
    const quint64 ticket = m_store->appendMessage(makeMessage(1));
    QTRY_VERIFY_WITH_TIMEOUT(!failures.isEmpty(), 60000);
    QVERIFY2(failures.first().at(0).toString().contains(u"retrying"_s), qPrintable(failures.first().at(0).toString()));
    QVERIFY(m_store->committedTicket() < ticket);
    QVERIFY(!m_store->sync(0ms));

    QVERIFY(blocker.exec(u"ROLLBACK"_s));
    QVERIFY(m_store->waitForCommit(ticket, 60s));
    QVERIFY(m_store->message(u"msg-1"_s));
    QCOMPARE(m_store->messageCount(), 1);
}

void tst_HistoryStore::backPressureStoresEverything()
{
    m_store->setMaxPending(16);
    QCOMPARE(m_store->maxPending(), 16);
    QVERIFY(openStore());
    for (qint64 seq = 1; seq <= 3000; ++seq)
        QVERIFY(m_store->appendMessage(makeMessage(seq)) > 0);
    QVERIFY(m_store->sync());
    QCOMPARE(m_store->messageCount(), 3000);
    QCOMPARE(m_store->messages({}).total, 3000);
}

void tst_HistoryStore::readsFromAnotherThread()
{
    QVERIFY(openStore());
    appendFilterFixture();
    QVERIFY(m_store->sync());
    QCOMPARE(m_store->messages({}).total, 6); // opens this thread's connection

    const auto sortedConnections = [] {
        QStringList names = QSqlDatabase::connectionNames();
        names.sort();
        return names;
    };
    const QStringList before = sortedConnections();
    qint64 seenTotal = -1;
    QStringList during;
    std::unique_ptr<QThread> reader(QThread::create([&] {
        seenTotal = m_store->messages({}).total;
        during = sortedConnections();
    }));
    reader->start();
    QVERIFY(reader->wait(30000));
    QCOMPARE(seenTotal, 6);
    QCOMPARE(during.size(), before.size() + 1); // a connection of its own
    QCOMPARE(sortedConnections(), before);      // gone with the thread
}

void tst_HistoryStore::reopenKeepsEverything()
{
    QVERIFY(openStore());
    appendFilterFixture();
    m_store->saveThread(makeThread(u"t1"_s, ThreadStatus::Completed, {u"api"_s, u"greeter"_s}, kBase, kBase));
    m_store->saveAgent(u"greeter"_s, 4, kBase);
    appendUsageFixture();
    m_store->close(); // flushes: no sync() before

    m_store = newStore();
    QVERIFY(openStore());
    QCOMPARE(m_store->messages({}).total, 6);
    QCOMPARE(m_store->maxSeq(), 6);
    QCOMPARE(m_store->message(u"msg-4"_s)->xml, u"<Greeting><Name>Zoë Ärger</Name></Greeting>"_s.toUtf8());
    QCOMPARE(toString(m_store->thread(u"t1"_s)->status), toString(ThreadStatus::Completed));
    QCOMPARE(m_store->agentCounters().value(u"greeter"_s).first, 4);
    QCOMPARE(m_store->usageEvents({}).total, 5);

    // Numbering continues and new writes land next to the old ones.
    m_store->appendMessage(makeMessage(m_store->maxSeq() + 1));
    m_store->saveThread(makeThread(u"t9"_s, ThreadStatus::Active, {u"x"_s}, kBase));
    QVERIFY(m_store->sync());
    QCOMPARE(m_store->messages({}).total, 7);
    QCOMPARE(m_store->threads({}).total, 2);

    if (!onPostgres()) {
        const Inspector db(m_store->databasePath());
        QCOMPARE(db.value(u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
    }
}

void tst_HistoryStore::survivesKill()
{
    const QString directory = m_dir->filePath(u"data"_s);
    QProcess writer;
    writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    startCrashWriter(writer, directory);
    QVERIFY2(writer.waitForStarted(30000), qPrintable(writer.errorString()));

    std::set<qint64> acknowledged;
    QByteArray buffer;
    QDeadlineTimer deadline(120s);
    while (acknowledged.size() < 2000 && !deadline.hasExpired()) {
        if (!writer.waitForReadyRead(1000) && writer.state() != QProcess::Running)
            break;
        buffer += writer.readAllStandardOutput();
        qsizetype end = 0;
        while ((end = buffer.indexOf('\n')) >= 0) {
            const QByteArray line = buffer.left(end).trimmed();
            buffer.remove(0, end + 1);
            if (line.startsWith("ACK "))
                acknowledged.insert(line.mid(4).toLongLong());
        }
    }
    QVERIFY2(writer.state() == QProcess::Running, "the writer ended before it was killed");
    QVERIFY2(acknowledged.size() >= 2000, "too few acknowledgements before the deadline");
    writer.kill(); // SIGKILL, while the next chunk is being written
    QVERIFY(writer.waitForFinished(30000));
    QCOMPARE(writer.exitStatus(), QProcess::CrashExit);

    if (!onPostgres()) {
        const Inspector db(QDir(directory).absoluteFilePath(u"history.sqlite"_s));
        QCOMPARE(db.value(u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
    }
    // The killed writer's lock is taken over.
    QVERIFY(openStore());
    QVERIFY(m_store->previousRunEndedUncleanly());
    const qint64 highest = *acknowledged.rbegin();
    QCOMPARE(qint64(acknowledged.size()), highest); // 1..highest, in order
    MessageQuery query;
    query.newestFirst = false;
    query.limit = -1;
    query.beforeSeq = highest + 1;
    const QList<qint64> stored = seqs(m_store->messages(query));
    QCOMPARE(qint64(stored.size()), highest);
    QVERIFY(std::equal(acknowledged.cbegin(), acknowledged.cend(), stored.cbegin()));
    QVERIFY(m_store->maxSeq() >= highest);
    QCOMPARE(m_store->messageCount(), m_store->messages({}).total);
    const Inspector db(m_store->databasePath());
    QCOMPARE(db.value(u"SELECT COUNT(*) FROM messages"_s).toLongLong(), m_store->messageCount());
}

// Organisms (and instances of one organism) share a database but none sees another's history.
void tst_HistoryStore::postgresSchemaPerOrganism()
{
    if (!onPostgres())
        QSKIP("several organisms in one database: PostgreSQL only (a SQLite history is one organism's file)");
    QVERIFY(openStore());
    m_store->appendMessage(makeMessage(1, u"mine"_s));
    m_store->saveThread(makeThread(u"mine"_s, ThreadStatus::Active, {u"api"_s}, kBase));

    HistoryStore neighbour; // another organism on the same server and database
    neighbour.setOrganismName(currentOrganism() + u"-neighbour"_s);
    QString error;
    QVERIFY2(neighbour.open(m_dir->filePath(u"other"_s), keepEverything(), &error), qPrintable(error));
    neighbour.appendMessage(makeMessage(1, u"theirs"_s)); // the same seq and id: no conflict
    neighbour.appendMessage(makeMessage(2, u"theirs"_s));
    HistoryConfig secondInstance = keepEverything(); // the same organism, another instance
    secondInstance.instance = u"second"_s;
    HistoryStore sibling;
    sibling.setOrganismName(currentOrganism());
    QVERIFY2(sibling.open(m_dir->filePath(u"sibling"_s), secondInstance, &error), qPrintable(error));
    sibling.appendMessage(makeMessage(7, u"sibling's"_s));
    QVERIFY(m_store->sync() && neighbour.sync() && sibling.sync());

    QCOMPARE(ids(m_store->threads({}).items), QStringList{u"mine"_s});
    QCOMPARE(m_store->messages({}).total, 1);
    QCOMPARE(neighbour.messages({}).total, 2);
    QCOMPARE(neighbour.message(u"msg-1"_s)->threadId, u"theirs"_s);
    QCOMPARE(sibling.messages({}).total, 1);
    QCOMPARE(sibling.maxSeq(), 7);
    QCOMPARE(m_store->maxSeq(), 1);
    QVERIFY(m_store->databasePath().contains(u"instance "_s + QSysInfo::machineHostName()));
    QVERIFY(sibling.databasePath().contains(u"instance second"_s));

    const Inspector db(m_store->databasePath());
    QCOMPARE(db.value(u"SELECT COUNT(*) FROM agentdesk.instances WHERE organism LIKE '%1%%'"_s.arg(currentOrganism()))
                 .toInt(),
             3);
}

// The server goes away: the writer says why and retries, acknowledges nothing meanwhile, and when
// the server is back it reconnects and commits what was queued; reads reconnect too.
void tst_HistoryStore::unreachableDatabaseIsRetried()
{
    if (!onPostgres())
        QSKIP("a database server that goes away: PostgreSQL only (SQLite's failures: failedWriteIsRetriedNotDropped)");
    QVERIFY(openStore());
    m_store->appendMessage(makeMessage(1));
    QVERIFY(m_store->sync());
    QCOMPARE(m_store->messageCount(), 1);

    QSignalSpy health(m_store.get(), &HistoryStore::healthChanged);
    QString error;
    QVERIFY2(postgresServer().pause(&error), qPrintable(error));
    const quint64 ticket = m_store->appendMessage(makeMessage(2));
    QTRY_VERIFY_WITH_TIMEOUT(m_store->health().failing, 60000);
    QVERIFY2(m_store->health().reason.contains(u"does not answer"_s), qPrintable(m_store->health().reason));
    QVERIFY(m_store->committedTicket() < ticket);

    QVERIFY2(postgresServer().resume(&error), qPrintable(error));
    QVERIFY(m_store->waitForCommit(ticket, 60s));
    QTRY_VERIFY_WITH_TIMEOUT(!m_store->health().failing, 10000);
    QTRY_VERIFY(health.size() >= 2); // began failing, committed again (queued to this thread)
    QCOMPARE(m_store->messageCount(), 2);
    QVERIFY(m_store->message(u"msg-2"_s));
}

void tst_HistoryStore::roundsLikePython_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<int>("places");
    QTest::addColumn<double>("expected");
    // Expected values are Python's round(value, places).
    QTest::newRow("binary below the tie") << 2.675 << 2 << 2.67;
    QTest::newRow("exact tie to even") << 0.125 << 2 << 0.12;
    QTest::newRow("exact tie to even, 4 places") << 0.03125 << 4 << 0.0312;
    QTest::newRow("up") << 0.00107 << 4 << 0.0011;
    QTest::newRow("down to zero") << 0.000049 << 4 << 0.0;
    QTest::newRow("six places kept") << 0.123456 << 6 << 0.123456;
    QTest::newRow("negative") << -1.23456 << 3 << -1.235;
}

void tst_HistoryStore::roundsLikePython()
{
    QFETCH(double, value);
    QFETCH(int, places);
    QFETCH(double, expected);
    QCOMPARE(HistoryCodec::roundTo(value, places), expected);
}

void tst_HistoryStore::isoTimestamps()
{
    QCOMPARE(HistoryCodec::isoTimestamp(QDateTime(QDate(2026, 2, 10), QTime(12, 34, 56), Qt::UTC)),
             u"2026-02-10T12:34:56+00:00"_s);
    QCOMPARE(HistoryCodec::isoTimestamp(QDateTime(QDate(2026, 2, 10), QTime(12, 34, 56, 5), Qt::UTC)),
             u"2026-02-10T12:34:56.005000+00:00"_s);
    QCOMPARE(HistoryCodec::isoTimestamp(QDateTime(QDate(2026, 2, 10), QTime(14, 34, 56, 123), Qt::OffsetFromUTC, 7200)),
             u"2026-02-10T12:34:56.123000+00:00"_s);
    QCOMPARE(HistoryCodec::parseIsoTimestamp(u"2026-02-10T12:34:56.123456+00:00"_s),
             QDateTime(QDate(2026, 2, 10), QTime(12, 34, 56, 123), Qt::UTC));
    QCOMPARE(HistoryCodec::parseIsoTimestamp(u"2026-02-10T12:34:56Z"_s),
             QDateTime(QDate(2026, 2, 10), QTime(12, 34, 56), Qt::UTC));
}

QTEST_GUILESS_MAIN(tst_HistoryStore)
#include "tst_historystore.moc"
