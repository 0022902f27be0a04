#pragma once

#include "session.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <optional>

class QJsonObject;

namespace agentdesk {

class RemoteHttp;
namespace wire {
class PayloadLayout;
struct AgentStateChange;
struct ThreadStatusChange;
} // namespace wire

// What the server says happened, as the Session's batches: WebSocket frames (and, while polling, the
// messages and thread statuses a polling round read) are decoded and coalesced, so that everything of
// one event-loop turn is emitted together, in the organism's order (threads created, messages, agents,
// threads updated, errors, budgets, the organism). Caches follow: a message counts for its sender and
// the organism. Servers without thread_created (the original) get their new threads announced before
// their first message, as the Session promises.
//
// Frames that are no batch go out at once: pong(), reloadAnnounced(), partials() (streamed text).
class RemoteEventStream final : public QObject
{
    Q_OBJECT
public:
    // The events of one turn, by kind.
    struct Batch
    {
        QList<ThreadInfo> created;
        QList<MessageRecord> messages;
        QList<AgentInfo> agents;
        QHash<QString, qsizetype> agentRows;
        QList<ThreadInfo> updated;
        QList<ErrorEvent> errors;
        QList<BudgetEvent> budgets;
        std::optional<OrganismInfo> organism;
    };

    // `session`: the caches the batch starts from (organism, agents) and the update mode. `http` reads
    // what an event leaves out (a failed thread's error). `layout`: how payloads of this server look.
    RemoteEventStream(const Session &session, RemoteHttp *http, const wire::PayloadLayout *layout,
                      QObject *parent = nullptr);

    // A new connection: the stream starts after message `lastSeq`; `announcesThreads` when the server
    // sends thread_created, else `knownThreads` are the threads its snapshot listed.
    void restart(qint64 lastSeq, bool announcesThreads, const QList<ThreadInfo> &knownThreads);
    // Drops what is pending and every answer still on its way.
    void clear();

    void onFrame(const QJsonObject &frame);
    // A message read by a polling round (those already shown are skipped).
    void addMessage(const MessageRecord &message);
    // Threads read by a polling round: those whose status changed since the last round are updated; the
    // first sighting of a thread only records it.
    void addPolledThreads(const QList<ThreadInfo> &threads);
    // Too far behind to replay: the stream goes on after `seq`, dropping what is pending.
    void skipTo(qint64 seq);

    qint64 lastSeq() const { return m_lastSeq; } // the newest message taken (or counted by the snapshot)
    Batch take() { return std::exchange(m_batch, {}); }

signals:
    void flushDue();       // queued: a batch waits to be taken (once per event-loop turn)
    void changed();        // something changed that the next re-read should look at
    void budgetsChanged(); // a budget event: the budget lists changed
    void pong();           // the server answered a ping
    void reloadAnnounced(const agentdesk::ReloadResult &result);
    void partials(const QList<agentdesk::LlmPartialEvent> &events);

private:
    void onMessage(const MessageRecord &message);
    void onAgentState(const wire::AgentStateChange &change);
    void onThreadCreated(const ThreadInfo &thread);
    void onThreadUpdated(const wire::ThreadStatusChange &change);
    AgentInfo *pendingAgent(const QString &name);
    OrganismInfo &pendingOrganism();
    void scheduleFlush();

    const Session &m_session;
    RemoteHttp *m_http;
    const wire::PayloadLayout *m_layout;
    Batch m_batch;
    bool m_flushQueued = false;
    quint64 m_epoch = 0; // changes with restart() and clear(): answers of an earlier one are dropped
    qint64 m_lastSeq = 0;
    bool m_announcesThreads = true;
    QSet<QString> m_knownThreads;                // for servers that send no thread_created
    QHash<QString, ThreadStatus> m_threadStatus; // polling: statuses seen, to report changes
};

} // namespace agentdesk
