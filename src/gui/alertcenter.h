#pragma once

#include "domain/states.h"

#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>

class QSystemTrayIcon;

namespace agentdesk {

class Session;
struct AgentInfo;
struct BudgetEvent;

// Something the operator should hear about even when the window is in the background.
struct Alert
{
    enum class Kind { BudgetCritical, BudgetFinal, BudgetExhausted, AgentError };
    Kind kind = Kind::AgentError;
    QString title;
    QString text;
    QString threadId; // budget alerts
    QString agent;
    QDateTime time;
};

// Decides what deserves a desktop notification: a thread crossing 90 % (critical) or 95 % (final) of
// its budget or held at exhaustion, and an agent entering `error`. It only emits what it would show, so
// it can be tested anywhere; TrayNotifier turns the alerts into notifications where a tray exists.
class AlertCenter final : public QObject
{
    Q_OBJECT
public:
    explicit AlertCenter(QObject *parent = nullptr);

    void setSession(Session *session);
    QList<Alert> recent() const { return m_recent; } // newest last, at most 100

signals:
    void alertRaised(const agentdesk::Alert &alert);

private:
    void onBudgetEvents(const QList<BudgetEvent> &events);
    void onAgentsChanged(const QList<AgentInfo> &changed);
    bool scopeAlert(const BudgetEvent &event, Alert *alert);
    void reloadStates();
    void raise(Alert alert);

    QPointer<Session> m_session;
    QList<QMetaObject::Connection> m_connections;
    QHash<QString, AgentState> m_states;
    QSet<QString> m_exhaustedScopes; // told once until raised: every call it holds says so again
    QList<Alert> m_recent;
};

// Shows alerts as system-tray notifications. Without a system tray (offscreen, a bare X server) it
// stays silent: the alerts are still in the window's status bar.
class TrayNotifier final : public QObject
{
    Q_OBJECT
public:
    explicit TrayNotifier(QObject *parent = nullptr);
    ~TrayNotifier() override;

    bool isAvailable() const { return m_tray != nullptr; }
    void show(const Alert &alert);

signals:
    void activated(); // the operator clicked the tray icon or a notification

private:
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace agentdesk

Q_DECLARE_METATYPE(agentdesk::Alert)
