#pragma once

#include "remoteserverfeatures.h"
#include "session.h"

#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QJsonObject;
class QWebSocket;

namespace agentdesk {

class RemoteHttp;
namespace wire {
struct ConnectedSnapshot;
}

// Getting to an AgentServer and staying there: the attempt that reads /health, /openapi.json (what the
// server offers: features()), checks the API key and loads every REST snapshot, then opens /ws and takes
// its `connected` snapshot; back-off between attempts (1 s, 2 s, 4 s … 30 s); the WebSocket while it
// lives. Transport failures are retried, a refused key is not.
//
// When /ws fails before its snapshot and REST worked (the original drops /ws whenever a thread exists,
// spec §6.3), or sends no snapshot within 10 s, the connection is established in polling mode. When the
// live WebSocket goes, REST decides: pushLost() while it still answers, failed() otherwise.
//
// attempt() changes with every attempt, every failure and close(): anything begun under another
// attempt is stale.
class RemoteConnection final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kFirstRetryMs = 1000;
    static constexpr int kMaxRetryMs = 30000;
    // The WebSocket handshake plus the `connected` snapshot; a server whose /ws accepts but sends no
    // snapshot is used with the REST snapshots after this long.
    static constexpr int kHandshakeMs = 10000;

    // `http` (the session's) reaches the server at baseUrl with the key.
    RemoteConnection(RemoteHttp *http, const QUrl &baseUrl, const QByteArray &apiKey, QObject *parent = nullptr);
    ~RemoteConnection() override;

    // Starts connecting (or, while waiting to retry, retries now); does nothing while connecting or live.
    void open();
    // Stops everything; no signal follows.
    void close();

    quint64 attempt() const { return m_attempt; }
    bool isIdle() const { return m_phase == Phase::Idle; }
    bool isLive() const { return m_phase == Phase::Live; }
    bool isCurrent(quint64 attempt) const { return attempt == m_attempt && m_phase == Phase::Live; }
    bool isWaitingToRetry() const { return m_phase == Phase::Waiting; }
    const RemoteServerFeatures &features() const { return m_features; }

    // The live WebSocket, when there is one.
    bool hasSocket() const { return m_phase == Phase::Live && m_socket; }
    void send(const QString &text);
    // Live, without the WebSocket from now on (polling).
    void dropSocket();

    // The list, then each capability's detail (its XSD and example); S1 servers have neither (empty list).
    using CapabilitiesLoaded = std::function<void(const Result<QList<Capability>> &capabilities)>;
    void loadCapabilities(CapabilitiesLoaded done);

signals:
    void attemptStarted();
    // Live: the REST snapshots, the WebSocket's winning where it sent one (`threads` are the ones its
    // snapshot listed); abilities are the server's. In Polling mode there is no WebSocket.
    void established(const agentdesk::Session::Snapshot &snapshot, const QList<agentdesk::ThreadInfo> &threads,
                     agentdesk::UpdateMode mode);
    // Live: one frame of the event stream (a JSON object).
    void frameReceived(const QJsonObject &frame);
    // Live: the WebSocket went, REST has not been asked yet (what arrived before the loss is real).
    void socketLost();
    // Live: the WebSocket went and REST still answers: carry on without it.
    void pushLost(const QString &problem);
    // Disconnected, with the reason; `willRetry`: a new attempt is scheduled.
    void failed(const QString &reason, bool willRetry);

private:
    enum class Phase { Idle, Loading, Handshake, Live, Waiting };
    struct Loading;

    void startAttempt();
    void fail(const QString &reason, bool retry);
    void readDescription(quint64 attempt);
    void checkKey(quint64 attempt);
    void loadSnapshots(quint64 attempt);
    void loaded(const std::shared_ptr<Loading> &loading);
    void openSocket();
    void onFrame(quint64 attempt, const QString &text);
    void complete(const wire::ConnectedSnapshot *connected, UpdateMode mode);
    void onHandshakeTimeout();
    void onSocketGone(quint64 attempt);
    QString socketProblem() const;
    void retry();

    RemoteHttp *m_http;
    QUrl m_baseUrl;
    QByteArray m_apiKey;
    QWebSocket *m_socket = nullptr;
    std::shared_ptr<Loading> m_loading; // the REST snapshots, until the WebSocket's snapshot joins them
    Phase m_phase = Phase::Idle;
    quint64 m_attempt = 0;
    int m_retryDelayMs = kFirstRetryMs;
    QTimer m_retryTimer;
    QTimer m_handshakeTimer;
    RemoteServerFeatures m_features;
};

} // namespace agentdesk
