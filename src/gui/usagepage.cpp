#include "usagepage.h"
#include "ui_usagepage.h"

#include "budgetbar.h"
#include "budgetmodel.h"
#include "confirmation.h"
#include "costbyagentchart.h"
#include "costdisplayproxy.h"
#include "csvwriter.h"
#include "modelformat.h"
#include "providerdirectory.h"
#include "scopebudgetsview.h"
#include "session.h"
#include "viewdefaults.h"
#include "tokenratechart.h"
#include "tokenrateseries.h"
#include "usagebyagentmodel.h"
#include "usagebymodelmodel.h"
#include "usagefilterbar.h"

#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QMenu>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace agentdesk {

using wire::CsvWriter;

namespace {

QString headerKey(int table)
{
    static const QString keys[] = {u"usage/modelHeader"_s, u"usage/agentHeader"_s, u"usage/budgetHeader"_s};
    return keys[table];
}

void prepareTable(QTableView *table)
{
    table->horizontalHeader()->setSectionsMovable(true);
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
}

} // namespace

UsagePage::UsagePage(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::UsagePage>())
{
    m_ui->setupUi(this);
    for (QLabel *value : {m_ui->tokensValue, m_ui->requestsValue, m_ui->costValue, m_ui->latencyValue}) {
        QFont font = value->font();
        font.setPointSizeF(font.pointSizeF() * 1.6);
        font.setBold(true);
        value->setFont(font);
    }
    for (QTableView *table : {m_ui->modelTable, m_ui->agentTable, m_ui->budgetTable})
        prepareTable(table);
    m_ui->budgetTable->setItemDelegateForColumn(
        BudgetModel::PercentColumn, new BudgetBarDelegate(BudgetModel::PercentRole, BudgetModel::ExhaustedRole, this));
    m_scopeBudgets = new ScopeBudgetsView(this);
    m_ui->tableTabs->addTab(m_scopeBudgets, tr("Agent and &organism budgets"));
    connect(m_scopeBudgets, &ScopeBudgetsView::statusMessage, this, &UsagePage::statusMessage);
    connect(m_scopeBudgets, &ScopeBudgetsView::commandFailed, this, &UsagePage::commandFailed);
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 2);
    m_ui->chartSplitter->setStretchFactor(0, 3);
    m_ui->chartSplitter->setStretchFactor(1, 2);
    m_ui->splitter->setSizes({300, 260});
    m_ui->chartSplitter->setSizes({740, 480});

    auto *menu = new QMenu(this);
    menu->addAction(tr("Usage by &model…"), this, [this] { chooseExport(Export::Models); });
    menu->addAction(tr("Usage by &agent…"), this, [this] { chooseExport(Export::Agents); });
    menu->addAction(tr("Thread &budgets…"), this, [this] { chooseExport(Export::Budgets); });
    menu->addAction(tr("Tokens per minute from the &history…"), this, [this] { chooseExport(Export::History); });
    m_ui->exportButton->setMenu(menu);
    // The style draws the menu arrow inside the button's corner, over centred text ("exportieren⌄"): room
    // for it on both sides keeps the text clear of it.
    m_ui->exportButton->setMinimumWidth(
        m_ui->exportButton->sizeHint().width()
        + 2 * style()->pixelMetric(QStyle::PM_MenuButtonIndicator, nullptr, m_ui->exportButton));
    connect(m_ui->resetButton, &QPushButton::clicked, this, &UsagePage::resetUsage);
    // Without a single priced call the cost chart would be an empty half page: the token chart takes it.
    m_ui->costChart->setVisible(false);
    m_ui->noteLabel->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred); // one line, not a column
    connect(m_ui->costChart, &CostByAgentChart::pricedChanged, m_ui->costChart, &QWidget::setVisible);
    connect(m_ui->savePngButton, &QPushButton::clicked, this, &UsagePage::chooseChartFile);

    const std::pair<UsageRange::Preset, QString> ranges[] = {{UsageRange::Preset::Last15Minutes, tr("Last 15 minutes")},
                                                             {UsageRange::Preset::LastHour, tr("Last hour")},
                                                             {UsageRange::Preset::Last24Hours, tr("Last 24 hours")},
                                                             {UsageRange::Preset::Last7Days, tr("Last 7 days")},
                                                             {UsageRange::Preset::Custom, tr("From – to…")}};
    for (const auto &[preset, text] : ranges)
        m_ui->rangeCombo->addItem(text, int(preset));
    m_ui->rangeCombo->setCurrentIndex(m_ui->rangeCombo->findData(int(UsageRange::Preset::LastHour)));
    const QDateTime now = QDateTime::currentDateTime();
    m_ui->toEdit->setDateTime(now);
    m_ui->fromEdit->setDateTime(now.addDays(-1));
    for (QDateTimeEdit *edit : {m_ui->fromEdit, m_ui->toEdit}) {
        edit->setDisplayFormat(QLocale().dateTimeFormat(QLocale::ShortFormat));
        edit->setVisible(false);
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &UsagePage::onRangeChosen);
    }
    m_ui->toLabel->setVisible(false);
    connect(m_ui->rangeCombo, &QComboBox::currentIndexChanged, this, &UsagePage::onRangeChosen);
    m_filters = new UsageFilterBar(this);
    m_ui->rangeLayout->insertWidget(m_ui->rangeLayout->indexOf(m_ui->toEdit) + 1, m_filters);
    connect(m_filters, &UsageFilterBar::filterChanged, this, [this](const UsageSeriesFilter &filter) {
        if (m_series)
            m_series->setFilter(filter);
        updateRangeSummary();
    });
    updateTiles();
}

UsagePage::~UsagePage() = default;

QList<QTableView *> UsagePage::tables() const
{
    return {m_ui->modelTable, m_ui->agentTable, m_ui->budgetTable};
}

TokenRateChart *UsagePage::tokenChart() const
{
    return m_ui->tokenChart;
}

CostByAgentChart *UsagePage::costChart() const
{
    return m_ui->costChart;
}

QTableView *UsagePage::modelTable() const
{
    return m_ui->modelTable;
}

QTableView *UsagePage::agentTable() const
{
    return m_ui->agentTable;
}

QTableView *UsagePage::budgetTable() const
{
    return m_ui->budgetTable;
}

void UsagePage::setSession(Session *session, ProviderDirectory *providers)
{
    for (int i = 0; i < tables().size(); ++i) { // column widths survive a change of session
        if (tables().at(i)->model())
            m_headers[i] = tables().at(i)->horizontalHeader()->saveState();
    }
    m_ui->tokenChart->setSeries(nullptr);
    m_ui->costChart->setSession(nullptr);
    for (QTableView *table : {m_ui->modelTable, m_ui->agentTable, m_ui->budgetTable})
        table->setModel(nullptr);
    m_scopeBudgets->setSession(session);
    m_filters->setSession(session);
    m_scope = std::make_unique<QObject>();
    m_session = session;
    m_providers = providers;
    m_series = nullptr;
    if (session) {
        auto *byModel = new CostDisplayProxy(CostDisplayProxy::Keys::Models, UsageCountersModel::KeyColumn,
                                             UsageCountersModel::KeyRole, UsageCountersModel::CostColumn,
                                             m_scope.get());
        byModel->setSourceModel(new UsageByModelModel(session, m_scope.get()));
        byModel->setSession(session);
        byModel->setProviders(providers);
        m_ui->modelTable->setModel(byModel);

        auto *byAgent = new CostDisplayProxy(CostDisplayProxy::Keys::Agents, UsageCountersModel::KeyColumn,
                                             UsageCountersModel::KeyRole, UsageCountersModel::CostColumn,
                                             m_scope.get());
        byAgent->setSourceModel(new UsageByAgentModel(session, m_scope.get()));
        byAgent->setSession(session);
        byAgent->setProviders(providers);
        m_ui->agentTable->setModel(byAgent);

        auto *budgets = new QSortFilterProxyModel(m_scope.get());
        budgets->setSourceModel(new BudgetModel(session, m_scope.get()));
        budgets->setSortRole(BudgetModel::RawValueRole);
        budgets->sort(BudgetModel::PercentColumn, Qt::DescendingOrder); // hottest first
        budgets->setDynamicSortFilter(true);
        m_ui->budgetTable->setModel(budgets);

        m_series = new TokenRateSeries(session, m_scope.get());
        m_series->setRange(m_range);
        m_series->setFilter(m_filters->filter());
        connect(m_series, &TokenRateSeries::changed, this, &UsagePage::updateRangeSummary);
        connect(m_series, &TokenRateSeries::changed, m_filters, [this] { m_filters->addModels(m_series->models()); });
        m_ui->tokenChart->setProviders(providers);
        m_ui->tokenChart->setSeries(m_series);
        m_ui->costChart->setProviders(providers);
        m_ui->costChart->setSession(session);
        connect(session, &Session::usageChanged, this, &UsagePage::updateTiles);
        if (providers) {
            connect(providers, &ProviderDirectory::changed, this, &UsagePage::updateTiles);
            connect(providers, &ProviderDirectory::changed, this, &UsagePage::updateRangeSummary);
        }
        for (int i = 0; i < tables().size(); ++i) {
            // No last column stretched across half the table: the name column takes what is left.
            tables().at(i)->horizontalHeader()->setStretchLastSection(false);
            layOutColumns(tables().at(i), m_headers.at(i),
                          i < 2 ? QList<int>{220, 95, 95, 95, 80, 110, 100} : QList<int>{300, 100, 100, 160, 90});
        }
    }
    updateTiles();
}

void UsagePage::setRange(const UsageRange &range)
{
    {
        const QSignalBlocker blockCombo(m_ui->rangeCombo);
        const QSignalBlocker blockFrom(m_ui->fromEdit);
        const QSignalBlocker blockTo(m_ui->toEdit);
        m_ui->rangeCombo->setCurrentIndex(m_ui->rangeCombo->findData(int(range.preset)));
        if (!range.follows()) {
            m_ui->fromEdit->setDateTime(range.from.toLocalTime());
            m_ui->toEdit->setDateTime(range.to.toLocalTime());
        }
    }
    onRangeChosen();
}

UsageRange UsagePage::range() const
{
    return m_range;
}

QString UsagePage::rangeSummaryText() const
{
    return m_ui->rangeSummary->text();
}

void UsagePage::onRangeChosen()
{
    const auto preset = UsageRange::Preset(m_ui->rangeCombo->currentData().toInt());
    const bool custom = preset == UsageRange::Preset::Custom;
    for (QWidget *widget : {static_cast<QWidget *>(m_ui->fromEdit), static_cast<QWidget *>(m_ui->toEdit),
                            static_cast<QWidget *>(m_ui->toLabel)})
        widget->setVisible(custom);
    m_range = custom ? UsageRange::between(m_ui->fromEdit->dateTime().toUTC(), m_ui->toEdit->dateTime().toUTC())
                     : UsageRange::last(preset);
    if (m_series)
        m_series->setRange(m_range);
    updateRangeSummary();
}

void UsagePage::updateRangeSummary()
{
    if (!m_series || m_series->isLoading() || !m_series->unavailableReason().isEmpty()) {
        m_ui->rangeSummary->clear();
        return;
    }
    const qint64 calls = m_series->requestCount();
    QString cost = modelformat::cost(m_series->totalCost());
    // The demo has no price: "—", as the cost tile and the header say it.
    const QStringList models = m_series->models();
    const bool allDemo = m_providers && !models.isEmpty()
        && std::all_of(models.cbegin(), models.cend(),
                       [this](const QString &model) { return m_providers->isDemoModel(model); });
    if (allDemo)
        cost = u"—"_s;
    else if (m_series->unpricedRequests() > 0)
        cost = calls == m_series->unpricedRequests() ? tr("unpriced") : tr("%1 + unpriced").arg(cost);
    const QString summary = m_series->filter().isEmpty() ? tr("In this range: %1 tokens · %2 calls · %3")
                                                         : tr("In this range, filtered: %1 tokens · %2 calls · %3");
    m_ui->rangeSummary->setText(
        summary.arg(modelformat::count(m_series->totalTokens()), modelformat::count(calls), cost));
}

QString UsagePage::tileText(const QString &tile) const
{
    if (tile == u"tokens")
        return m_ui->tokensValue->text();
    if (tile == u"requests")
        return m_ui->requestsValue->text();
    if (tile == u"cost")
        return m_ui->costValue->text();
    if (tile == u"latency")
        return m_ui->latencyValue->text();
    return {};
}

void UsagePage::updateTiles()
{
    const UsageCounters totals = m_session ? m_session->usage().totals : UsageCounters();
    m_ui->tokensValue->setText(modelformat::count(totals.totalTokens));
    m_ui->tokensValue->setToolTip(tr("%1 prompt (%2 cached), %3 completion")
                                      .arg(modelformat::count(totals.promptTokens),
                                           modelformat::count(totals.cachedPromptTokens),
                                           modelformat::count(totals.completionTokens)));
    m_ui->requestsValue->setText(modelformat::count(totals.requestCount));
    // Every call unpriced and every model demo: say so rather than "unpriced".
    bool allDemo = totals.requestCount > 0 && m_session && m_providers;
    if (allDemo) {
        for (const UsageCounters &model : m_session->usage().byModel)
            allDemo = allDemo && m_providers->isDemoModel(model.key);
    }
    const QString cost = CostDisplayProxy::costText(totals, allDemo);
    m_ui->costValue->setText(cost.isEmpty() ? u"—"_s : cost);
    m_ui->costValue->setToolTip(CostDisplayProxy::costToolTip(totals, allDemo));
    m_ui->latencyValue->setText(totals.requestCount ? modelformat::milliseconds(totals.avgLatencyMs()) : u"—"_s);
    m_ui->noteLabel->setText(
        allDemo ? tr("Every call went to the offline demo provider, which has no price.")
            : totals.unpricedRequests > 0
            ? tr("%n call(s) have no known price and are not in the cost.", nullptr, int(totals.unpricedRequests))
            : QString());
}

void UsagePage::resetUsage()
{
    if (!m_session || !m_ui->resetButton->isEnabled())
        return;
    askToConfirm(this, u"confirmReset"_s, tr("Reset the usage counters?"),
                 tr("Tokens, requests and costs start again from zero, here and in the API's /usage. The history "
                    "keeps every call; budgets are not touched."),
                 tr("&Reset counters"), [this, session = m_session] {
                     if (!session || session != m_session)
                         return;
                     session->resetUsage(this, [this](const Result<> &result) {
                         if (result)
                             emit statusMessage(tr("Usage counters reset; the history keeps every call"));
                         else
                             emit commandFailed(tr("Reset usage"), result.error().message);
                     });
                 });
}

void UsagePage::setCommandsEnabled(bool enabled)
{
    m_ui->resetButton->setEnabled(enabled);
    m_scopeBudgets->setCommandsEnabled(enabled);
}

void UsagePage::exportCsv(Export what, const QString &path, const std::function<void(const QString &)> &done)
{
    switch (what) {
    case Export::Models:
        done(CsvWriter::save(path, CsvWriter::fromModel(*m_ui->modelTable->model(), UsageCountersModel::RawValueRole)));
        return;
    case Export::Agents:
        done(CsvWriter::save(path, CsvWriter::fromModel(*m_ui->agentTable->model(), UsageCountersModel::RawValueRole)));
        return;
    case Export::Budgets:
        done(CsvWriter::save(path, CsvWriter::fromModel(*m_ui->budgetTable->model(), BudgetModel::RawValueRole)));
        return;
    case Export::History:
        break;
    }
    if (!m_session) {
        done(tr("Not connected"));
        return;
    }
    m_session->fetchUsageBuckets(
        UsageBucketSize::Minute, UsageGroupBy::Model, {}, {}, m_filters->filter(), this,
        [path, done](const Result<QList<UsageBucket>> &buckets) {
            if (!buckets) {
                done(buckets.error().message);
                return;
            }
            if (buckets->isEmpty()) { // a file of headers alone is no export
                done(tr("the history holds no LLM calls to export"));
                return;
            }
            CsvWriter csv;
            csv.addRow({u"minute"_s, u"model"_s, u"prompt_tokens"_s, u"completion_tokens"_s, u"cached_prompt_tokens"_s,
                        u"total_tokens"_s, u"requests"_s, u"cost_usd"_s});
            for (const UsageBucket &bucket : *buckets) {
                csv.addRow({bucket.start.toUTC().toString(Qt::ISODate), bucket.key,
                            QString::number(bucket.promptTokens), QString::number(bucket.completionTokens),
                            QString::number(bucket.cachedPromptTokens), QString::number(bucket.totalTokens),
                            QString::number(bucket.requestCount), QString::number(bucket.totalCost, 'g', 15)});
            }
            done(CsvWriter::save(path, csv.data()));
        });
}

void UsagePage::chooseExport(Export what)
{
    QString name;
    switch (what) {
    case Export::Models:
        name = u"usage-by-model.csv"_s;
        break;
    case Export::Agents:
        name = u"usage-by-agent.csv"_s;
        break;
    case Export::Budgets:
        name = u"thread-budgets.csv"_s;
        break;
    case Export::History:
        name = u"tokens-per-minute.csv"_s;
        break;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"), name, tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    exportCsv(what, path, [this, path](const QString &error) {
        if (error.isEmpty())
            emit statusMessage(tr("Exported %1").arg(path));
        else
            emit commandFailed(tr("Export CSV"), error);
    });
}

bool UsagePage::saveChartPng(const QString &path) const
{
    return m_ui->chartSplitter->grab().save(path, "PNG");
}

void UsagePage::chooseChartFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save chart as PNG"), u"usage-chart.png"_s,
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    if (saveChartPng(path))
        emit statusMessage(tr("Saved %1").arg(path));
    else
        emit commandFailed(tr("Save chart"), tr("Cannot write %1").arg(path));
}

void UsagePage::saveState(QSettings &settings) const
{
    settings.setValue(u"usage/splitter"_s, m_ui->splitter->saveState());
    settings.setValue(u"usage/chartSplitter"_s, m_ui->chartSplitter->saveState());
    for (int i = 0; i < tables().size(); ++i) {
        QTableView *table = tables().at(i);
        settings.setValue(headerKey(i), table->model() ? table->horizontalHeader()->saveState() : m_headers.at(i));
    }
    settings.setValue(u"usage/tab"_s, m_ui->tableTabs->currentIndex());
    settings.setValue(u"usage/range"_s, int(m_range.preset));
    if (!m_range.follows()) {
        settings.setValue(u"usage/from"_s, m_range.from);
        settings.setValue(u"usage/to"_s, m_range.to);
    }
}

void UsagePage::restoreState(const QSettings &settings)
{
    m_ui->splitter->restoreState(settings.value(u"usage/splitter"_s).toByteArray());
    m_ui->chartSplitter->restoreState(settings.value(u"usage/chartSplitter"_s).toByteArray());
    for (int i = 0; i < tables().size(); ++i) { // applied now, or once the table has its model
        m_headers[i] = settings.value(headerKey(i)).toByteArray();
        if (tables().at(i)->model())
            tables().at(i)->horizontalHeader()->restoreState(m_headers.at(i));
    }
    m_ui->tableTabs->setCurrentIndex(settings.value(u"usage/tab"_s, 0).toInt());
    const auto preset = UsageRange::Preset(settings.value(u"usage/range"_s, int(UsageRange::Preset::LastHour)).toInt());
    if (preset == UsageRange::Preset::Custom)
        setRange(UsageRange::between(settings.value(u"usage/from"_s).toDateTime(),
                                     settings.value(u"usage/to"_s).toDateTime()));
    else if (preset >= UsageRange::Preset::Last15Minutes && preset < UsageRange::Preset::Custom)
        setRange(UsageRange::last(preset));
}

} // namespace agentdesk
