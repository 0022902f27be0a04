#include "historybatch.h"

#include <QHash>

namespace agentdesk {

qsizetype HistoryBatch::recordCount() const
{
    return messages.size() + threads.size() + agents.size() + usage.size() + settings.size() + delivered.size()
        + runs.size() + origins.size();
}

QList<ThreadInfo> HistoryBatch::mergedThreads() const
{
    QList<ThreadInfo> latest;
    QHash<QString, qsizetype> indexOf;
    for (const ThreadInfo &thread : threads) {
        const auto found = indexOf.constFind(thread.id);
        if (found == indexOf.cend()) {
            indexOf.insert(thread.id, latest.size());
            latest.append(thread);
            continue;
        }
        ThreadInfo &merged = latest[*found];
        QStringList participants = merged.participants;
        for (const QString &participant : thread.participants) {
            if (!participants.contains(participant))
                participants.append(participant);
        }
        const QDateTime createdAt = merged.createdAt.isValid() ? merged.createdAt : thread.createdAt;
        merged = thread;
        merged.participants = participants;
        merged.createdAt = createdAt;
    }
    return latest;
}

QList<AgentCounterRecord> HistoryBatch::latestAgents() const
{
    QHash<QString, qsizetype> latest;
    for (qsizetype i = 0; i < agents.size(); ++i)
        latest.insert(agents.at(i).name, i);
    QList<AgentCounterRecord> out;
    for (qsizetype i = 0; i < agents.size(); ++i) {
        if (latest.value(agents.at(i).name) == i)
            out.append(agents.at(i));
    }
    return out;
}

} // namespace agentdesk
