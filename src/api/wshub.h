#pragma once

#include "peerowner.h"
#include "wsclient.h"

#include "domain/llmactivity.h"
#include "domain/records.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

class QJsonObject;
class QTcpSocket;
class QWebSocket;

namespace agentdesk {

class ApiAuth;
class Organism;
struct BudgetEvent;

// The WebSocket side of the API (spec §6, decision 6). Subscribes to the Organism's batched change
// signals, turns every change into an event serialised exactly once, and fans it out to the
// clients whose filter accepts it. Answers the commands (subscribe, inject, ping), enforces the
// admission limits (accept, then close 1013 with the reason) and owns the clients. The per-client
// limit counts by PeerOwner: a remote address, or the local process behind a loopback connection, so
// one local script cannot lock every local tool out.
class WsHub : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        int maxClients = 50;
        int maxClientsPerAddress = 10; // per PeerOwner
        int snapshotThreads = 100;
        qint64 maxSnapshotBytes = 1 << 20; // the `connected` frame, whatever the threads stored
        WsClient::Limits client;
    };

    struct Stats
    {
        qint64 eventsSerialised = 0;
        qint64 framesQueued = 0;
        qint64 clientsRefused = 0;
        qint64 clientsOverflowed = 0;
    };

    WsHub(Organism *organism, const ApiAuth *auth, const Limits &limits, QObject *parent = nullptr);
    ~WsHub() override;

    // Takes ownership of a verified WebSocket whose request path is /ws or /ws/messages.
    void addConnection(QWebSocket *socket, QTcpSocket *rawSocket);
    int clientCount() const { return int(m_clients.size()); }
    int clientCount(WsClient::Kind kind) const;
    const Stats &stats() const { return m_stats; }
    void closeAll();

private:
    void onMessages(const QList<MessageRecord> &batch);
    void onAgents(const QList<AgentInfo> &changed);
    void onThreadsCreated(const QList<ThreadInfo> &created);
    void onThreadsUpdated(const QList<ThreadInfo> &updated);
    void onErrors(const QList<ErrorEvent> &errors);
    void onReloaded(const ReloadResult &result);
    void onOrganismChanged();
    void onBudgetEvents(const QList<BudgetEvent> &events);
    void onLlmPartials(const QList<LlmPartialEvent> &events);

    void broadcast(const WsEvent &event);
    void reply(WsClient *client, const QCborMap &frame);
    void onText(WsClient *client, const QString &text);
    void onControlCommand(WsClient *client, const QJsonObject &command, const QString &cmd);
    void onMessagesCommand(WsClient *client, const QJsonObject &command, const QString &cmd);
    void inject(WsClient *client, const QJsonObject &command);
    void sendSnapshot(WsClient *client);
    void refuse(QWebSocket *socket, const QString &reason);
    void remove(WsClient *client);
    bool hasClients(WsClient::Kind kind) const;

    QPointer<Organism> m_organism;
    const ApiAuth *m_auth;
    Limits m_limits;
    QList<WsClient *> m_clients;
    PeerOwnerLookup m_owners;
    QHash<QString, AgentState> m_agentStates; // last state pushed, to send agent_state on change only
    Stats m_stats;
};

} // namespace agentdesk
