#include "engine.h"

#include "apiserver.h"
#include "applogging.h"
#include "llmrouter.h"
#include "organism.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

Engine::Engine(QObject *parent)
    : QObject(parent)
{ }

Engine::~Engine()
{
    // The API answers from the organism, and the organism's agents call the router: tear down in that order.
    m_api.reset();
    m_organism.reset();
    m_router.reset();
}

Result<> Engine::start(const OrganismConfig &config, const QString &dataDirectory)
{
    auto router = std::make_unique<LlmRouter>(config.llm);
    if (!router->problems().isEmpty())
        return fail(u"LLM backends cannot be used:\n  "_s + router->problems().join(u"\n  "_s));
    auto organism = std::make_unique<Organism>();
    organism->setLlmClient(router.get());
    if (Result<> loaded = organism->load(config, dataDirectory); !loaded)
        return loaded;

    QStringList warnings;
    auto api = std::make_unique<ApiServer>(organism.get(), ApiServerOptions::fromConfig(config, &warnings));
    for (const QString &warning : std::as_const(warnings))
        qCWarning(lcApp).noquote() << warning;
    if (QString error; !api->start(&error))
        return fail(error);

    m_router = std::move(router);
    m_organism = std::move(organism);
    m_api = std::move(api);
    connect(m_organism.get(), &Organism::stopped, this, [this] {
        if (m_ending || !m_apiOutlivesOrganism)
            finish();
    });
    Result<> started = m_organism->start();
    if (!started)
        m_api->stop();
    return started;
}

void Engine::stop(std::chrono::milliseconds drain)
{
    if (std::exchange(m_ending, true))
        return;
    if (m_organism->status() == OrganismStatus::Stopped)
        QMetaObject::invokeMethod(this, &Engine::finish, Qt::QueuedConnection);
    else
        m_organism->stop(drain);
}

void Engine::finish()
{
    m_api->stop();
    emit stopped();
}

QString Engine::apiUrl() const
{
    if (!m_api)
        return {};
    const QHostAddress address = m_api->address();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                                             : address.toString();
    return u"http://%1:%2"_s.arg(host).arg(m_api->port());
}

} // namespace agentdesk
