// Day and month budgets start again at 00:00 UTC (UsageLedger's roll-over timer): a test that spends from
// one and reads the figure back must not straddle that moment, or it reads a fresh period's zero.
#pragma once

#include <QDateTime>
#include <QTest>

namespace agentdesk::test {

// Waits out midnight UTC when it is closer than the margin; costs nothing the rest of the day.
inline void keepClearOfMidnightUtc(int marginMs = 30000)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 left = now.msecsTo(QDateTime(now.date().addDays(1), QTime(0, 0), Qt::UTC));
    if (left < marginMs)
        QTest::qWait(int(left) + 100);
}

} // namespace agentdesk::test
