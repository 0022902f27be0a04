#pragma once

#include "usagequeries.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace agentdesk {

// What one organism (and instance) of a shared history has spent: its usage events summed, as
// /usage/billing?scope=all sums them. Cache and reasoning tokens are not in the billing sums.
struct OrganismBilling
{
    QString organism;
    QString instance; // history.instance; "" for a SQLite history
    UsageAggregate usage;
};

// The usage of every organism and instance that shares a history, since the history began.
struct HistoryBilling
{
    QList<OrganismBilling> organisms; // by organism, then instance
    QDateTime readAt;                 // when it was read (UTC): how fresh the figures are
};

} // namespace agentdesk
