#pragma once

#include "domain/queries.h"
#include "domain/records.h"

#include <functional>

namespace agentdesk {

// Answers a MessageQuery from a server that only pages by offset, newest first, at most 100 a time
// (GET /messages and /threads/{id}/messages), with the semantics of the local history store:
//
// - keyset cursors (beforeSeq, afterSeq) are emulated with slotIndex (= seq): the reader searches for
//   the offset where the cursor falls — interpolating between the seqs it has seen, so on a history
//   without gaps it lands on the first try — and then reads on from there;
// - oldest-first pages are read from the far end of the newest-first list and turned around;
// - filters the server cannot apply are applied here (`clientFilter`), scanning as many pages as needed;
// - total counts every match, without the cursors, as the store does.
//
// New messages arriving meanwhile shift every offset; each page is therefore anchored on a seq it must
// contain (the last one read, or one beyond the cursor) and searched again if it moved, so a page has
// neither gaps nor duplicates.
class RemoteMessageReader
{
public:
    using PageReply = std::function<void(const Result<MessagePage> &page)>;
    // One page of the server's list: newest first, 1 <= limit <= 100; page.total = the list's length.
    using FetchPage = std::function<void(qint64 offset, int limit, PageReply reply)>;
    using Filter = std::function<bool(const MessageRecord &message)>;

    struct Request
    {
        MessageQuery query;              // cursors, offset, limit, order (its filters are the caller's)
        Filter clientFilter;             // what the server did not filter; empty: nothing
        bool serverAppliesAfter = false; // the server's list already holds only seq > query.afterSeq
        // Client-side filtering reads at most this many messages per scan; beyond, total is an upper bound.
        qint64 maxScan = 20000;
    };

    static constexpr int kServerPageLimit = 100;

    // Calls `done` exactly once, from within a `fetch` reply (never synchronously).
    static void read(const Request &request, FetchPage fetch, PageReply done);
};

} // namespace agentdesk
