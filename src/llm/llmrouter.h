#pragma once

#include "llm/llmclient.h"
#include "llmbackend.h"
#include "retrypolicy.h"

#include <QHash>
#include <QStringList>

#include <memory>
#include <unordered_map>

class QNetworkAccessManager;
class QTimer;

namespace agentdesk {

// The LlmClient the organism uses: picks a backend for the requested model by `llm.strategy`,
// retries and fails over per `llm.retries` and the retry delays, and reports which backend
// answered, with what tokens and after how long (spec §8.1, §8.6). API keys are read once, here,
// from the environment variables named by each backend's api_key_env. Everything runs on the
// router's thread without blocking; backends that cannot work (missing key or base_url) are left
// out and listed in problems(), which the application turns into a start-up error.
class LlmRouter final : public LlmClient
{
    Q_OBJECT
public:
    enum class Strategy { Failover, RoundRobin, LeastLoaded };

    explicit LlmRouter(const LlmConfig &config, QObject *parent = nullptr);
    ~LlmRouter() override;

    quint64 complete(const LlmRequest &request, Completion done) override;
    quint64 call(const LlmRequest &request, Handlers handlers) override;
    void cancel(quint64 callId) override;
    bool serves(const QString &model) const override;
    LlmToolMode toolModeFor(const QString &model, LlmToolMode preferred) const override;
    QList<LlmBackendState> backendStates() const override;
    double rateLimitWaitSeconds(const QString &agentId) const override;
    bool check(const LlmConfig &config, const QStringList &models, QStringList *unserved,
               QString *error) const override;
    // Swaps in the backends of `config`. A backend that has an attempt on the wire lives on, retired,
    // until no call refers to it; a call's next attempt picks among the new backends, and fails when
    // none serves its model any more.
    bool reconfigure(const LlmConfig &config, QString *error) override;

    // One line per unusable backend, naming it and what to fix (never a key).
    QStringList problems() const { return m_problems; }
    Strategy strategy() const { return m_strategy; }
    QList<LlmBackendStatus> backendStatus() const;
    int pendingCalls() const { return int(m_calls.size()); }

    // failover | round-robin | least-loaded, '_' or '-', any case; anything else is failover.
    static Strategy parseStrategy(const QString &name);

private:
    struct Call;

    // The usable backends of `config` (children of `parent`), by ascending priority; one line per
    // unusable one in `problems`.
    QList<LlmBackend *> createBackends(const LlmConfig &config, QObject *parent, QStringList *problems) const;
    void retireUnused();
    QList<LlmBackend *> candidatesFor(const QString &model) const;
    LlmBackend *pick(Call &call);
    void attempt(quint64 callId);
    void onReply(quint64 callId, const BackendReply &reply);
    void retryLater(Call &call, const BackendReply &reply);
    void fail(quint64 callId, const QString &error);
    void describe(const Call &call, LlmResult *result) const;
    void deliver(quint64 callId, LlmResult result);

    QNetworkAccessManager *m_network = nullptr;
    RetryPolicy m_retry;
    Strategy m_strategy = Strategy::Failover;
    QList<LlmBackend *> m_backends; // usable ones, by ascending priority, config order within a priority
    QList<LlmBackend *> m_retired;  // replaced by reconfigure(), still referred to by a call
    QStringList m_problems;
    std::unordered_map<quint64, std::unique_ptr<Call>> m_calls;
    QHash<QString, quint64> m_roundRobin; // per model: how many calls it has placed
    quint64 m_nextCallId = 0;
};

} // namespace agentdesk
