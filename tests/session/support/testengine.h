#pragma once

#include "llm/llmclient.h"
#include "organism.h"

#include <QObject>
#include <QThread>

#include <deque>
#include <memory>
#include <type_traits>

namespace agentdesk::test {

// An LlmClient that answers every call after one event-loop turn with a scripted reply and fixed token
// counts, so agents meter usage and spend budgets without a network.
class ScriptedLlm final : public LlmClient
{
public:
    quint64 complete(const LlmRequest &request, Completion done) override;
    void cancel(quint64 callId) override;
    bool serves(const QString &model) const override;
    QList<LlmBackendState> backendStates() const override { return states; }

    std::deque<QString> replies; // consumed in order; when empty: defaultReply
    QString defaultReply;
    qint64 promptTokens = 300;
    qint64 completionTokens = 100;
    QList<LlmBackendState> states; // what backendStates() reports (set on the engine thread)

private:
    quint64 m_nextId = 1;
};

// A real Organism built from YAML (ConfigLoader::loadText), either on a thread of its own — the engine
// thread, as in the application — or on the test's thread. Its history lives in the given directory.
class TestEngine
{
public:
    enum class Threading { SameThread, OwnThread };

    explicit TestEngine(Threading threading);
    ~TestEngine(); // destroys the organism on its thread, then ends the thread
    Q_DISABLE_COPY_MOVE(TestEngine)

    // Writes yaml to <directory>/organism.yaml, loads it with its history in <directory>/data, starts it.
    bool start(const QByteArray &yaml, const QString &directory, QString *error);
    Organism *organism() const { return m_organism; }
    ScriptedLlm *llm() const { return m_llm; }
    QThread *thread() const;

    // Runs f(organism) on the organism's thread, waits, and returns what it returned.
    template <typename F>
    auto call(F f) -> std::invoke_result_t<F, Organism &>;

private:
    void runOnEngine(const std::function<void()> &work);

    Threading m_threading;
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<QObject> m_anchor; // lives on the engine thread: blocking calls are queued to it
    Organism *m_organism = nullptr;
    ScriptedLlm *m_llm = nullptr;
};

template <typename F>
auto TestEngine::call(F f) -> std::invoke_result_t<F, Organism &>
{
    using Result = std::invoke_result_t<F, Organism &>;
    if constexpr (std::is_void_v<Result>) {
        runOnEngine([&] { f(*m_organism); });
    } else {
        Result result{};
        runOnEngine([&] { result = f(*m_organism); });
        return result;
    }
}

} // namespace agentdesk::test
