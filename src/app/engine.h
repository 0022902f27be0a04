#pragma once

#include "config/organismconfig.h"
#include "domain/result.h"

#include <QObject>

#include <chrono>
#include <memory>

namespace agentdesk {

class ApiServer;
class LlmRouter;
class Organism;

// Everything that runs on the engine thread: the LLM router, the organism and the API server over it.
// Headless it lives on the main thread; with a window it is moved to a thread of its own so a slow
// repaint never stalls the pump or the API.
class Engine : public QObject
{
    Q_OBJECT
public:
    explicit Engine(QObject *parent = nullptr);
    ~Engine() override;

    // Headless, the API outlives a stop of the organism (POST /organism/stop): it keeps answering,
    // status stopped, and POST /organism/start starts the organism again; only stop() ends it. In a
    // window (the default), the organism stopping ends the engine: the window starts a fresh one.
    void setApiOutlivesOrganism(bool outlives) { m_apiOutlivesOrganism = outlives; }

    // Builds and starts everything; on failure nothing keeps running and the failure says why.
    Result<> start(const OrganismConfig &config, const QString &dataDirectory);
    // The end: drains the organism (bounded) unless it is stopped already, then closes the API; emits
    // stopped() at the end.
    void stop(std::chrono::milliseconds drain);

    Organism *organism() const { return m_organism.get(); }
    ApiServer *api() const { return m_api.get(); }
    QString apiUrl() const;

signals:
    void stopped();

private:
    void finish();

    bool m_apiOutlivesOrganism = false;
    bool m_ending = false;
    std::unique_ptr<LlmRouter> m_router;
    std::unique_ptr<Organism> m_organism;
    std::unique_ptr<ApiServer> m_api;
};

} // namespace agentdesk
