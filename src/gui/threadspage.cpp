#include "threadspage.h"
#include "ui_threadspage.h"

#include "budgetbar.h"
#include "budgetdialog.h"
#include "conversationdelegate.h"
#include "conversationmodel.h"
#include "modelformat.h"
#include "session.h"
#include "viewdefaults.h"
#include "statusdelegate.h"
#include "threadfilterproxymodel.h"
#include "threadmodel.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {
constexpr int kLiveThreads = 1000;
} // namespace

ThreadsPage::ThreadsPage(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ThreadsPage>())
{
    m_ui->setupUi(this);
    m_ui->statusCombo->addItem(tr("Any"), -1);
    for (ThreadStatus status : {ThreadStatus::Active, ThreadStatus::Completed, ThreadStatus::Error, ThreadStatus::Killed})
        m_ui->statusCombo->addItem(modelformat::statusText(status), int(status));
    m_ui->threadTable->setItemDelegateForColumn(ThreadModel::StatusColumn,
                                                new StatusDelegate(ThreadModel::StatusColorRole, -1, this));
    m_ui->threadTable->setItemDelegateForColumn(ThreadModel::BudgetColumn,
                                                new BudgetBarDelegate(ThreadModel::BudgetPercentRole, -1, this));
    m_ui->threadTable->horizontalHeader()->setSectionsMovable(true);
    m_ui->threadTable->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // most recent first
    m_ui->threadTable->setSortingEnabled(true);
    m_ui->conversationView->setItemDelegate(new ConversationDelegate(this));
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 2);
    m_ui->splitter->setSizes({700, 520});

    connect(m_ui->statusCombo, &QComboBox::currentIndexChanged, this, [this] {
        const int value = m_ui->statusCombo->currentData().toInt();
        if (m_filter)
            m_filter->setStatusFilter(value < 0 ? std::nullopt : std::optional(ThreadStatus(value)));
        updateCount();
    });
    connect(m_ui->agentCombo, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filter)
            m_filter->setAgentFilter(m_ui->agentCombo->currentData().toString());
        updateCount();
    });
    connect(m_ui->killButton, &QPushButton::clicked, this, &ThreadsPage::killSelected);
    connect(m_ui->raiseButton, &QPushButton::clicked, this, &ThreadsPage::raiseSelectedBudget);
    connect(m_ui->copyButton, &QPushButton::clicked, this, &ThreadsPage::copySelectedId);
    connect(m_ui->threadTable, &QTableView::customContextMenuRequested, this, &ThreadsPage::showContextMenu);
    updateDetail();
}

ThreadsPage::~ThreadsPage() = default;

QTableView *ThreadsPage::table() const
{
    return m_ui->threadTable;
}

QListView *ThreadsPage::conversationView() const
{
    return m_ui->conversationView;
}

void ThreadsPage::setSession(Session *session)
{
    if (m_ui->threadTable->model())
        m_header = m_ui->threadTable->horizontalHeader()->saveState(); // widths survive a change of session
    m_ui->threadTable->setModel(nullptr);
    m_ui->conversationView->setModel(nullptr);
    m_scope = std::make_unique<QObject>();
    m_session = session;
    m_threads = nullptr;
    m_filter = nullptr;
    m_conversation = nullptr;
    m_shown.clear();
    m_shownInfo.reset();
    if (session) {
        m_threads = new ThreadModel(session, m_scope.get());
        // The model re-sorts its rows on every batch: a shorter live window keeps a flood cheap. Older
        // threads are a scroll away (fetchMore).
        m_threads->setMaxLiveRows(kLiveThreads);
        m_filter = new ThreadFilterProxyModel(m_scope.get());
        m_filter->setSourceModel(m_threads);
        const int status = m_ui->statusCombo->currentData().toInt();
        m_filter->setStatusFilter(status < 0 ? std::nullopt : std::optional(ThreadStatus(status)));
        m_conversation = new ConversationModel(session, m_scope.get());
        m_ui->threadTable->setModel(m_filter);
        if (!m_header.isEmpty())
            m_ui->threadTable->horizontalHeader()->restoreState(m_header);
        else
            setDefaultWidths(m_ui->threadTable, {100, 100, 170, 70, 145, 145, 100, 130});
        m_ui->conversationView->setModel(m_conversation);
        m_ui->conversationView->setModelColumn(MessageTableModel::SeqColumn);
        connect(m_ui->threadTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                &ThreadsPage::onCurrentChanged);
        for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(m_filter, signal, this, &ThreadsPage::updateCount);
        connect(m_filter, &QAbstractItemModel::modelReset, this, &ThreadsPage::updateCount);
        connect(m_threads, &QAbstractItemModel::dataChanged, this, &ThreadsPage::refreshShownInfo);
        connect(m_threads, &QAbstractItemModel::layoutChanged, this, &ThreadsPage::refreshShownInfo);
        connect(m_threads, &QAbstractItemModel::rowsInserted, this, &ThreadsPage::refreshShownInfo);
        connect(m_conversation, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
            QScrollBar *bar = m_ui->conversationView->verticalScrollBar();
            m_ui->conversationView->setProperty("followBottom", bar->value() >= bar->maximum() - 4);
        });
        connect(m_conversation, &QAbstractItemModel::rowsInserted, this, [this] {
            if (m_ui->conversationView->property("followBottom").toBool())
                m_ui->conversationView->scrollToBottom();
            updateDetail();
        });
        connect(m_conversation, &QAbstractItemModel::modelReset, this, [this] {
            m_ui->conversationView->scrollToBottom();
            updateDetail();
        });
        connect(m_conversation, &ConversationModel::loadingChanged, this, &ThreadsPage::updateDetail);
        connect(m_conversation, &ConversationModel::totalMessagesChanged, this, &ThreadsPage::updateDetail);
        connect(session, &Session::budgetsChanged, this, &ThreadsPage::updateDetail);
        connect(session, &Session::agentsReset, this, &ThreadsPage::populateAgents);
    }
    populateAgents();
    updateCount();
    updateDetail();
}

void ThreadsPage::populateAgents()
{
    const QString current = m_ui->agentCombo->currentData().toString();
    const QSignalBlocker blocker(m_ui->agentCombo);
    m_ui->agentCombo->clear();
    m_ui->agentCombo->addItem(tr("Any"), QString());
    if (m_session) {
        for (const AgentInfo &agent : m_session->agents())
            m_ui->agentCombo->addItem(agent.name, agent.name);
    }
    const int index = m_ui->agentCombo->findData(current);
    m_ui->agentCombo->setCurrentIndex(std::max(index, 0));
    if (m_filter)
        m_filter->setAgentFilter(m_ui->agentCombo->currentData().toString());
}

void ThreadsPage::setStatusFilter(std::optional<ThreadStatus> status)
{
    const int index = m_ui->statusCombo->findData(status ? int(*status) : -1);
    m_ui->statusCombo->setCurrentIndex(std::max(index, 0));
}

void ThreadsPage::setAgentFilter(const QString &agent)
{
    const int index = m_ui->agentCombo->findData(agent);
    m_ui->agentCombo->setCurrentIndex(std::max(index, 0));
}

QString ThreadsPage::selectedThread() const
{
    return m_shown;
}

bool ThreadsPage::selectThread(const QString &threadId)
{
    if (!m_threads)
        return false;
    const int row = m_threads->rowOf(threadId);
    if (row < 0)
        return false;
    const QModelIndex index = m_filter->mapFromSource(m_threads->index(row, 0));
    if (!index.isValid())
        return false;
    m_ui->threadTable->setCurrentIndex(index);
    m_ui->threadTable->selectRow(index.row());
    m_ui->threadTable->scrollTo(index);
    return true;
}

void ThreadsPage::showThread(const QString &threadId)
{
    if (selectThread(threadId))
        return;
    m_ui->threadTable->clearSelection();
    setShownThread(threadId);
}

void ThreadsPage::onCurrentChanged()
{
    const QModelIndex current = m_ui->threadTable->currentIndex();
    if (current.isValid())
        setShownThread(current.data(ThreadModel::ThreadIdRole).toString());
}

void ThreadsPage::setShownThread(const QString &threadId)
{
    if (threadId == m_shown)
        return;
    m_shown = threadId;
    m_shownInfo.reset();
    if (m_conversation)
        m_conversation->setThreadId(threadId);
    refreshShownInfo();
    if (!m_shownInfo && m_session && !threadId.isEmpty()) {
        m_session->fetchThread(threadId, m_scope.get(), [this, threadId](const std::optional<ThreadInfo> &thread,
                                                                        const QString &) {
            if (threadId == m_shown && thread && !m_shownInfo) {
                m_shownInfo = thread;
                updateDetail();
            }
        });
    }
    updateDetail();
}

void ThreadsPage::refreshShownInfo()
{
    if (m_threads && !m_shown.isEmpty()) {
        const int row = m_threads->rowOf(m_shown);
        if (row >= 0)
            m_shownInfo = m_threads->thread(row);
    }
    updateDetail();
}

void ThreadsPage::updateCount()
{
    const int shown = m_filter ? m_filter->rowCount() : 0;
    const int loaded = m_threads ? m_threads->rowCount() : 0;
    m_ui->countLabel->setText(shown == loaded ? tr("%n thread(s)", nullptr, shown)
                                              : tr("%1 of %2 threads").arg(shown).arg(loaded));
}

void ThreadsPage::updateDetail()
{
    const bool shown = !m_shown.isEmpty() && m_session;
    m_ui->detailPane->setEnabled(shown);
    if (!shown) {
        m_ui->threadTitle->setText(tr("No thread selected"));
        m_ui->budgetBar->setBudget(std::nullopt);
        m_ui->conversationInfo->clear();
        m_ui->killButton->setEnabled(false);
        m_ui->raiseButton->setEnabled(false);
        m_ui->copyButton->setEnabled(false);
        return;
    }
    QString title = tr("Thread %1").arg(m_shown);
    if (m_shownInfo) {
        title += u" — "_s + modelformat::statusText(m_shownInfo->status);
        if (!m_shownInfo->participants.isEmpty())
            title += u"\n"_s + m_shownInfo->participants.join(u" → "_s);
        if (!m_shownInfo->error.isEmpty())
            title += u"\n"_s + tr("Error: %1").arg(m_shownInfo->error);
    }
    m_ui->threadTitle->setText(title);
    const std::optional<ThreadBudget> budget = m_session->budget(m_shown);
    m_ui->budgetBar->setBudget(budget);
    const bool active = !m_shownInfo || m_shownInfo->status == ThreadStatus::Active;
    m_ui->killButton->setEnabled(m_commandsEnabled && active);
    m_ui->raiseButton->setEnabled(m_commandsEnabled && budget.has_value());
    m_ui->copyButton->setEnabled(true);
    if (m_conversation) {
        const qint64 total = m_conversation->totalMessages();
        const int rows = m_conversation->rowCount();
        if (m_conversation->isLoading())
            m_ui->conversationInfo->setText(tr("Loading…"));
        else if (total > rows)
            m_ui->conversationInfo->setText(tr("Showing the newest %1 of %2 messages").arg(rows).arg(total));
        else
            m_ui->conversationInfo->setText(tr("%n message(s)", nullptr, rows));
    }
}

void ThreadsPage::setCommandsEnabled(bool enabled)
{
    m_commandsEnabled = enabled;
    updateDetail();
}

void ThreadsPage::killSelected()
{
    kill(m_shown);
}

void ThreadsPage::kill(const QString &threadId)
{
    if (!m_session || threadId.isEmpty() || !m_commandsEnabled)
        return;
    m_session->killThread(threadId, this, [this, threadId](const CommandResult &result) {
        if (result.ok)
            emit statusMessage(tr("Killed thread %1").arg(threadId));
        else
            emit commandFailed(tr("Kill thread %1").arg(threadId), result.error);
    });
}

void ThreadsPage::raiseSelectedBudget()
{
    if (!m_session || m_shown.isEmpty() || !m_commandsEnabled)
        return;
    const std::optional<ThreadBudget> budget = m_session->budget(m_shown);
    if (!budget)
        return;
    auto *dialog = new BudgetDialog(*budget, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString threadId = m_shown;
    connect(dialog, &QDialog::accepted, this, [this, dialog, threadId] { raiseBudget(threadId, dialog->maxTokens()); });
    dialog->open();
}

void ThreadsPage::raiseBudget(const QString &threadId, qint64 maxTokens)
{
    if (!m_session || threadId.isEmpty() || maxTokens <= 0)
        return;
    m_session->setThreadBudget(threadId, maxTokens, this, [this, threadId, maxTokens](const CommandResult &result) {
        if (result.ok)
            emit statusMessage(tr("Budget of thread %1 set to %2 tokens").arg(threadId, modelformat::count(maxTokens)));
        else
            emit commandFailed(tr("Raise the budget of thread %1").arg(threadId), result.error);
    });
}

void ThreadsPage::copySelectedId()
{
    if (!m_shown.isEmpty())
        QGuiApplication::clipboard()->setText(m_shown);
}

void ThreadsPage::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_ui->threadTable->indexAt(position);
    if (!index.isValid())
        return;
    m_ui->threadTable->selectRow(index.row());
    const QString threadId = index.data(ThreadModel::ThreadIdRole).toString();
    const bool active = ThreadStatus(index.data(ThreadModel::StatusRole).toInt()) == ThreadStatus::Active;
    QMenu menu(this);
    menu.addAction(tr("&Kill"), this, [this, threadId] { kill(threadId); })->setEnabled(m_commandsEnabled && active);
    menu.addAction(tr("&Raise budget…"), this, &ThreadsPage::raiseSelectedBudget)
        ->setEnabled(m_commandsEnabled && m_session && m_session->budget(threadId).has_value());
    menu.addAction(tr("&Copy id"), this, [threadId] { QGuiApplication::clipboard()->setText(threadId); });
    menu.exec(m_ui->threadTable->viewport()->mapToGlobal(position));
}

void ThreadsPage::saveState(QSettings &settings) const
{
    settings.setValue(u"threads/header"_s,
                      m_ui->threadTable->model() ? m_ui->threadTable->horizontalHeader()->saveState() : m_header);
    settings.setValue(u"threads/splitter"_s, m_ui->splitter->saveState());
}

void ThreadsPage::restoreState(const QSettings &settings)
{
    // Applied once the table has a model: a header without its columns cannot take the state.
    m_header = settings.value(u"threads/header"_s).toByteArray();
    if (m_ui->threadTable->model())
        m_ui->threadTable->horizontalHeader()->restoreState(m_header);
    m_ui->splitter->restoreState(settings.value(u"threads/splitter"_s).toByteArray());
}

} // namespace agentdesk
