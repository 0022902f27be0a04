#pragma once

#include "domain/usage.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <map>

namespace agentdesk {

class Session;

// One bar of the token-rate chart: the tokens a model used in one minute.
struct TokenRatePoint
{
    QDateTime bucketStart; // UTC, on the minute
    QString model;
    qint64 tokens = 0;
    bool operator==(const TokenRatePoint &other) const = default;
};

// Tokens per minute and per model over the last N minutes, as plain data for the window's chart
// adapter (charts live in src/gui; this knows nothing of them). Seeded from the usage history when the
// session connects, then kept current from usageRecorded; minutes that fall out of the window are
// dropped as the clock moves on.
class TokenRateSeries final : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;

    explicit TokenRateSeries(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(TokenRateSeries)

    void setWindowMinutes(int minutes); // default 30; reloads from the history
    int windowMinutes() const { return m_minutes; }
    void setClock(Clock clock); // the current UTC time (tests drive it); reloads from the history

    QDateTime windowStart() const; // start of the oldest minute in the window
    QDateTime windowEnd() const;   // start of the current minute (the newest bucket)
    QList<TokenRatePoint> points() const; // buckets with tokens, by time, then by model
    QStringList models() const;           // models with tokens in the window, first seen first
    QList<qint64> tokensPerMinute(const QString &model) const; // windowMinutes() values, oldest first
    qint64 peakTokensPerMinute() const; // the largest bucket of any model (for an axis range)
    bool isLoading() const { return m_loading; }
    // Why the session cannot say (a server that keeps no usage over time), or empty.
    QString unavailableReason() const { return m_unavailable; }

    void advance(); // drops minutes that left the window; the series calls it itself every few seconds
    void reload();

signals:
    void changed();

private:
    qint64 minuteOf(const QDateTime &time) const { return time.toMSecsSinceEpoch() / 60000; }
    qint64 firstMinute() const;
    qint64 currentMinute() const;
    void onUsage(const QList<UsageEvent> &events);
    bool add(const UsageEvent &event);
    void prune();

    Session *m_session;
    Clock m_clock;
    int m_minutes = 30;
    std::map<qint64, QHash<QString, qint64>> m_buckets; // minute since the epoch → model → tokens
    QStringList m_models;
    QDateTime m_cut; // events at or before it are in the seed from the history
    bool m_loading = false;
    QList<UsageEvent> m_early; // arrived while the seed was on its way
    QString m_unavailable;
    quint64 m_generation = 0;
    qint64 m_prunedAt = 0;
    QTimer m_tick;
};

} // namespace agentdesk
