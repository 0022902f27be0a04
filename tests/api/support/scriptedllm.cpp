#include "scriptedllm.h"

#include <QTimer>

using namespace agentdesk;

quint64 ScriptedLlm::complete(const LlmRequest &request, Completion done)
{
    const quint64 id = m_nextId++;
    requests.append(request);
    if (script.isEmpty()) {
        pending.append(Pending{id, request, std::move(done)});
        return id;
    }
    const LlmResult result = resultOf(request, script.takeFirst());
    // Never from inside complete() (the LlmClient contract).
    QTimer::singleShot(0, this, [this, id, done = std::move(done), result] {
        if (!cancelled.contains(id))
            done(result);
    });
    return id;
}

void ScriptedLlm::cancel(quint64 callId)
{
    cancelled.append(callId);
    pending.removeIf([callId](const Pending &call) { return call.id == callId; });
}

bool ScriptedLlm::serves(const QString &model) const
{
    Q_UNUSED(model);
    return true;
}

bool ScriptedLlm::release(const Step &step)
{
    if (pending.isEmpty())
        return false;
    Pending call = pending.takeFirst();
    const LlmResult result = resultOf(call.request, step);
    QTimer::singleShot(0, this, [done = std::move(call.done), result] { done(result); });
    return true;
}

LlmResult ScriptedLlm::resultOf(const LlmRequest &request, const Step &step)
{
    LlmResult result;
    result.ok = true;
    result.model = step.model.isEmpty() ? request.model : step.model;
    result.provider = step.provider;
    result.backend = QStringLiteral("scripted");
    result.promptTokens = step.promptTokens;
    result.completionTokens = step.completionTokens;
    result.cachedPromptTokens = step.cachedPromptTokens;
    result.latencyMs = step.latencyMs;
    result.content = step.reply;
    result.attempts = 1;
    return result;
}
