#pragma once

#include <QPointer>
#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QProgressBar;
class QSettings;
class QSplitter;
class QTableView;

namespace agentdesk {

class BacklogModel;
class LoadChart;
class LoadSeries;
class LlmBackendsView;
struct LlmBackendState;
struct Saturation;
class Session;

// Is the organism keeping up, and if not, what holds it back? Live figures of the last minute —
// messages per second, the queue against its limit, injects refused at the door, threads ended in
// error, handler time (median and 95th percentile) — the bottleneck in words, the queue and throughput
// over the last minutes, where the work waits (per listener, with an LLM agent's wait for a rate
// limit) and each LLM backend's state (the Agents page's view, once more: rate-limited, its token
// bucket, queued calls), so that a backend holding the queue is named in the bottleneck. A server that reports none of this (the original) says so; messages per second are then
// counted from its totals.
class LoadPage final : public QWidget
{
    Q_OBJECT
public:
    explicit LoadPage(QWidget *parent = nullptr);
    ~LoadPage() override;

    void setSession(Session *session);

    QString tileText(const QString &tile) const; // "rate", "queue", "refused", "errors", "latency"
    QString bottleneckText() const;
    QTableView *backlogTable() const { return m_backlog; }
    LoadChart *chart() const { return m_chart; }
    LoadSeries *series() const { return m_series; }
    LlmBackendsView *backendsView() const { return m_backends; }

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

private:
    struct Tile
    {
        QLabel *value = nullptr;
        QLabel *caption = nullptr;
    };
    QWidget *makeTile(const QString &title, Tile *tile, QProgressBar *gauge = nullptr);
    void refresh();
    QString bottleneckSentence(const Saturation &load) const;
    std::optional<LlmBackendState> holdingBackend(const QString &agent) const;

    QPointer<Session> m_session;
    std::unique_ptr<QObject> m_scope;
    LoadSeries *m_series = nullptr;
    BacklogModel *m_backlogModel = nullptr;
    Tile m_rate;
    Tile m_queue;
    Tile m_refused;
    Tile m_errors;
    Tile m_latency;
    QProgressBar *m_queueGauge;
    QLabel *m_bottleneck;
    LoadChart *m_chart;
    QSplitter *m_splitter;
    QTableView *m_backlog;
    LlmBackendsView *m_backends;
    QByteArray m_backlogHeader;
};

} // namespace agentdesk
