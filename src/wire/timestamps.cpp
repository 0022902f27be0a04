#include "timestamps.h"

namespace agentdesk::wire {

QCborValue timestampValue(const QDateTime &time)
{
    if (!time.isValid())
        return QCborValue(nullptr);
    return QCborValue(formatTimestamp(time));
}

} // namespace agentdesk::wire
