#include "historystore.h"

#include "historyengine.h"
#include "storelogging.h"
#include "historyreader.h"
#include "historywriter.h"
#include "tracereader.h"
#include "usagereader.h"

#include <QSet>
#include <QThread>

#include <mutex>

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

std::atomic<quint64> s_storeSerial{0};
std::atomic<quint64> s_threadSerial{0};

// Connection names must not be reused by a later thread that happens to get the same QThread address.
quint64 currentThreadSerial()
{
    thread_local const quint64 serial = s_threadSerial.fetch_add(1, std::memory_order_relaxed) + 1;
    return serial;
}

} // namespace

template <typename Reader, typename Read>
auto HistoryStore::readWith(Read read) const -> decltype(read(std::declval<const Reader &>()))
{
    QSqlDatabase db = readConnection();
    if (!db.isOpen())
        return {};
    auto result = read(Reader(db));
    if (m_engine->isReadConnectionAlive(db))
        return result;
    // The connection broke under this read (a database server restarted): once more, on a new one.
    db = readConnection();
    if (!db.isOpen())
        return {};
    return read(Reader(db));
}

struct HistoryStore::ReadConnections
{
    std::mutex mutex;
    QSet<QString> names;
};

HistoryStore::HistoryStore(QObject *parent)
    : QObject(parent)
    , m_connectionPrefix(u"agentdesk-history-%1"_s.arg(s_storeSerial.fetch_add(1, std::memory_order_relaxed) + 1))
    , m_readConnections(std::make_shared<ReadConnections>())
    , m_maxPending(HistoryWriter::DefaultMaxPending)
{ }

HistoryStore::~HistoryStore()
{
    close();
}

bool HistoryStore::open(const QString &directory, const HistoryConfig &config, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (m_writer) {
        *error = u"the history is already open at "_s + m_databasePath;
        return false;
    }
    std::unique_ptr<HistoryEngine> engine = HistoryEngine::create(directory, config, m_organismName);
    if (!engine->acquire(error))
        return false;

    auto writer = std::make_unique<HistoryWriter>(
        *engine, config,
        HistoryWriter::Callbacks{[this](quint64) { notifyCommitted(); },
                                 [this](const QString &failure) { notifyFailure(failure); },
                                 [this] { notifyHealth(); }});
    writer->setMaxPending(m_maxPending);
    m_durability = config.synchronous;
    if (!writer->start(m_durability, m_closedTicket, error)) {
        if (const QString cause = engine->failureCause(); !cause.isEmpty() && !error->contains(cause))
            *error += u"; "_s + cause;
        engine->release();
        return false;
    }
    m_databasePath = engine->location();
    m_engine = std::move(engine);
    m_writer = std::move(writer);
    m_open.store(true, std::memory_order_release);
    return true;
}

bool HistoryStore::previousRunEndedUncleanly() const
{
    return m_engine && m_engine->previousRunEndedUncleanly();
}

void HistoryStore::close()
{
    if (!m_writer)
        return;
    m_open.store(false, std::memory_order_release);
    m_writer->stop();
    m_closedTicket = m_writer->issuedTicket();
    m_writer.reset();
    closeReadConnections();
    m_engine->release();
    m_engine.reset();
}

void HistoryStore::setDurability(Durability durability)
{
    m_durability = durability;
    if (m_writer)
        m_writer->setDurability(durability);
}

void HistoryStore::setMaxPending(qsizetype records)
{
    m_maxPending = std::max<qsizetype>(records, 0);
    if (m_writer)
        m_writer->setMaxPending(m_maxPending);
}

quint64 HistoryStore::appendMessage(const MessageRecord &message)
{
    return m_writer ? m_writer->appendMessage(message) : 0;
}

quint64 HistoryStore::appendMessages(const QList<MessageRecord> &messages, const QList<qint64> &delivered,
                                     const QList<HandlerRun> &runs)
{
    return m_writer ? m_writer->appendMessages(messages, delivered, runs) : 0;
}

quint64 HistoryStore::markDelivered(const QList<qint64> &seqs, const QList<HandlerRun> &runs)
{
    return m_writer ? m_writer->markDelivered(seqs, runs) : 0;
}

quint64 HistoryStore::saveThreadOrigin(const QString &threadId, const ThreadOrigin &origin)
{
    return m_writer ? m_writer->saveThreadOrigin(threadId, origin) : 0;
}

quint64 HistoryStore::saveThread(const ThreadInfo &thread)
{
    return m_writer ? m_writer->saveThread(thread) : 0;
}

quint64 HistoryStore::saveAgent(const QString &name, qint64 messageCount, const QDateTime &lastActivity)
{
    return m_writer ? m_writer->saveAgent({name, messageCount, lastActivity}) : 0;
}

quint64 HistoryStore::appendUsage(const UsageEvent &event, const std::optional<LlmTranscript> &transcript)
{
    return m_writer ? m_writer->appendUsage(event, transcript) : 0;
}

quint64 HistoryStore::saveSetting(const QString &name, const QString &value)
{
    return m_writer ? m_writer->saveSetting(name, value) : 0;
}

quint64 HistoryStore::requestRetention()
{
    return m_writer ? m_writer->requestRetention() : 0;
}

HistoryHealth HistoryStore::health() const
{
    if (!m_writer || !m_writer->isFailing())
        return {};
    return HistoryHealth{true, m_writer->failure()};
}

quint64 HistoryStore::committedTicket() const
{
    return m_writer ? m_writer->committedTicket() : m_closedTicket;
}

qsizetype HistoryStore::pendingRecords() const
{
    return m_writer ? m_writer->pendingRecords() : 0;
}

quint64 HistoryStore::lastTicket() const
{
    return m_writer ? m_writer->issuedTicket() : m_closedTicket;
}

bool HistoryStore::waitForCommit(quint64 ticket, std::chrono::milliseconds timeout) const
{
    if (!m_writer)
        return ticket <= m_closedTicket;
    return m_writer->waitForCommit(ticket, timeout);
}

bool HistoryStore::sync(std::chrono::milliseconds timeout) const
{
    if (!m_writer)
        return true; // close() wrote everything
    const quint64 issued = m_writer->issuedTicket();
    if (m_writer->committedTicket() >= issued)
        return true;
    return m_writer->waitForCommit(issued, timeout);
}

MessagePage HistoryStore::messages(const MessageQuery &query) const
{
    MessagePage page = readWith<HistoryReader>([&](const HistoryReader &r) { return r.messages(query); });
    page.offset = query.offset;
    page.limit = query.limit;
    return page;
}

std::optional<MessageRecord> HistoryStore::message(const QString &id) const
{
    return readWith<HistoryReader>([&](const HistoryReader &r) { return r.message(id); });
}

ThreadPage HistoryStore::threads(const ThreadQuery &query) const
{
    ThreadPage page = readWith<HistoryReader>([&](const HistoryReader &r) { return r.threads(query); });
    page.offset = query.offset;
    page.limit = query.limit;
    return page;
}

std::optional<ThreadInfo> HistoryStore::thread(const QString &id) const
{
    return readWith<HistoryReader>([&](const HistoryReader &r) { return r.thread(id); });
}

QList<ThreadInfo> HistoryStore::threadsWithStatus(ThreadStatus status) const
{
    return readWith<HistoryReader>([&](const HistoryReader &r) { return r.threadsWithStatus(status); });
}

QList<ThreadInfo> HistoryStore::threadsWithoutRow(qint64 afterSeq) const
{
    return readWith<HistoryReader>([&](const HistoryReader &r) { return r.threadsWithoutRow(afterSeq); });
}

QList<MessageRecord> HistoryStore::undeliveredMessages(const QString &threadId) const
{
    return readWith<HistoryReader>([&threadId](const HistoryReader &r) { return r.undeliveredMessages(threadId); });
}

std::optional<ThreadTrace> HistoryStore::trace(const QString &threadId, int limit) const
{
    return readWith<TraceReader>([&](const TraceReader &r) { return r.trace(threadId, limit); });
}

qint64 HistoryStore::maxSeq() const
{
    return readWith<HistoryReader>([](const HistoryReader &r) { return r.counter(u"max_seq"_s); });
}

qint64 HistoryStore::messageCount() const
{
    return readWith<HistoryReader>([](const HistoryReader &r) { return r.counter(u"messages"_s); });
}

QHash<QString, QPair<qint64, QDateTime>> HistoryStore::agentCounters() const
{
    return readWith<HistoryReader>([](const HistoryReader &r) { return r.agentCounters(); });
}

Page<UsageEvent> HistoryStore::usageEvents(const UsageQuery &query) const
{
    Page<UsageEvent> page = readWith<UsageReader>([&](const UsageReader &r) { return r.events(query); });
    page.offset = query.offset;
    page.limit = query.limit;
    return page;
}

BillingSummary HistoryStore::billing(const QString &startTime, const QString &endTime, const QString &orgId,
                                     UsageScope scope) const
{
    BillingSummary summary = readWith<UsageReader>(
        [&](const UsageReader &r) { return r.billing(startTime, endTime, orgId, scope); });
    if (scope == UsageScope::All && summary.byOrganism.isEmpty() && summary.totals.requestCount > 0)
        summary.byOrganism.insert(m_organismName, summary.totals); // a history of one organism
    return summary;
}

QList<HistoryInstance> HistoryStore::instances() const
{
    if (!isOpen())
        return {};
    return m_engine->instances(readConnection());
}

QList<DailyUsage> HistoryStore::daily(const QString &startTime, const QString &endTime, const QString &orgId) const
{
    return readWith<UsageReader>([&](const UsageReader &r) { return r.daily(startTime, endTime, orgId); });
}

QList<UsageBucket> HistoryStore::usageTimeseries(UsageBucketSize bucket, UsageGroupBy groupBy, const QDateTime &since,
                                                 const QDateTime &until, const UsageSeriesFilter &filter) const
{
    return readWith<UsageReader>(
        [&](const UsageReader &r) { return r.timeseries(bucket, groupBy, since, until, filter); });
}

QList<UsageGroupSums> HistoryStore::usageGroupSums(const QDateTime &after) const
{
    return readWith<UsageReader>([&](const UsageReader &r) { return r.groupSums(after); });
}

UsageAggregate HistoryStore::usageSums(const QDateTime &after, const QString &agent) const
{
    return readWith<UsageReader>([&](const UsageReader &r) { return r.sums(after, agent); });
}

QString HistoryStore::setting(const QString &name) const
{
    return readWith<UsageReader>([&](const UsageReader &r) { return r.setting(name); });
}

QSqlDatabase HistoryStore::readConnection() const
{
    if (!isOpen())
        return {};
    const QString name = m_connectionPrefix + u"-read-"_s + QString::number(currentThreadSerial());
    if (QSqlDatabase::contains(name)) {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (m_engine->isReadConnectionAlive(db))
            return db;
        qCInfo(lcStore).noquote() << "reconnecting a read connection to" << m_databasePath;
        db.close();
        db = QSqlDatabase();
        forgetReadConnection(name);
    }
    return openReadConnection(name);
}

QSqlDatabase HistoryStore::openReadConnection(const QString &name) const
{
    QString error;
    if (!m_engine->openReadConnection(name, &error)) {
        qCWarning(lcStore).noquote() << "cannot open a read connection to" << m_databasePath << ':' << error;
        QSqlDatabase::removeDatabase(name);
        return {};
    }
    {
        std::lock_guard lock(m_readConnections->mutex);
        m_readConnections->names.insert(name);
    }
    // A reading thread that ends takes its connection with it; close() removes the others.
    const std::weak_ptr<ReadConnections> registry = m_readConnections;
    QObject::connect(QThread::currentThread(), &QThread::finished, [registry, name] {
        const auto connections = registry.lock();
        if (!connections)
            return;
        {
            std::lock_guard lock(connections->mutex);
            if (!connections->names.remove(name))
                return;
        }
        QSqlDatabase::removeDatabase(name);
    });
    return QSqlDatabase::database(name, false);
}

void HistoryStore::forgetReadConnection(const QString &name) const
{
    {
        std::lock_guard lock(m_readConnections->mutex);
        m_readConnections->names.remove(name);
    }
    QSqlDatabase::removeDatabase(name);
}

void HistoryStore::closeReadConnections()
{
    QSet<QString> names;
    {
        std::lock_guard lock(m_readConnections->mutex);
        names.swap(m_readConnections->names);
    }
    for (const QString &name : std::as_const(names))
        QSqlDatabase::removeDatabase(name);
}

void HistoryStore::notifyCommitted()
{
    // Called on the writer thread for every batch: post at most one notification at a time.
    if (m_commitNotificationQueued.exchange(true))
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_commitNotificationQueued = false;
            emit committed(committedTicket());
        },
        Qt::QueuedConnection);
}

void HistoryStore::notifyFailure(const QString &error)
{
    QMetaObject::invokeMethod(
        this, [this, error] { emit writeFailed(error); }, Qt::QueuedConnection);
}

void HistoryStore::notifyHealth()
{
    QMetaObject::invokeMethod(
        this, [this] { emit healthChanged(); }, Qt::QueuedConnection);
}

} // namespace agentdesk
