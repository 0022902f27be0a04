#include "tokenratechart.h"

#include "providerdirectory.h"
#include "tokenrateseries.h"

#include <QAreaSeries>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

const QList<QColor> kPalette = {QColor(0x29, 0x80, 0xb9), QColor(0x27, 0xae, 0x60), QColor(0xe6, 0x7e, 0x22),
                                QColor(0x8e, 0x44, 0xad), QColor(0x16, 0xa0, 0x85), QColor(0xc0, 0x39, 0x2b),
                                QColor(0x7f, 0x8c, 0x8d), QColor(0xd3, 0x54, 0x00)};

// A round upper bound for the y axis: 1, 2 or 5 times a power of ten.
qint64 niceCeiling(qint64 value)
{
    qint64 step = 1;
    while (true) {
        for (qint64 factor : {1, 2, 5}) {
            if (step * factor >= value)
                return step * factor;
        }
        step *= 10;
    }
}

qint64 leadingPower(qint64 value)
{
    qint64 power = 1;
    while (power * 10 <= value)
        power *= 10;
    return power;
}

// Minutes between two time labels: at most eight labels, each on a round minute.
int minuteStep(int minutes)
{
    for (int step : {1, 2, 5, 10, 15, 30, 60, 120}) {
        if (minutes % step == 0 && minutes / step <= 7)
            return step;
    }
    return minutes;
}

} // namespace

// The chart is handed to QChartView's constructor: a chart set later with setChart() (replacing the
// default one) loses its bottom date-time axis on Qt 6.4 — no labels, no grid.
TokenRateChart::TokenRateChart(QWidget *parent)
    : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    QChart *chart = this->chart();
    chart->setTitle(tr("Tokens per minute by model"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setLocale(QLocale());
    chart->setLocalizeNumbers(true); // 2.000 in German, as the tables write it
    m_x = new QDateTimeAxis(chart);
    m_x->setFormat(u"HH:mm"_s);
    m_x->setTickCount(7);
    m_y = new QValueAxis(chart);
    m_y->setLabelFormat(u"%.0f"_s); // "%d" draws no label at all once numbers are localized (Qt 6.4)
    m_y->setRange(0, 10);
    // Labels are short ("12:05", "2000"): never elided, however small the chart.
    m_x->setTruncateLabels(false);
    m_y->setTruncateLabels(false);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    setMinimumHeight(220);
}

TokenRateChart::~TokenRateChart() = default;

void TokenRateChart::setSeries(TokenRateSeries *series)
{
    if (m_series)
        disconnect(m_series, nullptr, this, nullptr);
    m_series = series;
    if (series)
        connect(series, &TokenRateSeries::changed, this, &TokenRateChart::rebuild);
    rebuild();
}

void TokenRateChart::setProviders(ProviderDirectory *providers)
{
    if (m_providers)
        disconnect(m_providers, nullptr, this, nullptr);
    m_providers = providers;
    if (providers)
        connect(providers, &ProviderDirectory::changed, this, &TokenRateChart::rebuild);
    rebuild();
}

QStringList TokenRateChart::layerNames() const
{
    QStringList names;
    for (const QString &model : m_order)
        names << m_layers.value(model).area->name();
    return names;
}

QString TokenRateChart::labelFor(const QString &model) const
{
    if (m_providers && m_providers->isDemoModel(model))
        return tr("%1 (demo)").arg(model);
    return model;
}

TokenRateChart::Layer &TokenRateChart::layerFor(const QString &model)
{
    auto found = m_layers.find(model);
    if (found != m_layers.end())
        return *found;
    Layer layer;
    layer.upper = new QLineSeries;
    layer.lower = new QLineSeries;
    layer.area = new QAreaSeries(layer.upper, layer.lower);
    layer.upper->setParent(layer.area); // the area does not own its lines
    layer.lower->setParent(layer.area);
    const QColor color = kPalette.at(m_order.size() % kPalette.size());
    layer.area->setColor(color);
    layer.area->setBorderColor(color.darker(120));
    chart()->addSeries(layer.area);
    layer.area->attachAxis(m_x);
    layer.area->attachAxis(m_y);
    m_order.append(model);
    return *m_layers.insert(model, layer);
}

void TokenRateChart::rebuild()
{
    if (!m_series) {
        chart()->removeAllSeries();
        m_layers.clear();
        m_order.clear();
        m_peak = 0;
        return;
    }
    const bool available = m_series->unavailableReason().isEmpty();
    m_x->setVisible(available);
    m_y->setVisible(available);
    chart()->legend()->setVisible(available);
    if (!available) {
        // Said plainly instead of an empty plot that looks like no calls.
        chart()->setTitle(tr("Tokens per minute by model: %1").arg(m_series->unavailableReason()));
        for (const QString &model : std::exchange(m_order, {})) {
            const Layer layer = m_layers.take(model);
            chart()->removeSeries(layer.area);
            delete layer.area;
        }
        m_peak = 0;
        return;
    }
    const QDateTime start = m_series->windowStart();
    const QDateTime end = m_series->windowEnd();
    const int minutes = m_series->windowMinutes();
    const QStringList models = m_series->models();

    // Layers of models that left the window go; the others keep their colour and order.
    for (qsizetype i = m_order.size() - 1; i >= 0; --i) {
        const QString model = m_order.at(i);
        if (models.contains(model))
            continue;
        Layer layer = m_layers.take(model);
        chart()->removeSeries(layer.area);
        delete layer.area;
        m_order.removeAt(i);
    }
    for (const QString &model : models)
        layerFor(model);

    // Each minute is drawn as a step (its start and end at the same height), stacked in layer order.
    QList<qint64> base(minutes, 0);
    qint64 peak = 0;
    for (const QString &model : std::as_const(m_order)) {
        const QList<qint64> values = m_series->tokensPerMinute(model);
        QList<QPointF> lower;
        QList<QPointF> upper;
        lower.reserve(2 * minutes);
        upper.reserve(2 * minutes);
        for (int minute = 0; minute < minutes && minute < values.size(); ++minute) {
            const qreal from = qreal(start.addSecs(60 * minute).toMSecsSinceEpoch());
            const qreal to = qreal(start.addSecs(60 * (minute + 1)).toMSecsSinceEpoch());
            const qint64 bottom = base[minute];
            const qint64 top = bottom + values.at(minute);
            lower << QPointF(from, qreal(bottom)) << QPointF(to, qreal(bottom));
            upper << QPointF(from, qreal(top)) << QPointF(to, qreal(top));
            base[minute] = top;
            peak = std::max(peak, top);
        }
        Layer &layer = m_layers[model];
        layer.lower->replace(lower);
        layer.upper->replace(upper);
        layer.area->setName(labelFor(model));
    }
    m_peak = peak;
    m_x->setRange(start.toLocalTime(), end.addSecs(60).toLocalTime());
    const qint64 top = niceCeiling(std::max<qint64>(peak, 10));
    m_y->setRange(0, qreal(top));
    // Whole steps: 10 → 0, 2 … 10; 20 → 0, 5 … 20; 50 → 0, 10 … 50.
    m_y->setTickCount(top / std::max<qint64>(1, leadingPower(top)) == 2 ? 5 : 6);
    m_x->setTickCount(minutes / minuteStep(minutes) + 1);                          // whole minutes
    chart()->setTitle(models.isEmpty() ? tr("Tokens per minute by model — no LLM calls in the last %n minute(s)",
                                            nullptr, minutes)
                                       : tr("Tokens per minute by model (last %n minute(s))", nullptr, minutes));
}

} // namespace agentdesk
