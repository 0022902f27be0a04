#include "scopebudgetsview.h"

#include "budgetbar.h"
#include "scopebudgetdialog.h"
#include "scopebudgetmodel.h"
#include "session.h"
#include "viewdefaults.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace agentdesk {

ScopeBudgetsView::ScopeBudgetsView(QWidget *parent)
    : QWidget(parent)
    , m_note(new QLabel(this))
    , m_changeButton(new QPushButton(tr("&Change…"), this))
    , m_table(new QTableView(this))
{
    setObjectName(QStringLiteral("scopeBudgetsView"));
    m_table->setObjectName(QStringLiteral("scopeBudgetTable"));
    m_changeButton->setObjectName(QStringLiteral("changeScopeBudgetButton"));
    m_note->setWordWrap(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->setItemDelegateForColumn(
        ScopeBudgetModel::PercentColumn,
        new BudgetBarDelegate(ScopeBudgetModel::PercentRole, ScopeBudgetModel::ExhaustedRole, this));
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_note, 1);
    actions->addWidget(m_changeButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(actions);
    layout->addWidget(m_table, 1);
    connect(m_changeButton, &QPushButton::clicked, this, &ScopeBudgetsView::changeSelected);
    connect(m_table, &QTableView::doubleClicked, this, &ScopeBudgetsView::changeSelected);
    updateState();
}

ScopeBudgetsView::~ScopeBudgetsView() = default;

void ScopeBudgetsView::setSession(Session *session)
{
    const QString selected = selectedScope();
    m_table->setModel(nullptr);
    m_scope = std::make_unique<QObject>();
    m_session = session;
    m_model = nullptr;
    if (session) {
        m_model = new ScopeBudgetModel(session, m_scope.get());
        m_table->setModel(m_model);
        layOutColumns(m_table, {}, {170, 110, 130, 130, 160, 110, 90, 150});
        connect(m_model, &QAbstractItemModel::modelReset, this, &ScopeBudgetsView::updateState);
        connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                &ScopeBudgetsView::updateState);
        connect(session, &Session::scopeBudgetsChanged, this, &ScopeBudgetsView::updateState);
        if (!selectScope(selected) && m_model->rowCount() > 0)
            m_table->selectRow(0);
    }
    updateState();
}

QString ScopeBudgetsView::selectedScope() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.data(ScopeBudgetModel::ScopeRole).toString() : QString();
}

bool ScopeBudgetsView::selectScope(const QString &scope)
{
    const int row = m_model && !scope.isEmpty() ? m_model->rowOf(scope) : -1;
    if (row < 0)
        return false;
    m_table->setCurrentIndex(m_model->index(row, 0));
    m_table->selectRow(row);
    return true;
}

void ScopeBudgetsView::setCommandsEnabled(bool enabled)
{
    m_commandsEnabled = enabled;
    updateState();
}

void ScopeBudgetsView::updateState()
{
    const bool supported = m_session && m_session->abilities().scopeBudgets;
    const int count = m_model ? m_model->rowCount() : 0;
    if (!supported)
        m_note->setText(tr("This server has no agent or organism budgets."));
    else if (count == 0)
        m_note->setText(tr("No agent or organism budgets: give them under budgets: in organism.yaml."));
    else
        m_note->setText(tr("Calls of an agent whose budget is used up, or of any agent once the organism's is, "
                           "are held until the budget is raised, reset or its period starts again."));
    m_changeButton->setEnabled(supported && m_commandsEnabled && !selectedScope().isEmpty());
}

void ScopeBudgetsView::changeSelected()
{
    const QString scope = selectedScope();
    const std::optional<ScopeBudget> current = m_session && !scope.isEmpty() ? m_session->scopeBudget(scope)
                                                                             : std::nullopt;
    if (!current || !m_changeButton->isEnabled())
        return;
    ScopeBudgetDialog dialog(*current, this);
    if (dialog.exec() != QDialog::Accepted || !dialog.change() || !m_session)
        return;
    const QString name = ScopeBudgetModel::scopeText(*current);
    m_session->setScopeBudget(scope, *dialog.change(), this, [this, name](const Result<> &result) {
        if (result)
            emit statusMessage(tr("Budget changed: %1").arg(name));
        else
            emit commandFailed(tr("Change the budget of %1").arg(name), result.error().message);
    });
}

} // namespace agentdesk
