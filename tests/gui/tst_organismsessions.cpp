// The sessions of the window: a connection made, opened, listed and shown (the one already open to a URL
// shown instead of a second), a server the factory cannot serve refused, the one on show closed with
// another shown first (the local one, else the first attached one left), only known sessions shown, and
// the connections of the last close reopened with the key from the environment — never shown by that.

#include "fakesession.h"
#include "organismsessions.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using namespace agentdesk::test;

class TestOrganismSessions : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir settingsDir;
    std::optional<FakeSession> local;
    std::optional<OrganismSessions> sessions;
    QList<std::pair<QUrl, QString>> made; // what the factory was asked for: URL and key
    QList<QPointer<FakeSession>> opened;

    OrganismSessions::Factory factory()
    {
        return [this](const QUrl &url, const QString &apiKey) -> Session * {
            made.append({url, apiKey});
            if (url.scheme() != u"http"_s)
                return nullptr;
            auto *session = new FakeSession;
            session->snapshot.organism.name = url.host();
            opened.append(session);
            return session;
        };
    }

    std::optional<OrganismSessions> &fresh()
    {
        sessions.emplace();
        sessions->setFactory(factory());
        return sessions;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(settingsDir.isValid());
        QCoreApplication::setOrganizationName(u"agentdesk-tests"_s);
        QCoreApplication::setApplicationName(u"tst_organismsessions"_s);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
    }
    void init()
    {
        QSettings().clear();
        made.clear();
        opened.clear();
        local.emplace();
        local->snapshot.organism.name = u"here"_s;
        fresh();
        sessions->setLocal(&*local, u"http://127.0.0.1:8080"_s);
    }
    void cleanup()
    {
        sessions.reset();
        local.reset();
    }

    void aConnectionIsOpenedListedAndShown()
    {
        QSignalSpy current(&*sessions, &OrganismSessions::currentChanged);
        QSignalSpy attached(&*sessions, &OrganismSessions::attachedSession);
        QVERIFY(sessions->connectTo(QUrl(u"http://alpha:8000"_s), u"k1"_s, {}));
        QCOMPARE(made.size(), 1);
        QCOMPARE(made.first().second, u"k1"_s);
        QCOMPARE(attached.size(), 1);
        Session *alpha = sessions->current();
        QVERIFY(alpha);
        QVERIFY(alpha->isConnected()); // opened
        QVERIFY(sessions->isCurrentAttached());
        QCOMPARE(current.last().at(1).toString(), u"http://alpha:8000"_s);
        QCOMPARE(sessions->displayName(alpha), u"alpha"_s);

        // The same server again: the connection already open is shown, no second one is made.
        sessions->showLocal();
        QVERIFY(sessions->connectTo(QUrl(u"http://alpha:8000"_s), u"k1"_s, {}));
        QCOMPARE(made.size(), 1);
        QCOMPARE(sessions->current(), alpha);
        QCOMPARE(sessions->attached().size(), 1);
    }

    void withoutAFactoryNothingConnects()
    {
        sessions.emplace();
        QVERIFY(!sessions->canConnect());
        QVERIFY(!sessions->connectTo(QUrl(u"http://alpha:8000"_s), {}, {}));
        QVERIFY(sessions->attached().isEmpty());
    }

    void aServerTheFactoryCannotServeIsRefused()
    {
        QSignalSpy failed(&*sessions, &OrganismSessions::attachFailed);
        QVERIFY(!sessions->connectTo(QUrl(u"gopher://alpha"_s), {}, {}));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().first().toUrl(), QUrl(u"gopher://alpha"_s));
        QVERIFY(sessions->attached().isEmpty());
        QVERIFY(!sessions->current());
    }

    void closingTheOneOnShowShowsAnotherFirst()
    {
        QVERIFY(sessions->connectTo(QUrl(u"http://alpha:8000"_s), {}, {}));
        QVERIFY(sessions->connectTo(QUrl(u"http://beta:8000"_s), {}, {}));
        Session *alpha = sessions->attached().at(0);
        Session *beta = sessions->attached().at(1);
        QCOMPARE(sessions->current(), beta);

        QStringList order;
        connect(&*sessions, &OrganismSessions::currentChanged, this,
                [&order](Session *, const QString &address) { order << u"show "_s + address; });
        connect(&*sessions, &OrganismSessions::detaching, this,
                [&order, this](Session *session) { order << u"detaching "_s + sessions->apiAddressOf(session); });
        connect(&*sessions, &OrganismSessions::detached, this,
                [&order](const QString &name) { order << u"gone "_s + name; });
        QVERIFY(sessions->detach(beta));
        // The pages move to the local organism before the session goes.
        QCOMPARE(order,
                 (QStringList{u"show http://127.0.0.1:8080"_s, u"detaching http://beta:8000"_s, u"gone beta"_s}));
        QCOMPARE(opened.at(1), nullptr); // destroyed
        QCOMPARE(sessions->attached(), QList<Session *>{alpha});

        // Without a local organism, the first attached one left takes the pages.
        QVERIFY(sessions->connectTo(QUrl(u"http://gamma:8000"_s), {}, {}));
        sessions->setLocal(nullptr, {});
        QVERIFY(sessions->detach(sessions->current()));
        QCOMPARE(sessions->current(), alpha);
        QVERIFY(!sessions->detach(&*local)); // not attached: not this one's to close
    }

    void onlyKnownSessionsAreShown()
    {
        FakeSession stranger;
        QSignalSpy current(&*sessions, &OrganismSessions::currentChanged);
        QVERIFY(!sessions->show(&stranger));
        QVERIFY(!sessions->show(nullptr));
        QVERIFY(sessions->show(&*local));
        QVERIFY(!sessions->show(&*local)); // on show already
        QCOMPARE(current.size(), 1);
        QCOMPARE(current.first().at(1).toString(), u"http://127.0.0.1:8080"_s);
        QCOMPARE(sessions->apiAddressOf(&stranger), QString());
    }

    void theLastConnectionsAreReopenedWithTheirKeyFromTheEnvironment()
    {
        QVERIFY(sessions->connectTo(QUrl(u"http://alpha:8000"_s), u"typed"_s, u"AGENTDESK_TST_KEY"_s));
        QVERIFY(sessions->connectTo(QUrl(u"http://beta:8000"_s), u"typed once"_s, {}));
        fresh(); // the next start
        made.clear();
        qputenv("AGENTDESK_TST_KEY", "from-env");
        QSignalSpy current(&*sessions, &OrganismSessions::currentChanged);
        sessions->reopenRemembered();
        qunsetenv("AGENTDESK_TST_KEY");
        QCOMPARE(made.size(), 2);
        QCOMPARE(made.at(0), std::make_pair(QUrl(u"http://alpha:8000"_s), u"from-env"_s));
        QCOMPARE(made.at(1), std::make_pair(QUrl(u"http://beta:8000"_s), QString())); // a typed key is never kept
        QCOMPARE(sessions->attached().size(), 2);
        QCOMPARE(current.size(), 0);  // opened beside, not shown
        sessions->reopenRemembered(); // once only
        QCOMPARE(made.size(), 2);
    }

    void reconnectOpensTheConnectionAgain()
    {
        local->open();
        QVERIFY(local->isConnected());
        QSignalSpy states(&*local, &Session::stateChanged);
        OrganismSessions::reconnect(&*local);
        QVERIFY(local->isConnected());
        QVERIFY(states.size() >= 2); // down, then up again
    }
};

QTEST_MAIN(TestOrganismSessions)
#include "tst_organismsessions.moc"
