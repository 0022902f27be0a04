#pragma once

#include "domain/queries.h"
#include "threadfilter.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

namespace agentdesk {

class Session;
class ThreadHold;
class ThreadRows;
struct UsageEvent;

// What the thread list reads from the store: the first page of the threads matching the filter, more
// through fetchMore (offset paging, as the API has it), and the total the history holds for the filter
// (counted again from the store, at most every few seconds, when live changes may have moved a filtered
// total). Each reload starts a new generation: answers to an older one are dropped.
class ThreadLoader final : public QObject
{
    Q_OBJECT
public:
    ThreadLoader(Session *session, ThreadRows &rows, ThreadHold &hold, QObject *parent = nullptr);

    void setPageSize(int rows); // threads per fetch (at least one)
    int pageSize() const { return m_pageSize; }
    void setFilter(const ThreadFilter &filter) { m_filter = filter; } // the next reload asks for it
    const ThreadFilter &filter() const { return m_filter; }

    // Asks for the first page (once connected), forgetting every answer still on its way. The rows are
    // the caller's to empty first. Live batches wait until the page arrives: it already reflects them.
    void reload();
    bool isLoading() const { return m_loading; }
    quint64 generation() const { return m_generation; }
    // Tokens of usage events that came while the page is on its way: added to its rows.
    void keepUsage(const QList<UsageEvent> &events);

    bool canFetchMore() const;
    void fetchMore(); // the next page, below the rows there are

    qint64 total() const { return m_total; }
    void setTotal(qint64 total); // never below zero
    // Live events cannot always tell whether a thread was counted under a filter: the store can.
    void scheduleRecount();

signals:
    void loadingChanged(bool loading);
    void totalCountChanged(qint64 total);

private:
    ThreadQuery query() const;
    void setLoading(bool loading);
    void recount();

    Session *m_session;
    ThreadRows &m_rows;
    ThreadHold &m_hold;
    ThreadFilter m_filter;
    QHash<QString, qint64> m_usageWhileLoading;
    int m_pageSize = 200;
    bool m_loading = false;
    bool m_fetching = false;
    qint64 m_total = 0;
    quint64 m_generation = 0;
    QTimer m_recount;
};

} // namespace agentdesk
