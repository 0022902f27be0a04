#pragma once

#include "historybatch.h"

#include "config/organismconfig.h"

#include <QString>
#include <QStringList>

namespace agentdesk {

// The writer thread's side of one history engine (SQLite, PostgreSQL): its connection, the schema,
// and writing a batch in one transaction. Created, used and destroyed on the writer thread only.
class HistoryBatchWriter
{
public:
    virtual ~HistoryBatchWriter() = default;

    // Connects, creates or upgrades the schema, and reads what the writer keeps in memory.
    virtual bool open(HistoryDurability durability, QString *error) = 0;
    virtual bool setDurability(HistoryDurability durability, QString *error) = 0;
    // Writes the batch and, if asked, applies retention, in one transaction. On false nothing was
    // written and *error says why (the caller retries; a lost connection is re-made by the next call).
    // Records refused by a constraint (a duplicate message id or seq) are skipped and described in
    // *rejected; the rest is written.
    virtual bool write(const HistoryBatch &batch, const RetentionPolicy &retention, QString *error,
                       QStringList *rejected) = 0;
};

} // namespace agentdesk
