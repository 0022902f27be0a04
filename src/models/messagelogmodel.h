#pragma once

#include "messagetablemodel.h"

#include "domain/queries.h"

namespace agentdesk {

class Session;

// What the log shows. Every field narrows; empty fields do not.
struct MessageFilter
{
    QString agent;       // sender or receiver
    QString threadId;    // exact
    QString payloadType; // exact
    QString text;        // case-insensitive substring of the payload XML
    bool isEmpty() const { return agent.isEmpty() && threadId.isEmpty() && payloadType.isEmpty() && text.isEmpty(); }
    // The store's rules, for live messages that have not been read from it.
    bool matches(const MessageRecord &message) const;
    bool operator==(const MessageFilter &other) const = default;
};

// The live message log, newest first, over a history that may hold millions of messages.
//
// It holds a bounded window of consecutive messages (maxRows()), never the whole history: it opens
// with the newest page, and fetchMore() (what a view calls on reaching the bottom) reads the next older
// page by seq (keyset paging: `seq < oldest`, so a page costs the same at any depth). When the window
// would outgrow maxRows, rows at the other end are dropped; they can be read again.
//
// Live batches from the session are inserted at the top with one beginInsertRows per batch while the
// log follows the live edge. Paused (setFollowing(false)), they wait in a bounded queue and
// pendingCount() says how many; resuming shows them in one insert. Once the window no longer contains
// the newest message (it was scrolled so deep that the top had to be dropped, or the queue overflowed),
// it is detached: fetchNewer() pages back toward the present, and setFollowing(true) jumps there.
//
// Filters are store queries: setFilter() resets the window and reads the first matching page. A proxy
// filtering this window would only see the few thousand rows in memory — a rare agent's messages would
// look absent, fetchMore would keep pulling pages with nothing to show, and the counts would be wrong —
// while the store answers from its indexes over the whole history. Live messages are matched with the
// same rules (MessageFilter::matches) so both sources agree.
class MessageLogModel final : public MessageTableModel
{
    Q_OBJECT
public:
    explicit MessageLogModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(MessageLogModel)

    // Both apply from the next page read; call reload() for the first page to use them.
    void setPageSize(int rows); // default 200
    int pageSize() const { return m_pageSize; }
    void setMaxRows(int rows); // default 5000, at least two pages
    int maxRows() const { return m_maxRows; }

    void setFilter(const MessageFilter &filter);
    MessageFilter filter() const { return m_filter; }

    bool isFollowing() const { return m_following; }
    void setFollowing(bool following);
    int pendingCount() const { return m_pending; } // matching live messages not shown yet
    bool isAtLiveEdge() const { return !m_detached; }
    bool isLoading() const { return m_loading; }                           // the first page is on its way
    bool isFetching() const { return m_fetchingOlder || m_fetchingNewer; } // a further page is on its way
    qint64 totalMatching() const { return m_total; } // in the whole history, as of the last page plus live

    bool canFetchMore(const QModelIndex &parent) const override; // older rows
    void fetchMore(const QModelIndex &parent) override;
    bool canFetchNewer() const;
    void fetchNewer();
    void reload(); // back to the newest page

signals:
    void followingChanged(bool following);
    void pendingCountChanged(int count);
    void loadingChanged(bool loading);
    void totalMatchingChanged(qint64 total);

private:
    MessageQuery query() const;
    void onMessages(const QList<MessageRecord> &batch);
    void onFirstPage(const Result<MessagePage> &page);
    void onOlderPage(const MessagePage &page);
    void onNewerPage(const MessagePage &page);
    void collect(const QList<MessageRecord> &fresh);
    void hold(const QList<MessageRecord> &fresh);
    void insertNewest(QList<MessageRecord> ascending);
    void dropOldestBeyondLimit();
    void detach();
    void attach();
    qint64 newestSeq() const;
    void setLoading(bool loading);
    void setPending(int count);
    void setTotal(qint64 total);
    void setFollowingFlag(bool following);

    Session *m_session;
    MessageFilter m_filter;
    int m_pageSize = 200;
    int m_maxRows = 5000;
    bool m_following = true;
    bool m_detached = false; // the newest row is not the newest matching message
    bool m_hasOlder = false;
    bool m_loading = false;
    bool m_fetchingOlder = false; // one page request at a time, in either direction; set until the page is
    bool m_fetchingNewer = false; // applied, so a view asking again from inside the inserts is ignored
    quint64 m_generation = 0;
    QList<MessageRecord> m_held;    // paused at the live edge: waiting to be shown, oldest first
    QList<MessageRecord> m_collect; // arrived while a page touching the live edge was on its way
    bool m_collectOverflow = false;
    int m_pending = 0;
    qint64 m_total = 0;
    qint64 m_countedSeq = 0; // live messages up to this seq are in m_total
};

} // namespace agentdesk
