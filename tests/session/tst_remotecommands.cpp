// RemoteCommands against the original server as it really is (FakeOriginalServer): a refusal comes
// back with its reason in the window's terms (an unknown target, a payload that is no XML, a budget the
// server cannot change, an extension it does not have), and what a command changed without an event
// (the usage counters after a reset) is read back and applied before success is reported.

#include "fakeoriginalserver.h"
#include "remotecommands.h"
#include "remoteparts.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::FakeOriginalServer;
using agentdesk::test::FakeSession;
using agentdesk::test::RemoteParts;

class TestRemoteCommands : public QObject
{
    Q_OBJECT

private:
    void connectTo(FakeOriginalServer &server)
    {
        parts = std::make_unique<RemoteParts>(QUrl(server.url()));
        // Push mode and no stop: the commands tested here never wait for a polling round.
        commands = std::make_unique<RemoteCommands>(*parts->session, parts->http.get(), parts->fence.get(), nullptr);
        QObject::connect(commands.get(), &RemoteCommands::usageRead, parts->session.get(), &FakeSession::replaceUsage);
        QVERIFY(parts->connect());
    }
    InjectResult inject(const InjectRequest &request)
    {
        std::optional<InjectResult> result;
        commands->inject(request, this, [&result](const InjectResult &r) { result = r; });
        [&] { QTRY_VERIFY(result.has_value()); }();
        return result.value_or(InjectResult{});
    }
    Result<> wait(const std::function<void(Session::Done)> &command)
    {
        std::optional<Result<>> result;
        command([&result](const Result<> &r) { result = r; });
        [&] { QTRY_VERIFY(result.has_value()); }();
        return result.value_or(fail(u"no answer"_s));
    }

    std::unique_ptr<RemoteParts> parts;
    std::unique_ptr<RemoteCommands> commands;

private slots:
    void cleanup()
    {
        commands.reset();
        parts.reset();
    }

    void injectsAndSaysWhyNot()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::StopsAfterFirstMessage);
        connectTo(server);
        InjectRequest request;
        request.to = u"greeter"_s;
        request.xml = "<Greeting><name>Ada</name></Greeting>"; // sent as its field tree
        const InjectResult accepted = inject(request);
        QVERIFY2(accepted.has_value(), qPrintable(failureText(accepted)));
        QVERIFY(!accepted->threadId.isEmpty());
        QCOMPARE(server.totalMessages(), 1);

        request.to = u"nobody"_s;
        const InjectResult unknown = inject(request);
        QVERIFY(unknown.error().kind == InjectError::UnknownTarget);
        QVERIFY(failureText(unknown).contains(u"nobody"_s));

        request.to = u"greeter"_s;
        request.xml = "<Greeting><name>Ada</Greeting>";
        QVERIFY(inject(request).error().kind == InjectError::InvalidPayload);
        QCOMPARE(server.totalMessages(), 1);
    }

    void whatTheOriginalCannotDoIsRefusedWithTheReason()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::StopsAfterFirstMessage);
        server.recordMessage(u"t1"_s, u"api"_s, u"greeter"_s, QJsonObject{{u"Greeting"_s, QJsonObject()}});
        connectTo(server);
        QCOMPARE(failureText(wait([&](Session::Done done) { commands->setThreadBudget(u"t1"_s, 100, this, done); })),
                 u"this server cannot change thread budgets"_s);
        QCOMPARE(failureText(wait([&](Session::Done done) { commands->setThreadBudget(u"t1"_s, 0, this, done); })),
                 u"maxTokens must be at least 1"_s);
        QCOMPARE(
            failureText(wait([&](Session::Done done) { commands->setScopeBudget(u"organism"_s, {}, this, done); })),
            u"this server has no agent or organism budgets"_s);
        BranchRequest fork;
        fork.threadId = u"t1"_s;
        std::optional<InjectResult> forked;
        commands->branch(fork, this, [&forked](const InjectResult &result) { forked = result; });
        QTRY_VERIFY(forked.has_value());
        QVERIFY(forked->error().kind == InjectError::NotRunning);
        QVERIFY(failureText(*forked).contains(u"replay and fork"_s));

        const Result<> pause = wait(
            [&](Session::Done done) { commands->command(u"/api/v1/agents/nobody/pause"_s, this, done); });
        QVERIFY(!pause.has_value());
        QCOMPARE(failureText(pause), u"Agent not found: nobody"_s);
    }

    void aResetIsReadBackBeforeItIsReported()
    {
        FakeOriginalServer server(FakeOriginalServer::WebSocket::StopsAfterFirstMessage);
        server.recordUsage(u"greeter"_s, u"llama"_s, 10, 5, 100.0);
        connectTo(server);
        QSignalSpy usage(commands.get(), &RemoteCommands::usageRead);
        bool usageAppliedFirst = false;
        const Result<> reset = wait([&](Session::Done done) {
            commands->resetUsage(this, [&, done](const Result<> &result) {
                usageAppliedFirst = usage.size() == 1;
                done(result);
            });
        });
        QVERIFY2(reset.has_value(), qPrintable(failureText(reset)));
        QVERIFY(usageAppliedFirst);
    }
};

QTEST_GUILESS_MAIN(TestRemoteCommands)
#include "tst_remotecommands.moc"
