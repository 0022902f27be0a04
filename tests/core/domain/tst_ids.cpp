// newTimeOrderedId: UUIDv7 (RFC 9562) — the version and variant bits every client checks, the order the
// history's indexes rely on, the embedded time, and uniqueness when several threads make ids at once.

#include "domain/ids.h"

#include <QDateTime>
#include <QSet>
#include <QTest>
#include <QUuid>

#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

// The 48-bit Unix millisecond timestamp in the first 12 hex digits.
quint64 embeddedMs(const QString &id)
{
    QString hex = id.left(13);
    hex.remove(u'-');
    bool ok = false;
    const quint64 ms = hex.toULongLong(&ok, 16);
    return ok ? ms : 0;
}

} // namespace

class tst_Ids : public QObject
{
    Q_OBJECT
private slots:
    void versionAndVariant();
    void ordersWithinOneMillisecond();
    void embedsTheTimeOfMaking();
    void uniqueAcrossThreads();
};

void tst_Ids::versionAndVariant()
{
    for (int i = 0; i < 1000; ++i) {
        const QString id = newTimeOrderedId();
        QCOMPARE(id.size(), 36); // canonical 8-4-4-4-12, no braces
        const QUuid uuid(id);
        QVERIFY2(!uuid.isNull(), qPrintable(id));
        QCOMPARE(uuid.toString(QUuid::WithoutBraces), id);                  // lower-case canonical text
        QCOMPARE(id.at(14), u'7');                                          // version nibble
        QVERIFY2(QStringView(u"89ab").contains(id.at(19)), qPrintable(id)); // variant bits 10xx
        QCOMPARE(uuid.data3 >> 12, 7); // (Qt 6.4's QUuid::version() knows versions up to 5 only)
        QCOMPARE(uuid.variant(), QUuid::DCE);
    }
}

void tst_Ids::ordersWithinOneMillisecond()
{
    // Far more ids than fit in one millisecond's 12-bit counter: the counter overflows into the timestamp
    // several times, and the order must survive each overflow.
    constexpr int count = 50000;
    QStringList ids;
    ids.reserve(count);
    for (int i = 0; i < count; ++i)
        ids.append(newTimeOrderedId());
    int sameMillisecond = 0;
    for (int i = 1; i < count; ++i) {
        QVERIFY2(ids[i - 1] < ids[i], qPrintable(u"#%1: %2 !< %3"_s.arg(i).arg(ids[i - 1], ids[i])));
        if (embeddedMs(ids[i - 1]) == embeddedMs(ids[i]))
            ++sameMillisecond;
    }
    // The point of the test is ids that share a millisecond; make sure it saw them.
    QVERIFY2(sameMillisecond > count / 2, qPrintable(QString::number(sameMillisecond)));
}

void tst_Ids::embedsTheTimeOfMaking()
{
    // Each thread's counter starts below 0x200 in a new millisecond, so one millisecond holds at least
    // 0xe00 ids before the timestamp is advanced ahead of the clock: making `count` ids can put the last
    // one at most count / 0xe00 ms ahead of the clock.
    constexpr int count = 20000;
    const quint64 before = quint64(QDateTime::currentMSecsSinceEpoch());
    QList<quint64> stamps;
    stamps.reserve(count);
    for (int i = 0; i < count; ++i)
        stamps.append(embeddedMs(newTimeOrderedId()));
    const quint64 after = quint64(QDateTime::currentMSecsSinceEpoch());
    const quint64 overflowAdvance = count / 0xe00 + 1;
    // An earlier test function on this thread may have pushed the timestamp ahead already.
    const quint64 earlierAdvance = 50000 / 0xe00 + 1;
    for (quint64 ms : std::as_const(stamps)) {
        QVERIFY2(ms >= before, qPrintable(u"%1 < %2"_s.arg(ms).arg(before)));
        QVERIFY2(ms <= after + overflowAdvance + earlierAdvance, qPrintable(u"%1 > %2"_s.arg(ms).arg(after)));
    }
    // The first id a thread makes carries the clock's time exactly (no counter has advanced it yet).
    quint64 t0 = 0, ms = 0, t1 = 0;
    std::thread fresh([&] {
        t0 = quint64(QDateTime::currentMSecsSinceEpoch());
        ms = embeddedMs(newTimeOrderedId());
        t1 = quint64(QDateTime::currentMSecsSinceEpoch());
    });
    fresh.join();
    QVERIFY2(ms >= t0 && ms <= t1, qPrintable(u"%1 not in [%2, %3]"_s.arg(ms).arg(t0).arg(t1)));
}

void tst_Ids::uniqueAcrossThreads()
{
    constexpr int threads = 4;
    constexpr int perThread = 20000;
    std::vector<QStringList> made(threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&list = made[t]] {
            list.reserve(perThread);
            for (int i = 0; i < perThread; ++i)
                list.append(newTimeOrderedId());
        });
    }
    for (std::thread &worker : workers)
        worker.join();

    QSet<QString> all;
    for (const QStringList &list : made) {
        // Each thread's own ids are in order.
        for (qsizetype i = 1; i < list.size(); ++i)
            QVERIFY2(list[i - 1] < list[i], qPrintable(list[i - 1] + u" !< "_s + list[i]));
        for (const QString &id : list)
            all.insert(id);
    }
    QCOMPARE(all.size(), threads * perThread);
}

QTEST_GUILESS_MAIN(tst_Ids)
#include "tst_ids.moc"
