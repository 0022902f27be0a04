#include "apiserver.h"

#include "jsonwriter.h"
#include "openapi.h"
#include "organism.h"
#include "organismmetrics.h"
#include "routes/routes.h"

#include <QLoggingCategory>
#include <QWebSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// Route groups that document their own shapes add them to the generated components.
QCborMap withRouteGroupSchemas(QCborMap document)
{
    QCborMap components = document.value(u"components"_s).toMap();
    QCborMap schemas = components.value(u"schemas"_s).toMap();
    for (const QCborMap &group : {usageSchemas(), llmSchemas()}) {
        for (auto it = group.cbegin(); it != group.cend(); ++it)
            schemas.insert(it.key(), it.value());
    }
    components[u"schemas"_s] = schemas;
    document[u"components"_s] = components;
    return document;
}

} // namespace

ApiServerOptions ApiServerOptions::fromConfig(const OrganismConfig &config, QStringList *warnings)
{
    ApiServerOptions options;
    const ApiConfig &api = config.api;
    options.address = api.bind.isEmpty() ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(api.bind);
    if (api.bind == u"localhost")
        options.address = QHostAddress::LocalHost;
    options.port = quint16(api.port);
    options.http.allowedHosts = api.allowedHosts;
    options.http.corsOrigins = api.corsOrigins;
    options.http.limits.request.maxBodyBytes = api.maxBodyBytes;
    options.http.limits.maxConnections = api.maxConnections;
    // One client (address) may hold a quarter of the slots; beyond that it gives up its own oldest idle one.
    options.http.limits.maxConnectionsPerClient = std::max(1, api.maxConnections / 4);
    options.http.limits.idleTimeoutMs = api.idleTimeoutSeconds * 1000;
    options.ws.client.maxIncomingMessageBytes = api.maxBodyBytes;
    const QString env = config.auth.apiKeyEnv;
    if (!env.isEmpty()) {
        options.http.apiKey = qgetenv(env.toLocal8Bit().constData());
        if (options.http.apiKey.isEmpty() && warnings) {
            warnings->append(
                u"auth.api_key_env names %1, which is not set or empty: API authentication is off"_s.arg(env));
        }
    }
    options.http.protectReads = config.auth.protectReads;
    if (config.auth.protectReads && options.http.apiKey.isEmpty() && warnings)
        warnings->append(u"auth.protect_reads is set but there is no API key: reads stay open"_s);
    return options;
}

ApiServer::ApiServer(Organism *organism, const ApiServerOptions &options, QObject *parent)
    : QObject(parent)
    , m_organism(organism)
    , m_options(options)
    , m_metrics(std::make_unique<metrics::OrganismMetrics>(organism))
{
    m_http = new HttpService(buildRoutes(), options.http, this);
    m_http->setAnswerObserver(
        [http = &m_metrics->http()](const QString &route, const QByteArray &method, int status, double seconds) {
            http->requestAnswered(route, method, status, seconds);
        });
    m_http->addWebSocketPath(u"/ws"_s);
    m_http->addWebSocketPath(u"/ws/messages"_s);
    m_hub = new WsHub(organism, &m_http->auth(), options.ws, this);
    connect(m_http, &HttpService::webSocketConnected, m_hub, &WsHub::addConnection);
    // Any change of the organism's state invalidates the cached read responses.
    const auto invalidate = [this] { m_http->invalidateCache(); };
    connect(organism, &Organism::messagesRecorded, m_http, invalidate);
    connect(organism, &Organism::agentsChanged, m_http, invalidate);
    connect(organism, &Organism::threadsCreated, m_http, invalidate);
    connect(organism, &Organism::threadsUpdated, m_http, invalidate);
    connect(organism, &Organism::errorsRaised, m_http, invalidate);
    connect(organism, &Organism::usageRecorded, m_http, invalidate);
    connect(organism, &Organism::budgetEvents, m_http, invalidate);
    connect(organism, &Organism::usageStateChanged, m_http, invalidate);
    connect(organism, &Organism::statusChanged, m_http, invalidate);
    connect(organism, &Organism::reloaded, m_http, invalidate);
    connect(organism, &Organism::stopped, m_http, invalidate);
    // Reads answer from what the history has committed: a commit may change them too.
    connect(organism, &Organism::historyCommitted, m_http, invalidate);
    connect(organism, &Organism::historyHealthChanged, m_http, invalidate);

    OpenApiOptions openApi;
    openApi.authEnabled = m_http->auth().enabled();
    openApi.protectReads = m_http->auth().protectReads();
    const QCborMap document = withRouteGroupSchemas(buildOpenApi(m_http->routes(), openApi));
    m_openApi = wire::writeJson(document);
    m_docsPage = renderDocsPage(document);
}

ApiServer::~ApiServer()
{
    // WebSocket clients first, while the TCP sockets under them still exist.
    delete m_hub;
    delete m_http;
}

RouteTable ApiServer::buildRoutes()
{
    RouteTable table;
    Organism *organism = m_organism.data();
    addHealthRoutes(table, organism);
    addOrganismRoutes(table, organism);
    addCapabilityRoutes(table, organism);
    addAgentRoutes(table, organism);
    addThreadRoutes(table, organism);
    addMessageRoutes(table, organism);
    addInjectRoutes(table, organism);
    addUsageRoutes(table, organism);
    addLlmRoutes(table, organism);
    addMetricsRoutes(table, [this](ApiReply reply) { scrapeMetrics(std::move(reply)); });

    Route openApi;
    openApi.path = u"/openapi.json"_s;
    openApi.access = Access::Open;
    openApi.operationId = u"openapi"_s;
    openApi.summary = u"This document"_s;
    openApi.tag = u"documentation"_s;
    openApi.handler = [this](const ApiRequest &) { return ApiResponse::text(m_openApi, "application/json"); };
    table.add(openApi);

    Route docs;
    docs.path = u"/docs"_s;
    docs.access = Access::Open;
    docs.operationId = u"docs"_s;
    docs.summary = u"This document as a readable page"_s;
    docs.tag = u"documentation"_s;
    docs.responseContentType = "text/html";
    docs.handler = [this](const ApiRequest &) { return ApiResponse::text(m_docsPage, "text/html; charset=utf-8"); };
    table.add(docs);
    return table;
}

void ApiServer::scrapeMetrics(ApiReply reply)
{
    // The server's own figures are read now; the organism's are read by the collector. The text is
    // written off this thread (OrganismMetrics::renderExposition).
    metrics::HttpMetrics &http = m_metrics->http();
    const int connections = m_http->server() ? m_http->server()->connectionCount() : 0;
    http.setOpenConnections(connections, m_hub->clientCount(WsClient::Kind::Control),
                            m_hub->clientCount(WsClient::Kind::Messages));
    http.setWebSocketDrops(m_hub->stats().clientsRefused, m_hub->stats().clientsOverflowed);
    m_metrics->renderExposition([reply = std::move(reply)](const QByteArray &text) {
        reply(ApiResponse::text(text, metrics::MetricsRegistry::kContentType));
    });
}

bool ApiServer::start(QString *error)
{
    const QHostAddress address = m_options.address;
    const qsizetype keyLength = m_options.http.apiKey.size();
    if (!address.isLoopback() && m_http->auth().enabled() && keyLength < kMinRemoteApiKeyLength) {
        if (error) {
            *error = u"Refusing to serve the API on %1: the API key is %2 character(s) long, and a key that "
                     u"guards a non-loopback address must have at least %3 (anyone who can reach this machine "
                     u"could guess a short one). Put a longer random key in the environment variable that "
                     u"auth.api_key_env names (e.g. `openssl rand -hex 24`), or bind to 127.0.0.1."_s
                         .arg(address.toString())
                         .arg(keyLength)
                         .arg(kMinRemoteApiKeyLength);
        }
        return false;
    }
    if (!address.isLoopback() && !m_http->auth().enabled()) {
        if (error) {
            *error = u"Refusing to serve the API on %1: it is not a loopback address and no API key is configured, "
                     u"so anyone who can reach this machine could inject messages, kill threads and stop the "
                     u"organism. Set auth.api_key_env to the name of an environment variable holding a key (and "
                     u"set that variable), or bind to 127.0.0.1."_s.arg(address.toString());
        }
        return false;
    }
    return m_http->listen(address, m_options.port, error);
}

void ApiServer::stop()
{
    m_http->close();
    m_hub->closeAll();
}

quint16 ApiServer::port() const
{
    return m_http->port();
}

QHostAddress ApiServer::address() const
{
    return m_http->address();
}

const RouteTable &ApiServer::routes() const
{
    return m_http->routes();
}

} // namespace agentdesk
