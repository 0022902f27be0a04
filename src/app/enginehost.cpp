#include "enginehost.h"

#include "engine.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

EngineHost::EngineHost(QObject *parent)
    : QObject(parent)
    , m_thread(std::make_unique<QThread>())
    , m_anchor(std::make_unique<QObject>())
{
    m_thread->setObjectName(u"engine"_s);
    m_anchor->moveToThread(m_thread.get());
    m_thread->start();
}

EngineHost::~EngineHost()
{
    destroy();
    m_thread->quit();
    m_thread->wait();
}

Organism *EngineHost::organism() const
{
    return m_engine ? m_engine->organism() : nullptr;
}

Result<> EngineHost::start(const OrganismConfig &config, const QString &dataDirectory)
{
    destroy();
    Result<> started;
    Engine *engine = nullptr;
    QMetaObject::invokeMethod(
        m_anchor.get(),
        [&] {
            // Created here so the engine and everything it owns belong to the engine thread.
            engine = new Engine;
            started = engine->start(config, dataDirectory);
            if (!started) {
                delete engine;
                engine = nullptr;
            }
        },
        Qt::BlockingQueuedConnection);
    if (!started)
        return started;
    m_engine = engine;
    m_stopped = false;
    m_apiUrl = engine->apiUrl();
    connect(engine, &Engine::stopped, this, [this] {
        m_stopped = true;
        emit stopped();
    });
    return {};
}

void EngineHost::stop(std::chrono::milliseconds drain)
{
    if (!m_engine || m_stopped)
        return;
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine, drain] { engine->stop(drain); }, Qt::QueuedConnection);
}

void EngineHost::destroy()
{
    if (!m_engine)
        return;
    Engine *engine = m_engine;
    m_engine = nullptr;
    disconnect(engine, nullptr, this, nullptr);
    QMetaObject::invokeMethod(
        m_anchor.get(), [engine] { delete engine; }, Qt::BlockingQueuedConnection);
    m_apiUrl.clear();
}

} // namespace agentdesk
