#pragma once

#include "domain/queries.h"
#include "domain/records.h"

#include <QDateTime>
#include <QHash>
#include <QPair>
#include <QSqlDatabase>
#include <QString>

#include <optional>
#include <utility>

QT_BEGIN_NAMESPACE
QT_END_NAMESPACE

namespace agentdesk {

class SqlFilter;

// Message, thread and agent reads on one (the calling thread's) read connection.
class HistoryReader
{
public:
    explicit HistoryReader(const QSqlDatabase &db);

    MessagePage messages(const MessageQuery &query) const;
    std::optional<MessageRecord> message(const QString &id) const;
    ThreadPage threads(const ThreadQuery &query) const;
    std::optional<ThreadInfo> thread(const QString &id) const;
    QList<ThreadInfo> threadsWithStatus(ThreadStatus status) const;
    QList<ThreadInfo> threadsWithoutRow(qint64 afterSeq) const;
    QList<MessageRecord> undeliveredMessages(const QString &threadId = {}) const; // by seq; one thread, or all
    QHash<QString, QPair<qint64, QDateTime>> agentCounters() const;
    qint64 counter(const QString &name) const; // "messages" (retained rows), "max_seq"

    // Registers agentdesk_icontains(text, needle): a Unicode case-insensitive substring test, used for
    // text searches that SQLite's ASCII-only LIKE would get wrong.
    static bool registerFunctions(const QSqlDatabase &db, QString *error);

private:
    // The FROM source ("messages [NOT INDEXED]") and ORDER BY clause that fetch a page of `matching`
    // rows out of `stored` fastest.
    static std::pair<QString, QString> pagePlan(const MessageQuery &query, qint64 matching, qint64 stored);
    qint64 count(const QString &table, const SqlFilter &filter) const;

    QSqlDatabase m_db;
};

} // namespace agentdesk
