// The Usage page's filters over a hand-driven session: the agents and models to choose from, a choice
// asking the history again with the filter and sifting the calls as they come (the chart and the
// range's sums follow), and a server that records no outcome (the original) with that filter disabled
// and saying why, never a chart silently wider than the filters say.

#include "fakesession.h"
#include "tokenrateseries.h"
#include "usagefilterbar.h"
#include "usagepage.h"

#include <QComboBox>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QDateTime kNow(QDate(2026, 2, 10), QTime(12, 14, 30), Qt::UTC); // the series' clock

UsageEvent call(const QString &agent, const QString &model, qint64 tokens, UsageOutcome outcome = UsageOutcome::Ok)
{
    UsageEvent event;
    event.timestamp = kNow.addSecs(10);
    event.agentId = agent;
    event.model = model;
    event.totalTokens = tokens;
    event.promptTokens = tokens;
    event.outcome = outcome;
    event.estimatedCost = 0.01;
    return event;
}

UsageCounters counters(const QString &key)
{
    UsageCounters entry;
    entry.key = key;
    entry.requestCount = 1;
    return entry;
}

QStringList choices(const QComboBox *combo)
{
    QStringList names;
    for (int i = 1; i < combo->count(); ++i) // after "all"
        names.append(combo->itemData(i).toString());
    return names;
}

} // namespace

class TestUsageFilters : public QObject
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
        session->snapshot.agents = {greeter, shouter};
        session->snapshot.usage.byAgent = {counters(u"greeter"_s)};
        session->snapshot.usage.byModel = {counters(u"demo-1"_s)};
        page.emplace();
        page->setSession(&*session, nullptr);
        session->open();
        page->series()->setClock([] { return kNow; });
        while (session->answerBuckets({})) { }
    }
    void cleanup()
    {
        page.reset();
        session.reset();
    }

    void choicesComeFromTheOrganismAndItsCalls()
    {
        UsageFilterBar *filters = page->filterBar();
        QCOMPARE(choices(filters->agentCombo()), (QStringList{u"greeter"_s, u"shouter"_s}));
        QCOMPARE(choices(filters->modelCombo()), QStringList{u"demo-1"_s});
        emit session->usageRecorded({call(u"writer"_s, u"grok-4"_s, 10)});
        QCOMPARE(choices(filters->agentCombo()), (QStringList{u"greeter"_s, u"shouter"_s, u"writer"_s}));
        QCOMPARE(choices(filters->modelCombo()), (QStringList{u"demo-1"_s, u"grok-4"_s}));
        QVERIFY(filters->outcomeCombo()->isEnabled());
        QCOMPARE(filters->outcomeCombo()->count(), 5); // all, ok, unusable, error, aborted
    }

    void aChoiceFiltersTheChartAndTheSums()
    {
        UsageFilterBar *filters = page->filterBar();
        filters->agentCombo()->setCurrentIndex(filters->agentCombo()->findData(u"greeter"_s));
        filters->outcomeCombo()->setCurrentIndex(filters->outcomeCombo()->findData(int(UsageOutcome::Error)));
        QCOMPARE(page->series()->filter(), (UsageSeriesFilter{u"greeter"_s, {}, UsageOutcome::Error}));
        QVERIFY(!session->bucketCalls.isEmpty());
        QCOMPARE(session->bucketCalls.last().filter, (UsageSeriesFilter{u"greeter"_s, {}, UsageOutcome::Error}));
        while (session->answerBuckets({})) { }
        emit session->usageRecorded({call(u"greeter"_s, u"demo-1"_s, 40, UsageOutcome::Error),
                                     call(u"greeter"_s, u"demo-1"_s, 500),
                                     call(u"shouter"_s, u"demo-1"_s, 7, UsageOutcome::Error)});
        QCOMPARE(page->series()->totalTokens(), 40);
        QCOMPARE(page->rangeSummaryText(), u"In this range, filtered: 40 tokens · 1 calls · $0.0100"_s);

        filters->setFilter({}); // back to every call: read again, unfiltered
        QVERIFY(session->bucketCalls.last().filter.isEmpty());
        QVERIFY(page->rangeSummaryText().isEmpty() || page->rangeSummaryText().startsWith(u"In this range:"_s));
    }

    void aServerWithoutOutcomesDisablesThatFilter()
    {
        page->filterBar()->setFilter({{}, {}, UsageOutcome::Aborted});
        QCOMPARE(page->series()->filter().outcome, std::optional(UsageOutcome::Aborted));
        session->close();
        session->snapshot.abilities.filtersUsageOutcome = false;
        session->open();
        QComboBox *outcome = page->filterBar()->outcomeCombo();
        QVERIFY(!outcome->isEnabled());
        QCOMPARE(outcome->currentIndex(), 0); // "All outcomes", as the chart counts them
        QVERIFY(outcome->toolTip().startsWith(u"This server records no outcome of its calls"_s));
        QVERIFY(!page->series()->filter().outcome);
        QVERIFY(!session->bucketCalls.isEmpty());
        QVERIFY(!session->bucketCalls.last().filter.outcome);
        // The agent and model filters still work there.
        page->filterBar()->modelCombo()->setCurrentIndex(1);
        QCOMPARE(session->bucketCalls.last().filter.model, u"demo-1"_s);
    }

private:
    std::optional<test::FakeSession> session;
    std::optional<UsagePage> page;
};

QTEST_MAIN(TestUsageFilters)
#include "tst_usagefilters.moc"
