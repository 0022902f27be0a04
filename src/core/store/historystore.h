#pragma once

#include "historyschema.h"
#include "domain/historyhealth.h"
#include "domain/usagequeries.h"

#include "config/organismconfig.h"
#include "domain/historyinstance.h"
#include "domain/queries.h"
#include "domain/records.h"
#include "domain/trace.h"
#include "domain/usage.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPair>
#include <QSqlDatabase>
#include <QString>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

namespace agentdesk {

class HistoryEngine;
class HistoryWriter;

// The durable history: messages, threads, agent counters and usage events, in one SQLite file
// (<directory>/history.sqlite, WAL journal) or in a PostgreSQL database (history.backend; see
// HistoryEngine: the queue, tickets, retries and reads below are the same on both).
//
// Writes are asynchronous. The append/save calls only queue the record (a copy of implicitly shared
// values under a mutex) and return a ticket; a dedicated writer thread with its own connection takes
// everything queued, writes it in one transaction, commits, and publishes the highest ticket of the
// batch. waitForCommit(ticket) blocks until that ticket is durable (see Durability); sync() does so for
// everything queued so far. A failed write (disk full, …) is reported by writeFailed() and retried
// with back-off, never dropped; only close() gives up after a few attempts, and says so. While the
// writer cannot commit, health() says why (healthChanged() when that starts and ends).
//
// Back-pressure: at most maxPending() records (default 10,000) wait for the writer, besides the batch
// it is writing. When the queue is full an append BLOCKS the calling thread until the writer has taken
// the queue, so memory stays bounded however fast a producer is and however slow the disk is — except
// while the writer is failing (nobody waits for a disk that may not come back), or with maxPending 0,
// for a producer that bounds itself (the Organism: a handler only runs on a committed message).
//
// Delivery: every stored message counts as undelivered until appendMessages() or markDelivered()
// names its seq; undeliveredMessages() is what a restart has to resume. Retention keeps them.
//
// Reads run on the calling thread, on a read connection of that thread's own (created on first use,
// closed when the thread finishes or the store closes), and see committed data only: call sync()
// first to read your own writes. The engine and the GUI thread may read concurrently.
//
// One process at a time: open() takes a lock file next to the SQLite file, or, on PostgreSQL, an
// advisory lock on this organism's instance (other organisms and instances share the database).
// open() and close() belong to the owner's thread and must not run while another thread uses the store.
class HistoryStore : public QObject
{
    Q_OBJECT
public:
    using Durability = HistoryDurability;

    explicit HistoryStore(QObject *parent = nullptr);
    ~HistoryStore() override; // close()

    // Creates the directory and the database (or the organism's schema) if needed; retention follows config (maxMessages is
    // never taken below 10,000; maxAgeDays 0 keeps messages regardless of age).
    bool open(const QString &directory, const HistoryConfig &config, QString *error);
    // Writes everything queued, stops the writer and closes every connection.
    void close();
    bool isOpen() const { return m_open.load(std::memory_order_acquire); }
    // Where the history is: the SQLite file's path, or the PostgreSQL URL (without a password).
    QString databasePath() const { return m_databasePath; }
    // The process that used this history before did not close it (it crashed or was killed).
    bool previousRunEndedUncleanly() const;
    // organism.name, under which a shared (PostgreSQL) history keeps this organism's rows apart from
    // other organisms'; set before open().
    void setOrganismName(const QString &name) { m_organismName = name; }

    // history.synchronous from the config at open(); a change takes effect from the next transaction.
    void setDurability(Durability durability);
    Durability durability() const { return m_durability; }
    void setMaxPending(qsizetype records); // 0: no bound

    qsizetype maxPending() const { return m_maxPending; }

    // --- writes: any thread; each returns its ticket (0: the store is not open, nothing stored) ---
    quint64 appendMessage(const MessageRecord &message);
    // Stores `messages` and records, in the same transaction, that the messages with the seqs in
    // `delivered` were handled: a crash leaves either both or neither (a handler's replies and the end
    // of its call).
    // `runs`: how the handlers of delivered messages ran (the timeline), stored with them.
    quint64 appendMessages(const QList<MessageRecord> &messages, const QList<qint64> &delivered = {},
                           const QList<HandlerRun> &runs = {});
    // The messages with these seqs need no handling any more (handled, or dropped with their thread).
    quint64 markDelivered(const QList<qint64> &seqs, const QList<HandlerRun> &runs = {});
    // Where a replayed or forked thread came from; it goes when retention takes the thread.
    quint64 saveThreadOrigin(const QString &threadId, const ThreadOrigin &origin);
    // Upsert: the latest status, counts, times and error; participants are merged (first-seen order)
    // with those already stored.
    quint64 saveThread(const ThreadInfo &thread);
    quint64 saveAgent(const QString &name, qint64 messageCount, const QDateTime &lastActivity);
    // The event's id is assigned by the database. `transcript`: what the attempt was sent and answered
    // (the timeline's prompt and response), kept while the message it was made for is.
    quint64 appendUsage(const UsageEvent &event, const std::optional<LlmTranscript> &transcript = std::nullopt);
    // A small durable value (e.g. the time of the last usage reset); written with the next batch.
    quint64 saveSetting(const QString &name, const QString &value);
    // Applies retention in the next transaction (it also runs every 10,000 messages and every minute).
    quint64 requestRetention();

    // Whether the writer commits; when it is failing, why (the latest error, with the operating
    // system's reason). Cheap: any thread, any time.
    HistoryHealth health() const;

    quint64 committedTicket() const;
    quint64 lastTicket() const; // the latest ticket handed out
    // Records queued behind the batch the writer is writing: how far it is behind (any thread, cheap).
    qsizetype pendingRecords() const;
    bool waitForCommit(quint64 ticket, std::chrono::milliseconds timeout) const;
    // Waits for everything queued so far; returns at once, without locking, when nothing is pending.
    bool sync(std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

    // --- reads: the calling thread's connection, committed data ---
    // Filters: threadId, agent (from or to), payloadType, text (case-insensitive substring of the XML),
    // since/until. total counts every retained message that matches the filters, before paging
    // (offset/limit and the beforeSeq/afterSeq keyset bounds). limit < 0: no limit; 0: total only.
    MessagePage messages(const MessageQuery &query) const;
    std::optional<MessageRecord> message(const QString &id) const;
    // Ordered by lastActivity (falling back to createdAt) descending, ties in creation order.
    ThreadPage threads(const ThreadQuery &query) const;
    std::optional<ThreadInfo> thread(const QString &id) const;
    QList<ThreadInfo> threadsWithStatus(ThreadStatus status) const; // creation order
    // By seq: every thread's, or one thread's (a thread in error keeps its failed deliveries).
    QList<MessageRecord> undeliveredMessages(const QString &threadId = {}) const;
    // Threads that messages after `afterSeq` belong to but that have no row (the process ended before
    // their row was written), rebuilt from those messages; status left active.
    QList<ThreadInfo> threadsWithoutRow(qint64 afterSeq) const;
    // The thread's newest `limit` messages, oldest first, with their handler runs and the thread's origin.
    std::optional<ThreadTrace> trace(const QString &threadId, int limit) const;
    qint64 maxSeq() const;       // highest seq ever stored, retention notwithstanding
    qint64 messageCount() const; // retained messages
    QHash<QString, QPair<qint64, QDateTime>> agentCounters() const; // name → (messageCount, lastActivity)

    // Usage (spec §5.22–5.24): times are isoformat() text compared as text; empty = no bound.
    Page<UsageEvent> usageEvents(const UsageQuery &query) const; // newest first; total honours every filter
    BillingSummary billing(const QString &startTime, const QString &endTime, const QString &orgId,
                           UsageScope scope = UsageScope::Organism) const;
    // The organisms and instances whose history this store's database holds, this one first.
    QList<HistoryInstance> instances() const;
    QList<DailyUsage> daily(const QString &startTime, const QString &endTime, const QString &orgId) const;
    QList<UsageBucket> usageTimeseries(UsageBucketSize bucket, UsageGroupBy groupBy, const QDateTime &since,
                                       const QDateTime &until, const UsageSeriesFilter &filter = {}) const;
    QList<UsageGroupSums> usageGroupSums(const QDateTime &after) const;
    UsageAggregate usageSums(const QDateTime &after, const QString &agent) const; // cost unrounded
    QString setting(const QString &name) const;                                   // "" when never saved

signals:
    // Everything up to `ticket` is committed. Queued to the store's thread and coalesced: a burst of
    // commits may be reported once, with the latest ticket.
    void committed(quint64 ticket);
    // A write failed (it is being retried), a record was refused, or close() had to give up.
    void writeFailed(const QString &error);
    // health() changed: the writer began failing, or committed again. Queued to the store's thread.
    void healthChanged();

private:
    struct ReadConnections;

    // Runs `read` with a Reader on the calling thread's read connection (re-made if it was lost).
    template <typename Reader, typename Read>
    auto readWith(Read read) const -> decltype(read(std::declval<const Reader &>()));
    QSqlDatabase readConnection() const;
    QSqlDatabase openReadConnection(const QString &name) const;
    void forgetReadConnection(const QString &name) const;
    void closeReadConnections();
    void notifyCommitted();
    void notifyFailure(const QString &error);
    void notifyHealth();

    QString m_databasePath;
    QString m_connectionPrefix;
    QString m_organismName = QStringLiteral("unnamed");
    std::unique_ptr<HistoryEngine> m_engine;
    std::unique_ptr<HistoryWriter> m_writer;
    std::shared_ptr<ReadConnections> m_readConnections;
    std::atomic<bool> m_open{false};
    std::atomic<bool> m_commitNotificationQueued{false};
    Durability m_durability = Durability::Normal;
    qsizetype m_maxPending;
    quint64 m_closedTicket = 0; // the last ticket of the previous open, so tickets keep growing
};

} // namespace agentdesk
