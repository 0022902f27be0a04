#include "httpmetrics.h"

#include "metricsregistry.h"

#include <algorithm>
#include <array>

namespace agentdesk::metrics {

namespace {

// Answers from the response cache take microseconds, an inject waits for its commit (milliseconds),
// a large page of messages may take a second.
const prometheus::Histogram::BucketBoundaries kDurationBounds{0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                              0.05,   0.1,    0.25,  0.5,    1,     2.5,  5};

} // namespace

HttpMetrics::HttpMetrics(MetricsRegistry &registry)
    : m_requests(registry.counters("agentdesk_http_requests_total",
                                   "HTTP requests answered, by route template, method and status"))
    , m_duration(registry.histograms("agentdesk_http_request_duration_seconds",
                                     "From a complete HTTP request to its answer, by route template and method"))
    , m_httpConnections(registry.gauges("agentdesk_http_connections", "Open HTTP connections").Add({}))
    , m_clientsRefused(registry
                           .counters("agentdesk_websocket_clients_refused_total",
                                     "WebSocket clients refused (too many in all or from one client)")
                           .Add({}))
    , m_clientsOverflowed(registry
                              .counters("agentdesk_websocket_clients_overflowed_total",
                                        "WebSocket clients closed because they read too slowly")
                              .Add({}))
{
    auto &clients = registry.gauges("agentdesk_websocket_clients", "Connected WebSocket clients, by endpoint");
    m_controlClients = &clients.Add({{"endpoint", "/ws"}});
    m_messageClients = &clients.Add({{"endpoint", "/ws/messages"}});
}

QByteArray HttpMetrics::knownMethod(const QByteArray &method)
{
    static const std::array<QByteArray, 7> known{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
    for (const QByteArray &candidate : known) {
        if (method == candidate)
            return candidate;
    }
    return QByteArrayLiteral("other");
}

void HttpMetrics::requestAnswered(const QString &route, const QByteArray &method, int status, double seconds)
{
    SeriesKey key{route, knownMethod(method), status};
    auto requests = m_requestSeries.constFind(key);
    if (requests == m_requestSeries.cend()) {
        const std::string routeLabel = route.isEmpty() ? std::string(kUnmatchedRoute) : route.toStdString();
        auto &counter = m_requests.Add(
            {{"route", routeLabel}, {"method", key.method.toStdString()}, {"status", std::to_string(status)}});
        requests = m_requestSeries.insert(key, &counter);
    }
    (*requests)->Increment();

    key.status = 0;
    auto duration = m_durationSeries.constFind(key);
    if (duration == m_durationSeries.cend()) {
        const std::string routeLabel = route.isEmpty() ? std::string(kUnmatchedRoute) : route.toStdString();
        auto &histogram = m_duration.Add({{"route", routeLabel}, {"method", key.method.toStdString()}},
                                         kDurationBounds);
        duration = m_durationSeries.insert(key, &histogram);
    }
    (*duration)->Observe(seconds);
}

void HttpMetrics::setOpenConnections(int http, int webSocketControl, int webSocketMessages)
{
    m_httpConnections.Set(http);
    m_controlClients->Set(webSocketControl);
    m_messageClients->Set(webSocketMessages);
}

void HttpMetrics::setWebSocketDrops(qint64 refused, qint64 overflowed)
{
    // The hub counts since it started; the counters take the difference since the last scrape.
    m_clientsRefused.Increment(double(std::max<qint64>(0, refused - m_lastRefused)));
    m_clientsOverflowed.Increment(double(std::max<qint64>(0, overflowed - m_lastOverflowed)));
    m_lastRefused = std::max(m_lastRefused, refused);
    m_lastOverflowed = std::max(m_lastOverflowed, overflowed);
}

} // namespace agentdesk::metrics
