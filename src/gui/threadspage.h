#pragma once

#include "domain/records.h"
#include "domain/states.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

class QListView;
class QSettings;
class QTableView;

namespace Ui {
class ThreadsPage;
}

namespace agentdesk {

class ConversationModel;
class Session;
class ThreadLabels;
class ThreadModel;
class ThreadTimelineView;

// Conversations, most recent activity first, filtered by status and agent (over the whole history); each
// named by its short id and label (entry agent and first payload). The list follows new threads or holds
// still — and always holds while the pointer is on it, so a click hits the row it aims at. The selected
// thread's messages as a conversation or as a timeline (hops with their times, LLM calls, errors; replay
// and fork), its budget bar with the 75/90/95 % marks, and kill (asked first) / raise budget for threads
// that are still running.
class ThreadsPage final : public QWidget
{
    Q_OBJECT
public:
    explicit ThreadsPage(QWidget *parent = nullptr);
    ~ThreadsPage() override;

    void setSession(Session *session);
    QString selectedThread() const;             // the thread in the detail pane
    bool selectThread(const QString &threadId); // false when it is not listed (filtered out or too old)
    void showThread(const QString &threadId);   // selects it, or shows it without a row in the list

    void setStatusFilter(std::optional<ThreadStatus> status);
    void setAgentFilter(const QString &agent);
    bool isFollowing() const;
    void setFollowing(bool following);

    // What the commands can do for the thread on show (the window's actions follow these).
    bool canKillSelected() const;
    bool canRaiseSelected() const;
    bool canRetrySelected() const; // a thread in error, on a server that retries

    QTableView *table() const;
    QListView *conversationView() const;
    ThreadModel *model() const { return m_threads; }
    ConversationModel *conversationModel() const { return m_conversation; }
    ThreadTimelineView *timelineView() const;
    void showTimeline(); // the detail pane's Timeline tab
    QString countText() const;
    QString titleText() const;

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

public slots:
    void killSelected();        // asks first
    void raiseSelectedBudget(); // asks for the new maximum in a BudgetDialog
    void retrySelected();       // runs a thread in error again from its failed delivery
    void raiseBudget(const QString &threadId, qint64 maxTokens);
    void copySelectedId();
    void setCommandsEnabled(bool enabled);

signals:
    void statusMessage(const QString &text);
    void commandFailed(const QString &what, const QString &error);
    void commandsChanged(); // canKillSelected() or canRaiseSelected() may have changed

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void hideSecondaryColumns();
    void fitColumnsToValues();
    void populateAgents();
    void applyFilter();
    void onCurrentChanged();
    void setShownThread(const QString &threadId);
    void refreshShownInfo();
    void updateDetail();
    void updateCount();
    void updateFollowButton();
    void showContextMenu(const QPoint &position);
    void kill(const QString &threadId);
    QString describe(const QString &threadId) const;
    bool isActive(const QString &threadId) const;

    std::unique_ptr<Ui::ThreadsPage> m_ui;
    QPointer<Session> m_session;
    QPointer<ThreadLabels> m_labels;
    std::unique_ptr<QObject> m_scope;
    QByteArray m_header; // the table's column layout, kept across sessions
    ThreadModel *m_threads = nullptr;
    ConversationModel *m_conversation = nullptr;
    QString m_shown;
    std::optional<ThreadInfo> m_shownInfo;
    bool m_commandsEnabled = true;
    QTimer m_thaw; // the list stays still a moment after the pointer left it
};

} // namespace agentdesk
