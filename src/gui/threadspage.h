#pragma once

#include "domain/records.h"
#include "domain/states.h"

#include <QPointer>
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
class ThreadFilterProxyModel;
class ThreadModel;

// Conversations, most recent activity first, filtered by status and agent; the selected thread's
// messages as a conversation, its budget bar with the 75/90/95 % marks, and kill / raise budget.
class ThreadsPage final : public QWidget
{
    Q_OBJECT
public:
    explicit ThreadsPage(QWidget *parent = nullptr);
    ~ThreadsPage() override;

    void setSession(Session *session);
    QString selectedThread() const;  // the thread in the detail pane
    bool selectThread(const QString &threadId); // false when it is not listed (filtered out or too old)
    void showThread(const QString &threadId);   // selects it, or shows it without a row in the list

    void setStatusFilter(std::optional<ThreadStatus> status);
    void setAgentFilter(const QString &agent);

    QTableView *table() const;
    QListView *conversationView() const;
    ThreadFilterProxyModel *filterModel() const { return m_filter; }
    ConversationModel *conversationModel() const { return m_conversation; }

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

public slots:
    void killSelected();
    void raiseSelectedBudget(); // asks for the new maximum in a BudgetDialog
    void raiseBudget(const QString &threadId, qint64 maxTokens);
    void copySelectedId();
    void setCommandsEnabled(bool enabled);

signals:
    void statusMessage(const QString &text);
    void commandFailed(const QString &what, const QString &error);

private:
    void populateAgents();
    void onCurrentChanged();
    void setShownThread(const QString &threadId);
    void refreshShownInfo();
    void updateDetail();
    void updateCount();
    void showContextMenu(const QPoint &position);
    void kill(const QString &threadId);

    std::unique_ptr<Ui::ThreadsPage> m_ui;
    QPointer<Session> m_session;
    std::unique_ptr<QObject> m_scope;
    QByteArray m_header; // the table's column layout, kept across sessions
    ThreadModel *m_threads = nullptr;
    ThreadFilterProxyModel *m_filter = nullptr;
    ConversationModel *m_conversation = nullptr;
    QString m_shown;
    std::optional<ThreadInfo> m_shownInfo;
    bool m_commandsEnabled = true;
};

} // namespace agentdesk
