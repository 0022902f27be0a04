#include "messagelogmodel.h"

#include "modelslogging.h"
#include "session.h"

#include <algorithm>

namespace agentdesk {

bool MessageFilter::matches(const MessageRecord &message) const
{
    if (!threadId.isEmpty() && message.threadId != threadId)
        return false;
    if (!agent.isEmpty() && message.from != agent && message.to != agent)
        return false;
    if (!payloadType.isEmpty() && message.payloadType != payloadType)
        return false;
    if (!text.isEmpty() && !QString::fromUtf8(message.xml).contains(text, Qt::CaseInsensitive))
        return false;
    return true;
}

MessageLogModel::MessageLogModel(Session *session, QObject *parent)
    : MessageTableModel(parent)
    , m_session(session)
{
    connect(session, &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::Connected)
            reload();
    });
    connect(session, &Session::resynchronized, this, &MessageLogModel::reload);
    connect(session, &Session::messagesRecorded, this, &MessageLogModel::onMessages);
    if (session->isConnected())
        reload();
}

void MessageLogModel::setPageSize(int rows)
{
    m_pageSize = std::max(1, rows);
    m_maxRows = std::max(m_maxRows, 2 * m_pageSize);
}

void MessageLogModel::setMaxRows(int rows)
{
    m_maxRows = std::max(rows, 2 * m_pageSize);
    dropOldestBeyondLimit();
}

void MessageLogModel::setFilter(const MessageFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

MessageQuery MessageLogModel::query() const
{
    MessageQuery query;
    query.agent = m_filter.agent;
    query.threadId = m_filter.threadId;
    query.payloadType = m_filter.payloadType;
    query.text = m_filter.text;
    query.limit = m_pageSize;
    query.newestFirst = true;
    return query;
}

qint64 MessageLogModel::newestSeq() const
{
    if (!m_held.isEmpty())
        return m_held.last().seq;
    return m_rows.isEmpty() ? 0 : m_rows.first().seq;
}

// --- state flags --------------------------------------------------------------------------------------

void MessageLogModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void MessageLogModel::setPending(int count)
{
    if (m_pending == count)
        return;
    m_pending = count;
    emit pendingCountChanged(count);
}

void MessageLogModel::setTotal(qint64 total)
{
    if (m_total == total)
        return;
    m_total = total;
    emit totalMatchingChanged(total);
}

void MessageLogModel::setFollowingFlag(bool following)
{
    if (m_following == following)
        return;
    m_following = following;
    emit followingChanged(following);
}

void MessageLogModel::setFollowing(bool following)
{
    if (following == m_following)
        return;
    setFollowingFlag(following);
    if (!following)
        return;
    if (m_detached) {
        reload(); // the live edge is no longer next to the window: jump to it
        return;
    }
    const QList<MessageRecord> held = std::exchange(m_held, {});
    setPending(0);
    insertNewest(held);
}

// Following means showing the live edge, so a window that leaves it stops following.
void MessageLogModel::detach()
{
    if (m_detached)
        return;
    m_detached = true;
    m_held.clear(); // still counted in pendingCount; the store has them
    setFollowingFlag(false);
}

void MessageLogModel::attach()
{
    m_detached = false;
    setPending(0);
}

// --- reading pages ------------------------------------------------------------------------------------

void MessageLogModel::reload()
{
    const quint64 generation = ++m_generation;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    m_held.clear();
    m_collect.clear();
    m_collectOverflow = false;
    m_detached = false;
    m_hasOlder = false;
    m_fetchingOlder = false;
    m_fetchingNewer = false;
    m_countedSeq = 0;
    setPending(0);
    if (!m_session->isConnected()) {
        setLoading(false);
        return; // reloads when the session connects
    }
    setLoading(true);
    m_session->fetchMessages(query(), this, [this, generation](const Result<MessagePage> &page) {
        if (generation == m_generation)
            onFirstPage(page);
    });
}

void MessageLogModel::onFirstPage(const Result<MessagePage> &page)
{
    const QList<MessageRecord> collected = std::exchange(m_collect, {});
    const bool overflow = std::exchange(m_collectOverflow, false);
    if (!page) {
        qCWarning(lcModels) << "MessageLogModel: could not read the messages:" << page.error().message;
        setLoading(false);
        return;
    }

    // Live messages that arrived while the page was on its way and are newer than it go on top.
    const qint64 top = page->items.isEmpty() ? 0 : page->items.first().seq;
    QList<MessageRecord> rows;
    for (auto it = collected.crbegin(); it != collected.crend(); ++it) {
        if (it->seq > top)
            rows.append(*it);
    }
    const qint64 newer = rows.size();
    rows.append(page->items);
    m_hasOlder = page->total > page->items.size();
    if (rows.size() > m_maxRows) {
        rows.resize(m_maxRows);
        m_hasOlder = true;
    }
    m_countedSeq = rows.isEmpty() ? 0 : rows.first().seq;
    if (!rows.isEmpty()) {
        beginInsertRows({}, 0, int(rows.size()) - 1);
        m_rows = rows;
        endInsertRows();
    }
    setTotal(page->total + newer);
    if (overflow)
        detach(); // more arrived meanwhile than could be kept: some may be missing above the window
    setLoading(false);
}

bool MessageLogModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasOlder && !m_loading && !m_fetchingOlder && !m_fetchingNewer && !m_rows.isEmpty();
}

void MessageLogModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetchingOlder = true;
    MessageQuery older = query();
    older.beforeSeq = m_rows.last().seq;
    m_session->fetchMessages(
        older, this, [this, generation = m_generation, before = older.beforeSeq](const Result<MessagePage> &page) {
            if (generation != m_generation)
                return;
            if (!page)
                qCWarning(lcModels) << "MessageLogModel: could not read older messages:" << page.error().message;
            // Live inserts may have dropped the bottom meanwhile: the page would leave a gap.
            if (page.has_value() && !m_rows.isEmpty() && m_rows.last().seq == before)
                onOlderPage(*page);
            m_fetchingOlder = false;
        });
}

void MessageLogModel::onOlderPage(const MessagePage &page)
{
    m_hasOlder = page.items.size() >= m_pageSize;
    if (page.items.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(page.items.size()) - 1);
    m_rows.append(page.items);
    endInsertRows();
    if (m_rows.size() > m_maxRows) {
        const int excess = int(m_rows.size()) - m_maxRows;
        beginRemoveRows({}, 0, excess - 1);
        m_rows.remove(0, excess);
        endRemoveRows();
        detach();
    }
}

bool MessageLogModel::canFetchNewer() const
{
    return m_detached && !m_loading && !m_fetchingNewer && !m_fetchingOlder;
}

void MessageLogModel::fetchNewer()
{
    if (!canFetchNewer())
        return;
    if (m_rows.isEmpty()) {
        reload();
        return;
    }
    m_fetchingNewer = true;
    m_collect.clear();
    m_collectOverflow = false;
    MessageQuery newer = query();
    newer.afterSeq = m_rows.first().seq;
    newer.newestFirst = false;
    m_session->fetchMessages(
        newer, this, [this, generation = m_generation, after = newer.afterSeq](const Result<MessagePage> &page) {
            if (generation != m_generation)
                return;
            if (!page)
                qCWarning(lcModels) << "MessageLogModel: could not read newer messages:" << page.error().message;
            if (page.has_value() && !m_rows.isEmpty() && m_rows.first().seq == after)
                onNewerPage(*page);
            m_collect.clear();
            m_collectOverflow = false;
            m_fetchingNewer = false;
        });
}

void MessageLogModel::onNewerPage(const MessagePage &page)
{
    QList<MessageRecord> ascending = page.items;
    const QList<MessageRecord> collected = std::exchange(m_collect, {});
    // A short page reached the newest stored message: what arrived live since the request continues it.
    const bool reachedEdge = page.items.size() < m_pageSize && !std::exchange(m_collectOverflow, false);
    if (reachedEdge) {
        const qint64 top = ascending.isEmpty() ? m_rows.first().seq : ascending.last().seq;
        for (const MessageRecord &message : collected) {
            if (message.seq > top)
                ascending.append(message);
        }
    }
    insertNewest(ascending);
    if (reachedEdge)
        attach();
}

// --- live ---------------------------------------------------------------------------------------------

void MessageLogModel::onMessages(const QList<MessageRecord> &batch)
{
    QList<MessageRecord> fresh;
    for (const MessageRecord &message : batch) {
        if (m_filter.matches(message))
            fresh.append(message);
    }
    if (fresh.isEmpty())
        return;
    if (m_loading) {
        collect(fresh); // merged by seq with the first page
        return;
    }
    qint64 counted = 0;
    for (const MessageRecord &message : std::as_const(fresh)) {
        if (message.seq > m_countedSeq) {
            ++counted;
            m_countedSeq = message.seq;
        }
    }
    setTotal(m_total + counted);
    if (m_detached) {
        if (m_fetchingNewer)
            collect(fresh);
        setPending(m_pending + int(counted));
        return;
    }
    // A page read after these were committed may already show some of them.
    const qint64 edge = newestSeq();
    fresh.removeIf([edge](const MessageRecord &message) { return message.seq <= edge; });
    if (fresh.isEmpty())
        return;
    if (m_following)
        insertNewest(fresh);
    else
        hold(fresh);
}

void MessageLogModel::collect(const QList<MessageRecord> &fresh)
{
    if (m_collectOverflow)
        return;
    m_collect.append(fresh);
    if (m_collect.size() > m_maxRows) {
        m_collect.clear();
        m_collectOverflow = true;
    }
}

void MessageLogModel::hold(const QList<MessageRecord> &fresh)
{
    m_held.append(fresh);
    setPending(m_pending + int(fresh.size()));
    if (m_held.size() > m_maxRows)
        detach();
}

// One beginInsertRows at the top for the whole batch (given oldest first), then the window is trimmed
// at the bottom.
void MessageLogModel::insertNewest(QList<MessageRecord> ascending)
{
    if (ascending.isEmpty())
        return;
    if (ascending.size() > m_maxRows) {
        ascending.remove(0, ascending.size() - m_maxRows);
        m_hasOlder = true;
    }
    QList<MessageRecord> rows;
    rows.reserve(ascending.size() + m_rows.size());
    for (auto it = ascending.crbegin(); it != ascending.crend(); ++it)
        rows.append(*it);
    beginInsertRows({}, 0, int(ascending.size()) - 1);
    rows.append(m_rows);
    m_rows = std::move(rows);
    endInsertRows();
    dropOldestBeyondLimit();
}

void MessageLogModel::dropOldestBeyondLimit()
{
    if (m_rows.size() <= m_maxRows)
        return;
    beginRemoveRows({}, m_maxRows, int(m_rows.size()) - 1);
    m_rows.resize(m_maxRows);
    endRemoveRows();
    m_hasOlder = true;
}

} // namespace agentdesk
