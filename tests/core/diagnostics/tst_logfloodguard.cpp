#include "diagnostics/logfloodguard.h"

#include <QLoggingCategory>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

Q_LOGGING_CATEGORY(lcNoisy, "agentdesk.test.noisy")

QStringList g_written;

void capture(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_written.append(message);
}

} // namespace

class tst_LogFloodGuard : public QObject
{
    Q_OBJECT
private slots:
    void aRepeatedMessageIsCutAfterItsBurst();
    void theNextWindowSaysHowManyWereLeftOut();
    void messagesDifferingInNumbersAreOneMessage();
    void otherMessagesAndCategoriesAreNotAffected();
    void fatalMessagesAlwaysPass();
    void manyDistinctMessagesStayBounded();
    void installedItGuardsQtWarnings();
};

void tst_LogFloodGuard::aRepeatedMessageIsCutAfterItsBurst()
{
    LogFloodGuard guard({3, 60000, 512});
    const QString text = u"QIODevice::peek (QTcpSocket): device not open"_s;
    QCOMPARE(guard.admit(QtWarningMsg, "default", text, 0), text);
    QCOMPARE(guard.admit(QtWarningMsg, "default", text, 1), text);
    const auto third = guard.admit(QtWarningMsg, "default", text, 2);
    QVERIFY(third && third->startsWith(text) && third->contains(u"repeated 3 times"_s));
    for (int i = 0; i < 100; ++i)
        QVERIFY(!guard.admit(QtWarningMsg, "default", text, 3 + i));
}

void tst_LogFloodGuard::theNextWindowSaysHowManyWereLeftOut()
{
    LogFloodGuard guard({2, 1000, 512});
    for (int i = 0; i < 12; ++i)
        guard.admit(QtWarningMsg, "api", u"refused"_s, i);
    const auto next = guard.admit(QtWarningMsg, "api", u"refused"_s, 1000);
    QCOMPARE(next, u"refused (10 more like this were not logged in the 1 s before)"_s);
    // The new window starts clean.
    QCOMPARE(guard.admit(QtWarningMsg, "api", u"refused"_s, 1001),
             u"refused (repeated 2 times: more like this are "
             u"counted, not logged, for 1 s)"_s);
}

void tst_LogFloodGuard::messagesDifferingInNumbersAreOneMessage()
{
    LogFloodGuard guard({2, 60000, 512});
    QVERIFY(guard.admit(QtWarningMsg, "ws", u"client 127.0.0.1:40001 refused"_s, 0));
    QVERIFY(guard.admit(QtWarningMsg, "ws", u"client 127.0.0.1:40002 refused"_s, 1));
    QVERIFY(!guard.admit(QtWarningMsg, "ws", u"client 127.0.0.1:51234 refused"_s, 2));
}

void tst_LogFloodGuard::otherMessagesAndCategoriesAreNotAffected()
{
    LogFloodGuard guard({1, 60000, 512});
    QVERIFY(guard.admit(QtWarningMsg, "a", u"one"_s, 0));
    QVERIFY(!guard.admit(QtWarningMsg, "a", u"one"_s, 1));
    QVERIFY(guard.admit(QtWarningMsg, "b", u"one"_s, 2));
    QVERIFY(guard.admit(QtWarningMsg, "a", u"two"_s, 3));
}

void tst_LogFloodGuard::fatalMessagesAlwaysPass()
{
    LogFloodGuard guard({1, 60000, 512});
    for (int i = 0; i < 5; ++i)
        QCOMPARE(guard.admit(QtFatalMsg, "a", u"dying"_s, i), u"dying"_s);
}

void tst_LogFloodGuard::manyDistinctMessagesStayBounded()
{
    LogFloodGuard guard({1, 60000, 16});
    for (int i = 0; i < 1000; ++i)
        QVERIFY(guard.admit(QtWarningMsg, "a", u"message %1"_s.arg(QChar(u'A' + i % 26)) + QString(i / 26, u'x'), i));
    // Still working after forgetting: a message seen once is cut on its second time.
    QVERIFY(guard.admit(QtWarningMsg, "a", u"fresh"_s, 2000));
    QVERIFY(!guard.admit(QtWarningMsg, "a", u"fresh"_s, 2001));
}

void tst_LogFloodGuard::installedItGuardsQtWarnings()
{
    const QtMessageHandler before = qInstallMessageHandler(capture);
    LogFloodGuard guard({5, 60000, 512});
    LogFloodGuard::install(&guard);
    for (int i = 0; i < 300; ++i)
        qCWarning(lcNoisy) << "device not open, client" << i;
    qCWarning(lcNoisy) << "something else";
    qInstallMessageHandler(before);
    QCOMPARE(g_written.size(), 6);
    QCOMPARE(g_written.last(), u"something else"_s);
}

QTEST_GUILESS_MAIN(tst_LogFloodGuard)
#include "tst_logfloodguard.moc"
