#include "testengine.h"

#include "config/configloader.h"

#include <QDir>
#include <QFile>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace agentdesk::test {

quint64 ScriptedLlm::complete(const LlmRequest &request, Completion done)
{
    const quint64 id = m_nextId++;
    LlmResult result;
    result.ok = true;
    result.model = request.model;
    result.provider = u"fake"_s;
    result.backend = u"scripted"_s;
    result.promptTokens = promptTokens;
    result.completionTokens = completionTokens;
    result.latencyMs = 10;
    if (!replies.empty()) {
        result.content = replies.front();
        replies.pop_front();
    } else {
        result.content = defaultReply;
    }
    QTimer::singleShot(0, this, [done = std::move(done), result] { done(result); });
    return id;
}

void ScriptedLlm::cancel(quint64)
{
}

bool ScriptedLlm::serves(const QString &model) const
{
    return model.startsWith(u"fake-"_s);
}

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
        delete m_organism;
        delete m_llm;
        m_organism = nullptr;
        m_llm = nullptr;
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
    const QString path = QDir(directory).filePath(u"organism.yaml"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(yaml) != yaml.size()) {
        *error = u"cannot write "_s + path;
        return false;
    }
    file.close();
    const ConfigLoadResult loaded = ConfigLoader::loadText(yaml, path);
    if (!loaded.ok()) {
        *error = loaded.errors.isEmpty() ? u"invalid configuration"_s : loaded.errors.first().toString();
        return false;
    }
    bool ok = false;
    runOnEngine([&] {
        // Created here so that every QObject the organism owns belongs to the engine thread.
        m_llm = new ScriptedLlm;
        m_organism = new Organism;
        m_organism->setLlmClient(m_llm);
        ok = m_organism->load(*loaded.config, QDir(directory).filePath(u"data"_s), error);
        if (ok)
            m_organism->start();
    });
    return ok;
}

} // namespace agentdesk::test
