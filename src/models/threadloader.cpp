#include "threadloader.h"

#include "modelslogging.h"
#include "threadhold.h"
#include "threadrows.h"

#include "session.h"

#include <algorithm>

namespace agentdesk {

namespace {

// A filtered total is counted again from the store at most this often while live changes may move it.
constexpr int kRecountDelayMs = 2000;
constexpr qsizetype kMaxKeptUsage = 5000;

} // namespace

ThreadLoader::ThreadLoader(Session *session, ThreadRows &rows, ThreadHold &hold, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_rows(rows)
    , m_hold(hold)
{
    m_recount.setSingleShot(true);
    m_recount.setInterval(kRecountDelayMs);
    connect(&m_recount, &QTimer::timeout, this, &ThreadLoader::recount);
}

void ThreadLoader::setPageSize(int rows)
{
    m_pageSize = std::max(1, rows);
}

ThreadQuery ThreadLoader::query() const
{
    ThreadQuery query;
    query.status = m_filter.status;
    query.agent = m_filter.agent;
    query.limit = m_pageSize;
    return query;
}

void ThreadLoader::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void ThreadLoader::setTotal(qint64 total)
{
    total = std::max<qint64>(total, 0);
    if (m_total == total)
        return;
    m_total = total;
    emit totalCountChanged(total);
}

void ThreadLoader::reload()
{
    const quint64 generation = ++m_generation;
    m_fetching = false;
    m_usageWhileLoading.clear();
    m_recount.stop();
    setTotal(0);
    if (!m_session->isConnected()) {
        setLoading(false);
        return; // reloads when the session connects
    }
    setLoading(true);
    m_session->fetchThreads(query(), this, [this, generation](const Result<ThreadPage> &page) {
        if (generation != m_generation)
            return;
        if (page.has_value()) {
            QList<ThreadRow> rows;
            for (const ThreadInfo &info : page->items) {
                rows.append(ThreadRow::from(info, ThreadRow::Merge::Replace, m_session->budget(info.id)));
                rows.last().spent.addUsage(m_usageWhileLoading.value(info.id));
            }
            m_usageWhileLoading.clear();
            m_rows.append(rows);
            m_rows.restoreOrder();
            m_rows.setHasMore(page->offset + page->items.size() < page->total);
            setTotal(page->total);
        } else {
            qCWarning(lcModels) << "ThreadModel: could not read the threads:" << page.error().message;
        }
        setLoading(false);
    });
}

// The page on its way lists these threads without what they spent: kept for its rows.
void ThreadLoader::keepUsage(const QList<UsageEvent> &events)
{
    for (const UsageEvent &event : events) {
        if (m_usageWhileLoading.size() < kMaxKeptUsage || m_usageWhileLoading.contains(event.threadId))
            m_usageWhileLoading[event.threadId] += ThreadSpending::tokensOf(event);
    }
}

bool ThreadLoader::canFetchMore() const
{
    return m_rows.hasMore() && !m_loading && !m_fetching;
}

void ThreadLoader::fetchMore()
{
    if (!canFetchMore())
        return;
    m_fetching = true;
    ThreadQuery query = this->query();
    query.offset = m_rows.size() + m_hold.pendingCount(); // the waiting threads are the newest in the store
    m_session->fetchThreads(query, this, [this, generation = m_generation](const Result<ThreadPage> &page) {
        if (generation != m_generation)
            return;
        if (page.has_value()) {
            QList<ThreadRow> rows;
            for (const ThreadInfo &info : page->items) {
                if (!m_rows.contains(info.id) && !m_hold.isLeaving(info.id))
                    rows.append(ThreadRow::from(info, ThreadRow::Merge::Replace, m_session->budget(info.id)));
            }
            m_rows.append(rows);
            m_rows.setHasMore(page->offset + page->items.size() < page->total);
            if (!m_hold.isHolding())
                m_rows.restoreOrder();
        } else {
            qCWarning(lcModels) << "ThreadModel: could not read more threads:" << page.error().message;
        }
        m_fetching = false; // only now: a view asking again from inside the inserts is ignored
    });
}

void ThreadLoader::scheduleRecount()
{
    if (!m_filter.isEmpty() && !m_recount.isActive())
        m_recount.start();
}

void ThreadLoader::recount()
{
    if (m_loading || !m_session->isConnected())
        return;
    ThreadQuery query = this->query();
    query.limit = 0;
    m_session->fetchThreads(query, this, [this, generation = m_generation](const Result<ThreadPage> &page) {
        if (generation == m_generation && page.has_value())
            setTotal(page->total);
    });
}

} // namespace agentdesk
