#include "threadtimelineview.h"

#include "injectdialog.h"
#include "session.h"
#include "threadlabels.h"
#include "threadtimelinemodel.h"
#include "viewdefaults.h"
#include "xmltext.h"

#include <QFontDatabase>
#include <QGuiApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

using Kind = ThreadTimelineModel::RowKind;

bool isTextRow(const QModelIndex &index)
{
    const auto kind = Kind(index.data(ThreadTimelineModel::KindRole).toInt());
    return kind == Kind::Payload || kind == Kind::Error || kind == Kind::Prompt || kind == Kind::Response;
}

} // namespace

ThreadTimelineView::ThreadTimelineView(QWidget *parent)
    : QWidget(parent)
    , m_note(new QLabel(this))
    , m_replay(new QPushButton(tr("Re&play…"), this))
    , m_fork(new QPushButton(tr("F&ork…"), this))
    , m_tree(new QTreeView(this))
    , m_detail(new QPlainTextEdit(this))
{
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_replay->setObjectName(u"replayButton"_s);
    m_fork->setObjectName(u"forkButton"_s);
    m_tree->setObjectName(u"timelineTree"_s);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_detail->setObjectName(u"timelineDetail"_s);
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select a payload, prompt, response or error to read it whole"));

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_note, 1);
    top->addWidget(m_replay);
    top->addWidget(m_fork);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    split->addWidget(m_tree);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_replay, &QPushButton::clicked, this, &ThreadTimelineView::replaySelected);
    connect(m_fork, &QPushButton::clicked, this, &ThreadTimelineView::forkSelected);
    connect(m_tree, &QTreeView::customContextMenuRequested, this, &ThreadTimelineView::showContextMenu);
    updateNote();
    updateButtons();
}

ThreadTimelineView::~ThreadTimelineView() = default;

void ThreadTimelineView::setSession(Session *session)
{
    m_tree->setModel(nullptr);
    delete m_model;
    m_model = nullptr;
    m_session = session;
    if (session) {
        m_model = new ThreadTimelineModel(session, this);
        m_tree->setModel(m_model);
        // Every figure as wide as its translated header and its values; the hop (from → to · type, whole
        // in its tooltip) takes what is left.
        QHeaderView *header = m_tree->header();
        header->setStretchLastSection(false);
        header->setSectionResizeMode(QHeaderView::ResizeToContents);
        header->setSectionResizeMode(ThreadTimelineModel::HopColumn, QHeaderView::Stretch);
        connect(m_model, &ThreadTimelineModel::traceChanged, this, &ThreadTimelineView::updateNote);
        connect(m_model, &ThreadTimelineModel::loadingChanged, this, &ThreadTimelineView::updateNote);
        connect(m_model, &QAbstractItemModel::rowsInserted, this, &ThreadTimelineView::spanTextRows);
        connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
            spanTextRows({}, 0, m_model->rowCount() - 1);
            updateDetail();
        });
        connect(m_model, &QAbstractItemModel::dataChanged, this, &ThreadTimelineView::updateDetail);
        connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
            updateDetail();
            updateButtons();
        });
        connect(session, &Session::stateChanged, this, &ThreadTimelineView::updateButtons);
    }
    updateNote();
    updateButtons();
}

void ThreadTimelineView::setThreadId(const QString &threadId)
{
    if (m_model)
        m_model->setThreadId(threadId);
    updateDetail();
    updateButtons();
}

void ThreadTimelineView::setCommandsEnabled(bool enabled)
{
    m_commandsEnabled = enabled;
    updateButtons();
}

QString ThreadTimelineView::noteText() const
{
    return m_note->text();
}

QString ThreadTimelineView::detailText() const
{
    return m_detail->toPlainText();
}

// Text rows read better across the whole width than in their first column.
void ThreadTimelineView::spanTextRows(const QModelIndex &parent, int first, int last)
{
    if (!m_model)
        return;
    for (int row = first; row <= last; ++row) {
        const QModelIndex index = m_model->index(row, 0, parent);
        if (isTextRow(index))
            m_tree->setFirstColumnSpanned(row, parent, true);
        if (const int children = m_model->rowCount(index); children > 0)
            spanTextRows(index, 0, children - 1);
    }
}

void ThreadTimelineView::updateNote()
{
    if (!m_model || m_model->threadId().isEmpty()) {
        m_note->clear();
        return;
    }
    QStringList parts;
    if (!m_model->errorText().isEmpty())
        parts << m_model->errorText();
    const ThreadTrace &trace = m_model->trace();
    if (trace.origin) {
        const QString source = ThreadLabels::shortId(trace.origin->threadId);
        parts << (trace.origin->kind == ThreadOriginKind::Fork ? tr("Forked from thread %1").arg(source)
                                                               : tr("Replayed from thread %1").arg(source));
    }
    if (trace.totalHops > trace.hops.size())
        parts << tr("the newest %1 of %2 hops").arg(trace.hops.size()).arg(trace.totalHops);
    if (!m_model->hasRuns())
        parts << tr("this server records no queue or handler times: its messages alone");
    if (m_model->isLoading() && trace.hops.isEmpty())
        parts << tr("Loading…");
    m_note->setText(parts.join(u" · "_s));
}

void ThreadTimelineView::updateDetail()
{
    const QModelIndex current = m_tree->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    const QModelIndex first = current.siblingAtColumn(0);
    const auto kind = Kind(first.data(ThreadTimelineModel::KindRole).toInt());
    QString text = first.data(ThreadTimelineModel::TextRole).toString();
    if (kind == Kind::Payload || kind == Kind::Hop)
        text = xmltext::indented(text.toUtf8());
    if (m_detail->toPlainText() != text)
        m_detail->setPlainText(text);
}

std::optional<MessageRecord> ThreadTimelineView::selectedMessage() const
{
    return m_model ? m_model->messageAt(m_tree->currentIndex()) : std::nullopt;
}

QString ThreadTimelineView::branchProblem() const
{
    if (!m_session || !m_session->isConnected())
        return tr("Not connected");
    if (!m_session->abilities().branchesThreads)
        return tr("This server does not offer replay and fork (they are agentdesk extensions)");
    if (!m_commandsEnabled)
        return tr("The organism is not running");
    if (!selectedMessage())
        return tr("Select a hop of the timeline first");
    return {};
}

bool ThreadTimelineView::canBranch() const
{
    return branchProblem().isEmpty();
}

void ThreadTimelineView::updateButtons()
{
    const QString problem = branchProblem();
    for (QPushButton *button : {m_replay, m_fork})
        button->setEnabled(problem.isEmpty());
    // The reason in the tooltip when disabled; what the button does otherwise.
    m_replay->setToolTip(problem.isEmpty() ? tr("Send the selected message's payload (edit it first if you like) "
                                                "to the same listener in a new thread")
                                           : problem);
    m_fork->setToolTip(problem.isEmpty() ? tr("A new thread with this thread's history up to the selected "
                                              "message, then that message (edit it first if you like)")
                                         : problem);
}

void ThreadTimelineView::replaySelected()
{
    branch(false);
}

void ThreadTimelineView::forkSelected()
{
    branch(true);
}

void ThreadTimelineView::branch(bool fork)
{
    const std::optional<MessageRecord> message = selectedMessage();
    if (!canBranch() || !message)
        return;
    auto *dialog = new InjectDialog(m_session, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setBranch(fork ? ThreadOriginKind::Fork : ThreadOriginKind::Replay, *message);
    connect(dialog, &InjectDialog::injected, this, [this, fork](const InjectedMessage &injected) {
        const QString thread = ThreadLabels::shortId(injected.threadId);
        emit statusMessage(fork ? tr("Forked into thread %1").arg(thread) : tr("Replayed in thread %1").arg(thread));
        emit branched(injected.threadId);
    });
    dialog->open();
}

void ThreadTimelineView::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_tree->indexAt(position);
    if (!index.isValid())
        return;
    m_tree->setCurrentIndex(index);
    QMenu menu(this);
    QAction *replay = menu.addAction(tr("Re&play…"), this, &ThreadTimelineView::replaySelected);
    QAction *fork = menu.addAction(tr("F&ork…"), this, &ThreadTimelineView::forkSelected);
    replay->setEnabled(canBranch());
    fork->setEnabled(canBranch());
    menu.addSeparator();
    menu.addAction(tr("&Copy text"), this, [this] { QGuiApplication::clipboard()->setText(detailText()); });
    menu.exec(m_tree->viewport()->mapToGlobal(position));
}

} // namespace agentdesk
