// SessionBanner: what the strip above the pages says in each situation, and what its button offers.
#include "sessionbanner.h"

#include "fakesession.h"

#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeSession;

class tst_SessionBanner : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void noOrganismOffersStart();
    void startingAndStartFailure();
    void goneConnectionOffersReconnect();
    void runningLocalOrganismHidesIt();
    void stoppedAndStopping();
    void historyProblemIsShown();
    void remoteOrganismIsAlwaysShownInItsOwnStyle();

private:
    std::unique_ptr<FakeSession> connectedSession(OrganismStatus status = OrganismStatus::Running);
    QString buttonText() const { return m_button->isHidden() ? QString() : m_button->text(); }

    std::unique_ptr<QFrame> m_frame;
    QLabel *m_label = nullptr;
    QPushButton *m_button = nullptr;
    std::unique_ptr<SessionBanner> m_banner;
};

void tst_SessionBanner::init()
{
    m_frame = std::make_unique<QFrame>();
    m_label = new QLabel(m_frame.get());
    m_button = new QPushButton(m_frame.get());
    m_banner = std::make_unique<SessionBanner>(m_frame.get(), m_label, m_button);
}

void tst_SessionBanner::cleanup()
{
    m_banner.reset();
    m_frame.reset();
}

std::unique_ptr<FakeSession> tst_SessionBanner::connectedSession(OrganismStatus status)
{
    auto session = std::make_unique<FakeSession>();
    session->snapshot.organism.name = u"demo"_s;
    session->snapshot.organism.status = status;
    session->open();
    return session;
}

void tst_SessionBanner::noOrganismOffersStart()
{
    QSignalSpy triggered(m_banner.get(), &SessionBanner::actionTriggered);
    m_banner->show({.canStart = true});
    QVERIFY(m_banner->isVisible());
    QCOMPARE(m_banner->text(), u"No organism is running."_s);
    QCOMPARE(buttonText(), u"&Start"_s);
    m_button->click();
    QCOMPARE(triggered.size(), 1);
    QCOMPARE(triggered.first().first().value<SessionBanner::Action>(), SessionBanner::Action::Start);

    m_banner->show({.canStart = false});
    QVERIFY(buttonText().isEmpty()); // nothing to offer: no way to start it from here
}

void tst_SessionBanner::startingAndStartFailure()
{
    m_banner->show({.starting = true, .canStart = false});
    QCOMPARE(m_banner->text(), u"Starting the organism…"_s);
    QVERIFY(buttonText().isEmpty());

    m_banner->show({.startError = u"port 8080 is taken"_s, .canStart = true});
    QCOMPARE(m_banner->text(), u"The organism could not start: port 8080 is taken"_s);
    QCOMPARE(buttonText(), u"&Start"_s);
}

void tst_SessionBanner::goneConnectionOffersReconnect()
{
    FakeSession session; // never opened: disconnected
    m_banner->show({.session = &session, .attached = true, .where = u"http://10.0.0.5:8080"_s});
    QCOMPARE(m_banner->text(), u"Not connected to http://10.0.0.5:8080."_s);
    QCOMPARE(buttonText(), u"&Reconnect"_s);
    QCOMPARE(m_banner->style(), SessionBanner::Style::Warning);
}

void tst_SessionBanner::runningLocalOrganismHidesIt()
{
    const auto session = connectedSession();
    QVERIFY(session->isConnected());
    m_banner->show({.canStart = true}); // first something to hide
    m_banner->show({.session = session.get(), .where = u"local"_s});
    QVERIFY(!m_banner->isVisible());
    QVERIFY(m_banner->text().isEmpty());
}

void tst_SessionBanner::stoppedAndStopping()
{
    const auto stopping = connectedSession(OrganismStatus::Stopping);
    m_banner->show({.session = stopping.get()});
    QCOMPARE(m_banner->text(), u"The organism is stopping: work in flight is allowed to finish."_s);

    const auto stopped = connectedSession(OrganismStatus::Stopped);
    m_banner->show({.session = stopped.get(), .canStart = true});
    QCOMPARE(m_banner->text(), u"The organism is stopped."_s);
    QCOMPARE(buttonText(), u"&Start"_s);
}

void tst_SessionBanner::historyProblemIsShown()
{
    auto session = std::make_unique<FakeSession>();
    session->snapshot.organism.status = OrganismStatus::Running;
    session->snapshot.organism.historyProblem = u"disk full"_s;
    session->open();
    m_banner->show({.session = session.get()});
    QVERIFY(m_banner->text().startsWith(u"The history cannot store new messages"_s));
    QVERIFY(m_banner->text().endsWith(u"disk full"_s));
}

void tst_SessionBanner::remoteOrganismIsAlwaysShownInItsOwnStyle()
{
    QSignalSpy triggered(m_banner.get(), &SessionBanner::actionTriggered);
    const auto session = connectedSession();
    m_banner->show({.session = session.get(), .attached = true, .where = u"http://10.0.0.5:8080"_s});
    QVERIFY(m_banner->isVisible());
    QCOMPARE(m_banner->style(), SessionBanner::Style::Remote);
    QCOMPARE(m_banner->text(),
             u"Remote: the organism “demo” at http://10.0.0.5:8080 (agentdesk). Every command acts on that server."_s);
    QCOMPARE(buttonText(), u"Back to the &local organism"_s);
    m_button->click();
    QCOMPARE(triggered.first().first().value<SessionBanner::Action>(), SessionBanner::Action::Local);

    // The original AgentServer's pause, kill and stop change only labels: the banner says so.
    auto original = std::make_unique<FakeSession>();
    original->snapshot.organism.name = u"legacy"_s;
    original->snapshot.organism.status = OrganismStatus::Stopping;
    original->snapshot.abilities.pauseHoldsWork = false;
    original->snapshot.abilities.stopStopsWork = false;
    original->open();
    m_banner->show({.session = original.get(), .attached = true, .where = u"http://old:8080"_s});
    QVERIFY(m_banner->text().contains(u"the original AgentServer"_s));
    QVERIFY(m_banner->text().endsWith(u"It says “stopping”, but that is only a label: it goes on working."_s));
}

QTEST_MAIN(tst_SessionBanner)
#include "tst_sessionbanner.moc"
