#pragma once

#include "organismfixture.h"
#include "scriptedllm.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

namespace agentdesk::test {

// tests/support's OrganismFixture on an engine thread, as the application runs an organism (a
// LocalSession on the GUI thread, the organism on its own): the one job this layer adds is the thread.
// Its agents are answered by a ScriptedLlm that, unless scripted, replies with an empty text.
class TestEngine
{
public:
    enum class Threading { SameThread, OwnThread };

    explicit TestEngine(Threading threading);
    ~TestEngine(); // destroys the organism on its thread, then ends the thread
    Q_DISABLE_COPY_MOVE(TestEngine)

    // OrganismFixture::start in `directory`, on the engine thread (so that every QObject the organism
    // owns belongs to it).
    bool start(const QByteArray &yaml, const QString &directory, QString *error);
    Organism *organism() const { return m_fixture ? m_fixture->organism() : nullptr; }
    // Read and written on the engine thread (call()) once the organism runs there.
    ScriptedLlm *llm() const { return m_llm.get(); }
    QThread *thread() const;

    // Runs f(organism) on the organism's thread, waits, and returns what it returned.
    template <typename F>
    auto call(F f) -> std::invoke_result_t<F, Organism &>;

private:
    void runOnEngine(const std::function<void()> &work);

    Threading m_threading;
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<QObject> m_anchor;  // lives on the engine thread: blocking calls are queued to it
    std::unique_ptr<ScriptedLlm> m_llm; // made and destroyed on the engine thread, after the organism
    std::optional<OrganismFixture> m_fixture;
};

template <typename F>
auto TestEngine::call(F f) -> std::invoke_result_t<F, Organism &>
{
    using Result = std::invoke_result_t<F, Organism &>;
    if constexpr (std::is_void_v<Result>) {
        runOnEngine([&] { f(*organism()); });
    } else {
        Result result{};
        runOnEngine([&] { result = f(*organism()); });
        return result;
    }
}

} // namespace agentdesk::test
