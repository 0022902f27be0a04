#pragma once

#include "tokenrateseries.h"

#include <QPointer>
#include <QWidget>

#include <functional>
#include <memory>

class QSettings;
class QTableView;

namespace Ui {
class UsagePage;
}

namespace agentdesk {

class BudgetModel;
class CostByAgentChart;
class ProviderDirectory;
class ScopeBudgetsView;
class Session;
class TokenRateChart;
class TokenRateSeries;
class UsageFilterBar;

// What the organism's LLM calls cost: totals since the last reset (tokens, requests, cost, average
// latency), tokens per minute, hour or day by model over a range (the last 15 minutes, hour, 24 hours, 7
// days, or from–to; stacked, live) of one agent's, model's or outcome's calls or all, with the range's sums, cost by agent, the per-model and per-agent
// tables, the running threads' budgets and the agent and organism budgets with their 75/90/95 %
// marks. Reset the counters, export CSV,
// save the charts as PNG.
class UsagePage final : public QWidget
{
    Q_OBJECT
public:
    enum class Export { Models, Agents, Budgets, History };

    explicit UsagePage(QWidget *parent = nullptr);
    ~UsagePage() override;

    void setSession(Session *session, ProviderDirectory *providers);

    // Writes the CSV; History reads the usage history per minute and model (asynchronously: done is
    // called with the outcome, an empty error meaning success).
    void exportCsv(Export what, const QString &path, const std::function<void(const QString &error)> &done);
    bool saveChartPng(const QString &path) const;

    QString tileText(const QString &tile) const; // "tokens", "requests", "cost", "latency"
    void setRange(const UsageRange &range);
    UsageRange range() const;
    QString rangeSummaryText() const;
    TokenRateChart *tokenChart() const;
    CostByAgentChart *costChart() const;
    TokenRateSeries *series() const { return m_series; }
    UsageFilterBar *filterBar() const { return m_filters; }
    QTableView *modelTable() const;
    QTableView *agentTable() const;
    QTableView *budgetTable() const;
    ScopeBudgetsView *scopeBudgetsView() const { return m_scopeBudgets; }

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

public slots:
    void resetUsage();
    void setCommandsEnabled(bool enabled);

signals:
    void statusMessage(const QString &text);
    void commandFailed(const QString &what, const QString &error);

private:
    void updateTiles();
    void onRangeChosen();
    void updateRangeSummary();
    void chooseExport(Export what);
    void chooseChartFile();
    QList<QTableView *> tables() const; // by model, by agent, budgets

    std::unique_ptr<Ui::UsagePage> m_ui;
    QPointer<Session> m_session;
    QPointer<ProviderDirectory> m_providers;
    std::unique_ptr<QObject> m_scope;
    TokenRateSeries *m_series = nullptr;
    ScopeBudgetsView *m_scopeBudgets = nullptr;         // the agent and organism budgets' tab
    UsageFilterBar *m_filters = nullptr;                // agent, model, outcome: after the range
    QList<QByteArray> m_headers = QList<QByteArray>(3); // the tables' column layouts, kept across sessions
    UsageRange m_range = UsageRange::last(UsageRange::Preset::LastHour);
};

} // namespace agentdesk
