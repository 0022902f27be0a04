#pragma once

#include "domain/budgets.h"
#include "domain/records.h"
#include "threadspending.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace agentdesk {

// One row of the thread list: the thread as last heard of, what it spent, and the receiver of its newest
// message seen live (the agent it may be waiting on).
//
// Counting rule: a thread's messages are counted from messagesRecorded (apply). A thread from
// threadsCreated starts empty because its messages follow in the batch after it (the organism emits
// them in one tick); snapshots from threadsUpdated never lower a count; pages and single-thread answers
// replace the row.
struct ThreadRow
{
    // Where a ThreadInfo comes from, which decides how it is taken.
    enum class Merge {
        Replace, // a page or a single-thread answer: the store's word
        Created, // threadsCreated: its messages follow and are counted then
        Update,  // threadsUpdated: a snapshot that may be behind the messages seen
    };

    ThreadInfo info;
    ThreadSpending spent;
    QString lastTo;

    // budget: the thread's budget as the session knows it now, if any.
    static ThreadRow from(const ThreadInfo &info, Merge merge, const std::optional<ThreadBudget> &budget = {});
    void merge(const ThreadInfo &other, Merge merge);
    void apply(const MessageRecord &message); // one more message of this thread, seen live

    // Its last activity, or when it was created while it has none.
    QDateTime activity() const { return info.lastActivity.isValid() ? info.lastActivity : info.createdAt; }
    // Most recent first; an invalid time sorts last. Activity within the same millisecond is common at
    // speed: the later created thread goes first (its id is a UUIDv7, ordered by creation time).
    static bool moreRecent(const ThreadRow &a, const ThreadRow &b);
};

} // namespace agentdesk
