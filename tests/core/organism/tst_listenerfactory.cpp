#include "llm/llmclient.h"
#include "organism/listenerfactory.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

// Serves one model and never answers: the factory only asks whether a model is served.
class OneModel : public LlmClient
{
public:
    quint64 complete(const LlmRequest &, Completion) override { return 0; }
    void cancel(quint64) override { }
    bool serves(const QString &model) const override { return model == u"served-model"_s; }
};

ListenerConfig builtin(const QString &name, const QString &kind)
{
    ListenerConfig config;
    config.name = name;
    config.payloadType = u"Text"_s;
    config.handler.kind = HandlerSpec::Kind::Builtin;
    config.handler.builtin = kind;
    return config;
}

ListenerConfig agent(const QString &model)
{
    ListenerConfig config;
    config.name = u"writer"_s;
    config.agent = true;
    config.payloadType = u"Text"_s;
    config.handler.kind = HandlerSpec::Kind::Agent;
    config.model = model;
    return config;
}

} // namespace

class TestListenerFactory : public QObject
{
    Q_OBJECT

private slots:
    void buildsABuiltin()
    {
        ListenerFactory factory{ListenerEnvironment{}};
        QString error;
        const std::unique_ptr<Listener> listener = factory.create(builtin(u"shouter"_s, u"shout"_s), &error);
        QVERIFY2(listener, qPrintable(error));
        QCOMPARE(listener->name(), u"shouter"_s);
    }

    void refusesAnUnknownBuiltin()
    {
        ListenerFactory factory{ListenerEnvironment{}};
        QString error;
        QVERIFY(!factory.create(builtin(u"x"_s, u"no-such-builtin"_s), &error));
        QVERIFY(!error.isEmpty());
    }

    void anAgentNeedsAModel()
    {
        OneModel llm;
        ListenerFactory factory{ListenerEnvironment{}};
        factory.setLlmClient(&llm);
        QString error;
        QVERIFY(!factory.create(agent({}), &error));
        QCOMPARE(error, u"an LLM agent needs `model:` (the model to ask the router for)"_s);
    }

    void anAgentNeedsABackendServingItsModel()
    {
        OneModel llm;
        ListenerFactory factory{ListenerEnvironment{}};
        QString error;
        QVERIFY(!factory.create(agent(u"served-model"_s), &error)); // no LLM client at all
        factory.setLlmClient(&llm);
        QVERIFY(!factory.create(agent(u"other-model"_s), &error));
        QCOMPARE(error, u"no LLM backend serves model 'other-model' (configure one under llm.backends)"_s);
        QVERIFY2(factory.create(agent(u"served-model"_s), &error), qPrintable(error));
    }

    void modelsAboutToBeServedCountDuringAReload()
    {
        OneModel llm;
        ListenerFactory factory{ListenerEnvironment{}};
        factory.setLlmClient(&llm);
        factory.setModelsAboutToBeServed({u"other-model"_s});
        QString error;
        QVERIFY2(factory.create(agent(u"other-model"_s), &error), qPrintable(error));
        factory.setModelsAboutToBeServed({});
        QVERIFY(!factory.create(agent(u"other-model"_s), &error));
    }

    void relativePathsAreReadFromTheConfigFilesDirectory()
    {
        ListenerFactory factory{ListenerEnvironment{}};
        factory.setConfigFile(u"/etc/agentdesk/organism.yaml"_s);
        QString error;
        const std::unique_ptr<Listener> listener = factory.create(builtin(u"e"_s, u"echo"_s), &error);
        QVERIFY2(listener, qPrintable(error));
        QCOMPARE(listener->environment().configDirectory, u"/etc/agentdesk"_s);
    }

    void describesWhatTheConfigSays_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("handler");
        QTest::newRow("builtin") << int(HandlerSpec::Kind::Builtin) << u"builtin:shout"_s;
        QTest::newRow("exec") << int(HandlerSpec::Kind::Exec) << u"exec: python3 worker.py"_s;
        QTest::newRow("agent") << int(HandlerSpec::Kind::Agent) << u"agent"_s;
    }

    void describesWhatTheConfigSays()
    {
        QFETCH(int, kind);
        QFETCH(QString, handler);
        ListenerConfig config = builtin(u"greeter"_s, u"shout"_s);
        config.handler.kind = HandlerSpec::Kind(kind);
        config.handler.argv = QStringList{u"python3"_s, u"worker.py"_s};
        config.description = u"says hello"_s;
        config.peers = QStringList{u"shouter"_s};
        const AgentInfo info = ListenerFactory::describe(config);
        QCOMPARE(info.name, u"greeter"_s);
        QCOMPARE(info.description, u"says hello"_s);
        QCOMPARE(info.peers, QStringList{u"shouter"_s});
        QCOMPARE(info.payloadType, u"Text"_s);
        QCOMPARE(info.handler, handler);
        QCOMPARE(info.messageCount, 0);
    }
};

QTEST_GUILESS_MAIN(TestListenerFactory)
#include "tst_listenerfactory.moc"
