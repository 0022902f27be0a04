#pragma once

#include "apiauth.h"
#include "httpserver.h"
#include "originpolicy.h"
#include "routetable.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;
class QWebSocket;

namespace agentdesk {

// The HTTP side of the API, free of any organism: it serves a RouteTable on an HttpServer and
// applies, in one place and in this order, the Host check, route matching (404/405/307, CORS
// preflight), the cross-site check of state-changing requests (403), the JSON body pre-check,
// authentication, path and query validation (422), the handler, and the response writer (CORS and
// common headers). WebSocket handshakes on the registered paths are verified (Host, Origin, key)
// before the HttpServer hands the socket to its QWebSocketServer.
class HttpService : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        HttpServer::Limits limits;
        QStringList allowedHosts;
        QStringList corsOrigins;
        QByteArray apiKey;
        bool protectReads = false;
    };

    // Told of every answer this service gives (metrics): the route template that answered (a WebSocket
    // path for a handshake; empty when no route matched), the method as sent, the status, and the
    // seconds from the complete request to its answer. Requests the connection refuses itself while
    // framing them (413, 431, 408, malformed) never reach the service and are not reported.
    using AnswerObserver =
        std::function<void(const QString &route, const QByteArray &method, int status, double seconds)>;

    HttpService(RouteTable routes, const Options &options, QObject *parent = nullptr);
    ~HttpService() override;

    void setAnswerObserver(AnswerObserver observer) { m_answerObserver = std::move(observer); }

    // Forgets every cached response. Call on any change of the state the routes read; commands run
    // through the API invalidate by themselves.
    void invalidateCache();

    // Paths that upgrade to a WebSocket on the same port; call before listen().
    void addWebSocketPath(const QString &path);
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    // Stops listening and closes the HTTP connections (see HttpServer::closeAll()).
    void close();

    quint16 port() const;
    QHostAddress address() const;
    const RouteTable &routes() const { return m_routes; }
    const ApiAuth &auth() const { return m_auth; }
    const OriginPolicy &origins() const { return m_origins; }
    HttpServer *server() const { return m_server.get(); }
    // Requests answered from the response cache before routing (a repeated plain GET).
    quint64 cachedAnswerCount() const { return m_cachedAnswers; }

signals:
    // A verified WebSocket connection; the receiver takes ownership of `socket`. `rawSocket` is
    // the TCP socket under it (for activity that QWebSocket does not report), or null.
    void webSocketConnected(QWebSocket *socket, QTcpSocket *rawSocket);

private:
    struct Request;

    void handle(HttpConnection *connection, const HttpRequest &http);
    bool answerFromCache(HttpConnection *connection, const HttpRequest &http, qint64 startedNs);
    void dispatch(const Request &request, const Route &route, const QStringList &args);
    std::optional<ApiResponse> refuseBeforeHandler(const Request &request, const Route &route, const QStringList &args,
                                                   ApiRequest *apiRequest) const;
    void runDeferred(const Request &request, const Route &route, const ApiRequest &apiRequest);
    ApiResponse run(const Route &route, const ApiRequest &apiRequest);
    void answerMissing(Request &request);
    void handleUpgrade(Request &request);
    std::optional<ApiResponse> webSocketRefusal(const Request &request) const;
    std::optional<ApiResponse> preflight(const Request &request) const;
    QByteArray send(const Request &request, const ApiResponse &response) const;
    void observe(const QString &route, const QByteArray &method, int status, qint64 startedNs) const;
    QByteArray encode(const QByteArray &origin, bool headersOnly, bool close, const ApiResponse &response) const;

    // The cache of cacheable routes' 200 answers, by request target exactly as sent: the response,
    // and for a plain GET (no Origin, connection kept) the bytes written, repeated as they are.
    struct CachedResponse
    {
        quint64 generation = 0;
        Access access = Access::Read;
        QString route; // template
        ApiResponse response;
        QByteArray plainBytes;
    };

    RouteTable m_routes;
    Options m_options;
    ApiAuth m_auth;
    OriginPolicy m_origins;
    QStringList m_webSocketPaths;
    std::unique_ptr<HttpServer> m_server;
    QHash<QByteArray, CachedResponse> m_cache;
    quint64 m_generation = 1;
    quint64 m_cachedAnswers = 0;
    AnswerObserver m_answerObserver;
    QElapsedTimer m_clock; // request durations for the observer
};

} // namespace agentdesk
