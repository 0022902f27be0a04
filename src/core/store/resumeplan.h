#pragma once

#include "domain/records.h"

#include <QList>
#include <QStringList>

namespace agentdesk {

class HistoryStore;

// What a start has to do with the threads the previous run left unfinished (after a clean stop with a
// backlog, a crash or a kill): every thread with undelivered messages resumes with them, in their
// original order, unless it cannot (a target listener is gone) or must not (resume_on_start: false).
struct ResumePlan
{
    struct Thread
    {
        ThreadInfo info;               // as stored (or rebuilt from its messages), status active
        QList<MessageRecord> messages; // its undelivered messages, by seq
    };

    QList<Thread> resume;        // in the order of their oldest undelivered message
    QList<ThreadInfo> failed;    // ending in error now; `error` says why (their messages stay undelivered)
    QList<ThreadInfo> completed; // stored as active, with nothing left to handle: they had finished
    QList<qint64> dropped;       // undelivered messages that will not be handled (killed threads)
    // Threads in error are in none of these: their undelivered messages wait for a retry or a kill.

    struct Options
    {
        QStringList listeners;       // the listeners that exist now
        bool resume = true;          // resume_on_start
        qint64 rowlessAfterSeq = -1; // ≥ 0: also look for threads without a row after this seq (unclean end)
    };
    static ResumePlan build(const HistoryStore &store, const Options &options);
};

} // namespace agentdesk
