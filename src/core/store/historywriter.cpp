#include "historywriter.h"

#include "historyengine.h"
#include "storelogging.h"

#include <QThread>

#include <algorithm>

namespace agentdesk {

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr qint64 kRetentionEveryMessages = 10000;
constexpr auto kRetentionInterval = 60s;
constexpr auto kFirstRetryDelay = 50ms;
constexpr auto kMaxRetryDelay = 5s;
constexpr int kAttemptsWhenStopping = 3;
// Once stopping, the last attempts come quickly: a full disk must not hold up the end of the process.
constexpr auto kMaxRetryDelayWhenStopping = 100ms;
constexpr qint64 kMinimumMaxMessages = 10000;

std::atomic<quint64> s_writerSerial{0};

} // namespace

HistoryWriter::HistoryWriter(const HistoryEngine &engine, const HistoryConfig &config, Callbacks callbacks)
    : m_engine(engine)
    , m_config(config)
    , m_callbacks(std::move(callbacks))
    , m_maxPending(DefaultMaxPending)
{ }

HistoryWriter::~HistoryWriter()
{
    stop();
}

bool HistoryWriter::start(HistoryDurability durability, quint64 firstTicket, QString *error)
{
    m_durability = durability;
    m_lastTicket = firstTicket;
    m_issued = firstTicket;
    m_committed = firstTicket;
    std::promise<QString> opened;
    std::future<QString> result = opened.get_future();
    m_thread.reset(QThread::create([this, promise = std::move(opened)]() mutable { run(std::move(promise)); }));
    m_thread->setObjectName(u"HistoryWriter"_s);
    m_thread->start();
    *error = result.get();
    if (!error->isEmpty()) {
        m_thread->wait();
        m_thread.reset();
        return false;
    }
    std::lock_guard lock(m_mutex);
    m_accepting = true;
    return true;
}

void HistoryWriter::stop()
{
    if (!m_thread)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_accepting = false;
        m_stopping = true;
    }
    m_wake.notify_all();
    m_space.notify_all();
    m_thread->wait();
    m_thread.reset();
}

quint64 HistoryWriter::appendMessage(const MessageRecord &message)
{
    return enqueue(1, [&](HistoryBatch &batch) { batch.messages.append(message); });
}

quint64 HistoryWriter::appendMessages(const QList<MessageRecord> &messages, const QList<qint64> &delivered,
                                      const QList<HandlerRun> &runs)
{
    return enqueue(messages.size() + delivered.size() + runs.size(), [&](HistoryBatch &batch) {
        batch.messages.append(messages);
        batch.delivered.append(delivered);
        batch.runs.append(runs);
    });
}

quint64 HistoryWriter::markDelivered(const QList<qint64> &seqs, const QList<HandlerRun> &runs)
{
    return enqueue(seqs.size() + runs.size(), [&](HistoryBatch &batch) {
        batch.delivered.append(seqs);
        batch.runs.append(runs);
    });
}

quint64 HistoryWriter::saveThreadOrigin(const QString &threadId, const ThreadOrigin &origin)
{
    return enqueue(1, [&](HistoryBatch &batch) { batch.origins.append({threadId, origin}); });
}

quint64 HistoryWriter::saveThread(const ThreadInfo &thread)
{
    return enqueue(1, [&](HistoryBatch &batch) { batch.threads.append(thread); });
}

quint64 HistoryWriter::saveAgent(const AgentCounterRecord &agent)
{
    return enqueue(1, [&](HistoryBatch &batch) { batch.agents.append(agent); });
}

quint64 HistoryWriter::appendUsage(const UsageEvent &event, const std::optional<LlmTranscript> &transcript)
{
    return enqueue(1, [&](HistoryBatch &batch) {
        batch.usage.append(event);
        batch.transcripts.append(transcript); // aligned with usage, one entry each
    });
}

quint64 HistoryWriter::saveSetting(const QString &name, const QString &value)
{
    return enqueue(1, [&](HistoryBatch &batch) { batch.settings.append({name, value}); });
}

quint64 HistoryWriter::requestRetention()
{
    return enqueue(0, [](HistoryBatch &batch) { batch.retentionRequested = true; });
}

void HistoryWriter::setDurability(HistoryDurability durability)
{
    m_durability = durability;
}

void HistoryWriter::setMaxPending(qsizetype records)
{
    std::lock_guard lock(m_mutex);
    m_maxPending = std::max<qsizetype>(records, 0);
    if (m_blockedProducers > 0)
        m_space.notify_all();
}

template <typename Push>
quint64 HistoryWriter::enqueue(qsizetype records, Push push)
{
    std::unique_lock lock(m_mutex);
    // Back-pressure, unless switched off (0) or the writer is failing: a producer must never wait for
    // a disk that may not come back.
    const auto roomOrNoWait = [this] {
        return m_maxPending == 0 || m_pendingRecords < m_maxPending || !m_accepting || isFailing();
    };
    if (!roomOrNoWait()) {
        ++m_blockedProducers;
        m_space.wait(lock, roomOrNoWait);
        --m_blockedProducers;
    }
    if (!m_accepting) {
        qCWarning(lcStore) << "history store is closed: a record was not stored";
        return 0;
    }
    push(m_pending);
    m_pendingRecords += records;
    m_pendingCount.store(m_pendingRecords, std::memory_order_relaxed);
    const quint64 ticket = ++m_lastTicket;
    m_pending.lastTicket = ticket;
    m_issued.store(ticket, std::memory_order_release);
    if (m_writerWaiting)
        m_wake.notify_one();
    return ticket;
}

HistoryBatch HistoryWriter::takePending()
{
    HistoryBatch batch = std::exchange(m_pending, HistoryBatch());
    m_pendingRecords = 0;
    m_pendingCount.store(0, std::memory_order_relaxed);
    if (m_blockedProducers > 0)
        m_space.notify_all();
    return batch;
}

bool HistoryWriter::waitForCommit(quint64 ticket, std::chrono::milliseconds timeout)
{
    if (committedTicket() >= ticket)
        return true;
    std::unique_lock lock(m_commitMutex);
    ++m_commitWaiters;
    const bool done = m_committedChanged.wait_for(lock, timeout, [&] { return committedTicket() >= ticket; });
    --m_commitWaiters;
    return done;
}

void HistoryWriter::run(std::promise<QString> opened)
{
    const QString connectionName = u"agentdesk-history-writer-%1"_s.arg(
        s_writerSerial.fetch_add(1, std::memory_order_relaxed));
    const std::unique_ptr<HistoryBatchWriter> sql = m_engine.createWriter(connectionName);
    QString error;
    if (!sql->open(m_durability.load(), &error)) {
        opened.set_value(error.isEmpty() ? u"cannot open the history"_s : error);
        return;
    }
    opened.set_value(QString());
    writeLoop(sql.get());
}

void HistoryWriter::writeLoop(HistoryBatchWriter *sql)
{
    HistoryDurability applied = m_durability.load();
    auto nextRetention = std::chrono::steady_clock::now() + kRetentionInterval;
    qint64 messagesSinceRetention = 0;
    for (;;) {
        HistoryBatch batch;
        {
            std::unique_lock lock(m_mutex);
            m_writerWaiting = true;
            m_wake.wait_until(lock, nextRetention, [this] { return m_stopping || m_pending.lastTicket != 0; });
            m_writerWaiting = false;
            if (m_stopping && m_pending.lastTicket == 0)
                return;
            batch = takePending();
        }
        const HistoryDurability wanted = m_durability.load();
        QString error;
        if (wanted != applied && sql->setDurability(wanted, &error))
            applied = wanted;
        else if (wanted != applied)
            report(error);

        messagesSinceRetention += batch.messages.size();
        const auto now = std::chrono::steady_clock::now();
        const bool retention = batch.retentionRequested || messagesSinceRetention >= kRetentionEveryMessages
            || now >= nextRetention;
        if (batch.lastTicket == 0 && !retention)
            continue; // a spurious wake-up
        if (!commitWithRetry(sql, batch, retention))
            return;
        if (retention) {
            messagesSinceRetention = 0;
            nextRetention = now + kRetentionInterval;
        }
    }
}

bool HistoryWriter::commitWithRetry(HistoryBatchWriter *sql, const HistoryBatch &batch, bool retention)
{
    const RetentionPolicy policy{retention, std::max(m_config.maxMessages, kMinimumMaxMessages),
                                 std::max(m_config.maxAgeDays, 0), QDateTime::currentDateTimeUtc()};
    std::chrono::milliseconds delay = kFirstRetryDelay;
    int attemptsWhileStopping = 0;
    for (;;) {
        QString error;
        QStringList rejected;
        if (sql->write(batch, policy, &error, &rejected)) {
            for (const QString &refusal : std::as_const(rejected))
                report(refusal);
            setFailure({});
            if (batch.lastTicket != 0)
                publish(batch.lastTicket);
            return true;
        }
        const QString cause = m_engine.failureCause();
        if (!cause.isEmpty() && !error.contains(cause))
            error += u"; "_s + cause;
        setFailure(error);
        std::unique_lock lock(m_mutex);
        if (m_stopping && ++attemptsWhileStopping >= kAttemptsWhenStopping) {
            const qsizetype lost = batch.recordCount() + m_pending.recordCount();
            m_pending = HistoryBatch();
            m_pendingRecords = 0;
            m_pendingCount.store(0, std::memory_order_relaxed);
            lock.unlock();
            report(u"history write failed while closing, %1 records were not stored: %2"_s.arg(lost).arg(error));
            return false;
        }
        const bool stopping = m_stopping;
        lock.unlock();
        report(u"history write failed, retrying in %1 ms: %2"_s.arg(delay.count()).arg(error));
        lock.lock();
        // stop() cuts a running back-off short so that closing does not wait for the longest delay;
        // once stopping, the few last attempts are still spaced out, a little.
        if (stopping)
            m_wake.wait_for(lock, std::min<std::chrono::milliseconds>(delay, kMaxRetryDelayWhenStopping));
        else
            m_wake.wait_for(lock, delay, [this] { return m_stopping; });
        delay = std::min<std::chrono::milliseconds>(delay * 2, kMaxRetryDelay);
    }
}

void HistoryWriter::publish(quint64 ticket)
{
    m_committed.store(ticket, std::memory_order_release);
    {
        std::lock_guard lock(m_commitMutex);
        if (m_commitWaiters > 0)
            m_committedChanged.notify_all();
    }
    if (m_callbacks.committed)
        m_callbacks.committed(ticket);
}

QString HistoryWriter::failure() const
{
    std::lock_guard lock(m_mutex);
    return m_failure;
}

void HistoryWriter::setFailure(const QString &error)
{
    bool changed = false;
    {
        std::lock_guard lock(m_mutex);
        changed = m_failure != error;
        m_failure = error;
        m_failing.store(!error.isEmpty(), std::memory_order_release);
        if (!error.isEmpty() && m_blockedProducers > 0)
            m_space.notify_all(); // nobody waits for a failing writer
    }
    if (changed && m_callbacks.healthChanged)
        m_callbacks.healthChanged();
}

void HistoryWriter::report(const QString &error) const
{
    qCWarning(lcStore).noquote() << error;
    if (m_callbacks.failed)
        m_callbacks.failed(error);
}

} // namespace agentdesk
