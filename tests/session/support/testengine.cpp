#include "testengine.h"

using namespace Qt::StringLiterals;

namespace agentdesk::test {

TestEngine::TestEngine(Threading threading)
    : m_threading(threading)
    , m_anchor(std::make_unique<QObject>())
{
    if (threading == Threading::OwnThread) {
        m_thread = std::make_unique<QThread>();
        m_thread->setObjectName(u"engine"_s);
        m_anchor->moveToThread(m_thread.get());
        m_thread->start();
    }
}

TestEngine::~TestEngine()
{
    runOnEngine([this] {
        m_fixture.reset();
        m_llm.reset();
    });
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
    }
}

QThread *TestEngine::thread() const
{
    return m_anchor->thread();
}

void TestEngine::runOnEngine(const std::function<void()> &work)
{
    if (m_threading == Threading::SameThread)
        work();
    else
        QMetaObject::invokeMethod(m_anchor.get(), work, Qt::BlockingQueuedConnection);
}

bool TestEngine::start(const QByteArray &yaml, const QString &directory, QString *error)
{
    bool ok = false;
    runOnEngine([&] {
        m_fixture.reset();
        m_llm = std::make_unique<ScriptedLlm>();
        m_llm->defaultReply = QString(); // an agent nobody scripted for answers with an empty text
        m_fixture.emplace(directory);
        m_fixture->setLlmClient(m_llm.get());
        ok = m_fixture->start(yaml, error);
    });
    return ok;
}

} // namespace agentdesk::test
