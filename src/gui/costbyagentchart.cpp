#include "costbyagentchart.h"

#include "costdisplayproxy.h"
#include "providerdirectory.h"
#include "session.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QHorizontalBarSeries>
#include <QValueAxis>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {
constexpr int kRebuildIntervalMs = 500;
} // namespace

// The chart is handed to QChartView's constructor: a chart set later with setChart() (replacing the
// default one) loses its bottom date-time axis on Qt 6.4 — no labels, no grid.
CostByAgentChart::CostByAgentChart(QWidget *parent)
    : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    QChart *chart = this->chart();
    chart->setTitle(tr("Cost by agent (USD)"));
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setLocale(QLocale());
    chart->setLocalizeNumbers(true); // 0,0025 in German
    m_bars = new QHorizontalBarSeries(chart);
    m_cost = new QBarSet(tr("Cost"));
    m_cost->setColor(QColor(0x29, 0x80, 0xb9));
    m_bars->append(m_cost);
    m_bars->setLabelsVisible(true);
    m_bars->setLabelsFormat(u"$@value"_s);
    m_bars->setLabelsPosition(QAbstractBarSeries::LabelsInsideEnd);
    chart->addSeries(m_bars);
    m_agents = new QBarCategoryAxis(chart);
    m_value = new QValueAxis(chart);
    m_value->setLabelFormat(u"%.4f"_s);
    m_value->setRange(0, 0.01);
    m_agents->setTruncateLabels(false);
    m_value->setTruncateLabels(false);
    chart->addAxis(m_agents, Qt::AlignLeft);
    chart->addAxis(m_value, Qt::AlignBottom);
    m_bars->attachAxis(m_agents);
    m_bars->attachAxis(m_value);
    setMinimumHeight(180);
    m_throttle.setSingleShot(true);
    m_throttle.setInterval(kRebuildIntervalMs);
    connect(&m_throttle, &QTimer::timeout, this, &CostByAgentChart::rebuild);
}

CostByAgentChart::~CostByAgentChart() = default;

void CostByAgentChart::setSession(Session *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (session)
        connect(session, &Session::usageChanged, this, &CostByAgentChart::scheduleRebuild);
    rebuild();
}

void CostByAgentChart::setProviders(ProviderDirectory *providers)
{
    if (m_providers)
        disconnect(m_providers, nullptr, this, nullptr);
    m_providers = providers;
    if (providers)
        connect(providers, &ProviderDirectory::changed, this, &CostByAgentChart::scheduleRebuild);
    scheduleRebuild();
}

QStringList CostByAgentChart::categories() const
{
    return m_agents->categories();
}

void CostByAgentChart::scheduleRebuild()
{
    if (!m_throttle.isActive())
        m_throttle.start();
}

bool CostByAgentChart::hasPricedCosts() const
{
    return m_priced;
}

void CostByAgentChart::rebuild()
{
    const QList<UsageCounters> agents = m_session ? m_session->usage().byAgent : QList<UsageCounters>();
    QStringList labels;
    QList<qreal> values;
    double peak = 0;
    bool anyPriced = false;
    // Horizontal bars are drawn bottom-up: reverse so the first agent is on top.
    for (auto it = agents.crbegin(); it != agents.crend(); ++it) {
        const bool demo = m_providers && m_providers->isDemoAgent(it->key);
        const bool unpriced = it->requestCount > 0 && it->unpricedRequests >= it->requestCount;
        labels << (unpriced ? u"%1 — %2"_s.arg(it->key, CostDisplayProxy::costText(*it, demo)) : it->key);
        values << (unpriced ? 0.0 : it->totalCost);
        anyPriced = anyPriced || (!unpriced && it->requestCount > 0);
        peak = std::max(peak, it->totalCost);
    }
    // A fresh bar set each time: emptying one in place (after a reset) leaves its last bar and an axis
    // line drawn on Qt 6.4.
    m_bars->clear();
    m_cost = new QBarSet(tr("Cost"));
    m_cost->setColor(QColor(0x29, 0x80, 0xb9));
    m_agents->clear();
    if (!labels.isEmpty()) {
        m_cost->append(values);
        m_bars->append(m_cost);
        m_agents->append(labels);
    } else {
        delete m_cost;
        m_cost = nullptr;
    }
    m_agents->setVisible(!labels.isEmpty());
    m_value->setVisible(!labels.isEmpty());
    m_value->setRange(0, peak > 0 ? peak * 1.15 : 0.01);
    if (agents.isEmpty())
        chart()->setTitle(tr("Cost by agent (USD) — no LLM calls yet"));
    else if (!anyPriced)
        chart()->setTitle(tr("Cost by agent (USD) — no call has a known price"));
    else
        chart()->setTitle(tr("Cost by agent (USD)"));
    if (std::exchange(m_priced, anyPriced) != anyPriced)
        emit pricedChanged(anyPriced);
}

} // namespace agentdesk
