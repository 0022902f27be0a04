#include "agentspage.h"
#include "ui_agentspage.h"

#include "agentmodel.h"
#include "costdisplayproxy.h"
#include "llmbackendsview.h"
#include "modelformat.h"
#include "session.h"
#include "viewdefaults.h"
#include "statusdelegate.h"
#include "xmltext.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QMenu>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>

using namespace Qt::StringLiterals;

namespace agentdesk {

AgentsPage::AgentsPage(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::AgentsPage>())
{
    m_ui->setupUi(this);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui->schemaText->setFont(mono);
    m_ui->exampleText->setFont(mono);
    QFont title = m_ui->nameLabel->font();
    title.setBold(true);
    title.setPointSizeF(title.pointSizeF() * 1.2);
    m_ui->nameLabel->setFont(title);
    m_ui->agentTable->setItemDelegateForColumn(
        AgentModel::StateColumn, new StatusDelegate(AgentModel::StateColorRole, AgentModel::StateRole, this));
    m_ui->agentTable->horizontalHeader()->setSectionsMovable(true);
    m_ui->agentTable->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // registration order
    m_ui->agentTable->setSortingEnabled(true);
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 2);
    m_ui->splitter->setSizes({800, 420});
    // The LLM backends under the agents and their details.
    auto *rows = new QSplitter(Qt::Vertical, this);
    rows->setObjectName(u"backendSplitter"_s);
    rows->setChildrenCollapsible(false);
    delete m_ui->pageLayout->replaceWidget(m_ui->splitter, rows);
    rows->addWidget(m_ui->splitter);
    m_backends = new LlmBackendsView(rows);
    rows->addWidget(m_backends);
    rows->setStretchFactor(0, 3);
    rows->setStretchFactor(1, 1);
    connect(m_ui->pauseButton, &QPushButton::clicked, this, &AgentsPage::pauseSelected);
    connect(m_ui->resumeButton, &QPushButton::clicked, this, &AgentsPage::resumeSelected);
    connect(m_ui->injectButton, &QPushButton::clicked, this, [this] { emit injectRequested(selectedAgent()); });
    connect(m_ui->agentTable, &QTableView::customContextMenuRequested, this, &AgentsPage::showContextMenu);
    connect(m_ui->agentTable, &QTableView::doubleClicked, this, [this] { emit injectRequested(selectedAgent()); });
    updateDetail();
}

AgentsPage::~AgentsPage() = default;

QTableView *AgentsPage::table() const
{
    return m_ui->agentTable;
}

void AgentsPage::setSession(Session *session, ProviderDirectory *providers)
{
    const QString selected = selectedAgent();
    if (m_ui->agentTable->model())
        m_header = m_ui->agentTable->horizontalHeader()->saveState(); // widths survive a change of session
    m_ui->agentTable->setModel(nullptr);
    m_backends->setSession(session);
    m_scope = std::make_unique<QObject>();
    m_session = session;
    m_model = nullptr;
    m_costs = nullptr;
    m_sort = nullptr;
    if (session) {
        m_model = new AgentModel(session, m_scope.get());
        m_costs = new CostDisplayProxy(CostDisplayProxy::Keys::Agents, AgentModel::NameColumn, AgentModel::NameRole,
                                       AgentModel::CostColumn, m_scope.get());
        m_costs->setSourceModel(m_model);
        m_costs->setSession(session);
        m_costs->setProviders(providers);
        m_sort = new QSortFilterProxyModel(m_scope.get());
        m_sort->setSortRole(AgentModel::RawValueRole);
        m_sort->setSourceModel(m_costs);
        m_ui->agentTable->setModel(m_sort);
        layOutColumns(m_ui->agentTable, m_header, {125, 100, 190, 150, 80, 145, 75, 80}); // the queue may say why
        connect(m_ui->agentTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                &AgentsPage::updateDetail);
        connect(m_model, &QAbstractItemModel::dataChanged, this, &AgentsPage::updateDetail);
        connect(m_model, &QAbstractItemModel::modelReset, this, &AgentsPage::updateDetail);
        const auto selectFirst = [this] {
            if (selectedAgent().isEmpty() && m_sort->rowCount() > 0)
                m_ui->agentTable->selectRow(0);
        };
        connect(m_sort, &QAbstractItemModel::rowsInserted, this, selectFirst);
        connect(m_sort, &QAbstractItemModel::modelReset, this, selectFirst);
        connect(session, &Session::capabilitiesChanged, this, &AgentsPage::updateDetail);
        if (!selectAgent(selected) && m_sort->rowCount() > 0)
            m_ui->agentTable->selectRow(0);
    }
    updateDetail();
}

QString AgentsPage::selectedAgent() const
{
    const QModelIndex current = m_ui->agentTable->currentIndex();
    return current.isValid() ? current.data(AgentModel::NameRole).toString() : QString();
}

bool AgentsPage::selectAgent(const QString &name)
{
    if (!m_model || name.isEmpty())
        return false;
    const int row = m_model->rowOf(name);
    if (row < 0)
        return false;
    const QModelIndex index = m_sort->mapFromSource(m_costs->mapFromSource(m_model->index(row, 0)));
    m_ui->agentTable->setCurrentIndex(index);
    m_ui->agentTable->selectRow(index.row());
    return true;
}

void AgentsPage::updateDetail()
{
    const QString name = selectedAgent();
    const std::optional<AgentInfo> agent = m_session && !name.isEmpty() ? m_session->agent(name) : std::nullopt;
    const int count = m_model ? m_model->rowCount() : 0;
    m_ui->summaryLabel->setText(tr("%n listener(s)", nullptr, count));
    m_ui->detailPane->setEnabled(agent.has_value());
    if (!agent) {
        m_ui->nameLabel->setText(tr("No agent selected"));
        for (QLabel *label :
             {m_ui->descriptionLabel, m_ui->handlerLabel, m_ui->payloadLabel, m_ui->peersLabel, m_ui->errorLabel})
            label->clear();
        m_ui->schemaText->clear();
        m_ui->exampleText->clear();
        updateButtons();
        return;
    }
    m_ui->nameLabel->setText(u"%1 — %2"_s.arg(agent->name, modelformat::stateText(agent->state)));
    m_ui->descriptionLabel->setText(agent->description);
    // The original server does not say how a listener is handled (only whether it is an LLM agent).
    m_ui->handlerLabel->setText(agent->isAgent                 ? (agent->handler.isEmpty() || agent->handler == u"agent"
                                                                      ? tr("LLM agent")
                                                                      : tr("LLM agent (%1)").arg(agent->handler))
                                    : agent->handler.isEmpty() ? tr("not reported by this server")
                                                               : agent->handler);
    // The element a payload of this type is sent as; the routing key (`greeter.greeting`) is no element.
    m_ui->payloadLabel->setText(agent->payloadType.isEmpty() ? agent->rootTag : u"%1 <%1>"_s.arg(agent->payloadType));
    m_ui->payloadLabel->setToolTip(agent->rootTag.isEmpty() ? QString() : tr("Routing key: %1").arg(agent->rootTag));
    m_ui->peersLabel->setText(agent->peers.isEmpty() ? tr("(none)") : agent->peers.join(u", "_s));
    m_ui->errorLabel->setText(agent->lastError.isEmpty() ? tr("(none)") : agent->lastError);
    for (const Capability &capability : m_session->capabilities()) {
        if (capability.name != agent->name)
            continue;
        if (m_ui->schemaText->toPlainText() != capability.schemaXsd)
            m_ui->schemaText->setPlainText(capability.schemaXsd);
        const QString example = xmltext::indented(capability.exampleXml.toUtf8());
        if (m_ui->exampleText->toPlainText() != example)
            m_ui->exampleText->setPlainText(example);
    }
    updateButtons();
}

bool AgentsPage::canPauseSelected() const
{
    const QString name = selectedAgent();
    const std::optional<AgentInfo> agent = m_session && !name.isEmpty() ? m_session->agent(name) : std::nullopt;
    return agent && m_commandsEnabled && agent->state != AgentState::Paused;
}

bool AgentsPage::canResumeSelected() const
{
    const QString name = selectedAgent();
    const std::optional<AgentInfo> agent = m_session && !name.isEmpty() ? m_session->agent(name) : std::nullopt;
    return agent && m_commandsEnabled && agent->state == AgentState::Paused;
}

void AgentsPage::updateButtons()
{
    const QString name = selectedAgent();
    const std::optional<AgentInfo> agent = m_session && !name.isEmpty() ? m_session->agent(name) : std::nullopt;
    m_ui->pauseButton->setEnabled(canPauseSelected());
    m_ui->resumeButton->setEnabled(canResumeSelected());
    m_ui->injectButton->setEnabled(agent && m_commandsEnabled);
    const bool cosmetic = m_session && !m_session->abilities().pauseHoldsWork;
    m_ui->pauseButton->setToolTip(cosmetic ? tr("This server's pause only changes the agent's state: it goes on "
                                                "taking and handling messages")
                                           : tr("Hold the agent's queue: messages for it wait until it is resumed"));
    emit commandsChanged();
}

void AgentsPage::setCommandsEnabled(bool enabled)
{
    m_commandsEnabled = enabled;
    updateButtons();
}

void AgentsPage::pauseSelected()
{
    command(true, selectedAgent());
}

void AgentsPage::resumeSelected()
{
    command(false, selectedAgent());
}

void AgentsPage::command(bool pause, const QString &name)
{
    if (!m_session || name.isEmpty() || !m_commandsEnabled)
        return;
    const auto done = [this, pause, name](const Result<> &result) {
        const bool cosmetic = m_session && !m_session->abilities().pauseHoldsWork;
        if (result && pause && cosmetic)
            emit statusMessage(tr("%1 marked paused — this server goes on sending it messages").arg(name));
        else if (result)
            emit statusMessage(pause ? tr("Paused %1").arg(name) : tr("Resumed %1").arg(name));
        else
            emit commandFailed(pause ? tr("Pause %1").arg(name) : tr("Resume %1").arg(name), result.error().message);
    };
    if (pause)
        m_session->pauseAgent(name, this, done);
    else
        m_session->resumeAgent(name, this, done);
}

void AgentsPage::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_ui->agentTable->indexAt(position);
    if (!index.isValid())
        return;
    m_ui->agentTable->selectRow(index.row());
    const QString name = index.data(AgentModel::NameRole).toString();
    QMenu menu(this);
    QAction *pause = menu.addAction(tr("&Pause"), this, [this, name] { command(true, name); });
    QAction *resume = menu.addAction(tr("&Resume"), this, [this, name] { command(false, name); });
    QAction *inject = menu.addAction(tr("&Inject to %1…").arg(name), this,
                                     [this, name] { emit injectRequested(name); });
    const bool paused = AgentState(index.data(AgentModel::StateRole).toInt()) == AgentState::Paused;
    pause->setEnabled(m_commandsEnabled && !paused);
    resume->setEnabled(m_commandsEnabled && paused);
    inject->setEnabled(m_commandsEnabled);
    menu.exec(m_ui->agentTable->viewport()->mapToGlobal(position));
}

void AgentsPage::saveState(QSettings &settings) const
{
    settings.setValue(u"agents/header"_s,
                      m_ui->agentTable->model() ? m_ui->agentTable->horizontalHeader()->saveState() : m_header);
    settings.setValue(u"agents/splitter"_s, m_ui->splitter->saveState());
}

void AgentsPage::restoreState(const QSettings &settings)
{
    // Applied once the table has a model: a header without its columns cannot take the state.
    m_header = settings.value(u"agents/header"_s).toByteArray();
    if (m_ui->agentTable->model())
        layOutColumns(m_ui->agentTable, m_header, {});
    m_ui->splitter->restoreState(settings.value(u"agents/splitter"_s).toByteArray());
}

} // namespace agentdesk
