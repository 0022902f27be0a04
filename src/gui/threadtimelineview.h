#pragma once

#include <QPointer>
#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeView;

namespace agentdesk {

class Session;
class ThreadTimelineModel;
struct MessageRecord;

// A thread's timeline (ThreadTimelineModel) as a tree, the whole text of the row on show below it
// (payload XML, prompt, response, error), and Replay / Fork of the selected hop's message — through the
// inject dialog, its form filled from the message's payload to edit or send as it is. Where the thread
// came from (replayed or forked from another) and what the server cannot tell are said above the tree.
class ThreadTimelineView final : public QWidget
{
    Q_OBJECT
public:
    explicit ThreadTimelineView(QWidget *parent = nullptr);
    ~ThreadTimelineView() override;

    void setSession(Session *session);
    void setThreadId(const QString &threadId);
    void setCommandsEnabled(bool enabled);

    QTreeView *tree() const { return m_tree; }
    ThreadTimelineModel *model() const { return m_model; }
    QString noteText() const;
    QString detailText() const;
    bool canBranch() const;        // Replay and Fork would act on the selected hop
    QString branchProblem() const; // why not, for the buttons' tooltips; empty when they can

public slots:
    void replaySelected();
    void forkSelected();

signals:
    void statusMessage(const QString &text);
    void branched(const QString &threadId); // the new thread of a replay or fork

private:
    std::optional<MessageRecord> selectedMessage() const;
    void branch(bool fork);
    void spanTextRows(const QModelIndex &parent, int first, int last);
    void updateNote();
    void updateDetail();
    void updateButtons();
    void showContextMenu(const QPoint &position);

    QPointer<Session> m_session;
    ThreadTimelineModel *m_model = nullptr;
    QLabel *m_note;
    QPushButton *m_replay;
    QPushButton *m_fork;
    QTreeView *m_tree;
    QPlainTextEdit *m_detail;
    bool m_commandsEnabled = true;
};

} // namespace agentdesk
