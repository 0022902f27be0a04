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

// Buckets between two time labels: at most eight labels, each on a bucket boundary.
int labelStep(int buckets)
{
    for (int step : {1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 24, 30, 48, 60, 120}) {
        if (buckets % step == 0 && buckets / step <= 7)
            return step;
    }
    return buckets;
}

QString perBucket(UsageBucketSize size)
{
    switch (size) {
    case UsageBucketSize::Minute:
        return TokenRateChart::tr("Tokens per minute by model");
    case UsageBucketSize::Hour:
        return TokenRateChart::tr("Tokens per hour by model");
    case UsageBucketSize::Day:
        break;
    }
    return TokenRateChart::tr("Tokens per day by model");
}

QString rangeText(const UsageRange &range)
{
    switch (range.preset) {
    case UsageRange::Preset::Last15Minutes:
        return TokenRateChart::tr("last 15 minutes");
    case UsageRange::Preset::LastHour:
        return TokenRateChart::tr("last hour");
    case UsageRange::Preset::Last24Hours:
        return TokenRateChart::tr("last 24 hours");
    case UsageRange::Preset::Last7Days:
        return TokenRateChart::tr("last 7 days");
    case UsageRange::Preset::Custom:
        break;
    }
    const QLocale locale;
    return u"%1 – %2"_s.arg(locale.toString(range.from.toLocalTime(), QLocale::ShortFormat),
                            locale.toString(range.to.toLocalTime(), QLocale::ShortFormat));
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
        chart()->setTitle(tr("%1: %2").arg(perBucket(m_series->bucketSize()), m_series->unavailableReason()));
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
    const int buckets = m_series->bucketCount();
    const qint64 seconds = m_series->bucketSeconds();
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

    // Each bucket is drawn as a step (its start and end at the same height), stacked in layer order.
    QList<qint64> base(buckets, 0);
    qint64 peak = 0;
    for (const QString &model : std::as_const(m_order)) {
        const QList<qint64> values = m_series->tokensPerBucket(model);
        QList<QPointF> lower;
        QList<QPointF> upper;
        lower.reserve(2 * buckets);
        upper.reserve(2 * buckets);
        for (int bucket = 0; bucket < buckets && bucket < values.size(); ++bucket) {
            const qreal from = qreal(start.addSecs(seconds * bucket).toMSecsSinceEpoch());
            const qreal to = qreal(start.addSecs(seconds * (bucket + 1)).toMSecsSinceEpoch());
            const qint64 bottom = base[bucket];
            const qint64 top = bottom + values.at(bucket);
            lower << QPointF(from, qreal(bottom)) << QPointF(to, qreal(bottom));
            upper << QPointF(from, qreal(top)) << QPointF(to, qreal(top));
            base[bucket] = top;
            peak = std::max(peak, top);
        }
        Layer &layer = m_layers[model];
        layer.lower->replace(lower);
        layer.upper->replace(upper);
        layer.area->setName(labelFor(model));
    }
    m_peak = peak;
    m_x->setRange(start.toLocalTime(), end.addSecs(seconds).toLocalTime());
    const qint64 span = seconds * buckets;
    m_x->setFormat(span <= 86400           ? u"HH:mm"_s
                       : span <= 8 * 86400 ? u"ddd HH:mm"_s
                                           : QLocale().dateFormat(QLocale::ShortFormat));
    const qint64 top = niceCeiling(std::max<qint64>(peak, 10));
    m_y->setRange(0, qreal(top));
    // Whole steps: 10 → 0, 2 … 10; 20 → 0, 5 … 20; 50 → 0, 10 … 50.
    m_y->setTickCount(top / std::max<qint64>(1, leadingPower(top)) == 2 ? 5 : 6);
    m_x->setTickCount(buckets / labelStep(buckets) + 1); // on bucket boundaries
    const QString title = perBucket(m_series->bucketSize());
    const QString when = rangeText(m_series->range());
    chart()->setTitle(models.isEmpty() ? tr("%1 — no LLM calls (%2)").arg(title, when)
                                       : tr("%1 (%2)").arg(title, when));
}

} // namespace agentdesk
