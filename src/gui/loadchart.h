#pragma once

#include <QChartView>
#include <QPointer>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace agentdesk {

class LoadSeries;

// The organism's load over the last minutes (the chart adapter for LoadSeries): the queue depth (left
// axis, with the queue limit as a dashed line) and messages per second (right axis). Each change
// replaces the points of every line in one call.
class LoadChart final : public QChartView
{
    Q_OBJECT
public:
    explicit LoadChart(QWidget *parent = nullptr);
    ~LoadChart() override;

    void setSeries(LoadSeries *series);
    int pointCount() const; // of the queue line

protected:
    void showEvent(QShowEvent *event) override;

private:
    void rebuild();

    QPointer<LoadSeries> m_series;
    QDateTimeAxis *m_x = nullptr;
    QValueAxis *m_queueAxis = nullptr;
    QValueAxis *m_rateAxis = nullptr;
    QLineSeries *m_queue = nullptr;
    QLineSeries *m_limit = nullptr;
    QLineSeries *m_rate = nullptr;
};

} // namespace agentdesk
