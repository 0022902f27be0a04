#include "sessionmailbox.h"

#include <QMetaObject>

namespace agentdesk {

SessionMailbox::SessionMailbox(QObject *receiver)
    : m_receiver(receiver)
{ }

void SessionMailbox::post(std::function<void()> call)
{
    const QMutexLocker lock(&m_mutex);
    if (m_receiver)
        QMetaObject::invokeMethod(m_receiver, std::move(call), Qt::QueuedConnection);
}

void SessionMailbox::close()
{
    const QMutexLocker lock(&m_mutex);
    m_receiver = nullptr;
}

bool SessionMailbox::isOpen() const
{
    const QMutexLocker lock(&m_mutex);
    return m_receiver != nullptr;
}

} // namespace agentdesk
