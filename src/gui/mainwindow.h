#pragma once

#include "organismsessions.h"
#include "domain/records.h"
#include "sessionbanner.h"

#include <QMainWindow>
#include <QUrl>

#include <functional>
#include <memory>

namespace Ui {
class MainWindow;
}

namespace agentdesk {

class AgentsPage;
class BatchingSession;
class AlertCenter;
class CapabilitiesPage;
class CombinedUsagePage;
class InjectDialog;
class LoadPage;
class MessagesPage;
class OrganismDirectoryModel;
class OrganismSidebar;
class OrganismsDock;
class SessionAlerts;
class ProviderDirectory;
class Session;
class ThreadsPage;
class TrayNotifier;
class UsagePage;
struct Alert;

// The control panel: a header with the organism's vital signs, the Agents, Threads, Messages, Usage,
// Capabilities and Load pages, and the commands (inject, pause/resume, kill, raise budget, reload, stop/start,
// reset usage). It keeps several Sessions — the organism of this process (local, not owned) and any number
// behind other AgentServers (attached, owned, made by the application's factory, reopened at the next
// start) — lists them in the Organisms sidebar with those found in a shared history, and shows one at a
// time in the pages; it says plainly when that session is connecting, gone, or its organism stopped — with
// the commands disabled meanwhile. The All organisms page sums their usage.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    enum class Page { Agents, Threads, Messages, Usage, Capabilities, Load, AllOrganisms };
    Q_ENUM(Page)
    using SessionFactory = OrganismSessions::Factory;

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // The organism this process runs (nullptr while there is none); shown unless attached elsewhere.
    void setLocalSession(Session *session, const QString &apiAddress);
    // The local organism can be started (again) through startRequested().
    void setLocalStartable(bool startable);
    // Starting failed: the banner says why and offers to try again.
    void reportStartFailure(const QString &error);
    // How File → Connect makes a session for a URL and API key; without one the action is disabled.
    void setSessionFactory(SessionFactory factory);
    // Adds a connection (the others stay open) and shows it; one already open to that URL is shown
    // instead. keyVariable: where the key came from, remembered for the next start. False when no
    // session could be made.
    bool connectTo(const QUrl &url, const QString &apiKey, const QString &keyVariable = {})
    {
        return m_sessions.connectTo(url, apiKey, keyVariable);
    }
    void showLocal() { m_sessions.showLocal(); }
    void showSession(Session *session) { m_sessions.show(session); } // the local one or an attached one
    // Closes an attached connection and forgets it (the pages move to another organism first).
    void disconnectSession(Session *session) { m_sessions.detach(session); }

    Session *session() const; // the one on show (the pages watch it through a BatchingSession)
    bool isAttached() const { return m_sessions.isCurrentAttached(); }
    QList<Session *> attachedSessions() const { return m_sessions.attached(); }
    OrganismDirectoryModel *organisms() const { return m_directory; }
    OrganismSidebar *sidebar() const { return m_sidebar; }
    ProviderDirectory *providers() const { return m_providers; }
    AlertCenter *alertCenter() const; // the alerts of the organism on show

    void showPage(Page page);
    Page currentPage() const;
    QWidget *pageWidget(Page page) const;
    AgentsPage *agentsPage() const { return m_agents; }
    ThreadsPage *threadsPage() const { return m_threads; }
    MessagesPage *messagesPage() const { return m_messages; }
    UsagePage *usagePage() const { return m_usage; }
    CapabilitiesPage *capabilitiesPage() const { return m_capabilities; }
    LoadPage *loadPage() const { return m_load; }
    CombinedUsagePage *combinedUsagePage() const { return m_combined; }

    InjectDialog *openInjectDialog(const QString &target = {}, const QString &xml = {});
    bool isBannerVisible() const;
    QString bannerText() const;
    bool isRemoteBanner() const;
    bool areCommandsEnabled() const { return m_commandsEnabled; }

    void restoreSettings();
    void saveSettings() const;

signals:
    void startRequested();
    void closed(); // the operator closed the window

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void setupActions();
    void setupOrganisms();
    void setupSessions();
    void useSession(Session *session, const QString &apiAddress); // the pages show it
    void updateState();
    void updateCommandActions();
    void switchPage(int step);
    void onBannerAction(SessionBanner::Action action);
    void onAlert(const Session *session, Alert alert);
    void reportFailure(const QString &what, const QString &error);
    void showStatus(const QString &text);
    void chooseServer(const QString &host = {});
    void reloadConfig();
    void stopOrganism();
    void requestStart();
    void showAbout();

    std::unique_ptr<Ui::MainWindow> m_ui;
    AgentsPage *m_agents = nullptr;
    ThreadsPage *m_threads = nullptr;
    MessagesPage *m_messages = nullptr;
    UsagePage *m_usage = nullptr;
    CapabilitiesPage *m_capabilities = nullptr;
    LoadPage *m_load = nullptr;
    ProviderDirectory *m_providers = nullptr;
    AlertCenter *m_alerts = nullptr;          // while no organism is on show
    SessionAlerts *m_sessionAlerts = nullptr; // every open organism's, on show or not
    TrayNotifier *m_tray = nullptr;
    CombinedUsagePage *m_combined = nullptr;
    OrganismDirectoryModel *m_directory = nullptr;
    OrganismSidebar *m_sidebar = nullptr;
    QAction *m_disconnectAction = nullptr;
    OrganismsDock *m_dock = nullptr;
    SessionBanner *m_banner = nullptr;

    bool m_localStartable = false;
    bool m_starting = false;
    QString m_startError;
    OrganismSessions m_sessions;
    std::unique_ptr<BatchingSession> m_view; // what the pages watch: the current session's batches, merged
    QList<QMetaObject::Connection> m_sessionConnections;
    bool m_commandsEnabled = false;
    bool m_stopRequested = false; // the next stop is the operator's: the status bar says when it is done
};

} // namespace agentdesk
