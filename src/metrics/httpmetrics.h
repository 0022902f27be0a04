#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include <QByteArray>
#include <QHash>
#include <QString>

namespace agentdesk::metrics {

class MetricsRegistry;

// The API server's traffic: requests by route template (never the raw path, so the number of series
// stays bounded) and status, their duration, and the connections open at scrape time. Fed by the
// server after each answer; the series of a route, method and status are looked up once and then kept.
class HttpMetrics
{
public:
    // The route of a request that matched none (404, 405, a refused Host): one series for them all.
    static constexpr const char *kUnmatchedRoute = "unmatched";

    explicit HttpMetrics(MetricsRegistry &registry);

    // One answered request. `route` is the template (/api/v1/threads/{thread_id}), or empty when the
    // request matched no route; `method` as sent (an unknown one counts as "other"); `seconds` from the
    // complete request to its answer.
    void requestAnswered(const QString &route, const QByteArray &method, int status, double seconds);
    // What the server counts itself, handed over before each scrape: connections open now, and the
    // WebSocket clients refused and closed for overflow since it started.
    void setOpenConnections(int http, int webSocketControl, int webSocketMessages);
    void setWebSocketDrops(qint64 refused, qint64 overflowed);

private:
    struct SeriesKey
    {
        QString route;
        QByteArray method;
        int status = 0; // 0 for the duration series (by route and method)
        friend bool operator==(const SeriesKey &a, const SeriesKey &b)
        {
            return a.status == b.status && a.method == b.method && a.route == b.route;
        }
        friend size_t qHash(const SeriesKey &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.route, key.method, key.status);
        }
    };

    static QByteArray knownMethod(const QByteArray &method);

    prometheus::Family<prometheus::Counter> &m_requests;
    prometheus::Family<prometheus::Histogram> &m_duration;
    prometheus::Gauge &m_httpConnections;
    prometheus::Counter &m_clientsRefused;
    prometheus::Counter &m_clientsOverflowed;
    prometheus::Gauge *m_controlClients = nullptr;
    prometheus::Gauge *m_messageClients = nullptr;
    qint64 m_lastRefused = 0;
    qint64 m_lastOverflowed = 0;
    QHash<SeriesKey, prometheus::Counter *> m_requestSeries;
    QHash<SeriesKey, prometheus::Histogram *> m_durationSeries;
};

} // namespace agentdesk::metrics
