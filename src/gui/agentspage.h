#pragma once

#include <QPointer>
#include <QWidget>

#include <memory>

class QSettings;
class QSortFilterProxyModel;
class QTableView;

namespace Ui {
class AgentsPage;
}

namespace agentdesk {

class AgentModel;
class CostDisplayProxy;
class LlmBackendsView;
class ProviderDirectory;
class Session;

// Every listener with its live state (coloured badge), current thread, queue (with what holds an LLM
// agent's calls up at its backend), messages, last activity, tokens and cost; pause and resume; a detail
// pane with the description, peers, schema and example; below, the LLM backends' state.
class AgentsPage final : public QWidget
{
    Q_OBJECT
public:
    explicit AgentsPage(QWidget *parent = nullptr);
    ~AgentsPage() override;

    void setSession(Session *session, ProviderDirectory *providers);
    QString selectedAgent() const;
    bool selectAgent(const QString &name);
    QTableView *table() const;
    LlmBackendsView *backendsView() const { return m_backends; }
    bool canPauseSelected() const;
    bool canResumeSelected() const;

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

public slots:
    void pauseSelected();
    void resumeSelected();
    void setCommandsEnabled(bool enabled);

signals:
    void injectRequested(const QString &target);
    void statusMessage(const QString &text);
    void commandFailed(const QString &what, const QString &error);
    void commandsChanged(); // canPauseSelected() or canResumeSelected() may have changed

private:
    void updateDetail();
    void updateButtons();
    void showContextMenu(const QPoint &position);
    void command(bool pause, const QString &name);

    std::unique_ptr<Ui::AgentsPage> m_ui;
    QPointer<Session> m_session;
    std::unique_ptr<QObject> m_scope;
    QByteArray m_header; // the table's column layout, kept across sessions // owns the models of the current session
    AgentModel *m_model = nullptr;
    CostDisplayProxy *m_costs = nullptr;
    QSortFilterProxyModel *m_sort = nullptr;
    bool m_commandsEnabled = true;
    LlmBackendsView *m_backends = nullptr; // below the agents: why an LLM agent's queue grows
};

} // namespace agentdesk
