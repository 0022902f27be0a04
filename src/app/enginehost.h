#pragma once

#include "config/organismconfig.h"
#include "domain/result.h"

#include <QObject>
#include <QThread>

#include <chrono>
#include <memory>

namespace agentdesk {

class Engine;
class Organism;

// Runs an Engine on a thread of its own, as the window needs: the engine (and every QObject the
// organism, the router and the API server own) is created on that thread and deleted there, so a slow
// repaint never stalls the pump or the API. The engine can be started again after it stopped.
class EngineHost final : public QObject
{
    Q_OBJECT
public:
    explicit EngineHost(QObject *parent = nullptr);
    ~EngineHost() override; // destroys the engine on its thread, then ends the thread

    // Builds and starts an engine on the engine thread and waits for it (start-up is short: config
    // checks, opening the history, binding the API). On failure *error says why and nothing runs.
    Result<> start(const OrganismConfig &config, const QString &dataDirectory);
    // Asks the engine to drain (bounded) and stop; stopped() follows. Returns at once.
    void stop(std::chrono::milliseconds drain);
    // Deletes a (stopped or running) engine on its thread and waits.
    void destroy();

    bool isRunning() const { return m_engine != nullptr && !m_stopped; }
    bool hasEngine() const { return m_engine != nullptr; }
    Organism *organism() const; // lives on the engine thread: talk to it by queued calls (LocalSession)
    QString apiUrl() const { return m_apiUrl; }
    QThread *thread() const { return m_thread.get(); }

signals:
    void stopped();

private:
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<QObject> m_anchor; // lives on the engine thread: blocking calls are queued to it
    Engine *m_engine = nullptr;
    QString m_apiUrl;
    bool m_stopped = false;
};

} // namespace agentdesk
