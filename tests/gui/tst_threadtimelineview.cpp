// The timeline view over a hand-driven session: the row on show read whole below the tree, Replay and
// Fork through the inject dialog with the message's payload filled in (edited or as it was), the new
// thread announced; and where the server does not offer them (the original), the buttons say so.

#include "fakesession.h"
#include "injectdialog.h"
#include "payloadform.h"
#include "threadtimelinemodel.h"
#include "threadtimelineview.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

const QString kGreetingXsd =
    u"<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" id=\"Greeting\" elementFormDefault=\"qualified\">"
    "<xs:complexType name=\"Greeting\"><xs:sequence>"
    "<xs:element name=\"Name\" type=\"xs:string\"/>"
    "</xs:sequence></xs:complexType>"
    "<xs:element name=\"Greeting\" type=\"Greeting\"/></xs:schema>"_s;

ThreadTrace oneHop()
{
    TraceHop hop;
    hop.message.seq = 4;
    hop.message.id = u"m-4"_s;
    hop.message.threadId = u"t"_s;
    hop.message.from = u"api"_s;
    hop.message.to = u"greeter"_s;
    hop.message.payloadType = u"Greeting"_s;
    hop.message.fields = {{u"name"_s, u"Ada"_s}};
    hop.message.xml = "<Greeting><Name>Ada</Name></Greeting>";
    hop.message.timestamp = QDateTime::currentDateTimeUtc();
    hop.run = HandlerRun{4, hop.message.timestamp, hop.message.timestamp.addMSecs(3), {}};
    ThreadTrace trace;
    trace.thread.id = u"t"_s;
    trace.thread.status = ThreadStatus::Completed;
    trace.hops = {hop};
    trace.totalHops = 1;
    return trace;
}

template <typename T>
T *waitForTopLevel()
{
    T *found = nullptr;
    (void)QTest::qWaitFor(
        [&] {
            for (QWidget *widget : QApplication::topLevelWidgets()) {
                if (auto *candidate = qobject_cast<T *>(widget); candidate && candidate->isVisible())
                    found = candidate;
            }
            return found != nullptr;
        },
        5000);
    return found;
}

} // namespace

class TestThreadTimelineView : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        session.emplace();
        Capability greeter;
        greeter.name = u"greeter"_s;
        greeter.payloadType = u"Greeting"_s;
        greeter.schemaXsd = kGreetingXsd;
        session->snapshot.capabilities = {greeter};
        session->open();
        view.emplace();
        view->setSession(&*session);
        view->setThreadId(u"t"_s);
        view->resize(900, 600);
        view->show();
        QVERIFY(session->answerTimeline(oneHop()));
    }
    void cleanup()
    {
        view.reset();
        session.reset();
    }

    void theRowOnShowIsReadWhole()
    {
        QVERIFY(!view->canBranch()); // nothing selected yet
        QCOMPARE(view->findChild<QPushButton *>(u"forkButton"_s)->toolTip(), u"Select a hop of the timeline first"_s);
        QTreeView *tree = view->tree();
        tree->setCurrentIndex(view->model()->index(0, 0));
        QCOMPARE(view->detailText(), u"<Greeting>\n  <Name>Ada</Name>\n</Greeting>"_s);
        QVERIFY(view->canBranch());
        QVERIFY(view->findChild<QPushButton *>(u"replayButton"_s)->isEnabled());
    }

    void forkThroughTheInjectForm()
    {
        view->tree()->setCurrentIndex(view->model()->index(0, 0));
        QSignalSpy branched(&*view, &ThreadTimelineView::branched);
        session->injectAnswer = InjectedMessage{u"fork-thread"_s, u"m-new"_s};
        view->forkSelected();
        auto *dialog = waitForTopLevel<InjectDialog>();
        QVERIFY(dialog);
        QVERIFY(dialog->isBranch());
        QCOMPARE(dialog->target(), u"greeter"_s);
        auto *name = qobject_cast<QLineEdit *>(dialog->form()->editorAt({u"Name"_s}));
        QVERIFY(name);
        QCOMPARE(name->text(), u"Ada"_s); // the message's payload, ready to edit
        name->setText(u"Grace"_s);
        QPushButton *send = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QCOMPARE(send->text(), u"&Fork"_s);
        send->click();
        QTRY_COMPARE(branched.size(), 1);
        QCOMPARE(branched.first().first().toString(), u"fork-thread"_s);
        QVERIFY(session->lastBranch);
        QCOMPARE(toString(session->lastBranch->kind), u"fork"_s);
        QCOMPARE(session->lastBranch->threadId, u"t"_s);
        QCOMPARE(session->lastBranch->messageId, u"m-4"_s);
        QCOMPARE(session->lastBranch->from, u"operator"_s);
        QCOMPARE(session->lastBranch->fields.value(u"Name"_s).toString(), u"Grace"_s);
        QVERIFY(!session->lastInject); // not an inject
    }

    void notOfferedByTheOriginal()
    {
        session->snapshot.abilities.branchesThreads = false;
        session->close();
        session->open();
        view->tree()->setCurrentIndex(view->model()->index(0, 0));
        QVERIFY(!view->canBranch());
        auto *replay = view->findChild<QPushButton *>(u"replayButton"_s);
        QVERIFY(!replay->isEnabled());
        QCOMPARE(replay->toolTip(), u"This server does not offer replay and fork (they are agentdesk extensions)"_s);
        view->setCommandsEnabled(false);
        QVERIFY(!replay->isEnabled());
    }

private:
    std::optional<test::FakeSession> session;
    std::optional<ThreadTimelineView> view;
};

QTEST_MAIN(TestThreadTimelineView)
#include "tst_threadtimelineview.moc"
