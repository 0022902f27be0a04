#pragma once

#include "httpservice.h"
#include "wshub.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <memory>

namespace agentdesk {

class Organism;
struct OrganismConfig;
namespace metrics {
class OrganismMetrics;
}

// The shortest API key accepted for a non-loopback bind.
inline constexpr int kMinRemoteApiKeyLength = 16;

struct ApiServerOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8765;
    HttpService::Options http;
    WsHub::Limits ws;

    // api.* and auth.* of the config. The key is read from the environment variable that
    // auth.api_key_env names; set but empty disables auth with a warning, as in the original.
    static ApiServerOptions fromConfig(const OrganismConfig &config, QStringList *warnings = nullptr);
};

// The AgentServer API of one Organism on one port: REST under /api/v1, /health, /openapi.json,
// /docs, /metrics, and WebSockets at /ws and /ws/messages. Composition only: HttpService serves the
// route table, WsHub pushes events, OrganismMetrics counts for /metrics, routes/*.cpp hold the endpoints.
class ApiServer : public QObject
{
    Q_OBJECT
public:
    ApiServer(Organism *organism, const ApiServerOptions &options, QObject *parent = nullptr);
    ~ApiServer() override;

    // Listens. Refuses a non-loopback address without an API key (decision 10), or with a key shorter
    // than kMinRemoteApiKeyLength, and says why.
    bool start(QString *error);
    // Stops accepting connections and closes WebSocket clients (going away).
    void stop();

    quint16 port() const;
    QHostAddress address() const;
    const RouteTable &routes() const;
    HttpService *http() const { return m_http; }
    WsHub *hub() const { return m_hub; }
    metrics::OrganismMetrics *metrics() const { return m_metrics.get(); }
    QByteArray openApiDocument() const { return m_openApi; }

private:
    RouteTable buildRoutes();
    void scrapeMetrics(ApiReply reply);

    QPointer<Organism> m_organism;
    ApiServerOptions m_options;
    std::unique_ptr<metrics::OrganismMetrics> m_metrics; // before m_http: it counts the answers
    HttpService *m_http = nullptr;
    WsHub *m_hub = nullptr;
    QByteArray m_openApi;
    QByteArray m_docsPage;
};

} // namespace agentdesk
