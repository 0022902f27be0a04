#include "threadspage.h"
#include "ui_threadspage.h"

#include "budgetbar.h"
#include "budgetdialog.h"
#include "confirmation.h"
#include "conversationdelegate.h"
#include "conversationmodel.h"
#include "guilogging.h"
#include "modelformat.h"
#include "session.h"
#include "statusdelegate.h"
#include "threadlabels.h"
#include "threadmodel.h"
#include "threadtimelineview.h"
#include "viewdefaults.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {
// The model re-sorts and reindexes its rows on every batch: a shorter live window keeps a flood cheap.
// Older threads are a scroll away (fetchMore).
constexpr int kLiveThreads = 1000;
// After the pointer leaves the list it stays still this long: long enough to come back and click.
constexpr int kThawDelayMs = 800;
} // namespace

ThreadsPage::ThreadsPage(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ThreadsPage>())
{
    m_ui->setupUi(this);
    m_ui->statusCombo->addItem(tr("Any"), -1);
    for (ThreadStatus status :
         {ThreadStatus::Active, ThreadStatus::Completed, ThreadStatus::Error, ThreadStatus::Killed})
        m_ui->statusCombo->addItem(modelformat::statusText(status), int(status));
    m_ui->threadTable->setItemDelegateForColumn(ThreadModel::StatusColumn,
                                                new StatusDelegate(ThreadModel::StatusColorRole, -1, this));
    m_ui->threadTable->setItemDelegateForColumn(ThreadModel::BudgetColumn,
                                                new BudgetBarDelegate(ThreadModel::BudgetPercentRole, -1, this));
    m_ui->threadTable->horizontalHeader()->setSectionsMovable(true);
    m_ui->threadTable->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // most recent first
    m_ui->threadTable->setSortingEnabled(true);
    // Fixed row heights: a view that measures rows would measure them on every batch.
    QHeaderView *rows = m_ui->threadTable->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 8);
    m_ui->threadTable->viewport()->installEventFilter(this);
    m_ui->conversationView->setItemDelegate(new ConversationDelegate(this));
    m_ui->followButton->setIcon(QIcon::fromTheme(u"go-top"_s));
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 2);
    // At 1600 px: the list's columns, a German "waiting on paused …" whole among them, and the
    // timeline's, its hop column stretched.
    m_ui->splitter->setSizes({800, 740});
    connect(m_ui->timelineView, &ThreadTimelineView::statusMessage, this, &ThreadsPage::statusMessage);
    // The thread a replay or fork made is the one the operator wants to see next.
    connect(m_ui->timelineView, &ThreadTimelineView::branched, this, &ThreadsPage::showThread);
    m_thaw.setSingleShot(true);
    m_thaw.setInterval(kThawDelayMs);
    connect(&m_thaw, &QTimer::timeout, this, [this] {
        if (m_threads)
            m_threads->setFrozen(false);
        updateFollowButton();
    });

    connect(m_ui->statusCombo, &QComboBox::currentIndexChanged, this, &ThreadsPage::applyFilter);
    connect(m_ui->agentCombo, &QComboBox::currentIndexChanged, this, &ThreadsPage::applyFilter);
    connect(m_ui->followButton, &QToolButton::toggled, this, &ThreadsPage::setFollowing);
    connect(m_ui->killButton, &QPushButton::clicked, this, &ThreadsPage::killSelected);
    connect(m_ui->raiseButton, &QPushButton::clicked, this, &ThreadsPage::raiseSelectedBudget);
    connect(m_ui->copyButton, &QPushButton::clicked, this, &ThreadsPage::copySelectedId);
    connect(m_ui->threadTable, &QTableView::customContextMenuRequested, this, &ThreadsPage::showContextMenu);
    updateFollowButton();
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

ThreadTimelineView *ThreadsPage::timelineView() const
{
    return m_ui->timelineView;
}

void ThreadsPage::showTimeline()
{
    m_ui->detailTabs->setCurrentWidget(m_ui->timelineView);
}

QString ThreadsPage::countText() const
{
    return m_ui->countLabel->text();
}

QString ThreadsPage::titleText() const
{
    return m_ui->threadTitle->text();
}

void ThreadsPage::setSession(Session *session)
{
    if (m_ui->threadTable->model())
        m_header = m_ui->threadTable->horizontalHeader()->saveState(); // widths survive a change of session
    m_ui->threadTable->setModel(nullptr);
    m_ui->conversationView->setModel(nullptr);
    m_ui->timelineView->setSession(session);
    const bool following = isFollowing();
    m_scope = std::make_unique<QObject>();
    m_session = session;
    m_labels = ThreadLabels::forSession(session);
    m_threads = nullptr;
    m_conversation = nullptr;
    m_shown.clear();
    m_shownInfo.reset();
    if (session) {
        m_threads = new ThreadModel(session, m_scope.get());
        m_threads->setMaxLiveRows(kLiveThreads);
        m_threads->setFollowing(following);
        m_threads->setPauseHoldsWork(session->abilities().pauseHoldsWork);
        populateAgents();
        m_conversation = new ConversationModel(session, m_scope.get());
        m_ui->threadTable->setModel(m_threads);
        m_ui->threadTable->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
        layOutColumns(m_ui->threadTable, m_header, {70, 120, 210, 75, 140, 110, 220, 140, 120});
        if (m_header.isEmpty())
            hideSecondaryColumns();
        fitColumnsToValues();
        m_ui->conversationView->setModel(m_conversation);
        m_ui->conversationView->setModelColumn(MessageTableModel::SeqColumn);
        connect(m_ui->threadTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                &ThreadsPage::onCurrentChanged);
        for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(m_threads, signal, this, &ThreadsPage::updateCount);
        connect(m_threads, &QAbstractItemModel::modelReset, this, &ThreadsPage::updateCount);
        connect(m_threads, &ThreadModel::totalCountChanged, this, &ThreadsPage::updateCount);
        connect(m_threads, &ThreadModel::loadingChanged, this, &ThreadsPage::updateCount);
        connect(m_threads, &ThreadModel::pendingCountChanged, this, &ThreadsPage::updateFollowButton);
        connect(m_threads, &ThreadModel::followingChanged, this, &ThreadsPage::updateFollowButton);
        connect(m_threads, &QAbstractItemModel::dataChanged, this, &ThreadsPage::refreshShownInfo);
        connect(m_threads, &QAbstractItemModel::rowsInserted, this, &ThreadsPage::refreshShownInfo);
        connect(m_labels, &ThreadLabels::labelsChanged, this, [this](const QStringList &ids) {
            if (ids.contains(m_shown))
                updateDetail();
        });
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
        connect(session, &Session::agentsChanged, this, &ThreadsPage::updateDetail);
        connect(session, &Session::agentsReset, this, &ThreadsPage::populateAgents);
        connect(session, &Session::stateChanged, this, [this] {
            if (m_threads && m_session)
                m_threads->setPauseHoldsWork(m_session->abilities().pauseHoldsWork);
        });
    } else {
        populateAgents();
    }
    updateCount();
    updateFollowButton();
    updateDetail();
}

// What tells threads apart and how they are doing fits beside the detail pane at 1600 px, in German
// too; participants (in the detail's title), creation time and error (in the title as well) are a right
// click on the header away.
void ThreadsPage::hideSecondaryColumns()
{
    QHeaderView *header = m_ui->threadTable->horizontalHeader();
    for (const int column : {ThreadModel::ParticipantsColumn, ThreadModel::CreatedColumn, ThreadModel::ErrorColumn})
        header->hideSection(column);
}

// Every column as wide as its translated header and its widest usual value; Status takes the room left
// (a long "waiting on paused …" is shown whole in the detail pane and the tooltip).
void ThreadsPage::fitColumnsToValues()
{
    QTableView *table = m_ui->threadTable;
    const QString timestamp = modelformat::timestamp(QDateTime(QDate(2026, 12, 28), QTime(23, 58, 58)));
    fitColumnToText(table, ThreadModel::LastActivityColumn, timestamp);
    fitColumnToText(table, ThreadModel::CreatedColumn, timestamp);
    fitColumnToText(table, ThreadModel::MessagesColumn, modelformat::count(99999));
    fitColumnToText(table, ThreadModel::BudgetColumn, ThreadModel::tr("%1 tokens").arg(modelformat::count(99999)));
    QHeaderView *header = table->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(ThreadModel::StatusColumn, QHeaderView::Stretch);
    offerColumnChoice(header);
}

void ThreadsPage::populateAgents()
{
    const QString current = m_ui->agentCombo->currentData().toString();
    {
        const QSignalBlocker blocker(m_ui->agentCombo);
        m_ui->agentCombo->clear();
        m_ui->agentCombo->addItem(tr("Any"), QString());
        if (m_session) {
            for (const AgentInfo &agent : m_session->agents())
                m_ui->agentCombo->addItem(agent.name, agent.name);
        }
        // A filter set before the list knew its value stays in force.
        if (!current.isEmpty() && m_ui->agentCombo->findData(current) < 0)
            m_ui->agentCombo->addItem(current, current);
        m_ui->agentCombo->setCurrentIndex(std::max(m_ui->agentCombo->findData(current), 0));
    }
    applyFilter();
}

void ThreadsPage::applyFilter()
{
    if (!m_threads)
        return;
    ThreadFilter filter;
    const int status = m_ui->statusCombo->currentData().toInt();
    if (status >= 0)
        filter.status = ThreadStatus(status);
    filter.agent = m_ui->agentCombo->currentData().toString();
    m_threads->setFilter(filter);
    updateCount();
}

void ThreadsPage::setStatusFilter(std::optional<ThreadStatus> status)
{
    const int index = m_ui->statusCombo->findData(status ? int(*status) : -1);
    m_ui->statusCombo->setCurrentIndex(std::max(index, 0));
}

void ThreadsPage::setAgentFilter(const QString &agent)
{
    if (!agent.isEmpty() && m_ui->agentCombo->findData(agent) < 0)
        m_ui->agentCombo->addItem(agent, agent);
    m_ui->agentCombo->setCurrentIndex(std::max(m_ui->agentCombo->findData(agent), 0));
}

bool ThreadsPage::isFollowing() const
{
    return m_threads ? m_threads->isFollowing() : m_ui->followButton->isChecked();
}

void ThreadsPage::setFollowing(bool following)
{
    if (m_threads && m_threads->isFollowing() != following) {
        m_threads->setFollowing(following);
        if (following && !m_threads->isFrozen())
            m_ui->threadTable->scrollToTop();
    }
    updateFollowButton();
}

void ThreadsPage::updateFollowButton()
{
    const bool following = isFollowing();
    const QSignalBlocker blocker(m_ui->followButton);
    m_ui->followButton->setChecked(following);
    const int pending = m_threads ? m_threads->pendingCount() : 0;
    const bool frozen = m_threads && m_threads->isFrozen();
    if (following && pending > 0)
        m_ui->followButton->setText(tr("&Following (%n new)", nullptr, pending));
    else if (following)
        m_ui->followButton->setText(tr("&Following"));
    else if (pending > 0)
        m_ui->followButton->setText(tr("&Follow (%n new)", nullptr, pending));
    else
        m_ui->followButton->setText(tr("&Follow"));
    m_ui->followButton->setToolTip(
        frozen && following ? tr("Held while the pointer is on the list; new threads are shown when it leaves")
                            : tr("Show new threads at the top as they start, or hold the list still (it also "
                                 "holds while the pointer is on it)"));
}

// The row under the pointer must stay where it is: the list holds while the pointer is on it and a
// moment after it left.
bool ThreadsPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_ui->threadTable->viewport() && m_threads) {
        if (event->type() == QEvent::Enter || event->type() == QEvent::MouseMove) {
            m_thaw.stop();
            if (!m_threads->isFrozen()) {
                m_threads->setFrozen(true);
                updateFollowButton();
            }
        } else if (event->type() == QEvent::Leave) {
            m_thaw.start();
        }
    }
    return QWidget::eventFilter(watched, event);
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
    const QModelIndex index = m_threads->index(row, 0);
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
    m_ui->timelineView->setThreadId(threadId);
    if (m_labels)
        m_labels->request(threadId);
    refreshShownInfo();
    if (!m_shownInfo && m_session && !threadId.isEmpty()) {
        m_session->fetchThread(threadId, m_scope.get(), [this, threadId](const Result<ThreadInfo> &thread) {
            if (!thread)
                qCWarning(lcGui) << "Threads page: could not read thread" << threadId << thread.error().message;
            if (threadId == m_shown && thread && !m_shownInfo) {
                m_shownInfo = *thread;
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
    if (!m_threads) {
        m_ui->countLabel->setText(tr("Not connected"));
        return;
    }
    if (m_threads->isLoading()) {
        m_ui->countLabel->setText(tr("Loading…"));
        return;
    }
    const int total = int(std::min<qint64>(m_threads->totalCount(), INT_MAX));
    const QString matching = m_threads->filter().isEmpty() ? tr("%n thread(s) in the history", nullptr, total)
                                                           : tr("%n matching thread(s)", nullptr, total);
    m_ui->countLabel->setText(tr("%1; %2 loaded").arg(matching, modelformat::count(m_threads->rowCount())));
}

QString ThreadsPage::describe(const QString &threadId) const
{
    return m_labels ? m_labels->describe(threadId) : ThreadLabels::shortId(threadId);
}

bool ThreadsPage::isActive(const QString &threadId) const
{
    if (threadId == m_shown)
        return !m_shownInfo || m_shownInfo->status == ThreadStatus::Active;
    const int row = m_threads ? m_threads->rowOf(threadId) : -1;
    return row < 0 || m_threads->thread(row).status == ThreadStatus::Active;
}

bool ThreadsPage::canKillSelected() const
{
    return m_session && m_commandsEnabled && !m_shown.isEmpty() && isActive(m_shown);
}

bool ThreadsPage::canRetrySelected() const
{
    return m_session && m_commandsEnabled && !m_shown.isEmpty() && m_shownInfo
        && m_shownInfo->status == ThreadStatus::Error && m_session->abilities().retriesThreads;
}

bool ThreadsPage::canRaiseSelected() const
{
    return m_session && m_commandsEnabled && !m_shown.isEmpty() && isActive(m_shown)
        && m_session->abilities().setsBudgets && m_session->budget(m_shown).has_value();
}

void ThreadsPage::updateDetail()
{
    const bool shown = !m_shown.isEmpty() && m_session;
    m_ui->detailPane->setEnabled(shown);
    if (!shown) {
        m_ui->threadTitle->setText(tr("No thread selected"));
        m_ui->threadTitle->setToolTip(QString());
        m_ui->budgetBar->setBudget(std::nullopt);
        m_ui->conversationInfo->clear();
        m_ui->killButton->setEnabled(false);
        m_ui->raiseButton->setEnabled(false);
        m_ui->copyButton->setEnabled(false);
        emit commandsChanged();
        return;
    }
    const std::optional<ThreadLabel> label = m_labels ? m_labels->label(m_shown) : std::nullopt;
    QString title = tr("Thread %1").arg(ThreadLabels::shortId(m_shown));
    if (label)
        title += u" · "_s + ThreadLabels::labelText(*label);
    if (m_shownInfo) {
        const int row = m_threads ? m_threads->rowOf(m_shown) : -1;
        const QString waiting = row >= 0 ? m_threads->waitingOn(row) : QString();
        title += u" — "_s
            + (waiting.isEmpty() ? modelformat::statusText(m_shownInfo->status)
                                 : tr("waiting on paused %1").arg(waiting));
        if (!m_shownInfo->participants.isEmpty())
            title += u"\n"_s + m_shownInfo->participants.join(u" → "_s);
        if (!m_shownInfo->error.isEmpty())
            title += u"\n"_s + tr("Error: %1").arg(m_shownInfo->error);
    }
    m_ui->threadTitle->setText(title);
    m_ui->threadTitle->setToolTip(tr("Thread id %1").arg(m_shown));
    const std::optional<ThreadBudget> budget = m_session->budget(m_shown);
    m_ui->budgetBar->setBudget(budget);
    const bool active = isActive(m_shown);
    m_ui->killButton->setEnabled(canKillSelected());
    m_ui->killButton->setToolTip(!active ? tr("The thread has ended")
                                     : m_session->abilities().killCancelsWork
                                     ? tr("Cancel the thread's queued and in-flight work (Ctrl+K)")
                                     : tr("This server only marks the thread killed: its work goes on (Ctrl+K)"));
    m_ui->raiseButton->setEnabled(canRaiseSelected());
    m_ui->raiseButton->setToolTip(!active ? tr("The thread has ended")
                                      : !m_session->abilities().setsBudgets
                                      ? tr("This server cannot change thread budgets")
                                      : !budget ? tr("The thread has made no LLM call yet: it has no budget")
                                                : tr("Give the thread more tokens; a held thread goes on (Ctrl+B)"));
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
    emit commandsChanged();
}

void ThreadsPage::setCommandsEnabled(bool enabled)
{
    m_commandsEnabled = enabled;
    m_ui->timelineView->setCommandsEnabled(enabled);
    updateDetail();
}

void ThreadsPage::killSelected()
{
    if (canKillSelected())
        kill(m_shown);
}

void ThreadsPage::kill(const QString &threadId)
{
    if (!m_session || threadId.isEmpty() || !m_commandsEnabled)
        return;
    const bool cosmetic = !m_session->abilities().killCancelsWork;
    const QString detail = cosmetic ? tr("This server (the original AgentServer) only marks the thread killed: "
                                         "its queued and in-flight work goes on.")
                                    : tr("Its queued and in-flight work, LLM calls included, is cancelled and "
                                         "its budget freed. This cannot be undone.");
    askToConfirm(
        this, u"confirmKill"_s, tr("Kill thread %1?").arg(describe(threadId)), detail, tr("&Kill thread"),
        [this, threadId, cosmetic, session = m_session] {
            if (!session || session != m_session)
                return;
            session->killThread(threadId, this, [this, threadId, cosmetic](const Result<> &result) {
                if (!result)
                    emit commandFailed(tr("Kill thread %1").arg(describe(threadId)), result.error().message);
                else if (cosmetic)
                    emit statusMessage(
                        tr("Thread %1 marked killed — this server does not stop its work").arg(describe(threadId)));
                else
                    emit statusMessage(tr("Killed thread %1").arg(describe(threadId)));
            });
        });
}

void ThreadsPage::retrySelected()
{
    if (!canRetrySelected())
        return;
    const QString threadId = m_shown;
    m_session->retryThread(threadId, this, [this, threadId](const Result<> &result) {
        if (result)
            emit statusMessage(tr("Thread %1 runs again from its failed delivery").arg(describe(threadId)));
        else
            emit commandFailed(tr("Retry thread %1").arg(describe(threadId)), result.error().message);
    });
}

void ThreadsPage::raiseSelectedBudget()
{
    if (!canRaiseSelected())
        return;
    const std::optional<ThreadBudget> budget = m_session->budget(m_shown);
    if (!budget)
        return;
    auto *dialog = new BudgetDialog(*budget, describe(m_shown), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString threadId = m_shown;
    connect(dialog, &QDialog::accepted, this, [this, dialog, threadId] { raiseBudget(threadId, dialog->maxTokens()); });
    dialog->open();
}

void ThreadsPage::raiseBudget(const QString &threadId, qint64 maxTokens)
{
    if (!m_session || threadId.isEmpty() || maxTokens <= 0)
        return;
    m_session->setThreadBudget(threadId, maxTokens, this, [this, threadId, maxTokens](const Result<> &result) {
        if (result)
            emit statusMessage(
                tr("Budget of thread %1 set to %2 tokens").arg(describe(threadId), modelformat::count(maxTokens)));
        else
            emit commandFailed(tr("Raise the budget of thread %1").arg(describe(threadId)), result.error().message);
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
    m_thaw.stop(); // the list stays still while the menu is open
    QMenu menu(this);
    menu.addAction(tr("&Kill…"), this, [this, threadId] { kill(threadId); })->setEnabled(canKillSelected());
    menu.addAction(tr("&Raise budget…"), this, &ThreadsPage::raiseSelectedBudget)->setEnabled(canRaiseSelected());
    menu.addAction(tr("R&etry"), this, &ThreadsPage::retrySelected)->setEnabled(canRetrySelected());
    menu.addAction(tr("&Copy id"), this, [threadId] { QGuiApplication::clipboard()->setText(threadId); });
    menu.exec(m_ui->threadTable->viewport()->mapToGlobal(position));
    if (!m_ui->threadTable->viewport()->underMouse())
        m_thaw.start();
}

void ThreadsPage::saveState(QSettings &settings) const
{
    settings.setValue(u"threads/header"_s,
                      m_ui->threadTable->model() ? m_ui->threadTable->horizontalHeader()->saveState() : m_header);
    settings.setValue(u"threads/splitter"_s, m_ui->splitter->saveState());
    settings.setValue(u"threads/detailTab"_s, m_ui->detailTabs->currentIndex());
}

void ThreadsPage::restoreState(const QSettings &settings)
{
    // Applied once the table has a model: a header without its columns cannot take the state.
    m_header = settings.value(u"threads/header"_s).toByteArray();
    if (m_ui->threadTable->model()) {
        layOutColumns(m_ui->threadTable, m_header, {});
        fitColumnsToValues();
    }
    m_ui->splitter->restoreState(settings.value(u"threads/splitter"_s).toByteArray());
    m_ui->detailTabs->setCurrentIndex(settings.value(u"threads/detailTab"_s, 0).toInt());
}

} // namespace agentdesk
