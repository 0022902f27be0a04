#pragma once

#include "domain/records.h"
#include "domain/trace.h"
#include "domain/usage.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace agentdesk {

struct AgentCounterRecord
{
    QString name;
    qint64 messageCount = 0;
    QDateTime lastActivity;
};

// Everything handed to the writer since it last looked; written in one transaction.
struct HistoryBatch
{
    QList<MessageRecord> messages;
    QList<ThreadInfo> threads;
    QList<AgentCounterRecord> agents;
    QList<UsageEvent> usage;
    QList<QPair<QString, QString>> settings;         // name → value, latest last
    QList<std::optional<LlmTranscript>> transcripts; // one per usage event: what its attempt sent and got
    // Messages (by seq) whose handling is over: handled, or dropped with their thread. Every stored
    // message is undelivered until it is listed here (see HistoryStore::appendMessages).
    QList<qint64> delivered;
    QList<HandlerRun> runs;                      // how handlers ran (the timeline), written with their deliveries
    QList<QPair<QString, ThreadOrigin>> origins; // thread id → where it was replayed or forked from
    bool retentionRequested = false;
    quint64 lastTicket = 0; // the highest ticket in the batch (0: none)

    qsizetype recordCount() const;

    // Repeated saves of one thread become one: the latest state, with the participants of all of them
    // (first-seen order) and the first known creation time. In order of first save.
    QList<ThreadInfo> mergedThreads() const;
    // Agent counters are absolute values: only the latest save of each agent matters.
    QList<AgentCounterRecord> latestAgents() const;
};

// What a writer keeps in memory and stores with every commit: exact message counts (the unfiltered
// total in O(1)), the highest seq ever stored, and the next thread's creation order.
struct HistoryCounters
{
    qint64 messages = 0;
    qint64 maxSeq = 0;
    qint64 nextCreatedSeq = 1;
};

struct RetentionPolicy
{
    bool apply = false;
    qint64 maxMessages = 10000;
    int maxAgeDays = 0; // 0: no age limit
    QDateTime now;
};

} // namespace agentdesk
