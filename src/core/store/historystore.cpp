#include "historystore.h"

#include "filesystemprobe.h"
#include "storelogging.h"
#include "historyreader.h"
#include "historywriter.h"
#include "tracereader.h"
#include "usagereader.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
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

template <typename Reader, typename Read>
auto readWith(const QSqlDatabase &db, Read read) -> decltype(read(std::declval<const Reader &>()))
{
    if (!db.isOpen())
        return {};
    return read(Reader(db));
}

} // namespace

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
{
}

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
    if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s)) {
        *error = u"the Qt SQLite driver (QSQLITE) is not installed"_s;
        return false;
    }
    const QDir dir(directory);
    if (!dir.mkpath(u"."_s)) {
        *error = u"cannot create the history directory "_s + dir.absolutePath() + openProblem(directory);
        return false;
    }

    // Counters and tickets live in the writer's memory: a second process writing the same file would
    // corrupt them, so the directory is locked (a lock left by a dead process is taken over).
    const QString lockPath = dir.absoluteFilePath(u"history.lock"_s);
    // A clean close removes the lock file: finding one that can be taken over means the last process died.
    const bool leftoverLock = QFileInfo::exists(lockPath);
    auto lock = std::make_unique<QLockFile>(lockPath);
    lock->setStaleLockTime(0);
    if (!lock->tryLock()) {
        qint64 pid = 0;
        QString host;
        QString application;
        // Only a holder that is alive explains the failure; a dead one's lock could not be taken over
        // for another reason (a full disk, permissions), which is what the operator needs to read.
        const bool held = lock->error() == QLockFile::LockFailedError && lock->getLockInfo(&pid, &host, &application)
                          && (host != QSysInfo::machineHostName() || FileSystemProbe::processAlive(pid));
        if (held)
            *error = u"the history in %1 is in use by %2 (process %3 on %4)"_s.arg(dir.absolutePath(), application)
                         .arg(pid)
                         .arg(host);
        else
            *error = u"cannot lock the history in "_s + dir.absolutePath() + openProblem(directory);
        return false;
    }

    const QString path = dir.absoluteFilePath(u"history.sqlite"_s);
    auto writer = std::make_unique<HistoryWriter>(
        path, config,
        HistoryWriter::Callbacks{[this](quint64) { notifyCommitted(); },
                                 [this](const QString &failure) { notifyFailure(failure); },
                                 [this] { notifyHealth(); }});
    writer->setMaxPending(m_maxPending);
    m_durability = config.synchronous;
    if (!writer->start(m_durability, m_closedTicket, error)) {
        *error += openProblem(directory);
        return false;
    }
    m_databasePath = path;
    m_previousRunEndedUncleanly = leftoverLock;
    m_lock = std::move(lock);
    m_writer = std::move(writer);
    m_open.store(true, std::memory_order_release);
    return true;
}

// ": No space left on device (ENOSPC)" when the directory cannot take a write, else nothing: the
// cause behind a failure to create, lock or open the history.
QString HistoryStore::openProblem(const QString &directory) const
{
    QString existing = QDir(directory).absolutePath();
    while (!QFileInfo(existing).isDir() && existing != QDir::rootPath())
        existing = QFileInfo(existing).absolutePath();
    const QString problem = FileSystemProbe::writeProblem(existing);
    return problem.isEmpty() ? QString() : u": "_s + problem;
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
    m_lock.reset();
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
    MessagePage page =
        readWith<HistoryReader>(readConnection(), [&](const HistoryReader &r) { return r.messages(query); });
    page.offset = query.offset;
    page.limit = query.limit;
    return page;
}

std::optional<MessageRecord> HistoryStore::message(const QString &id) const
{
    return readWith<HistoryReader>(readConnection(), [&](const HistoryReader &r) { return r.message(id); });
}

ThreadPage HistoryStore::threads(const ThreadQuery &query) const
{
    ThreadPage page =
        readWith<HistoryReader>(readConnection(), [&](const HistoryReader &r) { return r.threads(query); });
    page.offset = query.offset;
    page.limit = query.limit;
    return page;
}

std::optional<ThreadInfo> HistoryStore::thread(const QString &id) const
{
    return readWith<HistoryReader>(readConnection(), [&](const HistoryReader &r) { return r.thread(id); });
}

QList<ThreadInfo> HistoryStore::threadsWithStatus(ThreadStatus status) const
{
    return readWith<HistoryReader>(readConnection(),
                                   [&](const HistoryReader &r) { return r.threadsWithStatus(status); });
}

QList<ThreadInfo> HistoryStore::threadsWithoutRow(qint64 afterSeq) const
{
    return readWith<HistoryReader>(readConnection(),
                                   [&](const HistoryReader &r) { return r.threadsWithoutRow(afterSeq); });
}

QList<MessageRecord> HistoryStore::undeliveredMessages(const QString &threadId) const
{
    return readWith<HistoryReader>(readConnection(),
                                   [&threadId](const HistoryReader &r) { return r.undeliveredMessages(threadId); });
}

std::optional<ThreadTrace> HistoryStore::trace(const QString &threadId, int limit) const
{
    return readWith<TraceReader>(readConnection(), [&](const TraceReader &r) { return r.trace(threadId, limit); });
}

qint64 HistoryStore::maxSeq() const
{
    return readWith<HistoryReader>(readConnection(), [](const HistoryReader &r) { return r.counter(u"max_seq"_s); });
}

qint64 HistoryStore::messageCount() const
{
    return readWith<HistoryReader>(readConnection(), [](const HistoryReader &r) { return r.counter(u"messages"_s); });
}

QHash<QString, QPair<qint64, QDateTime>> HistoryStore::agentCounters() const
{
    return readWith<HistoryReader>(readConnection(), [](const HistoryReader &r) { return r.agentCounters(); });
}

Page<UsageEvent> HistoryStore::usageEvents(const UsageQuery &query) const
{
    Page<UsageEvent> page =
        readWith<UsageReader>(readConnection(), [&](const UsageReader &r) { return r.events(query); });
    page.offset = query.offset;
    page.limit = query.limit;
    return page;
}

BillingSummary HistoryStore::billing(const QString &startTime, const QString &endTime, const QString &orgId) const
{
    return readWith<UsageReader>(readConnection(),
                                 [&](const UsageReader &r) { return r.billing(startTime, endTime, orgId); });
}

QList<DailyUsage> HistoryStore::daily(const QString &startTime, const QString &endTime, const QString &orgId) const
{
    return readWith<UsageReader>(readConnection(),
                                 [&](const UsageReader &r) { return r.daily(startTime, endTime, orgId); });
}

QList<UsageBucket> HistoryStore::usageTimeseries(UsageBucketSize bucket, UsageGroupBy groupBy, const QDateTime &since,
                                                 const QDateTime &until, const UsageSeriesFilter &filter) const
{
    return readWith<UsageReader>(readConnection(), [&](const UsageReader &r) {
        return r.timeseries(bucket, groupBy, since, until, filter);
    });
}

QList<UsageGroupSums> HistoryStore::usageGroupSums(const QDateTime &after) const
{
    return readWith<UsageReader>(readConnection(), [&](const UsageReader &r) { return r.groupSums(after); });
}

UsageAggregate HistoryStore::usageSums(const QDateTime &after, const QString &agent) const
{
    return readWith<UsageReader>(readConnection(), [&](const UsageReader &r) { return r.sums(after, agent); });
}

QString HistoryStore::setting(const QString &name) const
{
    return readWith<UsageReader>(readConnection(), [&](const UsageReader &r) { return r.setting(name); });
}

QSqlDatabase HistoryStore::readConnection() const
{
    if (!isOpen())
        return {};
    const QString name = m_connectionPrefix + u"-read-"_s + QString::number(currentThreadSerial());
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name, false);
    return openReadConnection(name);
}

QSqlDatabase HistoryStore::openReadConnection(const QString &name) const
{
    QString error;
    bool ready = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(m_databasePath);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery readOnly(db);
            ready = readOnly.exec(u"PRAGMA query_only=1"_s) && HistoryReader::registerFunctions(db, &error);
            if (!ready && error.isEmpty())
                error = readOnly.lastError().text();
        }
    }
    if (!ready) {
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
    QMetaObject::invokeMethod(this, [this, error] { emit writeFailed(error); }, Qt::QueuedConnection);
}

void HistoryStore::notifyHealth()
{
    QMetaObject::invokeMethod(this, [this] { emit healthChanged(); }, Qt::QueuedConnection);
}

} // namespace agentdesk
