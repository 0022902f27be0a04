// The Load page over a hand-driven session: the figures of the last minute in its tiles, the
// bottleneck in words (saturated, an LLM agent waiting for a rate limit, a paused listener), the chart
// following the samples, the LLM backends with the one holding the queue named in the bottleneck, and a
// server that reports none of it (the original) said plainly.

#include "fakesession.h"
#include "llmbackendsview.h"
#include "loadchart.h"
#include "loadpage.h"

#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

OrganismInfo busy()
{
    OrganismInfo info;
    info.name = u"o"_s;
    info.status = OrganismStatus::Running;
    info.totalMessages = 50000;
    Saturation &load = info.saturation;
    load.queueDepth = 9662;
    load.queueLimit = 10000;
    load.admissionLimit = 8000;
    load.injectsRefused = 1234;
    load.messagesPerSecond = 310;
    load.handledLastMinute = 18000;
    load.threadErrorsLastMinute = 2;
    load.handlerP50Ms = 4.25;
    load.handlerP95Ms = 1900;
    load.backlog = {{u"greeter"_s, 9650, 5, 12.4}, {u"shouter"_s, 12, 1, 0}};
    return info;
}

LlmBackendState bucketBound()
{
    LlmBackendState backend;
    backend.name = u"demo"_s;
    backend.provider = u"demo"_s;
    backend.rateLimitTpm = 100000;
    backend.tokensLeft = 420;
    backend.waitingForTokens = true;
    backend.active = 1;
    backend.maxConcurrent = 4;
    backend.queued = 9650;
    backend.agents = {u"greeter"_s};
    return backend;
}

} // namespace

class TestLoadPage : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        session.emplace();
        AgentInfo greeter;
        greeter.name = u"greeter"_s;
        AgentInfo shouter;
        shouter.name = u"shouter"_s;
        shouter.state = AgentState::Paused;
        session->snapshot.agents = {greeter, shouter};
        session->snapshot.organism = busy();
        page.emplace();
        page->setSession(&*session);
        page->show(); // the chart draws only while it is visible
        session->open();
    }
    void cleanup()
    {
        page.reset();
        session.reset();
    }

    void theFiguresAndTheBottleneck()
    {
        QCOMPARE(page->tileText(u"rate"_s), u"310"_s);
        QCOMPARE(page->tileText(u"queue"_s), u"9,662 / 10,000"_s);
        QCOMPARE(page->tileText(u"refused"_s), u"1,234"_s);
        QCOMPARE(page->tileText(u"errors"_s), u"2 / min"_s);
        QCOMPARE(page->tileText(u"latency"_s), u"4.3 ms · 1,900.0 ms"_s);
        QCOMPARE(page->bottleneckText(),
                 u"Bottleneck: greeter waits 12 s for an LLM backend's rate limit (9,650 queued)"_s);
        QCOMPARE(page->backlogTable()->model()->rowCount(), 2);

        OrganismInfo refusing = busy();
        refusing.saturation.saturated = true;
        refusing.saturation.cause = u"saturated: 9,662 messages wait (max_queue_depth is 10,000)"_s;
        session->replaceOrganism(refusing);
        QCOMPARE(page->bottleneckText(), u"Saturated: saturated: 9,662 messages wait (max_queue_depth is 10,000)"_s);

        OrganismInfo paused = busy();
        paused.saturation.backlog = {{u"shouter"_s, 12, 0, 0}};
        session->replaceOrganism(paused);
        QCOMPARE(page->bottleneckText(), u"Longest queue: shouter is paused with 12 waiting"_s);

        OrganismInfo idle = busy();
        idle.saturation.backlog.clear();
        session->replaceOrganism(idle);
        QCOMPARE(page->bottleneckText(), u"Keeping up: nothing waits"_s);
        QVERIFY(page->chart()->pointCount() >= 1);
    }

    void theBackendHoldingTheQueueIsNamed()
    {
        LlmBackendState idle = bucketBound();
        idle.name = u"spare"_s;
        idle.waitingForTokens = false;
        idle.queued = 0;
        idle.agents.clear();
        session->replaceLlmBackends({idle, bucketBound()});
        QCOMPARE(page->bottleneckText(),
                 u"Bottleneck: LLM backend demo — waiting for its token bucket: 420 of 100,000 "
                 u"tokens a minute left (greeter has 9,650 queued)"_s);
        LlmBackendsView *view = page->backendsView();
        QVERIFY(view->isVisible());
        QCOMPARE(view->table()->model()->rowCount(), 2);
        QCOMPARE(view->titleText(), u"LLM backends — 1 holding calls up"_s);

        OrganismInfo refusing = busy();
        refusing.saturation.saturated = true;
        refusing.saturation.cause = u"9,662 messages wait"_s;
        session->replaceOrganism(refusing);
        QCOMPARE(page->bottleneckText(),
                 u"Saturated: 9,662 messages wait — held up by LLM backend demo: waiting for its "
                 u"token bucket: 420 of 100,000 tokens a minute left"_s);

        LlmBackendState limited = bucketBound();
        limited.waitingForTokens = false;
        limited.health = LlmBackendState::Health::RateLimited;
        limited.rateLimitedForSeconds = 11.2;
        session->replaceOrganism(busy());
        session->replaceLlmBackends({limited});
        QCOMPARE(page->bottleneckText(),
                 u"Bottleneck: LLM backend demo — rate-limited for 12 s (greeter has 9,650 queued)"_s);

        session->replaceLlmBackends({idle}); // nothing holds: the listener's own wait is named again
        QCOMPARE(page->bottleneckText(),
                 u"Bottleneck: greeter waits 12 s for an LLM backend's rate limit (9,650 queued)"_s);
    }

    void backendsNotReportedAreSaidSo()
    {
        QVERIFY(page->backendsView()->isVisible()); // no backends: the view explains instead of hiding
        QCOMPARE(page->backendsView()->titleText(), u"LLM backends: none configured in this organism"_s);
        QVERIFY(!page->backendsView()->table()->isVisible());
        session->close();
        session->snapshot.abilities.reportsBackends = false;
        session->open();
        QVERIFY(page->backendsView()->isVisible());
        QVERIFY(page->backendsView()->titleText().startsWith(u"LLM backends: this server does not report them"_s));
        QVERIFY(!page->backendsView()->table()->isVisible());
    }

    void theOriginalReportsNone()
    {
        session->close();
        session->snapshot.abilities.reportsLoad = false;
        session->snapshot.organism.saturation = {};
        session->open();
        QCOMPARE(page->tileText(u"queue"_s), u"—"_s);
        QCOMPARE(page->tileText(u"latency"_s), u"—"_s);
        QVERIFY(page->bottleneckText().startsWith(u"This server reports no queue, refusals or handler times"_s));
        QCOMPARE(page->tileText(u"rate"_s), u"0.0"_s); // counted from its totals from now on
    }

private:
    std::optional<test::FakeSession> session;
    std::optional<LoadPage> page;
};

QTEST_MAIN(TestLoadPage)
#include "tst_loadpage.moc"
