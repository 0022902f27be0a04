#include "usagefilterbar.h"

#include "session.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QComboBox *makeCombo(const QString &objectName, const QString &all, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(objectName);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    combo->addItem(all, QString());
    return combo;
}

// The combo's current name; "" for "all".
QString chosenName(const QComboBox *combo)
{
    return combo->currentData().toString();
}

void choose(QComboBox *combo, const QVariant &data)
{
    const int index = combo->findData(data);
    combo->setCurrentIndex(index < 0 ? 0 : index);
}

} // namespace

UsageFilterBar::UsageFilterBar(QWidget *parent)
    : QWidget(parent)
    , m_agent(makeCombo(u"agentFilter"_s, tr("All agents"), this))
    , m_model(makeCombo(u"modelFilter"_s, tr("All models"), this))
    , m_outcome(makeCombo(u"outcomeFilter"_s, tr("All outcomes"), this))
{
    const std::pair<UsageOutcome, QString> outcomes[] = {
        {UsageOutcome::Ok, tr("ok")},
        {UsageOutcome::Unusable, tr("unusable reply")},
        {UsageOutcome::Error, tr("error")},
        {UsageOutcome::Aborted, tr("aborted")},
    };
    m_outcome->setItemData(0, -1);
    for (const auto &[outcome, text] : outcomes)
        m_outcome->addItem(text, int(outcome));
    m_outcome->setItemData(2, tr("A 2xx reply that could not be used"), Qt::ToolTipRole);
    m_outcome->setItemData(3, tr("An HTTP error or a cut stream that carried tokens"), Qt::ToolTipRole);
    m_outcome->setItemData(4, tr("Sent, never answered"), Qt::ToolTipRole);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    const std::pair<QString, QComboBox *> fields[] = {
        {tr("Agent:"), m_agent}, {tr("Model:"), m_model}, {tr("Outcome:"), m_outcome}};
    for (const auto &[title, combo] : fields) {
        auto *label = new QLabel(title, this);
        label->setBuddy(combo);
        layout->addSpacing(8);
        layout->addWidget(label); // no accelerators: every letter is taken by a page, a menu or the range
        layout->addWidget(combo);
        connect(combo, &QComboBox::currentIndexChanged, this, &UsageFilterBar::onChosen);
    }
    updateAbilities();
}

UsageFilterBar::~UsageFilterBar() = default;

void UsageFilterBar::setSession(Session *session)
{
    m_scope = std::make_unique<QObject>();
    m_session = session;
    {
        const QSignalBlocker blockAgent(m_agent);
        const QSignalBlocker blockModel(m_model);
        for (QComboBox *combo : {m_agent, m_model}) {
            while (combo->count() > 1)
                combo->removeItem(1);
        }
    }
    if (session) {
        connect(session, &Session::stateChanged, m_scope.get(), [this] {
            refreshChoices();
            updateAbilities();
        });
        connect(session, &Session::agentsReset, m_scope.get(), [this] { refreshChoices(); });
        connect(session, &Session::usageChanged, m_scope.get(), [this] { refreshChoices(); });
        connect(session, &Session::usageRecorded, m_scope.get(), [this](const QList<UsageEvent> &events) {
            QStringList agents;
            QStringList models;
            for (const UsageEvent &event : events) {
                agents.append(event.agentId);
                models.append(event.model);
            }
            addNames(m_agent, agents);
            addNames(m_model, models);
        });
    }
    refreshChoices();
    updateAbilities();
}

UsageSeriesFilter UsageFilterBar::filter() const
{
    return m_filter;
}

void UsageFilterBar::setFilter(const UsageSeriesFilter &filter)
{
    {
        const QSignalBlocker blockAgent(m_agent);
        const QSignalBlocker blockModel(m_model);
        const QSignalBlocker blockOutcome(m_outcome);
        addNames(m_agent, {filter.agent});
        addNames(m_model, {filter.model});
        choose(m_agent, filter.agent);
        choose(m_model, filter.model);
        choose(m_outcome, filter.outcome ? int(*filter.outcome) : -1);
    }
    onChosen();
}

void UsageFilterBar::addModels(const QStringList &models)
{
    addNames(m_model, models);
}

void UsageFilterBar::refreshChoices()
{
    if (!m_session || !m_session->isConnected())
        return;
    QStringList agents;
    for (const AgentInfo &agent : m_session->agents())
        agents.append(agent.name);
    QStringList models;
    const UsageSnapshot usage = m_session->usage();
    for (const UsageCounters &counters : usage.byAgent)
        agents.append(counters.key);
    for (const UsageCounters &counters : usage.byModel)
        models.append(counters.key);
    for (const UsageEvent &event : m_session->recentUsage())
        models.append(event.model);
    addNames(m_agent, agents);
    addNames(m_model, models);
}

// Appends the names not yet offered, keeping the current choice (the list only grows within a session).
void UsageFilterBar::addNames(QComboBox *combo, const QStringList &names)
{
    const QSignalBlocker block(combo);
    for (const QString &name : names) {
        if (!name.isEmpty() && combo->findData(name) < 0)
            combo->addItem(name, name);
    }
}

void UsageFilterBar::updateAbilities()
{
    const bool connected = m_session && m_session->isConnected();
    const ServerAbilities abilities = connected ? m_session->abilities() : ServerAbilities();
    const bool outcomes = abilities.filtersUsageOutcome;
    if (!outcomes && m_outcome->currentIndex() != 0) {
        const QSignalBlocker block(m_outcome);
        m_outcome->setCurrentIndex(0);
    }
    m_outcome->setEnabled(outcomes);
    m_outcome->setToolTip(outcomes ? tr("Only the calls that ended so")
                                   : tr("This server records no outcome of its calls (the original AgentServer): "
                                        "the chart counts every call, whatever its outcome."));
    m_agent->setToolTip(tr("Only this agent's calls"));
    m_model->setToolTip(tr("Only the calls of this model (the name the provider returned)"));
    onChosen();
}

void UsageFilterBar::onChosen()
{
    UsageSeriesFilter filter;
    filter.agent = chosenName(m_agent);
    filter.model = chosenName(m_model);
    if (const int outcome = m_outcome->currentData().toInt(); outcome >= 0 && m_outcome->isEnabled())
        filter.outcome = UsageOutcome(outcome);
    if (filter == m_filter)
        return;
    m_filter = filter;
    emit filterChanged(m_filter);
}

} // namespace agentdesk
