#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace agentdesk {

// A streamed LLM reply growing: the text that arrived since the previous event of the same call.
// `offset` is where `delta` starts in the attempt's text (0 starts it again, e.g. after a retry);
// `done` ends the call's stream (the reply is then recorded, or the call failed).
struct LlmPartialEvent
{
    QString agent;
    QString threadId;
    quint64 call = 0; // the handler call (unique while the organism runs)
    int attempt = 1;
    qint64 offset = 0;
    QString delta;
    bool done = false;
    QDateTime timestamp;
};

} // namespace agentdesk

Q_DECLARE_METATYPE(agentdesk::LlmPartialEvent)
