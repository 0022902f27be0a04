#pragma once

#include "organism.h"

#include <optional>

namespace agentdesk {

class HistoryStore;

// What a replay or a fork (BranchRequest) sends, read from the history: the source message, the
// payload to send (the one given, or the message's own) and, for a fork, the source thread's history
// up to that message — the messages a new thread starts with. Nothing is recorded here.
struct BranchPlan
{
    MessageRecord source;
    QString to;
    QString from;
    QVariantMap fields; // the payload to build for `to`: fields, or xml when not empty
    QByteArray xml;
    QList<MessageRecord> copies; // Fork: the source thread's messages before `source`, oldest first

    // UnknownMessage when the history has no such thread or message.
    static Result<BranchPlan, InjectFailure> make(const HistoryStore &store, const BranchRequest &request);
};

} // namespace agentdesk
