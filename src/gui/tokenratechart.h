#pragma once

#include <QChartView>
#include <QHash>
#include <QPointer>

class QAreaSeries;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace agentdesk {

class ProviderDirectory;
class TokenRateSeries;

// Tokens per minute by model as stacked areas over the series' window (the chart adapter for
// TokenRateSeries: all Qt Charts code for it is here). Each change replaces the points of every layer
// in one call (QXYSeries::replace), so a busy minute costs one repaint, not one per event.
class TokenRateChart final : public QChartView
{
    Q_OBJECT
public:
    explicit TokenRateChart(QWidget *parent = nullptr);
    ~TokenRateChart() override;

    void setSeries(TokenRateSeries *series);
    void setProviders(ProviderDirectory *providers);

    QStringList layerNames() const;               // legend entries, bottom layer first
    qint64 stackedPeak() const { return m_peak; } // tallest stacked minute drawn

private:
    struct Layer
    {
        QAreaSeries *area = nullptr;
        QLineSeries *upper = nullptr;
        QLineSeries *lower = nullptr;
    };

    void rebuild();
    Layer &layerFor(const QString &model);
    QString labelFor(const QString &model) const;

    QPointer<TokenRateSeries> m_series;
    QPointer<ProviderDirectory> m_providers;
    QDateTimeAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QHash<QString, Layer> m_layers;
    QStringList m_order;
    qint64 m_peak = 0;
};

} // namespace agentdesk
