#include "alertcenter.h"

#include "threadlabels.h"

#include "modelformat.h"
#include "scopebudgetmodel.h"
#include "session.h"
#include "stateicons.h"

#include <QCoreApplication>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {
constexpr int kRecentAlerts = 100;
} // namespace

AlertCenter::AlertCenter(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Alert>();
}

void AlertCenter::setSession(Session *session)
{
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_session = session;
    m_states.clear();
    m_exhaustedScopes.clear();
    if (!session)
        return;
    m_connections << connect(session, &Session::budgetEvents, this, &AlertCenter::onBudgetEvents);
    m_connections << connect(session, &Session::agentsChanged, this, &AlertCenter::onAgentsChanged);
    m_connections << connect(session, &Session::agentsReset, this, &AlertCenter::reloadStates);
    reloadStates();
}

void AlertCenter::reloadStates()
{
    m_states.clear();
    if (!m_session)
        return;
    for (const AgentInfo &agent : m_session->agents())
        m_states.insert(agent.name, agent.state);
}

void AlertCenter::onBudgetEvents(const QList<BudgetEvent> &events)
{
    for (const BudgetEvent &event : events) {
        Alert alert;
        alert.threadId = event.threadId;
        alert.agent = event.agent;
        alert.time = event.timestamp.isValid() ? event.timestamp : QDateTime::currentDateTimeUtc();
        if (event.scopeBudget) {
            if (scopeAlert(event, &alert))
                raise(alert);
            continue;
        }
        const ThreadLabels *labels = ThreadLabels::forSession(m_session);
        const QString thread = labels ? labels->describe(event.threadId) : ThreadLabels::shortId(event.threadId);
        const QString used = tr("%1 of %2 tokens used")
                                 .arg(modelformat::count(event.budget.totalTokens()),
                                      modelformat::count(event.budget.maxTokens));
        if (event.kind == BudgetEventKind::Critical) {
            alert.kind = Alert::Kind::BudgetCritical;
            alert.title = tr("Thread %1 passed 90 % of its budget").arg(thread);
            alert.text = used;
        } else if (event.kind == BudgetEventKind::Final) {
            alert.kind = Alert::Kind::BudgetFinal;
            alert.title = tr("Thread %1 passed 95 % of its budget").arg(thread);
            alert.text = used;
        } else if (event.kind == BudgetEventKind::Exhausted) {
            alert.kind = Alert::Kind::BudgetExhausted;
            alert.title = tr("Thread %1 is held: budget exhausted").arg(thread);
            alert.text = tr("%1. Raise its budget or kill it.").arg(used);
        } else {
            continue; // warning (75 %) and raised: visible in the window, not worth a notification
        }
        raise(alert);
    }
}

// An agent's or the organism's budget: the same thresholds as a thread's, its amounts in its unit.
bool AlertCenter::scopeAlert(const BudgetEvent &event, Alert *alert)
{
    const ScopeBudget &budget = *event.scopeBudget;
    if (event.kind == BudgetEventKind::Raised) {
        m_exhaustedScopes.remove(event.scope);
        return false;
    }
    if (event.kind == BudgetEventKind::Exhausted && m_exhaustedScopes.contains(event.scope))
        return false;
    const QString whose = budget.agent.isEmpty() ? tr("The organism's budget")
                                                 : tr("Agent %1's budget").arg(budget.agent);
    const QString used = tr("%1 of %2 used, counted per %3")
                             .arg(ScopeBudgetModel::amountText(budget, budget.used()),
                                  ScopeBudgetModel::amountText(budget, budget.limit()),
                                  ScopeBudgetModel::periodText(budget.period));
    if (event.kind == BudgetEventKind::Critical) {
        alert->kind = Alert::Kind::BudgetCritical;
        alert->title = tr("%1 passed 90 %").arg(whose);
        alert->text = used;
    } else if (event.kind == BudgetEventKind::Final) {
        alert->kind = Alert::Kind::BudgetFinal;
        alert->title = tr("%1 passed 95 %").arg(whose);
        alert->text = used;
    } else if (event.kind == BudgetEventKind::Exhausted) {
        m_exhaustedScopes.insert(event.scope);
        alert->kind = Alert::Kind::BudgetExhausted;
        alert->title = budget.agent.isEmpty()
            ? tr("The organism's budget is used up: its calls are held")
            : tr("Agent %1's budget is used up: its calls are held").arg(budget.agent);
        alert->text = tr("%1. Raise or reset it on the Usage page.").arg(used);
    } else {
        return false; // warning (75 %) and raised: visible in the window, not worth a notification
    }
    return true;
}

void AlertCenter::onAgentsChanged(const QList<AgentInfo> &changed)
{
    for (const AgentInfo &agent : changed) {
        const auto previous = m_states.constFind(agent.name);
        const bool wasError = previous != m_states.cend() && *previous == AgentState::Error;
        m_states.insert(agent.name, agent.state);
        if (agent.state != AgentState::Error || wasError)
            continue;
        Alert alert;
        alert.kind = Alert::Kind::AgentError;
        alert.agent = agent.name;
        alert.threadId = agent.currentThread;
        alert.time = QDateTime::currentDateTimeUtc();
        alert.title = tr("Agent %1 failed").arg(agent.name);
        alert.text = agent.lastError.isEmpty() ? tr("It is in the error state.") : agent.lastError;
        raise(alert);
    }
}

void AlertCenter::raise(Alert alert)
{
    m_recent.append(alert);
    if (m_recent.size() > kRecentAlerts)
        m_recent.removeFirst();
    emit alertRaised(alert);
}

TrayNotifier::TrayNotifier(QObject *parent)
    : QObject(parent)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(stateicons::application(), this);
    m_tray->setToolTip(QCoreApplication::applicationName());
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayNotifier::activated);
    connect(m_tray, &QSystemTrayIcon::activated, this, &TrayNotifier::activated);
    m_tray->show();
}

TrayNotifier::~TrayNotifier() = default;

void TrayNotifier::show(const Alert &alert)
{
    if (!m_tray || !QSystemTrayIcon::supportsMessages())
        return;
    const QSystemTrayIcon::MessageIcon icon = alert.kind == Alert::Kind::BudgetCritical ? QSystemTrayIcon::Warning
                                                                                        : QSystemTrayIcon::Critical;
    m_tray->showMessage(alert.title, alert.text, icon);
}

} // namespace agentdesk
