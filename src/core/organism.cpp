#include "organism.h"

#include "config/configloader.h"
#include "organism/budgetwarnings.h"
#include "organism/organismprivate.h"
#include "organism/reloadplanner.h"
#include "schema/schemaregistry.h"
#include "store/historystore.h"
#include "usage/pricetable.h"

#include <QFileInfo>
#include <QScopeGuard>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

// ----------------------------------------------------------------------------------------------------
// Organism

Organism::Organism(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    d->uptime.start();
    d->threadSaveTimer.setSingleShot(true);
    d->threadSaveTimer.setInterval(Private::kThreadSaveIntervalMs);
    connect(&d->threadSaveTimer, &QTimer::timeout, this, [this] { d->saveThreads(); });
    d->drainTimer.setSingleShot(true);
    connect(&d->drainTimer, &QTimer::timeout, this, [this] { d->finishStop(); });
    d->stopCommitTimer.setSingleShot(true);
    connect(&d->stopCommitTimer, &QTimer::timeout, this, [this] { d->completeStop(); });
}

Organism::~Organism()
{
    // Their callers may be half gone too: a destructor is no place to call back into them.
    d->acknowledgements.clear();
    if (d->pump)
        d->pump->cancelAll();
    for (auto &[name, listener] : d->listeners)
        listener->stop();
    d->listeners.clear();
    if (d->store) {
        d->saveThreads();
        d->store->close();
    }
}

void Organism::setLlmClient(LlmClient *client)
{
    d->llm = client;
    d->factory.setLlmClient(client);
}

Result<> Organism::load(const OrganismConfig &config, const QString &dataDirectory)
{
    QString error;
    auto schemas = SchemaRegistry::build(BudgetWarnings::withSystemTypes(config.payloads), &error);
    if (!schemas)
        return fail(error);
    auto store = std::make_unique<HistoryStore>();
    // No back-pressure from the store: the organism bounds what it hands over itself (a handler runs
    // only on a committed message, new injects pass the admission), and the engine thread never waits.
    store->setMaxPending(0);
    store->setOrganismName(config.name);
    if (!store->open(dataDirectory, config.history, &error))
        return fail(error);

    d->config = config;
    d->factory.setConfigFile(config.filePath);
    d->dataDirectory = dataDirectory;
    d->ledger.configure(config);
    d->schemas = std::move(schemas);
    d->store = std::move(store);
    d->historyView.emplace(d->store.get());
    connect(d->store.get(), &HistoryStore::committed, this, [this] {
        d->onCommitted();
        emit historyCommitted();
    });
    connect(d->store.get(), &HistoryStore::healthChanged, this, [this] {
        const QString problem = d->historyProblem();
        if (problem.isEmpty())
            qCInfo(lcOrganism).noquote() << "the history commits again";
        else
            qCWarning(lcOrganism).noquote() << "the history cannot commit; new injects are refused:" << problem;
        d->updateDispatchHold();
        // Nothing more can be committed: a drain has nothing left to wait for.
        if (!problem.isEmpty() && d->status == OrganismStatus::Stopping)
            d->finishStop();
        emit historyHealthChanged();
    });
    d->pump = std::make_unique<MessagePump>(d.get());
    d->applyLimits();
    d->applyRoutes();

    for (const ListenerConfig &listener : std::as_const(config.listeners)) {
        QString listenerError;
        std::unique_ptr<Listener> created = d->factory.create(listener, &listenerError);
        if (!created) {
            d->listeners.clear();
            d->pump.reset();
            d->historyView.reset();
            d->store.reset();
            return fail(
                u"%1:%2: listeners.%3: %4"_s.arg(config.filePath).arg(listener.line).arg(listener.name, listenerError));
        }
        d->watchListener(created.get());
        d->pump->addListener(created.get());
        d->agents.add(ListenerFactory::describe(listener));
        d->listeners.emplace(listener.name, std::move(created));
    }
    d->restoreCounters();
    d->ledger.restore(d->store.get());
    return {};
}

Result<> Organism::start()
{
    if (d->status == OrganismStatus::Running || d->status == OrganismStatus::Stopping)
        return fail(u"the organism is %1"_s.arg(toString(d->status)));
    if (!d->store)
        return fail(u"the organism is not loaded"_s);
    // Resuming next to a batch the disk has not taken yet could run a handler twice: wait for the disk.
    if (const QString problem = d->historyProblem(); !problem.isEmpty())
        return fail(u"the history cannot commit: "_s + problem);
    for (auto &[name, listener] : d->listeners)
        listener->start();
    d->status = OrganismStatus::Running;
    d->resumeUnfinished();
    d->changes.schedule();
    emit statusChanged(d->status);
    return {};
}

void Organism::stop(std::chrono::milliseconds drain)
{
    if (d->status != OrganismStatus::Running && d->status != OrganismStatus::Starting)
        return;
    d->status = OrganismStatus::Stopping;
    emit statusChanged(d->status);
    if (!d->pump || d->pump->isIdle() || d->pump->isBlocked() || d->store->health().failing) {
        QMetaObject::invokeMethod(
            this, [this] { d->finishStop(); }, Qt::QueuedConnection);
        return;
    }
    d->drainTimer.start(drain);
}

const OrganismConfig &Organism::config() const
{
    return d->config;
}
OrganismStatus Organism::status() const
{
    return d->status;
}
QStringList Organism::listenerNames() const
{
    return d->agents.order();
}
const SchemaRegistry *Organism::schemas() const
{
    return d->schemas.get();
}
const HistoryView *Organism::history() const
{
    return d->historyView ? &*d->historyView : nullptr;
}

OrganismInfo Organism::info() const
{
    OrganismInfo info;
    info.name = d->config.name;
    info.status = d->status;
    info.uptimeSeconds = double(d->uptime.nsecsElapsed()) / 1e9;
    info.agentCount = int(d->agents.order().size());
    info.activeThreads = d->threads.activeCount();
    info.totalMessages = d->totalMessages;
    info.identityConfigured = !d->config.identity.isEmpty() && QFileInfo::exists(d->config.identity);
    if (d->pump)
        info.saturation = d->admission.saturation(d->pump->totalQueued(), d->backlog());
    const LoadMeter::Figures load = d->load.figures();
    info.saturation.messagesPerSecond = load.messagesPerSecond;
    info.saturation.handledLastMinute = load.handledLastMinute;
    info.saturation.threadErrorsLastMinute = load.threadErrorsLastMinute;
    info.saturation.handlerP50Ms = load.handlerP50Ms;
    info.saturation.handlerP95Ms = load.handlerP95Ms;
    info.historyProblem = d->historyProblem();
    return info;
}

QList<AgentInfo> Organism::agents() const
{
    QList<AgentInfo> out;
    out.reserve(d->agents.order().size());
    for (const QString &name : d->agents.order())
        out.append(d->agentSnapshot(name));
    return out;
}

std::optional<AgentInfo> Organism::agent(const QString &name) const
{
    if (!d->agents.contains(name))
        return std::nullopt;
    return d->agentSnapshot(name);
}

QList<Capability> Organism::capabilities() const
{
    QStringList names = d->agents.order();
    std::sort(names.begin(), names.end()); // code-point order, as the original's Python sort
    QList<Capability> out;
    for (const QString &name : std::as_const(names)) {
        if (auto capability = this->capability(name))
            out.append(*capability);
    }
    return out;
}

std::optional<Capability> Organism::capability(const QString &name) const
{
    const ListenerConfig *listener = d->config.listener(name);
    if (!listener)
        return std::nullopt;
    Capability capability;
    capability.name = listener->name;
    capability.description = listener->description;
    capability.isAgent = listener->agent;
    capability.peers = listener->peers;
    capability.rootTag = SchemaRegistry::rootTag(listener->name, listener->payloadType);
    capability.payloadClass = listener->payloadClass;
    capability.payloadType = listener->payloadType;
    capability.schemaXsd = d->schemas->xsd(listener->payloadType);
    capability.exampleXml = d->schemas->exampleXml(listener->payloadType);
    return capability;
}

// Reads answer from what the history has committed, without waiting for the writer. An acknowledged
// inject is committed with its thread's row; a finished thread stays in memory until its final row is
// committed; and the rows in a page are brought up to date from memory: what a client was told is there.
ThreadPage Organism::threads(const ThreadQuery &query) const
{
    d->saveThreads();
    ThreadPage page = d->store->threads(query);
    for (ThreadInfo &thread : page.items) {
        if (const ThreadInfo *live = d->threads.find(thread.id))
            thread = *live;
    }
    return page;
}

std::optional<ThreadInfo> Organism::thread(const QString &id) const
{
    if (const ThreadInfo *live = d->threads.find(id))
        return *live;
    return d->store->thread(id);
}

MessagePage Organism::messages(const MessageQuery &query) const
{
    return d->store->messages(query);
}

std::optional<ThreadTrace> Organism::trace(const QString &threadId, int limit) const
{
    std::optional<ThreadTrace> trace = d->store->trace(threadId, limit);
    if (!trace)
        return trace;
    if (const ThreadInfo *live = d->threads.find(threadId))
        trace->thread = *live;
    // Calls in flight have no run in the history yet.
    const QHash<qint64, QDateTime> running = d->pump->runningSince(threadId);
    for (TraceHop &hop : trace->hops) {
        if (!hop.run && running.contains(hop.message.seq))
            hop.run = HandlerRun{hop.message.seq, running.value(hop.message.seq), {}, {}};
    }
    return trace;
}

void Organism::injectAcknowledged(const InjectRequest &request, QObject *context,
                                  std::function<void(const InjectResult &)> done)
{
    quint64 ticket = 0;
    InjectResult result = d->enqueueInject(request, &ticket);
    if (!result) {
        ++d->refusedInjects[std::size_t(result.error().kind)];
        done(result);
        return;
    }
    // Answered from the event loop once committed (HistoryStore::committed), never from in here.
    d->acknowledgements.add(ticket, d->lastAcceptedSeq, context, std::move(done), std::move(result));
}

void Organism::branchAcknowledged(const BranchRequest &request, QObject *context,
                                  std::function<void(const InjectResult &)> done)
{
    quint64 ticket = 0;
    InjectResult result = d->enqueueBranch(request, &ticket);
    if (!result) {
        done(result);
        return;
    }
    d->acknowledgements.add(ticket, d->lastAcceptedSeq, context, std::move(done), std::move(result));
}

bool Organism::pauseAgent(const QString &name)
{
    if (!d->agents.contains(name))
        return false;
    d->pump->pause(name);
    return true;
}

bool Organism::resumeAgent(const QString &name)
{
    if (!d->agents.contains(name))
        return false;
    d->agents.setFailing(name, false);
    d->pump->resume(name);
    return true;
}

bool Organism::killThread(const QString &id)
{
    ThreadInfo *thread = d->threads.find(id);
    if (!thread) {
        std::optional<ThreadInfo> stored = d->store->thread(id);
        if (!stored)
            return false;
        thread = d->threads.adopt(*stored);
    }
    const QList<qint64> dropped = d->pump->cancelThread(id);
    if (!dropped.isEmpty())
        d->store->markDelivered(dropped); // a killed thread is not resumed
    if (thread->status == ThreadStatus::Error)
        d->dropFailed(id); // nor retried
    d->setThreadStatus(*thread, ThreadStatus::Killed, {});
    return true;
}

void Organism::retryThreadAcknowledged(const QString &id, QObject *context,
                                       std::function<void(const RetryResult &)> done)
{
    quint64 ticket = 0;
    const RetryResult result = d->requeueFailed(id, &ticket);
    if (!result) {
        done(result);
        return;
    }
    // Answered once the thread's row, active again, is committed: acknowledged means on disk.
    d->acknowledgements.add(
        ticket, 0, context,
        [done = std::move(done), result](const InjectResult &committed) {
            if (committed)
                done(result);
            else
                done(retryRefused(RetryError::HistoryUnavailable, committed.error().message));
        },
        InjectedMessage{result->threadId, {}});
}

ReloadResult Organism::reload()
{
    ReloadFailure failure;
    const auto failed = [&failure](const QString &message) {
        failure.message = message;
        return tl::unexpected(failure);
    };
    if (d->config.filePath.isEmpty())
        return failed(u"No config path available for reload"_s);
    const ConfigLoadResult loaded = ConfigLoader::loadFile(d->config.filePath);
    // Warnings are reported whether or not the reload goes ahead: a misspelt key is never silent.
    for (const ConfigWarning &warning : loaded.warnings) {
        failure.warnings.append(warning.toString());
        qCWarning(lcOrganism).noquote() << "reload: warning:" << warning.toString();
    }
    if (!loaded.ok()) {
        QStringList errors;
        for (const ConfigError &error : loaded.errors)
            errors << error.toString();
        return failed(errors.join(u"; "));
    }
    OrganismConfig next = *loaded.config;
    QString error;
    auto nextSchemas = SchemaRegistry::build(BudgetWarnings::withSystemTypes(next.payloads), &error);
    if (!nextSchemas)
        return failed(error);

    // A changed llm section is checked first (usable backends, every agent's model served); it is applied
    // with the rest, once nothing can fail any more.
    const ReloadPlan plan = ReloadPlanner::plan(d->config, next, d->agents.order());
    const bool llmChanged = d->llm && plan.llmChanged;
    if (llmChanged && !d->checkLlmChange(next, &error))
        return failed(error);
    const QScopeGuard forgetServed([this] { d->factory.setModelsAboutToBeServed({}); });

    // Build every new or changed listener before touching the running organism, so a failure leaves it as it was.
    std::map<QString, std::unique_ptr<Listener>> built;
    for (const ListenerConfig &listener : std::as_const(next.listeners)) {
        if (!plan.builds(listener.name))
            continue;
        std::unique_ptr<Listener> created = d->factory.create(listener, &error);
        if (!created)
            return failed(u"%1:%2: listeners.%3: %4"_s.arg(next.filePath).arg(listener.line).arg(listener.name, error));
        d->watchListener(created.get());
        built.emplace(listener.name, std::move(created));
    }
    if (llmChanged && !d->llm->reconfigure(next.llm, &error))
        return failed(error);
    for (const QString &name : std::as_const(plan.removed)) {
        d->pump->removeListener(name);
        d->listeners.at(name)->stop();
        d->listeners.erase(name);
        d->agents.remove(name);
    }
    d->config = next;
    d->schemas = std::move(nextSchemas);
    d->ledger.configure(next, d->store.get());
    d->applyLimits();
    d->applyRoutes();
    for (auto &[name, listener] : built) {
        const bool existing = d->listeners.count(name) > 0;
        const AgentInfo info = ListenerFactory::describe(*d->config.listener(name));
        if (existing) {
            d->listeners.at(name)->stop();
            d->agents.replace(info);
            d->pump->replaceListener(listener.get());
        } else {
            d->agents.add(info);
            d->pump->addListener(listener.get());
        }
        if (d->status == OrganismStatus::Running)
            listener->start();
        d->listeners[name] = std::move(listener);
        d->changes.agentChanged(name);
    }
    const ConfigChanges changes{plan.added, plan.removed, plan.updated, failure.warnings};
    d->changes.schedule();
    emit reloaded(changes);
    return changes;
}

UsageSnapshot Organism::usage() const
{
    return d->ledger.tracker().snapshot();
}
UsageCounters Organism::agentUsage(const QString &agentId) const
{
    return d->ledger.tracker().agent(agentId);
}
UsageCounters Organism::modelUsage(const QString &model) const
{
    return d->ledger.tracker().model(model);
}
void Organism::resetUsage()
{
    d->ledger.resetGauge(d->store.get());
}
const PriceTable &Organism::prices() const
{
    return d->ledger.prices();
}
QList<LlmBackendState> Organism::llmBackends() const
{
    return d->llm ? d->llm->backendStates() : QList<LlmBackendState>();
}
QList<ThreadBudget> Organism::budgets() const
{
    return d->ledger.threadBudgets().budgets();
}
std::optional<ThreadBudget> Organism::budget(const QString &threadId) const
{
    return d->ledger.threadBudgets().budget(threadId);
}
QList<HandlerStats> Organism::handlerStats() const
{
    return d->pump ? d->pump->handlerStats() : QList<HandlerStats>();
}

qint64 Organism::injectsRefused(InjectError reason) const
{
    return d->refusedInjects[std::size_t(reason)];
}
qint64 Organism::defaultMaxTokens() const
{
    return d->ledger.threadBudgets().defaultMaxTokens();
}

std::optional<ThreadBudget> Organism::setThreadBudget(const QString &threadId, qint64 maxTokens)
{
    if (!d->ledger.threadBudgets().contains(threadId) && !thread(threadId))
        return std::nullopt;
    return d->ledger.setThreadBudget(threadId, maxTokens);
}

QList<ScopeBudget> Organism::scopeBudgets() const
{
    return d->ledger.scopeBudgets().budgets();
}
std::optional<ScopeBudget> Organism::scopeBudget(const QString &scope) const
{
    return d->ledger.scopeBudgets().budget(scope);
}

Result<ScopeBudget> Organism::setScopeBudget(const QString &scope, const ScopeBudgetChange &change)
{
    const bool organismScope = scope == QLatin1StringView(ScopeBudgets::kOrganismScope);
    const bool agentScope = scope.startsWith(u"agent:"_s) && d->agents.contains(scope.mid(6));
    if (!organismScope && !agentScope)
        return fail(u"Unknown budget scope: %1 (use organism or agent:<name>)"_s.arg(scope));
    if (std::optional<ScopeBudget> budget = d->ledger.setScopeBudget(scope, change, d->store.get()))
        return *budget;
    return fail(u"No budget for %1 yet: give maxTokens or maxCost"_s.arg(scope));
}

void Organism::flushChanges()
{
    if (d->changes.isScheduled())
        d->flush();
    d->announceCommitted();
}

} // namespace agentdesk
