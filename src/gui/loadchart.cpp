#include "loadchart.h"

#include "loadseries.h"

#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// A round upper bound: 1, 2 or 5 times a power of ten, at least `floor`.
double niceCeiling(double value, double floor)
{
    double step = 1;
    while (step * 10 < std::max(value, floor))
        step *= 10;
    for (double factor : {1.0, 2.0, 5.0, 10.0}) {
        if (step * factor >= std::max(value, floor))
            return step * factor;
    }
    return step * 10;
}

} // namespace

// Handed to QChartView's constructor (a chart set later loses its date-time axis on Qt 6.4).
LoadChart::LoadChart(QWidget *parent)
    : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    QChart *chart = this->chart();
    chart->setTitle(tr("Queue and throughput"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setLocale(QLocale());
    chart->setLocalizeNumbers(true);
    m_x = new QDateTimeAxis(chart);
    m_x->setFormat(u"HH:mm"_s);
    m_x->setTruncateLabels(false);
    m_queueAxis = new QValueAxis(chart);
    m_queueAxis->setLabelFormat(u"%.0f"_s);
    m_queueAxis->setTitleText(tr("messages queued"));
    m_queueAxis->setTruncateLabels(false);
    m_rateAxis = new QValueAxis(chart);
    m_rateAxis->setLabelFormat(u"%.0f"_s);
    m_rateAxis->setTitleText(tr("messages/s"));
    m_rateAxis->setTruncateLabels(false);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_queueAxis, Qt::AlignLeft);
    chart->addAxis(m_rateAxis, Qt::AlignRight);

    m_queue = new QLineSeries(chart);
    m_queue->setName(tr("Queue depth"));
    m_queue->setColor(QColor(0xe6, 0x7e, 0x22));
    m_limit = new QLineSeries(chart);
    m_limit->setName(tr("Queue limit"));
    QPen dashed(QColor(0xc0, 0x39, 0x2b));
    dashed.setStyle(Qt::DashLine);
    m_limit->setPen(dashed);
    m_rate = new QLineSeries(chart);
    m_rate->setName(tr("Messages/s"));
    m_rate->setColor(QColor(0x29, 0x80, 0xb9));
    for (QLineSeries *line : {m_queue, m_limit}) {
        chart->addSeries(line);
        line->attachAxis(m_x);
        line->attachAxis(m_queueAxis);
    }
    chart->addSeries(m_rate);
    m_rate->attachAxis(m_x);
    m_rate->attachAxis(m_rateAxis);
    setMinimumHeight(200);
    rebuild();
}

LoadChart::~LoadChart() = default;

void LoadChart::setSeries(LoadSeries *series)
{
    if (m_series)
        disconnect(m_series, nullptr, this, nullptr);
    m_series = series;
    if (series)
        connect(series, &LoadSeries::changed, this, &LoadChart::rebuild);
    rebuild();
}

int LoadChart::pointCount() const
{
    return int(m_queue->count());
}

void LoadChart::showEvent(QShowEvent *event)
{
    QChartView::showEvent(event);
    rebuild(); // what changed while hidden
}

void LoadChart::rebuild()
{
    if (!isVisible())
        return; // a hidden chart costs nothing; showEvent catches up
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const int window = m_series ? m_series->windowSeconds() : 600;
    QList<QPointF> queue;
    QList<QPointF> limit;
    QList<QPointF> rate;
    int queueLimit = 0;
    if (m_series) {
        for (const LoadSeries::Sample &sample : m_series->samples()) {
            const double x = double(sample.time.toMSecsSinceEpoch());
            queue.append({x, double(sample.queueDepth)});
            rate.append({x, sample.messagesPerSecond});
            queueLimit = sample.queueLimit;
        }
    }
    // Whole minutes, one tick each: labels on round times, the newest minute at the right end.
    const qint64 minute = 60000;
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(
        (now.toMSecsSinceEpoch() - window * 1000LL) / minute * minute, Qt::UTC);
    const QDateTime end = QDateTime::fromMSecsSinceEpoch((now.toMSecsSinceEpoch() / minute + 1) * minute, Qt::UTC);
    if (queueLimit > 0)
        limit = {{double(start.toMSecsSinceEpoch()), double(queueLimit)},
                 {double(end.toMSecsSinceEpoch()), double(queueLimit)}};
    m_queue->replace(queue);
    m_limit->replace(limit);
    m_rate->replace(rate);
    m_x->setRange(start.toLocalTime(), end.toLocalTime());
    m_x->setTickCount(int(start.secsTo(end) / 60) + 1);
    const double peakQueue = m_series ? double(m_series->peakQueueDepth()) : 0;
    // The limit stays in sight only while the queue is a fair part of it: otherwise the queue is a flat line.
    const double queueTop = peakQueue * 4 >= queueLimit ? std::max<double>(peakQueue, queueLimit) : peakQueue;
    m_limit->setVisible(queueLimit > 0 && queueTop >= queueLimit);
    m_queueAxis->setRange(0, niceCeiling(queueTop, 10));
    m_queueAxis->setTickCount(6);
    m_rateAxis->setRange(0, niceCeiling(m_series ? m_series->peakMessagesPerSecond() : 0, 10));
    m_rateAxis->setTickCount(6);
}

} // namespace agentdesk
