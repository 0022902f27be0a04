#include "httpservice.h"

#include "injectjson.h"
#include "jsonparser.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>
#include <QWebSocket>

#include <exception>
#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcApi, "agentdesk.api")

namespace agentdesk {

namespace {

constexpr qsizetype kMaxCachedResponses = 512;

std::optional<HttpMethod> methodOf(const QByteArray &method)
{
    if (method == "GET" || method == "HEAD")
        return HttpMethod::Get;
    if (method == "POST")
        return HttpMethod::Post;
    if (method == "PUT")
        return HttpMethod::Put;
    if (method == "DELETE")
        return HttpMethod::Delete;
    if (method == "PATCH")
        return HttpMethod::Patch;
    return std::nullopt;
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

// The path (percent-encoded, with QUrl's normalisation of needless escapes) and the query of a
// request target in origin form ("/p?q") or absolute form ("http://host/p?q").
std::pair<QString, QString> splitTarget(const QByteArray &target)
{
    QByteArrayView rest(target);
    if (!rest.startsWith('/')) {
        const qsizetype scheme = rest.indexOf("://");
        const qsizetype slash = scheme < 0 ? -1 : rest.indexOf('/', scheme + 3);
        if (scheme >= 0)
            rest = slash < 0 ? QByteArrayView("/") : rest.sliced(slash);
    }
    if (const qsizetype hash = rest.indexOf('#'); hash >= 0)
        rest.truncate(hash);
    const qsizetype question = rest.indexOf('?');
    const QByteArrayView path = question < 0 ? rest : rest.first(question);
    const QByteArrayView query = question < 0 ? QByteArrayView() : rest.sliced(question + 1);
    const QString encodedPath = path.contains('%')
        ? QUrl::fromEncoded(QByteArray("http://h" + path.toByteArray())).path(QUrl::FullyEncoded)
        : QString::fromUtf8(path);
    return {encodedPath, QString::fromUtf8(query)};
}

} // namespace

// One request as the service works on it.
struct HttpService::Request
{
    HttpConnection *connection;
    const HttpRequest &http;
    QString path;         // percent-encoded
    QString query;        // encoded, without '?'
    qint64 startedNs = 0; // on m_clock
    QString route;        // the template that matched, once routed (or the WebSocket path)
    const HttpRequestFramer::RequestHead &head() const { return http.head; }
    bool headersOnly() const { return http.head.method == "HEAD"; }
};

HttpService::HttpService(RouteTable routes, const Options &options, QObject *parent)
    : QObject(parent)
    , m_routes(std::move(routes))
    , m_options(options)
    , m_auth(options.apiKey, options.protectReads)
    , m_origins(options.allowedHosts, options.corsOrigins)
{
    m_clock.start();
}

HttpService::~HttpService() = default;

void HttpService::addWebSocketPath(const QString &path)
{
    m_webSocketPaths.append(path);
}

quint16 HttpService::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QHostAddress HttpService::address() const
{
    return m_server ? m_server->serverAddress() : QHostAddress();
}

bool HttpService::listen(const QHostAddress &address, quint16 port, QString *error)
{
    m_server.reset(); // a previous server ends with its connections
    auto server = std::make_unique<HttpServer>(
        m_options.limits, [this](HttpConnection *connection, const HttpRequest &http) { handle(connection, http); });
    if (!server->listen(address, port)) {
        if (error)
            *error = u"Cannot listen on %1:%2: %3"_s.arg(address.toString()).arg(port).arg(server->errorString());
        return false;
    }
    connect(server.get(), &HttpServer::webSocketConnected, this, &HttpService::webSocketConnected);
    m_server = std::move(server);
    return true;
}

void HttpService::close()
{
    if (m_server)
        m_server->closeAll();
}

void HttpService::invalidateCache()
{
    ++m_generation;
}

// ------------------------------------------------------------------------------------------ routing

void HttpService::handle(HttpConnection *connection, const HttpRequest &http)
{
    const qint64 startedNs = m_clock.nsecsElapsed();
    if (!http.upgrade && answerFromCache(connection, http, startedNs))
        return;
    const auto [path, query] = splitTarget(http.head.target);
    Request request{connection, http, path, query, startedNs, {}};
    if (!m_origins.hostAllowed(http.head.host)) {
        send(request, ApiResponse::detail(400, u"Invalid host header"_s));
        return;
    }
    if (http.upgrade)
        return handleUpgrade(request);
    if (http.head.repeatedHeader) {
        send(request,
             ApiResponse::detail(400,
                                 u"Origin, Authorization, Content-Type and Sec-Fetch-Site may each "
                                 u"be sent once"_s));
        return;
    }
    const auto method = methodOf(http.head.method);
    const RouteTable::Match match = method ? m_routes.match(*method, path) : RouteTable::Match();
    if (!match.found())
        return answerMissing(request);
    const Route &route = m_routes.at(match.index);
    request.route = route.path;
    dispatch(request, route, match.args);
}

bool HttpService::answerFromCache(HttpConnection *connection, const HttpRequest &http, qint64 startedNs)
{
    // A plain GET whose target already had a 200 answer since the last change: the same bytes again,
    // after the checks the full path would make first (Host, credentials). Routing and validation
    // need not run again: the target is the same byte for byte.
    const HttpRequestFramer::RequestHead &head = http.head;
    if (head.method != "GET" || !head.origin.isNull() || head.repeatedHeader || http.closeRequested)
        return false;
    const auto cached = m_cache.constFind(head.target);
    if (cached == m_cache.cend() || cached->generation != m_generation || cached->plainBytes.isEmpty())
        return false;
    if (!m_origins.hostAllowed(head.host) || m_auth.check(cached->access, head.authorization))
        return false;
    ++m_cachedAnswers;
    connection->respond(cached->plainBytes);
    observe(cached->route, head.method, cached->response.status, startedNs);
    return true;
}

std::optional<ApiResponse> HttpService::refuseBeforeHandler(const Request &request, const Route &route,
                                                            const QStringList &args, ApiRequest *apiRequest) const
{
    const HttpRequestFramer::RequestHead &head = request.head();
    if (route.method != HttpMethod::Get) {
        const OriginPolicy::StateChange change{head.origin, head.host, head.secFetchSite, head.contentType,
                                               !request.http.body.isEmpty()};
        if (auto refusal = m_origins.crossSiteRefusal(change))
            return ApiResponse::detail(403, *refusal);
    }
    // FastAPI decodes a JSON body before it runs the auth dependency (spec §2.3).
    const QByteArray &body = request.http.body;
    if (!route.requestSchema.isEmpty() && !body.trimmed().isEmpty()) {
        QJsonParseError error{};
        QJsonDocument::fromJson(body, &error);
        const bool scalar = error.error != QJsonParseError::NoError && wire::parseJsonScalar(body).has_value();
        if (error.error != QJsonParseError::NoError && !scalar)
            return ApiResponse::validation({wire::jsonDecodeError(body)});
    }
    if (auto refusal = m_auth.check(route.access, head.authorization))
        return refusal;
    QList<wire::ValidationError> errors = RouteTable::validatePath(route, args);
    if (!route.query.isEmpty())
        errors += RouteTable::validateQuery(route, QUrlQuery(request.query), &apiRequest->query);
    if (!errors.isEmpty())
        return ApiResponse::validation(errors);
    return std::nullopt;
}

void HttpService::dispatch(const Request &request, const Route &route, const QStringList &args)
{
    ApiRequest apiRequest;
    apiRequest.method = route.method;
    apiRequest.path = QUrl::fromPercentEncoding(request.path.toUtf8());
    apiRequest.pathArgs = args;
    apiRequest.body = request.http.body;
    apiRequest.remoteAddress = request.connection->peerAddress();
    if (auto refusal = refuseBeforeHandler(request, route, args, &apiRequest)) {
        send(request, *refusal);
        return;
    }
    if (route.deferredHandler)
        return runDeferred(request, route, apiRequest);

    const QByteArray &target = request.head().target;
    if (route.cacheable) {
        const auto cached = m_cache.find(target);
        if (cached != m_cache.end() && cached->generation == m_generation) {
            const QByteArray bytes = send(request, cached->response);
            if (cached->plainBytes.isEmpty() && request.head().method == "GET" && request.head().origin.isNull()
                && !request.http.closeRequested)
                cached->plainBytes = bytes;
            return;
        }
    }
    const ApiResponse response = run(route, apiRequest);
    const QByteArray bytes = send(request, response);
    if (route.cacheable && response.status == 200) {
        if (m_cache.size() >= kMaxCachedResponses)
            m_cache.clear();
        const bool plain = request.head().method == "GET" && request.head().origin.isNull()
            && !request.http.closeRequested;
        m_cache.insert(target, {m_generation, route.access, route.path, response, plain ? bytes : QByteArray()});
    }
}

ApiResponse HttpService::run(const Route &route, const ApiRequest &apiRequest)
{
    ApiResponse response;
    try {
        response = route.handler(apiRequest);
    } catch (const std::exception &exception) {
        qCWarning(lcApi) << "Handler of" << route.path << "failed:" << exception.what();
        response = ApiResponse::detail(500, u"Internal Server Error"_s);
    }
    if (route.method != HttpMethod::Get)
        invalidateCache(); // a command ran: what the reads show may have changed
    return response;
}

void HttpService::runDeferred(const Request &request, const Route &route, const ApiRequest &apiRequest)
{
    // A command runs: what the reads show may change (a deferred read, /metrics, changes nothing).
    const bool command = route.method != HttpMethod::Get;
    if (command)
        invalidateCache();
    // The answer takes its place in the connection's order now; what is pipelined behind it waits.
    const QPointer<HttpConnection> connection = request.connection;
    const quint64 reservation = request.connection->reserveAnswer();
    auto answered = std::make_shared<bool>(false);
    const ApiReply reply = [self = QPointer<HttpService>(this), connection, reservation, answered,
                            origin = request.head().origin, headersOnly = request.headersOnly(),
                            close = request.http.closeRequested, route = request.route, method = request.head().method,
                            startedNs = request.startedNs, command](ApiResponse response) {
        if (std::exchange(*answered, true) || !self)
            return;
        if (command)
            self->invalidateCache();
        if (connection)
            connection->fulfil(reservation, self->encode(origin, headersOnly, close, response));
        self->observe(route, method, response.status, startedNs);
    };
    try {
        route.deferredHandler(apiRequest, reply);
    } catch (const std::exception &exception) {
        qCWarning(lcApi) << "Handler of" << route.path << "failed:" << exception.what();
        reply(ApiResponse::detail(500, u"Internal Server Error"_s));
    }
}

void HttpService::answerMissing(Request &request)
{
    const QString &path = request.path;
    if (m_webSocketPaths.contains(path) && request.head().method != "OPTIONS") {
        request.route = path;
        if (auto refusal = webSocketRefusal(request)) {
            send(request, *refusal);
            return;
        }
    }
    if (auto answer = preflight(request)) {
        send(request, *answer);
        return;
    }
    const QList<HttpMethod> allowed = m_routes.methodsFor(path);
    if (!allowed.isEmpty()) {
        send(request, ApiResponse::detail(405, u"Method Not Allowed"_s).withHeader("Allow", allowHeader(allowed)));
        return;
    }
    // Starlette redirects a trailing slash to the route without it.
    if (path.size() > 1 && path.endsWith(u'/')) {
        const QString trimmed = path.chopped(1);
        if (!m_routes.methodsFor(trimmed).isEmpty()) {
            const QString location = request.query.isEmpty() ? trimmed : trimmed + u'?' + request.query;
            send(request, ApiResponse::text({}, "text/plain", 307).withHeader("Location", location.toUtf8()));
            return;
        }
    }
    send(request, ApiResponse::detail(404, u"Not Found"_s));
}

std::optional<ApiResponse> HttpService::preflight(const Request &request) const
{
    const QByteArray &origin = request.head().origin;
    if (request.head().method != "OPTIONS" || origin.isEmpty() || request.head().accessControlRequestMethod.isEmpty())
        return std::nullopt;
    if (!m_origins.originAllowed(origin))
        return ApiResponse::detail(400, u"Disallowed CORS origin"_s);
    ApiResponse response = ApiResponse::text("OK", "text/plain; charset=utf-8");
    response.withHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
        .withHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
        .withHeader("Access-Control-Max-Age", "600");
    return response;
}

// ------------------------------------------------------------------------------------------ WebSocket

void HttpService::handleUpgrade(Request &request)
{
    // Only the WebSocket paths upgrade; a handshake anywhere else is an unknown resource.
    if (!m_webSocketPaths.contains(request.path)) {
        send(request, ApiResponse::detail(404, u"Not Found"_s));
        return;
    }
    request.route = request.path;
    if (auto refusal = webSocketRefusal(request)) {
        send(request, *refusal);
        return;
    }
    request.connection->acceptUpgrade();
    observe(request.route, request.head().method, 101, request.startedNs);
}

std::optional<ApiResponse> HttpService::webSocketRefusal(const Request &request) const
{
    const HttpRequestFramer::RequestHead &head = request.head();
    if (!request.http.upgrade) {
        return ApiResponse::detail(426, u"WebSocket upgrade required"_s)
            .withHeader("Upgrade", "websocket")
            .withHeader("Connection", "Upgrade");
    }
    if (head.method != "GET")
        return ApiResponse::detail(400, u"A WebSocket handshake is a GET request"_s);
    // Browsers always send Origin on a WebSocket handshake; without this check any web page could
    // drive the API through the user's browser (cross-site WebSocket hijacking).
    if (!head.origin.isEmpty() && !m_origins.originAllowed(head.origin))
        return ApiResponse::detail(403, u"Origin not allowed"_s);
    if (m_auth.protectReads()) {
        const QString token = QUrlQuery(request.query).queryItemValue(u"token"_s, QUrl::FullyDecoded);
        if (token.isEmpty() || !m_auth.acceptsToken(token)) {
            QByteArray authorization = head.authorization;
            if (!token.isEmpty())
                authorization = "Bearer " + token.toUtf8();
            if (auto refusal = m_auth.check(Access::Read, authorization))
                return refusal;
        }
    }
    return std::nullopt;
}

// ------------------------------------------------------------------------------------------ writing

QByteArray HttpService::send(const Request &request, const ApiResponse &response) const
{
    // A refused handshake ends the connection: what the client sends next is WebSocket frames.
    const bool close = request.http.closeRequested || request.http.upgrade;
    QByteArray bytes = encode(request.head().origin, request.headersOnly(), close, response);
    if (request.http.upgrade)
        request.connection->respondAndClose(bytes);
    else
        request.connection->respond(bytes);
    observe(request.route, request.head().method, response.status, request.startedNs);
    return bytes;
}

void HttpService::observe(const QString &route, const QByteArray &method, int status, qint64 startedNs) const
{
    if (m_answerObserver)
        m_answerObserver(route, method, status, double(m_clock.nsecsElapsed() - startedNs) / 1e9);
}

QByteArray HttpService::encode(const QByteArray &origin, bool headersOnly, bool close,
                               const ApiResponse &response) const
{
    QByteArray out;
    out.reserve(256 + response.body.size());
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    out += "Content-Type: " + response.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    out += "X-Content-Type-Options: nosniff\r\n";
    if (close)
        out += "Connection: close\r\n";
    if (!origin.isEmpty() && m_origins.originAllowed(origin))
        out += "Access-Control-Allow-Origin: " + origin
            + "\r\nAccess-Control-Allow-Credentials: true\r\nVary: Origin\r\n";
    for (const auto &[name, value] : std::as_const(response.headers))
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    if (!headersOnly)
        out += response.body;
    return out;
}

} // namespace agentdesk
