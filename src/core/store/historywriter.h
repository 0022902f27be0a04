#pragma once

#include "historyschema.h"
#include "historybatchwriter.h"

#include "config/organismconfig.h"

#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace agentdesk {

class HistoryEngine;

// The history's write side: a queue that the engine thread appends to (a mutex-guarded batch, a
// wake-up when the writer sleeps) and a dedicated thread that takes everything queued, writes it
// in one transaction, commits, and publishes the batch's ticket (group commit: no fixed delay, the
// latency of a write is one transaction). A failed commit is retried with back-off until it succeeds;
// meanwhile the writer reports itself failing (failure()), and appends never wait for it.
class HistoryWriter
{
public:
    static constexpr qsizetype DefaultMaxPending = 10000;

    struct Callbacks
    {
        std::function<void(quint64 ticket)> committed; // called on the writer thread
        std::function<void(const QString &error)> failed;
        // The writer began failing to commit, or committed again after failing (failure()).
        std::function<void()> healthChanged;
    };

    // `engine` outlives the writer: it makes the writer thread's connection and explains failures.
    HistoryWriter(const HistoryEngine &engine, const HistoryConfig &config, Callbacks callbacks);
    ~HistoryWriter(); // stop()
    HistoryWriter(const HistoryWriter &) = delete;
    HistoryWriter &operator=(const HistoryWriter &) = delete;

    // Starts the thread and opens the database there; tickets continue after firstTicket.
    bool start(HistoryDurability durability, quint64 firstTicket, QString *error);
    // Writes everything queued, then ends the thread. Appends after this are refused (ticket 0).
    void stop();

    quint64 appendMessage(const MessageRecord &message);
    quint64 appendMessages(const QList<MessageRecord> &messages, const QList<qint64> &delivered,
                           const QList<HandlerRun> &runs = {});
    quint64 markDelivered(const QList<qint64> &seqs, const QList<HandlerRun> &runs = {});
    quint64 saveThreadOrigin(const QString &threadId, const ThreadOrigin &origin);
    quint64 saveThread(const ThreadInfo &thread);
    quint64 saveAgent(const AgentCounterRecord &agent);
    quint64 appendUsage(const UsageEvent &event, const std::optional<LlmTranscript> &transcript = std::nullopt);
    quint64 saveSetting(const QString &name, const QString &value);
    quint64 requestRetention();

    void setDurability(HistoryDurability durability);
    void setMaxPending(qsizetype records);

    // Why the latest commit failed while it is being retried; empty once a commit succeeds.
    QString failure() const;
    bool isFailing() const { return m_failing.load(std::memory_order_acquire); }

    // Records appended and not yet taken by the writer (what it will write after the batch in hand).
    qsizetype pendingRecords() const { return m_pendingCount.load(std::memory_order_relaxed); }
    quint64 issuedTicket() const { return m_issued.load(std::memory_order_acquire); }
    quint64 committedTicket() const { return m_committed.load(std::memory_order_acquire); }
    bool waitForCommit(quint64 ticket, std::chrono::milliseconds timeout);

private:
    template <typename Push>
    quint64 enqueue(qsizetype records, Push push);
    HistoryBatch takePending(); // with m_mutex held

    void run(std::promise<QString> opened);
    void writeLoop(HistoryBatchWriter *sql);
    bool commitWithRetry(HistoryBatchWriter *sql, const HistoryBatch &batch, bool retention);
    void publish(quint64 ticket);
    void setFailure(const QString &error);
    void report(const QString &error) const;

    const HistoryEngine &m_engine;
    const HistoryConfig m_config;
    const Callbacks m_callbacks;
    std::unique_ptr<QThread> m_thread;

    // Queue (m_mutex): producers append, the writer swaps the batch out.
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;  // the writer: work queued, or stop
    std::condition_variable m_space; // blocked producers: the writer took the queue
    HistoryBatch m_pending;
    qsizetype m_pendingRecords = 0;
    qsizetype m_maxPending;
    quint64 m_lastTicket = 0;
    int m_blockedProducers = 0;
    bool m_writerWaiting = false;
    bool m_accepting = false;
    bool m_stopping = false;
    QString m_failure;

    std::atomic<quint64> m_issued{0};
    std::atomic<quint64> m_committed{0};
    std::atomic<bool> m_failing{false};
    std::atomic<qsizetype> m_pendingCount{0}; // m_pendingRecords, readable without the lock
    std::atomic<HistoryDurability> m_durability{HistoryDurability::Normal};

    // Commit waiters (waitForCommit) sleep on m_committedChanged.
    std::mutex m_commitMutex;
    std::condition_variable m_committedChanged;
    int m_commitWaiters = 0;
};

} // namespace agentdesk
