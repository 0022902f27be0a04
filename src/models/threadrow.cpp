#include "threadrow.h"

#include <algorithm>

namespace agentdesk {

ThreadRow ThreadRow::from(const ThreadInfo &info, Merge merge, const std::optional<ThreadBudget> &budget)
{
    ThreadRow row{info, {}, {}};
    if (merge == Merge::Created) {
        // Its messages follow in messagesRecorded, which counts them.
        row.info.messageCount = 0;
        row.info.participants.clear();
    }
    if (budget)
        row.spent.takeBudget(*budget);
    return row;
}

void ThreadRow::merge(const ThreadInfo &other, Merge merge)
{
    if (merge == Merge::Replace) {
        info = other;
        return;
    }
    info.status = other.status;
    info.error = other.error;
    if (other.createdAt.isValid() && !info.createdAt.isValid())
        info.createdAt = other.createdAt;
    if (other.lastActivity > info.lastActivity)
        info.lastActivity = other.lastActivity;
    info.messageCount = std::max(info.messageCount, other.messageCount);
    for (const QString &participant : other.participants) {
        if (!info.participants.contains(participant))
            info.participants.append(participant);
    }
}

void ThreadRow::apply(const MessageRecord &message)
{
    ++info.messageCount;
    if (message.timestamp > info.lastActivity)
        info.lastActivity = message.timestamp;
    for (const QString &participant : {message.from, message.to}) {
        if (!info.participants.contains(participant))
            info.participants.append(participant);
    }
    lastTo = message.to;
}

bool ThreadRow::moreRecent(const ThreadRow &a, const ThreadRow &b)
{
    const QDateTime activityA = a.activity();
    const QDateTime activityB = b.activity();
    if (activityA != activityB)
        return activityA > activityB;
    return a.info.id > b.info.id;
}

} // namespace agentdesk
