#pragma once

#include "states.h"
#include "usage.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace agentdesk {

// Filters and paging for history reads. Newest first unless said otherwise.
struct MessageQuery
{
    QString threadId;     // exact thread
    QString agent;        // from == agent OR to == agent
    QString payloadType;  // exact payload type
    QString text;         // substring of the payload XML (case-insensitive)
    QDateTime since;      // timestamp >= since (invalid = no bound)
    QDateTime until;      // timestamp <= until
    qint64 beforeSeq = 0; // keyset paging: seq < beforeSeq (0 = no bound)
    qint64 afterSeq = 0;  // seq > afterSeq
    qint64 offset = 0;
    int limit = 50;
    bool newestFirst = true;
};

struct ThreadQuery
{
    std::optional<ThreadStatus> status;
    QString agent; // participant
    qint64 offset = 0;
    int limit = 50;
    // Ordered by lastActivity (falling back to createdAt) descending, ties in creation order.
};

struct UsageQuery
{
    QString startTime; // ISO text, compared as text >= (spec §5.22)
    QString endTime;   // text <=
    QString orgId;
    QString agentId;
    QString model;
    std::optional<UsageOutcome> outcome; // unset: any
    qint64 offset = 0;
    int limit = 100;
};

// Which usage events a time series counts (GET /usage/timeseries, the Usage page's filters): one
// agent's, one model's, one outcome's; an empty name or no outcome lets every event through.
struct UsageSeriesFilter
{
    QString agent; // the agent id; "" : any agent
    QString model; // the model the provider returned; "" : any model
    std::optional<UsageOutcome> outcome;

    bool isEmpty() const { return agent.isEmpty() && model.isEmpty() && !outcome; }
    bool matches(const UsageEvent &event) const
    {
        return (agent.isEmpty() || event.agentId == agent) && (model.isEmpty() || event.model == model)
            && (!outcome || event.outcome == *outcome);
    }
    bool operator==(const UsageSeriesFilter &other) const = default;
};

} // namespace agentdesk
