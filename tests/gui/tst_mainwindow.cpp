// The window over a real organism running on its own thread (the engine thread, as in the application),
// seen through a LocalSession: inject through the dialog and see the message in the log and the thread
// list; pause and resume an agent; kill a thread; raise the budget of a thread held at exhaustion;
// filter the messages and the threads; stop; attach to another organism and lose it; settings survive.

#include "helloworldyaml.h"
#include "resultvalue.h"
#include "agentmodel.h"
#include "agentspage.h"
#include "alertcenter.h"
#include "budgetbar.h"
#include "budgetdialog.h"
#include "fakeoriginalserver.h"
#include "injectdialog.h"
#include "localsession.h"
#include "mainwindow.h"
#include "messagelogmodel.h"
#include "messagespage.h"
#include "payloadform.h"
#include "remotesession.h"
#include "usagecountersmodel.h"
#include "statusheader.h"
#include "historywritelock.h"
#include "store/historystore.h"
#include "testengine.h"
#include "threadlabels.h"
#include "threadmodel.h"
#include "threadspage.h"
#include "translations.h"
#include "usagepage.h"
#include "injectandwait.h"
#include "organismhistory.h"

#include <QAction>
#include <QLabel>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QMessageBox>
#include <QStatusBar>
#include <QToolButton>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::TestEngine;

namespace {

// greeter → shouter → response-handler (built-ins); writer → editor → done (LLM agents on the scripted
// client: one call spends 1,100 of the thread's 1,000 tokens, so the editor's call is held).
const QByteArray kConfig = test::HelloWorldYaml("gui-test")
                               .settings("max_tokens_per_thread: 1000\n")
                               .payloads(R"(  Draft: {text: string}
  Review: {text: string}
  Done: {text: string}
  Tally:
    count: integer
    ratio: decimal
    final: boolean
    note: string?
)")
                               .listeners(R"(  - name: writer
    description: Writes a draft
    payload_class: Draft
    agent: true
    model: fake-1
    prompt: You write.
    peers: [editor]
  - name: editor
    description: Reviews the draft
    payload_class: Review
    agent: true
    model: fake-1
    prompt: You edit.
    peers: [done]
  - name: done
    description: Receives the final text
    payload_class: Done
    handler: builtin:sink
  - name: counter
    description: Takes numbers
    payload_class: Tally
    handler: builtin:sink
)")
                               .text();

InjectRequest greeting(const QString &name)
{
    InjectRequest request;
    request.to = u"greeter"_s;
    request.fields.insert(u"name"_s, name);
    return request;
}

// "from>to:Type" for every row of a message table.
QStringList rows(const MessageTableModel *model)
{
    QStringList lines;
    for (int row = 0; row < model->rowCount(); ++row) {
        const MessageRecord message = model->message(row);
        lines << u"%1>%2:%3"_s.arg(message.from, message.to, message.payloadType);
    }
    return lines;
}

QPushButton *button(QWidget *parent, const QString &name)
{
    return parent->findChild<QPushButton *>(name);
}

// The question a command asks first (askToConfirm), once it is on screen.
QMessageBox *question(QWidget *window, const QString &name)
{
    QMessageBox *box = nullptr;
    if (!QTest::qWaitFor([&] { return (box = window->findChild<QMessageBox *>(name)) != nullptr && box->isVisible(); }))
        return nullptr;
    return box;
}

void answer(QMessageBox *box, bool confirm)
{
    QVERIFY(box);
    QAbstractButton *choice = confirm
        ? static_cast<QAbstractButton *>(box->findChild<QPushButton *>(box->objectName() + u"Button"_s))
        : box->button(QMessageBox::Cancel);
    QVERIFY(choice);
    choice->click();
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    InjectResult injectThroughSession(const InjectRequest &request)
    {
        std::optional<InjectResult> result;
        session->inject(request, this, [&result](const InjectResult &r) { result = r; });
        [&] { QTRY_VERIFY(result.has_value()); }();
        return result.value_or(InjectResult{});
    }
    bool pauseThroughSession(const QString &agent)
    {
        std::optional<Result<>> result;
        session->pauseAgent(agent, this, [&result](const Result<> &r) { result = r; });
        [&] { QTRY_VERIFY(result.has_value()); }();
        return result && result->has_value();
    }
    QString stateOf(const QString &agent) const
    {
        const auto info = session->agent(agent);
        return info ? toString(info->state) : u"unknown"_s;
    }
    QString threadStatus(const QString &threadId)
    {
        std::optional<ThreadInfo> found;
        bool answered = false;
        session->fetchThread(threadId, this, [&](const Result<ThreadInfo> &threadResult) {
            const std::optional<ThreadInfo> thread = test::valueOf(threadResult);
            found = thread;
            answered = true;
        });
        if (!QTest::qWaitFor([&] { return answered; }))
            return u"no answer"_s;
        return found ? toString(found->status) : u"unknown"_s;
    }
    QAction *action(const QString &name) const { return window->findChild<QAction *>(name); }
    // A held thread: the writer's call spends the whole budget, the editor's call is refused.
    QString heldThread()
    {
        engine->call([this](Organism &) {
            engine->llm()->promptTokens = 600;
            engine->llm()->completionTokens = 500;
            engine->llm()->replies = {u"<Review><Text>draft</Text></Review>"_s};
            engine->llm()->defaultReply = u"<Done><Text>final</Text></Done>"_s;
        });
        InjectRequest draft;
        draft.to = u"writer"_s;
        draft.fields.insert(u"text"_s, u"go"_s);
        const InjectResult result = injectThroughSession(draft);
        if (!result.has_value())
            return {};
        const bool held = QTest::qWaitFor([&] {
            const auto budget = session->budget(result->threadId);
            return budget && budget->isExhausted() && stateOf(u"editor"_s) == u"waiting";
        });
        return held ? result->threadId : QString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(settingsDir.isValid());
        QCoreApplication::setOrganizationName(u"agentdesk-tests"_s);
        QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
        translations::install(QLocale(QLocale::English, QLocale::UnitedStates)); // the plural forms
    }

    void init()
    {
        QSettings().clear();
        QVERIFY(dir.emplace().isValid());
        engine.emplace(TestEngine::Threading::OwnThread);
        QString error;
        QVERIFY2(engine->start(kConfig, dir->path(), &error), qPrintable(error));
        session.emplace(engine->organism());
        window.emplace();
        window->setLocalStartable(true);
        window->setLocalSession(&*session, u"http://127.0.0.1:0"_s);
        session->open();
        QTRY_VERIFY(session->isConnected());
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(&*window));
        QTRY_VERIFY(window->areCommandsEnabled());
    }

    void cleanup()
    {
        window.reset();
        session.reset();
        engine.reset();
        dir.reset();
    }

    void showsTheOrganism()
    {
        auto *header = window->findChild<StatusHeader *>();
        QVERIFY(header);
        QCOMPARE(header->organismText(), u"gui-test"_s);
        QVERIFY(header->statusText().contains(u"running"_s));
        QCOMPARE(header->valueText(u"api"_s), u"http://127.0.0.1:0"_s);
        QVERIFY(!window->isBannerVisible());
        QCOMPARE(window->agentsPage()->table()->model()->rowCount(), 7);
        QVERIFY(window->windowTitle().contains(u"gui-test"_s));
    }

    void saturationAndAFailingHistoryShow()
    {
        auto *header = window->findChild<StatusHeader *>();
        // A backlog: the header shows the queue against max_queue_depth.
        engine->call([](Organism &organism) {
            organism.pauseAgent(u"greeter"_s);
            InjectRequest request;
            request.to = u"greeter"_s;
            request.fields.insert(u"name"_s, u"Ada"_s);
            return test::injectAndWait(organism, request).has_value();
        });
        QTRY_VERIFY2(header->statusText().contains(u"queue 1/"_s), qPrintable(header->statusText()));

        // The history cannot commit (another connection holds its write lock): a banner says why.
        const QString path = engine->call(
            [](Organism &organism) { return test::historyStoreOf(organism)->databasePath(); });
        auto lock = std::make_unique<test::HistoryWriteLock>(path);
        QVERIFY(lock->take());
        engine->call([](Organism &organism) {
            InjectRequest request;
            request.to = u"greeter"_s;
            request.fields.insert(u"name"_s, u"Bo"_s);
            organism.injectAcknowledged(request, nullptr, [](const InjectResult &) {});
            return true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(window->bannerText().contains(u"cannot store new messages"_s), 60000);
        QVERIFY2(window->bannerText().contains(u"locked"_s), qPrintable(window->bannerText()));
        QVERIFY(lock->release());
        lock.reset();
        QTRY_VERIFY_WITH_TIMEOUT(!window->isBannerVisible(), 30000);
    }

    void injectThroughTheDialog()
    {
        window->showPage(MainWindow::Page::Messages);
        QPointer<InjectDialog> dialog = window->openInjectDialog(u"greeter"_s);
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        auto *name = qobject_cast<QLineEdit *>(dialog->form()->editorAt({u"Name"_s}));
        QVERIFY(name);
        QTest::keyClicks(name, u"Ada"_s);
        QCOMPARE(dialog->request().fields, (QVariantMap{{u"Name"_s, u"Ada"_s}}));
        QPushButton *send = dialog->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok);
        QVERIFY(send->isEnabled());
        QTest::mouseClick(send, Qt::LeftButton);
        QTRY_VERIFY(!dialog); // accepted and closed once the organism took it

        // The log shows the conversation, newest first; the thread list has the thread.
        const auto *log = window->messagesPage()->model();
        QTRY_COMPARE(rows(log),
                     (QStringList{u"shouter>response-handler:ShoutedResponse"_s, u"greeter>shouter:GreetingResponse"_s,
                                  u"operator>greeter:Greeting"_s}));
        const QString threadId = log->message(0).threadId;
        QVERIFY(log->message(1).xml.contains("Hello, Ada!"));
        QAbstractItemModel *threads = window->threadsPage()->table()->model();
        QTRY_COMPARE(threads->rowCount(), 1);
        QTRY_COMPARE(threads->index(0, ThreadModel::StatusColumn).data().toString(), u"completed"_s);
        QCOMPARE(threads->index(0, ThreadModel::ParticipantsColumn).data().toString(),
                 u"operator, greeter, shouter, response-handler"_s);

        // Selecting the message shows it as indented XML and as fields.
        window->messagesPage()->table()->selectRow(1);
        QCOMPARE(window->messagesPage()->detailXml(),
                 u"<GreetingResponse>\n  <Message>Hello, Ada!</Message>\n  <OriginalSender>operator</OriginalSender>\n"
                 "</GreetingResponse>"_s);
        QCOMPARE(window->messagesPage()->detailFields(),
                 (QStringList{u"message = Hello, Ada!"_s, u"original_sender = operator"_s}));

        // With a thread id the message continues that conversation instead of starting one.
        dialog = window->openInjectDialog(u"greeter"_s);
        QTest::keyClicks(qobject_cast<QLineEdit *>(dialog->form()->editorAt({u"Name"_s})), u"Ada again"_s);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"threadEdit"_s), threadId);
        QTest::mouseClick(dialog->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok),
                          Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QTRY_COMPARE(log->rowCount(), 6);
        QCOMPARE(log->message(2).threadId, threadId);
        QTRY_COMPARE(threads->index(0, ThreadModel::MessagesColumn).data().toString(), u"6"_s);
        QCOMPARE(threads->rowCount(), 1);
    }

    void theFormChecksTypesAsYouType()
    {
        QPointer<InjectDialog> dialog = window->openInjectDialog(u"counter"_s);
        QVERIFY(dialog);
        PayloadForm *form = dialog->form();
        auto *count = qobject_cast<QLineEdit *>(form->editorAt({u"Count"_s}));
        auto *ratio = qobject_cast<QLineEdit *>(form->editorAt({u"Ratio"_s}));
        QVERIFY(count && ratio);
        QPushButton *send = dialog->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok);
        QVERIFY(!send->isEnabled()); // count and ratio are required

        QTest::keyClicks(count, u"4x2"_s); // the letter never lands
        QCOMPARE(count->text(), u"42"_s);
        QTest::keyClicks(ratio, u"0.5e"_s); // a decimal on its way: not yet acceptable
        QVERIFY(!send->isEnabled());
        QCOMPARE(form->problem(), u"Ratio: enter a number"_s);
        QTest::keyClicks(ratio, u"1"_s);
        QTRY_VERIFY(send->isEnabled());
        QCOMPARE(form->fields(), (QVariantMap{{u"Count"_s, qlonglong(42)}, {u"Ratio"_s, 5.0}, {u"Final"_s, false}}));

        QTest::mouseClick(send, Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QTRY_VERIFY(rows(window->messagesPage()->model()).contains(u"operator>counter:Tally"_s));
        const MessageRecord tally = window->messagesPage()->model()->message(0);
        QCOMPARE(tally.fields.value(u"count"_s).toLongLong(), 42);
        QCOMPARE(tally.fields.value(u"final"_s).toBool(), false);
        // The fields in the payload type's own order, not sorted by name.
        window->messagesPage()->table()->selectRow(0);
        QCOMPARE(window->messagesPage()->detailFields(),
                 (QStringList{u"count = 42"_s, u"ratio = 5"_s, u"final = false"_s}));
    }

    void refusalsStayInTheDialog()
    {
        // Raw XML that leaves out a required field is refused before it is sent.
        QPointer<InjectDialog> dialog = window->openInjectDialog(u"greeter"_s,
                                                                 u"<Greeting><Nickname>x</Nickname></Greeting>"_s);
        QVERIFY(dialog);
        QVERIFY(dialog->isRawMode());
        QPushButton *send = dialog->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok);
        QVERIFY(!send->isEnabled());
        dialog->send();
        QCOMPARE(dialog->errorText(), u"Name is required"_s);
        // What passes that check but not the organism's schema: the organism's refusal, the dialog open.
        dialog->setRawXml(u"<Greeting><Name>x</Name><Nickname>y</Nickname></Greeting>"_s);
        QVERIFY(send->isEnabled());
        dialog->send();
        QTRY_VERIFY(dialog->errorText().startsWith(u"Invalid payload"_s));
        QVERIFY(dialog->isVisible());

        dialog->close();

        // A number the form accepts but the organism cannot hold: refused, the field marked and focused.
        dialog = window->openInjectDialog(u"counter"_s);
        QVERIFY(dialog);
        auto *count = qobject_cast<QLineEdit *>(dialog->form()->editorAt({u"Count"_s}));
        QTest::keyClicks(count, u"99999999999999999999999"_s);
        QTest::keyClicks(qobject_cast<QLineEdit *>(dialog->form()->editorAt({u"Ratio"_s})), u"1"_s);
        dialog->send();
        QTRY_VERIFY(!dialog->errorText().isEmpty());
        QVERIFY2(dialog->errorText().contains(u"count"_s), qPrintable(dialog->errorText()));
        QVERIFY(dialog->isVisible());
        QVERIFY(count->property("invalid").toBool());
        QTRY_VERIFY(count->hasFocus());
        dialog->close();
    }

    void pauseAndResumeAnAgent()
    {
        AgentsPage *agents = window->agentsPage();
        QVERIFY(agents->selectAgent(u"greeter"_s));
        QPushButton *pause = button(agents, u"pauseButton"_s);
        QPushButton *resume = button(agents, u"resumeButton"_s);
        QVERIFY(pause->isEnabled());
        QVERIFY(!resume->isEnabled());
        QTest::mouseClick(pause, Qt::LeftButton);
        QTRY_COMPARE(stateOf(u"greeter"_s), u"paused"_s);
        const QModelIndex state = agents->table()->model()->index(0, AgentModel::StateColumn);
        QTRY_COMPARE(state.data().toString(), u"paused"_s);
        QTRY_VERIFY(resume->isEnabled());
        QVERIFY(!pause->isEnabled());

        // Work waits while paused…
        QVERIFY(injectThroughSession(greeting(u"Bob"_s)).has_value());
        QTRY_COMPARE(session->agent(u"greeter"_s)->queueDepth, 1);
        QTRY_COMPARE(agents->table()->model()->index(0, AgentModel::QueueDepthColumn).data().toString(), u"1"_s);

        // …and flows on resume.
        QTest::mouseClick(resume, Qt::LeftButton);
        QTRY_COMPARE(stateOf(u"greeter"_s), u"idle"_s);
        QTRY_COMPARE(rows(window->messagesPage()->model()).size(), 3);
    }

    void killAThread()
    {
        QVERIFY(pauseThroughSession(u"greeter"_s));
        QTRY_COMPARE(stateOf(u"greeter"_s), u"paused"_s);
        const InjectResult waiting = injectThroughSession(greeting(u"Cy"_s));
        QVERIFY(waiting.has_value());
        window->showPage(MainWindow::Page::Threads);
        ThreadsPage *threads = window->threadsPage();
        QTRY_VERIFY(threads->selectThread(waiting->threadId));
        QCOMPARE(threads->selectedThread(), waiting->threadId);
        // Stuck behind the paused agent: the list and the detail say so instead of a bare "active".
        QTRY_COMPARE(threads->table()->model()->index(0, ThreadModel::StatusColumn).data().toString(),
                     u"waiting on paused greeter"_s);
        QVERIFY2(threads->titleText().contains(u"waiting on paused greeter"_s), qPrintable(threads->titleText()));
        QPushButton *kill = button(threads, u"killButton"_s);
        QTRY_VERIFY(kill->isEnabled());
        QVERIFY(action(u"actionKill"_s)->isEnabled());

        // One keystroke does not kill: it asks, and Cancel (the default) leaves the thread alone.
        QTest::mouseClick(kill, Qt::LeftButton);
        QMessageBox *box = question(&*window, u"confirmKill"_s);
        QVERIFY(box);
        QVERIFY2(box->text().contains(ThreadLabels::shortId(waiting->threadId)), qPrintable(box->text()));
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        answer(box, false);
        QCOMPARE(threadStatus(waiting->threadId), u"active"_s);

        action(u"actionKill"_s)->trigger();
        answer(question(&*window, u"confirmKill"_s), true);
        QTRY_COMPARE(threads->table()->model()->index(0, ThreadModel::StatusColumn).data().toString(), u"killed"_s);
        QCOMPARE(threadStatus(waiting->threadId), u"killed"_s);
        QTRY_VERIFY(!kill->isEnabled()); // nothing left to kill
        QVERIFY(!action(u"actionKill"_s)->isEnabled());
        QVERIFY(!action(u"actionRaise"_s)->isEnabled());
        QVERIFY2(window->statusBar()->currentMessage().startsWith(
                     u"Killed thread %1"_s.arg(ThreadLabels::shortId(waiting->threadId))),
                 qPrintable(window->statusBar()->currentMessage()));
    }

    void raiseTheBudgetOfAHeldThread()
    {
        const QString held = heldThread();
        QVERIFY(!held.isEmpty());
        QTRY_COMPARE(session->budget(held)->isExhausted(), true);

        window->showPage(MainWindow::Page::Threads);
        ThreadsPage *threads = window->threadsPage();
        QTRY_VERIFY(threads->selectThread(held));
        auto *bar = threads->findChild<BudgetBar *>();
        QTRY_VERIFY(bar->budget().has_value());
        QVERIFY2(bar->text().contains(u"exhausted"_s), qPrintable(bar->text()));
        QPushButton *raise = button(threads, u"raiseButton"_s);
        QTRY_VERIFY(raise->isEnabled());
        QTest::mouseClick(raise, Qt::LeftButton);

        BudgetDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window->findChild<BudgetDialog *>()) != nullptr);
        auto *maximum = dialog->findChild<QLineEdit *>(u"maxEdit"_s);
        maximum->selectAll();
        QTest::keyClicks(maximum, u"5000"_s);
        QCOMPARE(dialog->maxTokens(), 5000);
        QTest::mouseClick(dialog->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok),
                          Qt::LeftButton);

        // Released: the editor makes its call and the thread ends with the final text.
        QTRY_COMPARE(threadStatus(held), u"completed"_s);
        QTRY_VERIFY(rows(window->messagesPage()->model()).contains(u"editor>done:Done"_s));

        // The alerts the operator got on the way: 90 %, 95 % and held.
        QStringList alerts;
        for (const Alert &alert : window->alertCenter()->recent()) {
            if (alert.threadId == held)
                alerts << alert.title.section(u") "_s, 1); // after "Thread 7ed13b1 (writer: go) "
        }
        QCOMPARE(alerts,
                 (QStringList{u"passed 90 % of its budget"_s, u"passed 95 % of its budget"_s,
                              u"is held: budget exhausted"_s}));
    }

    void retryAThreadInError()
    {
        // The writer answers with a payload its editor cannot take: the thread ends in error.
        engine->call([this](Organism &) {
            engine->llm()->replies = {u"<Review><Wrong>draft</Wrong></Review>"_s};
            engine->llm()->defaultReply = u"<Done><Text>final</Text></Done>"_s;
        });
        InjectRequest draft;
        draft.to = u"writer"_s;
        draft.fields.insert(u"text"_s, u"go"_s);
        const InjectResult failed = injectThroughSession(draft);
        QVERIFY(failed.has_value());
        QTRY_COMPARE(threadStatus(failed->threadId), u"error"_s);

        window->showPage(MainWindow::Page::Threads);
        ThreadsPage *threads = window->threadsPage();
        QTRY_VERIFY(threads->selectThread(failed->threadId));
        QTRY_VERIFY(action(u"actionRetry"_s)->isEnabled());
        QVERIFY(!action(u"actionKill"_s)->isEnabled());

        // Run again, the writer's next answer is good: the thread goes on to its end.
        engine->call([this](Organism &) { engine->llm()->replies = {u"<Review><Text>draft</Text></Review>"_s}; });
        action(u"actionRetry"_s)->trigger();
        QTRY_COMPARE(threadStatus(failed->threadId), u"completed"_s);
        QTRY_VERIFY(!action(u"actionRetry"_s)->isEnabled());
        QVERIFY2(window->statusBar()->currentMessage().startsWith(
                     u"Thread %1"_s.arg(ThreadLabels::shortId(failed->threadId))),
                 qPrintable(window->statusBar()->currentMessage()));
    }

    void filterTheMessages()
    {
        const InjectResult ada = injectThroughSession(greeting(u"Ada"_s));
        const InjectResult bob = injectThroughSession(greeting(u"Bob"_s));
        QVERIFY(ada.has_value() && bob.has_value());
        MessagesPage *page = window->messagesPage();
        window->showPage(MainWindow::Page::Messages);
        QTRY_COMPARE(page->model()->rowCount(), 6);

        auto *agent = page->findChild<QComboBox *>(u"agentCombo"_s);
        agent->setCurrentIndex(agent->findData(u"response-handler"_s));
        QTRY_COMPARE(rows(page->model()),
                     (QStringList{u"shouter>response-handler:ShoutedResponse"_s,
                                  u"shouter>response-handler:ShoutedResponse"_s}));
        agent->setCurrentIndex(0);

        auto *type = page->findChild<QComboBox *>(u"typeCombo"_s);
        type->setCurrentIndex(type->findData(u"Greeting"_s));
        QTRY_COMPARE(rows(page->model()), (QStringList{u"api>greeter:Greeting"_s, u"api>greeter:Greeting"_s}));
        type->setCurrentIndex(0);

        // Typed filters apply once typing pauses; the rows then all belong to one thread.
        const auto threadsShown = [page] {
            QSet<QString> ids;
            for (int row = 0; row < page->model()->rowCount(); ++row)
                ids << page->model()->message(row).threadId;
            return QStringList(ids.cbegin(), ids.cend());
        };
        QTRY_COMPARE(page->model()->rowCount(), 6);
        auto *text = page->findChild<QLineEdit *>(u"textEdit"_s);
        QTest::keyClicks(text, u"bob"_s); // case-insensitive, over the payloads
        QTRY_COMPARE(threadsShown(), QStringList{bob->threadId});
        QCOMPARE(page->model()->rowCount(), 3);
        text->clear();
        QTRY_COMPARE(page->model()->rowCount(), 6);

        auto *thread = page->findChild<QLineEdit *>(u"threadEdit"_s);
        QTest::keyClicks(thread, ada->threadId);
        QTRY_COMPARE(threadsShown(), QStringList{ada->threadId});
        QCOMPARE(page->model()->rowCount(), 3);
        thread->clear();
        QTRY_COMPARE(page->model()->rowCount(), 6);

        // Held still, new messages wait; following again shows them.
        page->setFollowing(false);
        QVERIFY(injectThroughSession(greeting(u"Cy"_s)).has_value());
        QTRY_COMPARE(page->model()->pendingCount(), 3);
        QCOMPARE(page->model()->rowCount(), 6);
        page->setFollowing(true);
        QTRY_COMPARE(page->model()->rowCount(), 9);
    }

    void filterTheThreads()
    {
        const InjectResult ada = injectThroughSession(greeting(u"Ada"_s));
        QVERIFY(ada.has_value());
        // Its conversation ends before the others start, so "newest activity" is unambiguous.
        QTRY_COMPARE(threadStatus(ada->threadId), u"completed"_s);
        QVERIFY(pauseThroughSession(u"greeter"_s));
        QTRY_COMPARE(stateOf(u"greeter"_s), u"paused"_s);
        const InjectResult waiting = injectThroughSession(greeting(u"Bob"_s));
        InjectRequest tally;
        tally.to = u"counter"_s;
        tally.fields = {{u"count"_s, 1}, {u"ratio"_s, 1.5}, {u"final"_s, true}};
        QVERIFY(injectThroughSession(tally).has_value());
        ThreadsPage *page = window->threadsPage();
        QAbstractItemModel *threads = page->table()->model();
        QTRY_COMPARE(threads->rowCount(), 3);
        // Newest activity first.
        QCOMPARE(threads->index(0, ThreadModel::ParticipantsColumn).data().toString(), u"api, counter"_s);

        auto *status = page->findChild<QComboBox *>(u"statusCombo"_s);
        status->setCurrentIndex(status->findData(int(ThreadStatus::Active)));
        QTRY_COMPARE(threads->rowCount(), 1);
        QCOMPARE(threads->index(0, 0).data(ThreadModel::ThreadIdRole).toString(), waiting->threadId);

        status->setCurrentIndex(status->findData(int(ThreadStatus::Completed)));
        QTRY_COMPARE(threads->rowCount(), 2);
        auto *agent = page->findChild<QComboBox *>(u"agentCombo"_s);
        agent->setCurrentIndex(agent->findData(u"shouter"_s));
        QTRY_COMPARE(threads->rowCount(), 1);
        QCOMPARE(threads->index(0, ThreadModel::ParticipantsColumn).data().toString(),
                 u"api, greeter, shouter, response-handler"_s);
        status->setCurrentIndex(0);
        agent->setCurrentIndex(0);
        QTRY_COMPARE(threads->rowCount(), 3);
    }

    void stoppingShowsAndDisables()
    {
        QSignalSpy starts(&*window, &MainWindow::startRequested);
        QVERIFY(!action(u"actionStart"_s)->isEnabled());
        // Ctrl+Shift+S asks first (it ends the API too); Cancel keeps it running.
        action(u"actionStop"_s)->trigger();
        answer(question(&*window, u"confirmStop"_s), false);
        QVERIFY(window->areCommandsEnabled());
        action(u"actionStop"_s)->trigger();
        answer(question(&*window, u"confirmStop"_s), true);
        QTRY_VERIFY(window->bannerText().contains(u"stopped"_s));
        // The status bar says it is done, not "Stopping…" forever.
        QTRY_COMPARE(window->statusBar()->currentMessage(), u"The organism has stopped; Start runs it again."_s);
        QVERIFY(!window->areCommandsEnabled());
        QVERIFY(!action(u"actionInject"_s)->isEnabled());
        QVERIFY(!button(window->agentsPage(), u"pauseButton"_s)->isEnabled());
        QVERIFY(window->openInjectDialog(u"greeter"_s) == nullptr);
        QVERIFY(action(u"actionStart"_s)->isEnabled());
        action(u"actionStart"_s)->trigger();
        QCOMPARE(starts.size(), 1);
        QVERIFY(window->bannerText().contains(u"Starting"_s));
    }

    void attachToAnotherOrganismAndLoseIt()
    {
        QVERIFY(!action(u"actionConnect"_s)->isEnabled()); // no factory, no remote sessions

        QTemporaryDir otherDir;
        TestEngine other(TestEngine::Threading::OwnThread);
        QString error;
        QVERIFY2(other.start(QByteArray(kConfig).replace("gui-test", "elsewhere"), otherDir.path(), &error),
                 qPrintable(error));
        QUrl asked;
        QString key;
        window->setSessionFactory([&](const QUrl &url, const QString &apiKey) -> Session * {
            asked = url;
            key = apiKey;
            return new LocalSession(other.organism());
        });
        QVERIFY(action(u"actionConnect"_s)->isEnabled());
        QVERIFY(window->connectTo(QUrl(u"http://10.0.0.7:8765"_s), u"secret"_s));
        QCOMPARE(asked, QUrl(u"http://10.0.0.7:8765"_s));
        QCOMPARE(key, u"secret"_s);
        QVERIFY(window->isAttached());
        QTRY_COMPARE(window->session()->organism().name, u"elsewhere"_s);
        QTRY_VERIFY(window->areCommandsEnabled());
        QVERIFY(window->windowTitle().contains(u"http://10.0.0.7:8765"_s));
        QVERIFY(action(u"actionLocal"_s)->isEnabled());

        // The connection goes: the window says so and refuses commands until it is back.
        window->session()->close();
        QTRY_VERIFY(window->isBannerVisible());
        QVERIFY2(window->bannerText().contains(u"http://10.0.0.7:8765"_s), qPrintable(window->bannerText()));
        QVERIFY(!window->areCommandsEnabled());
        QVERIFY(!action(u"actionInject"_s)->isEnabled());
        QVERIFY(!action(u"actionKill"_s)->isEnabled());
        button(window.operator->(), u"bannerButton"_s)->click(); // Reconnect
        QTRY_VERIFY(window->areCommandsEnabled());
        // Attached, a banner in its own colour says so all the time, with the way back.
        QVERIFY(window->isBannerVisible());
        QVERIFY(window->isRemoteBanner());
        QVERIFY2(window->bannerText().startsWith(u"Remote: the organism “elsewhere” at http://10.0.0.7:8765"_s),
                 qPrintable(window->bannerText()));
        QCOMPARE(button(window.operator->(), u"bannerButton"_s)->text(), u"Back to the &local organism"_s);

        window->showLocal();
        QVERIFY(!window->isAttached());
        QVERIFY(!window->isBannerVisible());
        QCOMPARE(window->session(), &*session);
        QCOMPARE(window->session()->organism().name, u"gui-test"_s);
        QTRY_VERIFY(window->areCommandsEnabled());
    }

    void threadsAreToldApart()
    {
        QPointer<InjectDialog> dialog = window->openInjectDialog(u"greeter"_s);
        QTest::keyClicks(qobject_cast<QLineEdit *>(dialog->form()->editorAt({u"Name"_s})), u"Ada"_s);
        dialog->send();
        QTRY_VERIFY(!dialog);
        const InjectResult grace = injectThroughSession(greeting(u"Grace"_s));
        ThreadsPage *page = window->threadsPage();
        QAbstractItemModel *threads = page->table()->model();
        QTRY_COMPARE(threads->rowCount(), 2);
        // Ids made in the same millisecond share their start; the short ids come from the random end.
        const QString adaId = threads->index(1, 0).data(ThreadModel::ThreadIdRole).toString();
        QCOMPARE(threads->index(1, ThreadModel::IdColumn).data().toString(), adaId.right(7));
        QCOMPARE(threads->index(1, ThreadModel::IdColumn).data(Qt::ToolTipRole).toString(), adaId);
        QCOMPARE(threads->index(0, ThreadModel::IdColumn).data().toString(), grace->threadId.right(7));
        QTRY_COMPARE(threads->index(1, ThreadModel::LabelColumn).data().toString(), u"greeter: Ada"_s);
        QTRY_COMPARE(threads->index(0, ThreadModel::LabelColumn).data().toString(), u"greeter: Grace"_s);
        // The status bar named the thread the dialog started the same way.
        QCOMPARE(window->statusBar()->currentMessage(),
                 u"Injected into thread %1 (greeter: Ada)"_s.arg(adaId.right(7)));
        QCOMPARE(page->countText(), u"2 threads in the history; 2 loaded"_s);

        // Finished: nothing to kill and no budget to raise; the id is copied whole.
        QVERIFY(page->selectThread(adaId));
        QTRY_VERIFY(page->titleText().startsWith(u"Thread %1 · greeter: Ada — completed"_s.arg(adaId.right(7))));
        QVERIFY(!button(page, u"killButton"_s)->isEnabled());
        QVERIFY(!action(u"actionKill"_s)->isEnabled());
        QVERIFY(!action(u"actionRaise"_s)->isEnabled());
        button(page, u"copyButton"_s)->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), adaId);
    }

    void theListHoldsStillUnderThePointer()
    {
        QVERIFY(injectThroughSession(greeting(u"Ada"_s)).has_value());
        window->showPage(MainWindow::Page::Threads);
        ThreadsPage *page = window->threadsPage();
        QAbstractItemModel *threads = page->table()->model();
        QTRY_COMPARE(threads->rowCount(), 1);
        auto *follow = page->findChild<QToolButton *>(u"followButton"_s);
        QCOMPARE(follow->text(), u"&Following"_s);

        QWidget *viewport = page->table()->viewport();
        QEvent enter(QEvent::Enter);
        QCoreApplication::sendEvent(viewport, &enter);
        QVERIFY(page->model()->isFrozen());
        QVERIFY(injectThroughSession(greeting(u"Grace"_s)).has_value());
        QTRY_COMPARE(follow->text(), u"&Following (1 new)"_s);
        QCOMPARE(threads->rowCount(), 1); // the row under the pointer stays where it is

        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(viewport, &leave);
        QTRY_COMPARE(threads->rowCount(), 2); // a moment after the pointer left
        QCOMPARE(follow->text(), u"&Following"_s);

        // Held by the operator: new threads wait until following again.
        follow->click();
        QVERIFY(!page->isFollowing());
        QVERIFY(injectThroughSession(greeting(u"Linus"_s)).has_value());
        QTRY_COMPARE(follow->text(), u"&Follow (1 new)"_s);
        follow->click();
        QCOMPARE(threads->rowCount(), 3);
    }

    void ctrlTabSwitchesPages()
    {
        window->showPage(MainWindow::Page::Agents);
        QTableView *table = window->agentsPage()->table();
        table->setFocus();
        table->setCurrentIndex(table->model()->index(0, 0));
        QTest::keyClick(table, Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(window->currentPage(), MainWindow::Page::Threads);
        QTest::keyClick(window->threadsPage()->table(), Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(window->currentPage(), MainWindow::Page::Agents);
        QCOMPARE(table->currentIndex().column(), 0); // the cell focus stayed where it was
        QTest::keyClick(table, Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(window->currentPage(), MainWindow::Page::AllOrganisms); // round the end
    }

    void resetUsageAsksFirst()
    {
        const QString held = heldThread(); // some metered calls
        QVERIFY(!held.isEmpty());
        QTRY_VERIFY(session->usage().totals.totalTokens > 0);
        window->showPage(MainWindow::Page::Usage);
        action(u"actionResetUsage"_s)->trigger();
        answer(question(&*window, u"confirmReset"_s), false);
        QVERIFY(session->usage().totals.totalTokens > 0);
        action(u"actionResetUsage"_s)->trigger();
        answer(question(&*window, u"confirmReset"_s), true);
        QTRY_COMPARE(session->usage().totals.totalTokens, 0);
        QTRY_COMPARE(window->usagePage()->tileText(u"tokens"_s), u"0"_s);
        QCOMPARE(window->usagePage()->tileText(u"cost"_s), u"—"_s);
        // The header says what the tile says.
        QCOMPARE(window->findChild<StatusHeader *>()->valueText(u"cost"_s), u"—"_s);
    }

    // The original AgentServer as it is: same words and figures as locally, and plain about what it only
    // pretends.
    void attachToTheOriginalServer()
    {
        test::FakeOriginalServer server(test::FakeOriginalServer::WebSocket::DropsBeforeSnapshot);
        server.recordMessage(u"boot"_s, u"system"_s, u"greeter"_s, {{u"name"_s, u"Boot"_s}});
        server.recordUsage(u"greeter"_s, u"llama3"_s, 100, 50, 250.0);
        server.recordUsage(u"greeter"_s, u"llama3"_s, 200, 100, 350.0);
        window->setSessionFactory(
            [](const QUrl &url, const QString &key) -> Session * { return new RemoteSession(url, key); });
        QVERIFY(window->connectTo(QUrl(server.url()), QString()));
        QTRY_VERIFY_WITH_TIMEOUT(window->areCommandsEnabled(), 15000);
        QVERIFY(window->isRemoteBanner());
        QVERIFY2(window->bannerText().contains(u"the original AgentServer"_s), qPrintable(window->bannerText()));
        QVERIFY(window->bannerText().contains(u"Live updates unavailable — polling every 2 s."_s));

        // Costs and latencies: "unpriced" and "—", never $0.0000 and 0.0 ms.
        UsagePage *usage = window->usagePage();
        QCOMPARE(usage->tileText(u"cost"_s), u"unpriced"_s);
        QCOMPARE(usage->tileText(u"latency"_s), u"300.0 ms"_s);
        QCOMPARE(window->findChild<StatusHeader *>()->valueText(u"cost"_s), u"unpriced"_s);
        QTRY_COMPARE(usage->modelTable()->model()->rowCount(), 1);
        QCOMPARE(usage->modelTable()->model()->index(0, UsageCountersModel::CostColumn).data().toString(),
                 u"unpriced"_s);
        QCOMPARE(usage->modelTable()->model()->index(0, UsageCountersModel::AverageLatencyColumn).data().toString(),
                 u"—"_s);

        // Pause is a label there: the command says so.
        AgentsPage *agents = window->agentsPage();
        QVERIFY(agents->selectAgent(u"shouter"_s));
        QVERIFY(agents->findChild<QLabel *>(u"handlerLabel"_s)->text() == u"not reported by this server"_s);
        button(agents, u"pauseButton"_s)->click();
        QTRY_COMPARE(window->statusBar()->currentMessage(),
                     u"shouter marked paused — this server goes on sending it messages"_s);

        // Stop only says "stopping" there: said, and the commands stay.
        action(u"actionStop"_s)->trigger();
        QMessageBox *box = question(&*window, u"confirmStop"_s);
        QVERIFY(box && box->informativeText().contains(u"only changes its status"_s));
        answer(box, true);
        QTRY_VERIFY(window->bannerText().contains(u"that is only a label"_s));
        QVERIFY(window->areCommandsEnabled());
        QVERIFY(action(u"actionInject"_s)->isEnabled());
        QVERIFY(!action(u"actionStop"_s)->isEnabled()); // nothing more to stop
        QTRY_VERIFY(window->statusBar()->currentMessage().startsWith(u"The server now says “stopping”"_s));
    }

    void settingsSurviveARestart()
    {
        window->showPage(MainWindow::Page::Messages);
        QTableView *table = window->messagesPage()->table();
        table->horizontalHeader()->resizeSection(MessageLogModel::FromColumn, 211);
        window->agentsPage()->table()->horizontalHeader()->resizeSection(AgentModel::NameColumn, 173);
        window->resize(1111, 777);
        window->close(); // saves

        MainWindow again;
        again.setLocalSession(&*session, {});
        again.restoreSettings();
        QCOMPARE(again.currentPage(), MainWindow::Page::Messages);
        QCOMPARE(again.messagesPage()->table()->horizontalHeader()->sectionSize(MessageLogModel::FromColumn), 211);
        QCOMPARE(again.agentsPage()->table()->horizontalHeader()->sectionSize(AgentModel::NameColumn), 173);
        QCOMPARE(again.size(), QSize(1111, 777));
    }

private:
    QTemporaryDir settingsDir;
    std::optional<QTemporaryDir> dir;
    std::optional<TestEngine> engine;
    std::optional<LocalSession> session;
    std::optional<MainWindow> window;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
