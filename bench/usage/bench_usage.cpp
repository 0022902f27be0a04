// Usage metering rate (issue 4 target: ≥ 200,000 events/s). Prints figures; asserts nothing.
//
//   bench_usage [events=1000000] [runs=5]
//
// 1. tracker: UsageTracker::record with the cost from the PriceTable, as the organism does per LLM call
//    (totals, per agent, per model), over 8 agents and 4 models.
// 2. tracker + history: the same plus HistoryStore::appendUsage, until every event is committed to SQLite.

#include "store/historystore.h"
#include "usage/pricetable.h"
#include "usage/usagetracker.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

QList<UsageEvent> makeEvents(int count)
{
    const QStringList agents{u"greeter"_s, u"planner"_s, u"researcher"_s, u"writer"_s,
                             u"critic"_s,  u"coder"_s,   u"tester"_s,     u"summariser"_s};
    const QStringList models{u"gpt-4o-mini"_s, u"claude-sonnet-4-20250514"_s, u"grok-4.1"_s, u"llama-3-70b"_s};
    QList<UsageEvent> events;
    events.reserve(count);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < count; ++i) {
        UsageEvent event;
        event.timestamp = now.addMSecs(i);
        event.threadId = u"thread-%1"_s.arg(i / 10);
        event.agentId = agents[i % agents.size()];
        event.model = models[i % models.size()];
        event.provider = u"openai"_s;
        event.promptTokens = 100 + i % 900;
        event.completionTokens = 50 + i % 300;
        event.totalTokens = event.promptTokens + event.completionTokens;
        event.latencyMs = 200 + i % 1000;
        events.append(event);
    }
    return events;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 1000000;
    const int runs = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 5;
    const QList<UsageEvent> events = makeEvents(count);
    const PriceTable prices;

    QList<double> trackerRates;
    for (int run = 0; run < runs; ++run) {
        UsageTracker tracker;
        QElapsedTimer clock;
        clock.start();
        for (UsageEvent event : events) {
            event.estimatedCost = prices.cost(event.model, event.promptTokens, event.completionTokens);
            tracker.record(event);
        }
        trackerRates.append(count / (double(clock.nsecsElapsed()) / 1e9));
        if (tracker.snapshot().totals.requestCount != count)
            return 1;
    }
    std::printf("tracker (record + cost): median %.0f events/s over %d runs of %d\n", median(trackerRates), runs,
                count);

    const int stored = std::min(count, 200000);
    QList<double> storeRates;
    for (int run = 0; run < runs; ++run) {
        QTemporaryDir dir;
        HistoryStore store;
        QString error;
        if (!store.open(dir.path(), HistoryConfig{}, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        UsageTracker tracker;
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < stored; ++i) {
            UsageEvent event = events[i];
            event.estimatedCost = prices.cost(event.model, event.promptTokens, event.completionTokens);
            tracker.record(event);
            store.appendUsage(event);
        }
        store.sync(std::chrono::minutes(5));
        storeRates.append(stored / (double(clock.nsecsElapsed()) / 1e9));
    }
    std::printf("tracker + history (SQLite, committed): median %.0f events/s over %d runs of %d\n", median(storeRates),
                runs, stored);
    return 0;
}
