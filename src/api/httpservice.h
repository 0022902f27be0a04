#pragma once

#include "apiauth.h"
#include "guardedtcpserver.h"
#include "originpolicy.h"
#include "routetable.h"

#include <QHostAddress>
#include <QObject>
#include <QHash>
#include <QStringList>

#include <memory>
#include <optional>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class QTcpSocket;
class QWebSocket;

namespace agentdesk {

// The HTTP side of the API, free of any organism: it serves a RouteTable through QHttpServer 6.4
// on a GuardedTcpServer, and applies, in one place and in this order, the Host check, JSON body
// pre-check, authentication, query validation, the handler, and the response writer (CORS and
// common headers). Unknown paths, wrong methods, CORS preflights and trailing slashes are answered
// FastAPI's way. WebSocket upgrades on the registered paths are verified (Host, Origin, key) before
// QHttpServer hands the socket over.
class HttpService : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        GuardedTcpServer::Limits limits;
        QStringList allowedHosts;
        QStringList corsOrigins;
        QByteArray apiKey;
        bool protectReads = false;
    };

    HttpService(RouteTable routes, const Options &options, QObject *parent = nullptr);
    ~HttpService() override;

    // Forgets every cached response. Call on any change of the state the routes read; POST routes
    // invalidate by themselves after they ran.
    void invalidateCache();

    // Paths that upgrade to a WebSocket on the same port; call before listen().
    void addWebSocketPath(const QString &path);
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    // Stops listening and closes the HTTP connections (see GuardedTcpServer::closeAll()).
    void close();

    quint16 port() const;
    QHostAddress address() const;
    const RouteTable &routes() const { return m_routes; }
    const ApiAuth &auth() const { return m_auth; }
    const OriginPolicy &origins() const { return m_origins; }
    GuardedTcpServer *tcpServer() const { return m_tcp; }

signals:
    // A verified WebSocket connection; the receiver takes ownership of `socket`. `rawSocket` is
    // the TCP socket under it (for activity that QWebSocket does not report), or null.
    void webSocketConnected(QWebSocket *socket, QTcpSocket *rawSocket);

private:
    void registerRoutes();
    void dispatch(int index, const QHttpServerRequest &request, QHttpServerResponder &responder);
    void answerMissing(const QHttpServerRequest &request, QHttpServerResponder &responder);
    std::optional<ApiResponse> refuseUpgrade(const QHttpServerRequest &request) const;
    std::optional<ApiResponse> preflight(const QHttpServerRequest &request) const;
    void send(const QHttpServerRequest &request, QHttpServerResponder &responder, ApiResponse response) const;
    QByteArray encode(const QHttpServerRequest &request, const ApiResponse &response) const;
    QByteArray encode(const QByteArray &origin, bool headersOnly, const ApiResponse &response) const;
    void runDeferred(const Route &route, const ApiRequest &request, const QHttpServerRequest &raw,
                     QHttpServerResponder &responder);
    QByteArray cachedAnswer(const HttpRequestFramer::RequestHead &head) const;
    // The request target as QHttpServer decoded it, re-encoded: the key of both response caches.
    QByteArray cacheKey(const QHttpServerRequest &request) const;
    void rememberAnswer(const Route &route, const QHttpServerRequest &request, const QByteArray &key,
                        const QByteArray &bytes);
    void takeWebSockets();
    // The handler's response, or the cached one for `key` (cacheable routes; empty key otherwise).
    ApiResponse run(const Route &route, const ApiRequest &request, const QByteArray &key);

    // What every rule's predicate needs, computed once per request by the first rule.
    struct RequestAnalysis
    {
        QString path; // percent-encoded, as sent
        bool upgrade = false;
        RouteTable::Match match;
    };
    void analyse(const QHttpServerRequest &request);

    struct CachedResponse
    {
        quint64 generation = 0;
        ApiResponse response;
    };

    RouteTable m_routes;
    Options m_options;
    ApiAuth m_auth;
    OriginPolicy m_origins;
    QStringList m_webSocketPaths;
    std::unique_ptr<QHttpServer> m_server;
    GuardedTcpServer *m_tcp = nullptr; // owned by m_server after bind()
    // Responses of cacheable routes by request target: list pages are SQL queries in the store, and a
    // dashboard polling them while nothing changes should not repeat them.
    QHash<QByteArray, CachedResponse> m_cache;
    // The same answers as written on the wire, by the request target exactly as sent, for the guard to
    // repeat without QHttpServer (GuardedTcpServer::setCachedResponder): plain GETs without Origin only.
    struct CachedAnswer
    {
        quint64 generation = 0;
        Access access = Access::Read;
        QByteArray bytes;
    };
    QHash<QByteArray, CachedAnswer> m_answers;
    RequestAnalysis m_current;
    quint64 m_generation = 1;
};

} // namespace agentdesk
