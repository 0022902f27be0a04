#include "httpservice.h"

#include "injectjson.h"

#include <QHttpServer>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QWebSocket>

#include <exception>
#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcApi, "agentdesk.api")

namespace agentdesk {

namespace {

using Predicate = std::function<bool(const QHttpServerRequest &)>;

constexpr qsizetype kMaxCachedResponses = 512;

// QHttpServer 6.4 builds rule objects itself (route<Rule>(pattern, methods, handler)) and offers no
// way to hand a rule extra state, so the predicate travels through this slot, set immediately
// before the synchronous route() call that constructs the rule.
thread_local Predicate t_nextPredicate;

// A rule matched by an arbitrary predicate instead of QHttpServer's own pattern and method test:
// our table does the path matching (per-segment decoding, HEAD for GET), and WebSocket upgrades are
// only matched once Host, Origin and key are verified — an unmatched upgrade falls through to the
// missing handler, which can then say why.
class PredicateRule : public QHttpServerRouterRule
{
public:
    PredicateRule(const QString &pathPattern, QHttpServerRequest::Methods methods, RouterHandler handler)
        : QHttpServerRouterRule(pathPattern, methods, std::move(handler))
        , m_predicate(std::exchange(t_nextPredicate, {}))
    {
    }

protected:
    bool matches(const QHttpServerRequest &request, QRegularExpressionMatch *match) const override
    {
        Q_UNUSED(match);
        return m_predicate && m_predicate(request);
    }

private:
    Predicate m_predicate;
};

constexpr auto kAnyMethod = QHttpServerRequest::Method::Get | QHttpServerRequest::Method::Post
    | QHttpServerRequest::Method::Put | QHttpServerRequest::Method::Delete | QHttpServerRequest::Method::Patch
    | QHttpServerRequest::Method::Head | QHttpServerRequest::Method::Options;

std::optional<HttpMethod> methodOf(const QHttpServerRequest &request)
{
    switch (request.method()) {
    case QHttpServerRequest::Method::Get:
    case QHttpServerRequest::Method::Head: return HttpMethod::Get;
    case QHttpServerRequest::Method::Post: return HttpMethod::Post;
    case QHttpServerRequest::Method::Put: return HttpMethod::Put;
    case QHttpServerRequest::Method::Delete: return HttpMethod::Delete;
    case QHttpServerRequest::Method::Patch: return HttpMethod::Patch;
    default: return std::nullopt;
    }
}

QString encodedPath(const QHttpServerRequest &request)
{
    return request.url().path(QUrl::FullyEncoded);
}

bool isUpgradeRequest(const QHttpServerRequest &request)
{
    return request.value("upgrade").toLower().contains("websocket")
        && request.value("connection").toLower().contains("upgrade");
}

QByteArray allowHeader(const QList<HttpMethod> &methods)
{
    QStringList names;
    for (HttpMethod method : methods) {
        names.append(methodName(method));
        if (method == HttpMethod::Get)
            names.append(u"HEAD"_s);
    }
    return names.join(u", "_s).toLatin1();
}

} // namespace

HttpService::HttpService(RouteTable routes, const Options &options, QObject *parent)
    : QObject(parent)
    , m_routes(std::move(routes))
    , m_options(options)
    , m_auth(options.apiKey, options.protectReads)
    , m_origins(options.allowedHosts, options.corsOrigins)
{
}

HttpService::~HttpService() = default;

void HttpService::addWebSocketPath(const QString &path)
{
    m_webSocketPaths.append(path);
}

quint16 HttpService::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QHostAddress HttpService::address() const
{
    return m_tcp ? m_tcp->serverAddress() : QHostAddress();
}

bool HttpService::listen(const QHostAddress &address, quint16 port, QString *error)
{
    m_tcp = nullptr; // a previous one belongs to the previous server, which goes now
    m_server = std::make_unique<QHttpServer>();
    registerRoutes();
    auto *tcp = new GuardedTcpServer(m_options.limits);
    if (!tcp->listen(address, port)) {
        if (error)
            *error = u"Cannot listen on %1:%2: %3"_s.arg(address.toString()).arg(port).arg(tcp->errorString());
        delete tcp;
        m_server.reset();
        return false;
    }
    m_tcp = tcp;
    tcp->setCachedResponder([this](const HttpRequestFramer::RequestHead &head) { return cachedAnswer(head); });
    m_server->bind(tcp);
    return true;
}

void HttpService::close()
{
    if (m_tcp)
        m_tcp->closeAll();
}

void HttpService::analyse(const QHttpServerRequest &request)
{
    m_current.path = encodedPath(request);
    m_current.upgrade = isUpgradeRequest(request);
    const auto method = methodOf(request);
    m_current.match = method && !m_current.upgrade ? m_routes.match(*method, m_current.path) : RouteTable::Match();
}

void HttpService::registerRoutes()
{
    // QHttpServer 6.4 tries its rules in registration order, and every rule it tries costs a heap
    // allocation (a QRegularExpressionMatch) even when our predicate decides: so one rule matches the
    // request against the whole table once and dispatches, and only the WebSocket paths have rules
    // of their own.
    t_nextPredicate = [this](const QHttpServerRequest &request) {
        analyse(request);
        return m_current.match.index >= 0;
    };
    m_server->route<PredicateRule>(u"/"_s, kAnyMethod,
                                   [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                                       dispatch(m_current.match.index, request, responder);
                                   });
    for (const QString &path : std::as_const(m_webSocketPaths)) {
        t_nextPredicate = [this, path](const QHttpServerRequest &request) {
            return m_current.upgrade && m_current.path == path && !refuseUpgrade(request);
        };
        // Writes nothing: QHttpServer then hands the socket to its QWebSocketServer (§F.5).
        m_server->route<PredicateRule>(path, kAnyMethod, [](const QHttpServerRequest &, QHttpServerResponder &&) {});
    }
    m_server->setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        answerMissing(request, responder);
    });
    connect(m_server.get(), &QAbstractHttpServer::newWebSocketConnection, this, &HttpService::takeWebSockets);
}

void HttpService::dispatch(int index, const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const Route &route = m_routes.at(index);
    if (!m_origins.hostAllowed(request.value("host")))
        return send(request, responder, ApiResponse::detail(400, u"Invalid host header"_s));

    ApiRequest apiRequest;
    apiRequest.method = route.method;
    apiRequest.path = request.url().path();
    apiRequest.pathArgs = m_current.match.args;
    apiRequest.body = request.body();
    apiRequest.remoteAddress = request.remoteAddress();

    // FastAPI decodes a JSON body before it runs the auth dependency (spec §2.3).
    if (!route.requestSchema.isEmpty() && !apiRequest.body.trimmed().isEmpty()) {
        QJsonParseError error{};
        QJsonDocument::fromJson(apiRequest.body, &error);
        const bool scalar = error.error != QJsonParseError::NoError
            && QJsonDocument::fromJson('[' + apiRequest.body + ']').isArray();
        if (error.error != QJsonParseError::NoError && !scalar)
            return send(request, responder, ApiResponse::validation({wire::jsonDecodeError(apiRequest.body)}));
    }
    if (auto refusal = m_auth.check(route.access, request.value("authorization")))
        return send(request, responder, *refusal);
    if (!route.query.isEmpty()) {
        const auto errors = RouteTable::validateQuery(route, request.query(), &apiRequest.query);
        if (!errors.isEmpty())
            return send(request, responder, ApiResponse::validation(errors));
    }

    if (route.deferredHandler)
        return runDeferred(route, apiRequest, request, responder);
    const QByteArray key = route.cacheable ? cacheKey(request) : QByteArray();
    const ApiResponse response = run(route, apiRequest, key);
    const QByteArray bytes = encode(request, response);
    m_tcp->write(responder.socket(), bytes);
    if (route.cacheable && response.status == 200)
        rememberAnswer(route, request, key, bytes);
}

QByteArray HttpService::cacheKey(const QHttpServerRequest &request) const
{
    QByteArray target = m_current.path.toUtf8();
    const QString query = request.url().query(QUrl::FullyEncoded);
    if (!query.isEmpty())
        target += '?' + query.toUtf8();
    return target;
}

void HttpService::runDeferred(const Route &route, const ApiRequest &request, const QHttpServerRequest &raw,
                              QHttpServerResponder &responder)
{
    invalidateCache(); // a command runs: what the reads show may change
    // The answer takes its place in the connection's order now; the guard holds back anything
    // pipelined behind it until it is written.
    QPointer<QTcpSocket> socket = responder.socket();
    const quint64 reservation = m_tcp->reserveAnswer(socket);
    auto answered = std::make_shared<bool>(false);
    const ApiReply reply = [self = QPointer<HttpService>(this), socket, reservation, answered,
                            origin = raw.value("origin"),
                            headersOnly = raw.method() == QHttpServerRequest::Method::Head](ApiResponse response) {
        if (std::exchange(*answered, true) || !self || !socket || !self->m_tcp)
            return;
        self->invalidateCache();
        const QByteArray bytes = self->encode(origin, headersOnly, response);
        if (reservation != 0)
            self->m_tcp->fulfil(socket, reservation, bytes);
        else
            self->m_tcp->write(socket, bytes);
    };
    try {
        route.deferredHandler(request, reply);
    } catch (const std::exception &exception) {
        qCWarning(lcApi) << "Handler of" << route.path << "failed:" << exception.what();
        reply(ApiResponse::detail(500, u"Internal Server Error"_s));
    }
}

void HttpService::rememberAnswer(const Route &route, const QHttpServerRequest &request, const QByteArray &key,
                                 const QByteArray &bytes)
{
    // Only answers that do not depend on the request's headers: no CORS headers, a body (not HEAD).
    if (request.method() != QHttpServerRequest::Method::Get || !request.value("origin").isEmpty())
        return;
    if (m_answers.size() >= kMaxCachedResponses)
        m_answers.clear();
    m_answers.insert(key, {m_generation, route.access, bytes});
}

QByteArray HttpService::cachedAnswer(const HttpRequestFramer::RequestHead &head) const
{
    // The checks dispatch() makes before it would reach the cache; anything else (a refusal, a
    // preflight, a CORS request) takes the full path, which answers it.
    if (head.method != "GET" || !head.origin.isNull() || head.repeatedHeader)
        return {};
    const auto answer = m_answers.constFind(head.target);
    if (answer == m_answers.cend() || answer->generation != m_generation)
        return {};
    if (!m_origins.hostAllowed(head.host) || m_auth.check(answer->access, head.authorization))
        return {};
    return answer->bytes;
}

ApiResponse HttpService::run(const Route &route, const ApiRequest &request, const QByteArray &key)
{
    if (route.cacheable) {
        const auto cached = m_cache.constFind(key);
        if (cached != m_cache.cend() && cached->generation == m_generation)
            return cached->response;
    }
    ApiResponse response;
    try {
        response = route.handler(request);
    } catch (const std::exception &exception) {
        qCWarning(lcApi) << "Handler of" << route.path << "failed:" << exception.what();
        response = ApiResponse::detail(500, u"Internal Server Error"_s);
    }
    if (route.method != HttpMethod::Get) {
        invalidateCache(); // a command ran: what the reads show may have changed
    } else if (route.cacheable && response.status == 200) {
        if (m_cache.size() >= kMaxCachedResponses)
            m_cache.clear();
        m_cache.insert(key, {m_generation, response});
    }
    return response;
}

void HttpService::invalidateCache()
{
    ++m_generation;
}

std::optional<ApiResponse> HttpService::refuseUpgrade(const QHttpServerRequest &request) const
{
    if (!m_origins.hostAllowed(request.value("host")))
        return ApiResponse::detail(400, u"Invalid host header"_s);
    if (!isUpgradeRequest(request)) {
        return ApiResponse::detail(426, u"WebSocket upgrade required"_s)
            .withHeader("Upgrade", "websocket")
            .withHeader("Connection", "Upgrade");
    }
    // Browsers always send Origin on a WebSocket handshake; without this check any web page could
    // drive the API through the user's browser (cross-site WebSocket hijacking).
    const QByteArray origin = request.value("origin");
    if (!origin.isEmpty() && !m_origins.originAllowed(origin))
        return ApiResponse::detail(403, u"Origin not allowed"_s);
    if (m_auth.protectReads()) {
        const QString token = request.query().queryItemValue(u"token"_s, QUrl::FullyDecoded);
        if (token.isEmpty() || !m_auth.acceptsToken(token)) {
            QByteArray authorization = request.value("authorization");
            if (!token.isEmpty())
                authorization = "Bearer " + token.toUtf8();
            if (auto refusal = m_auth.check(Access::Read, authorization))
                return refusal;
        }
    }
    return std::nullopt;
}

std::optional<ApiResponse> HttpService::preflight(const QHttpServerRequest &request) const
{
    const QByteArray origin = request.value("origin");
    if (request.method() != QHttpServerRequest::Method::Options || origin.isEmpty()
        || request.value("access-control-request-method").isEmpty())
        return std::nullopt;
    if (!m_origins.originAllowed(origin))
        return ApiResponse::detail(400, u"Disallowed CORS origin"_s);
    ApiResponse response = ApiResponse::text("OK", "text/plain; charset=utf-8");
    response.withHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
        .withHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
        .withHeader("Access-Control-Max-Age", "600");
    return response;
}

void HttpService::answerMissing(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    if (!m_origins.hostAllowed(request.value("host")))
        return send(request, responder, ApiResponse::detail(400, u"Invalid host header"_s));
    const QString path = m_current.path;
    if (m_webSocketPaths.contains(path) && request.method() != QHttpServerRequest::Method::Options) {
        if (auto refusal = refuseUpgrade(request))
            return send(request, responder, *refusal);
    }
    // Only the WebSocket paths upgrade; anything else must not reach QHttpServer's upgrade branch.
    if (m_current.upgrade)
        return send(request, responder, ApiResponse::detail(404, u"Not Found"_s));
    if (auto answer = preflight(request))
        return send(request, responder, *answer);
    const QList<HttpMethod> allowed = m_routes.methodsFor(path);
    if (!allowed.isEmpty()) {
        return send(request, responder,
                    ApiResponse::detail(405, u"Method Not Allowed"_s).withHeader("Allow", allowHeader(allowed)));
    }
    // Starlette redirects a trailing slash to the route without it.
    if (path.size() > 1 && path.endsWith(u'/')) {
        const QString trimmed = path.chopped(1);
        if (!m_routes.methodsFor(trimmed).isEmpty()) {
            QUrl location = request.url();
            location.setPath(QUrl::fromPercentEncoding(trimmed.toUtf8()));
            return send(request, responder,
                        ApiResponse::text({}, "text/plain", 307)
                            .withHeader("Location", location.toString(QUrl::RemoveScheme | QUrl::RemoveAuthority
                                                                      | QUrl::FullyEncoded)
                                                        .toUtf8()));
        }
    }
    send(request, responder, ApiResponse::detail(404, u"Not Found"_s));
}

void HttpService::send(const QHttpServerRequest &request, QHttpServerResponder &responder, ApiResponse response) const
{
    // One buffer, one write: QHttpServerResponder 6.4 writes every header in four pieces.
    m_tcp->write(responder.socket(), encode(request, response));
}

QByteArray HttpService::encode(const QHttpServerRequest &request, const ApiResponse &response) const
{
    return encode(request.value("origin"), request.method() == QHttpServerRequest::Method::Head, response);
}

QByteArray HttpService::encode(const QByteArray &origin, bool headersOnly, const ApiResponse &response) const
{
    QByteArray out;
    out.reserve(256 + response.body.size());
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    out += "Content-Type: " + response.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    out += "X-Content-Type-Options: nosniff\r\n";
    if (!origin.isEmpty() && m_origins.originAllowed(origin))
        out += "Access-Control-Allow-Origin: " + origin + "\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin\r\n";
    for (const auto &[name, value] : std::as_const(response.headers))
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    if (!headersOnly)
        out += response.body;
    return out;
}

void HttpService::takeWebSockets()
{
    while (std::unique_ptr<QWebSocket> socket = m_server->nextPendingWebSocketConnection()) {
        QTcpSocket *raw = m_tcp ? m_tcp->findSocket(socket->peerAddress(), socket->peerPort()) : nullptr;
        emit webSocketConnected(socket.release(), raw);
    }
}

} // namespace agentdesk
