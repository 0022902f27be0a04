#include "listener.h"

namespace agentdesk {

HandlerCall::HandlerCall(quint64 id, MessageRecord message, Completion completion)
    : m_id(id)
    , m_message(std::move(message))
    , m_completion(std::move(completion))
{ }

void HandlerCall::finish(QList<OutgoingMessage> replies)
{
    if (m_done || m_cancelled)
        return;
    m_done = true;
    m_completion(m_id, Outcome::Finished, std::move(replies), QString());
}

void HandlerCall::fail(const QString &error)
{
    if (m_done || m_cancelled)
        return;
    m_done = true;
    m_completion(m_id, Outcome::Failed, {}, error.isEmpty() ? QStringLiteral("handler failed") : error);
}

void HandlerCall::hold(const QString &reason)
{
    if (m_done || m_cancelled)
        return;
    m_done = true;
    m_completion(m_id, Outcome::Held, {}, reason);
}

void HandlerCall::cancel()
{
    m_cancelled = true;
}

Listener::Listener(ListenerConfig config, ListenerEnvironment environment, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_environment(std::move(environment))
{ }

Listener::~Listener() = default;

} // namespace agentdesk
