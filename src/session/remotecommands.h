#pragma once

#include "remotepingfence.h"
#include "session.h"

#include <QJsonObject>

#include <functional>
#include <optional>

class QCborMap;

namespace agentdesk {

class RemoteHttp;
class RemoteResync;

// RemoteSession's commands over REST: inject, replay and fork, pause and resume, kill and retry, budgets,
// reload, stop, a usage reset. Each answers with the server's reason when refused; what a command changed
// and no event announces (budgets, the reset counters) is read back before success is reported, as the
// local session does. Answers keep Session's ordering contract (behind a ping fence, or — while polling —
// after the round that follows the command). The caller has checked the connection.
class RemoteCommands final : public QObject
{
    Q_OBJECT
public:
    RemoteCommands(const Session &session, RemoteHttp *http, RemotePingFence *fence, RemoteResync *resync,
                   QObject *parent = nullptr);

    // close(): answers still on their way are dropped.
    void dropAnswers() { ++m_generation; }

    void inject(const InjectRequest &request, QObject *context, Session::InjectReply reply);
    void branch(const BranchRequest &request, QObject *context, Session::InjectReply reply);
    // POST without a body whose answer is only "done" (pause, resume, kill, retry).
    void command(const QString &path, QObject *context, Session::Done done);
    void setThreadBudget(const QString &threadId, qint64 maxTokens, QObject *context, Session::Done done);
    void setScopeBudget(const QString &scope, const ScopeBudgetChange &change, QObject *context, Session::Done done);
    void reloadConfig(QObject *context, Session::ReloadReply reply);
    void stopOrganism(QObject *context, Session::Done done);
    void resetUsage(QObject *context, Session::Done done);

signals:
    // What a command changed, read back from the server; apply it before the answer goes out.
    void budgetsRead(const QList<agentdesk::ThreadBudget> &budgets);
    void scopeBudgetsRead(const QList<agentdesk::ScopeBudget> &budgets);
    void usageRead(const agentdesk::UsageSnapshot &usage);

private:
    using Context = RemotePingFence::Context;

    // POST a JSON body whose answer is an inject's ({"threadId","messageId"} or a refusal).
    void postInject(const QString &path, const QCborMap &body, QObject *context, Session::InjectReply reply);
    void afterCommand(const Context &context, Session::Done done, const Result<> &result);
    // What a command changed and no event announces: `path` is read (nothing when it could not be), and
    // `apply` gets it just before success is reported, behind the fence.
    using ReadBack = std::function<void(const std::optional<QJsonObject> &json)>;
    void succeedAfterReading(const QString &path, const Context &context, Session::Done done, quint64 generation,
                             ReadBack apply);
    bool isCurrent(quint64 generation) const { return generation == m_generation && m_session.isConnected(); }

    const Session &m_session;
    RemoteHttp *m_http;
    RemotePingFence *m_fence;
    RemoteResync *m_resync;
    quint64 m_generation = 0;
};

} // namespace agentdesk
