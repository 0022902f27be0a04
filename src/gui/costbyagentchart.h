#pragma once

#include <QChartView>
#include <QPointer>
#include <QTimer>

class QBarCategoryAxis;
class QBarSet;
class QHorizontalBarSeries;
class QValueAxis;

namespace agentdesk {

class ProviderDirectory;
class Session;

// Cost by agent as horizontal bars, from the session's usage snapshot (redrawn at most twice a second).
// Agents whose calls have no known price are listed with "unpriced" (or "demo") and no bar, so a missing
// price never looks like a free call.
class CostByAgentChart final : public QChartView
{
    Q_OBJECT
public:
    explicit CostByAgentChart(QWidget *parent = nullptr);
    ~CostByAgentChart() override;

    void setSession(Session *session);
    void setProviders(ProviderDirectory *providers);

    QStringList categories() const; // the bars' labels, top to bottom as drawn
    // Some agent's calls have a price: the chart has something to show (the page hides it otherwise).
    bool hasPricedCosts() const;

signals:
    void pricedChanged(bool priced);

private:
    void scheduleRebuild();
    void rebuild();

    QPointer<Session> m_session;
    QPointer<ProviderDirectory> m_providers;
    QHorizontalBarSeries *m_bars = nullptr;
    QBarSet *m_cost = nullptr;
    QBarCategoryAxis *m_agents = nullptr;
    QValueAxis *m_value = nullptr;
    QTimer m_throttle;
    bool m_priced = false;
};

} // namespace agentdesk
