#include "remotemessagereader.h"

#include <QCoreApplication>
#include <QMap>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace agentdesk {

namespace {

constexpr qint64 kUnknown = std::numeric_limits<qint64>::max();
// A search that needs more probes than this is chasing a history that grows faster than it reads.
constexpr int kMaxProbes = 64;
// After this many probes of one search, bisect instead of interpolating (guaranteed progress).
constexpr int kInterpolatedProbes = 6;

using Request = RemoteMessageReader::Request;
using FetchPage = RemoteMessageReader::FetchPage;
using PageReply = RemoteMessageReader::PageReply;

// One read. The server list is newest first; the search looks for i = #{messages with seq >= target},
// the offset where `target` falls, in [m_lo, m_hi].
class Operation : public std::enable_shared_from_this<Operation>
{
public:
    Operation(const Request &request, FetchPage fetch, PageReply done)
        : m_request(request)
        , m_fetch(std::move(fetch))
        , m_done(std::move(done))
        , m_descending(request.query.newestFirst)
        , m_upper(request.query.beforeSeq > 0 ? request.query.beforeSeq : kUnknown)
        , m_lower(std::max<qint64>(request.query.afterSeq, 0))
        , m_skip(std::max<qint64>(request.query.offset, 0))
        , m_want(request.query.limit < 0 ? -1 : request.query.limit)
    { }

    void start()
    {
        const bool filtered = bool(m_request.clientFilter);
        if (m_want == 0) {
            if (filtered)
                scan(0, kUnknown, 0, false);
            else
                fetch(0, 1, [](Operation &self, qint64, const MessagePage &) { self.finish(); });
            return;
        }
        if (filtered && m_descending && m_upper == kUnknown && m_lower == 0) {
            scan(0, kUnknown, 0, true); // one pass collects the page and counts every match
            return;
        }
        // The first probe reads the top: it often answers already and gives the seqs to aim with.
        locate(m_descending ? m_upper : m_lower + 1, 0, kUnknown, 0);
    }

private:
    using Step = void (*)(Operation &self, qint64 offset, const MessagePage &page);

    void fetch(qint64 offset, int limit, Step step)
    {
        auto self = shared_from_this();
        m_fetch(offset, limit, [self, offset, step](const Result<MessagePage> &page) {
            if (self->m_finished)
                return;
            if (!page) {
                self->fail(page.error().message);
                return;
            }
            self->m_total = page->total;
            for (qsizetype k = 0; k < page->items.size(); ++k)
                self->m_samples.insert(offset + k, page->items.at(k).seq);
            step(*self, offset, *page);
        });
    }

    // --- the search --------------------------------------------------------------------------------

    void locate(qint64 target, qint64 lo, qint64 hi, qint64 probeOffset)
    {
        m_target = target;
        m_lo = lo;
        m_hi = hi;
        m_probes = 0;
        m_gallop = 1;
        probe(probeOffset);
    }

    void probe(qint64 offset)
    {
        if (++m_probes > kMaxProbes) {
            fail(QCoreApplication::translate("agentdesk::RemoteMessageReader",
                                             "the message history changed too fast to page through"));
            return;
        }
        fetch(offset, RemoteMessageReader::kServerPageLimit,
              [](Operation &self, qint64 at, const MessagePage &page) { self.onProbe(at, page); });
    }

    void onProbe(qint64 offset, const MessagePage &page)
    {
        const QList<MessageRecord> &items = page.items;
        const qsizetype n = items.size();
        const bool full = n >= RemoteMessageReader::kServerPageLimit;
        // Newest first: the messages at or above the target come first.
        const qsizetype c = std::find_if(items.cbegin(), items.cend(),
                                         [this](const MessageRecord &m) { return m.seq < m_target; })
            - items.cbegin();
        if (n == 0 || c == 0) {
            if (offset == 0) { // nothing at or above the target: the answer starts at the top
                if (m_descending)
                    consumeDescending(offset, items, 0);
                else
                    finishStream();
                return;
            }
            m_hi = std::min(m_hi, offset);
        } else if (c < n || !full) {
            // The boundary is inside this page (or the list ends in it), and the page starts above it.
            if (m_descending)
                consumeDescending(offset, items, c);
            else
                consumeAscending(offset, items, c);
            return;
        } else {
            m_lo = std::max(m_lo, offset + n);
            if (m_probes > 1) // an estimate fell short: reach further next time
                m_gallop *= 2;
        }
        probe(nextOffset());
    }

    qint64 nextOffset()
    {
        const qint64 limit = RemoteMessageReader::kServerPageLimit;
        qint64 hi = std::min(m_hi, m_total);
        if (hi < m_lo) // new messages moved the boundary beyond what an earlier probe bounded
            hi = m_hi = std::max(m_total, m_lo);
        const qint64 estimate = std::clamp(this->estimate(hi), m_lo, hi);
        if (m_descending) {
            // The page must start above the boundary: one message before the estimate.
            if (hi - m_lo < limit)
                return std::max<qint64>(m_lo - 1, 0);
            return std::max<qint64>(estimate - 1, 0);
        }
        // The page must end below the boundary.
        if (hi - m_lo < limit - 1)
            return std::max<qint64>(hi - limit + 1, 0);
        return std::max<qint64>(estimate - limit + 1, 0);
    }

    // Where `m_target` probably falls, from the seqs seen so far.
    qint64 estimate(qint64 hi) const
    {
        if (m_probes > kInterpolatedProbes && hi != kUnknown)
            return m_lo + (hi - m_lo) / 2;
        // a: the last sample at or above the target; b: the first below it.
        qint64 a = -1;
        qint64 b = -1;
        for (auto it = m_samples.cbegin(); it != m_samples.cend(); ++it) {
            if (it.value() >= m_target)
                a = it.key();
            else if (b < 0)
                b = it.key();
        }
        if (a < 0)
            return m_lo;
        const qint64 seqA = m_samples.value(a);
        double slope = 1.0; // offsets per seq: 1 on a history without gaps
        if (b > a) {
            slope = double(b - a) / double(std::max<qint64>(seqA - m_samples.value(b), 1));
        } else if (m_samples.size() > 1 && m_samples.cbegin().key() < a) {
            const qint64 first = m_samples.cbegin().key();
            slope = double(a - first) / double(std::max<qint64>(m_samples.cbegin().value() - seqA, 1));
        }
        const double guess = double(a) + 1.0 + double(seqA - m_target) * slope * (b > a ? 1.0 : double(m_gallop));
        return guess >= double(kUnknown / 2) ? kUnknown / 2 : qint64(std::llround(guess));
    }

    // --- reading on from the boundary --------------------------------------------------------------

    // items[from..] continue the answer, newest first.
    void consumeDescending(qint64 offset, const QList<MessageRecord> &items, qsizetype from)
    {
        for (qsizetype k = from; k < items.size(); ++k) {
            if (items.at(k).seq <= m_lower || !take(items.at(k))) {
                finishStream();
                return;
            }
        }
        if (items.size() < RemoteMessageReader::kServerPageLimit || scanLimitReached()) {
            finishStream();
            return;
        }
        // Next: below the last one read, which sits at offset + n - 1 unless new messages arrived.
        const qint64 end = offset + items.size();
        locate(items.last().seq, end, kUnknown, end - 1);
    }

    // items[0..count) are above the boundary; the answer continues with them oldest first.
    void consumeAscending(qint64 offset, const QList<MessageRecord> &items, qsizetype count)
    {
        for (qsizetype k = count - 1; k >= 0; --k) {
            if (items.at(k).seq >= m_upper || !take(items.at(k))) {
                finishStream();
                return;
            }
        }
        if (offset == 0 || scanLimitReached()) {
            finishStream();
            return;
        }
        // Next: above items[0], which sits at `offset`; a page ending there starts the next round.
        const qint64 limit = RemoteMessageReader::kServerPageLimit;
        locate(items.first().seq + 1, 0, offset, std::max<qint64>(offset - limit + 1, 0));
    }

    // false once the answer is complete.
    bool take(const MessageRecord &message)
    {
        if (m_request.clientFilter) {
            ++m_scanned;
            if (!m_request.clientFilter(message))
                return true;
        }
        if (m_skip > 0) {
            --m_skip;
            return true;
        }
        m_items.append(message);
        return m_want < 0 || m_items.size() < m_want;
    }

    bool scanLimitReached() const { return m_request.clientFilter && m_scanned >= m_request.maxScan; }

    void finishStream()
    {
        if (m_request.clientFilter)
            scan(0, kUnknown, 0, false);
        else
            finish();
    }

    // --- counting what the server could not filter ---------------------------------------------------

    // Reads the list from the top by offset. New messages push the rest down, so a page may repeat
    // what the one before ended with: seqs at or above the last one counted are skipped.
    void scan(qint64 offset, qint64 belowSeq, qint64 matched, bool collect)
    {
        auto self = shared_from_this();
        m_fetch(offset, RemoteMessageReader::kServerPageLimit,
                [self, offset, belowSeq, matched, collect](const Result<MessagePage> &page) {
                    if (self->m_finished)
                        return;
                    if (!page) {
                        self->fail(page.error().message);
                        return;
                    }
                    self->onScan(offset, *page, belowSeq, matched, collect);
                });
    }

    void onScan(qint64 offset, const MessagePage &page, qint64 belowSeq, qint64 matched, bool collect)
    {
        m_total = page.total;
        for (const MessageRecord &message : page.items) {
            if (message.seq >= belowSeq)
                continue;
            belowSeq = message.seq;
            ++m_scanCount;
            if (!m_request.clientFilter(message))
                continue;
            ++matched;
            if (collect && (m_want < 0 || m_items.size() < m_want)) {
                if (m_skip > 0)
                    --m_skip;
                else
                    m_items.append(message);
            }
        }
        if (page.items.size() < RemoteMessageReader::kServerPageLimit) {
            m_filteredTotal = matched;
            finish();
            return;
        }
        if (m_scanCount >= m_request.maxScan) {
            // Not read to the end: every unread message might match, so total stays an upper bound
            // and a model asking "are there more?" keeps asking.
            m_filteredTotal = matched + std::max<qint64>(m_total - m_scanCount, 0);
            finish();
            return;
        }
        scan(offset + page.items.size(), belowSeq, matched, collect);
    }

    // --- the end -------------------------------------------------------------------------------------

    void finish()
    {
        MessagePage page;
        page.items = m_items;
        page.total = m_request.clientFilter ? m_filteredTotal : m_total;
        page.offset = m_request.query.offset;
        page.limit = m_request.query.limit;
        m_finished = true;
        m_done(page);
    }

    void fail(const QString &error)
    {
        m_finished = true;
        m_done(agentdesk::fail(error));
    }

    const Request m_request;
    const FetchPage m_fetch;
    const PageReply m_done;
    const bool m_descending;
    const qint64 m_upper; // exclusive
    const qint64 m_lower; // exclusive
    qint64 m_skip;
    const qint64 m_want; // -1: everything
    QList<MessageRecord> m_items;
    qint64 m_total = 0;
    qint64 m_filteredTotal = 0;
    qint64 m_scanned = 0;   // messages the stream filtered
    qint64 m_scanCount = 0; // messages the counting scan read
    bool m_finished = false;
    QMap<qint64, qint64> m_samples; // offset → seq, from every page read
    qint64 m_target = 0;
    qint64 m_lo = 0;
    qint64 m_hi = kUnknown;
    int m_probes = 0;
    qint64 m_gallop = 1;
};

} // namespace

void RemoteMessageReader::read(const Request &request, FetchPage fetch, PageReply done)
{
    auto operation = std::make_shared<Operation>(request, std::move(fetch), std::move(done));
    operation->start();
}

} // namespace agentdesk
