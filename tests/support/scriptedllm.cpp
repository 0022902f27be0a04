#include "scriptedllm.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace agentdesk::test {

quint64 ScriptedLlm::complete(const LlmRequest &request, Completion done)
{
    const quint64 id = m_nextId++;
    requests.append(request);
    if (!holdEveryCall && !script.isEmpty()) {
        answerLater(id, std::move(done), resultOf(request, script.takeFirst()));
    } else if (!holdEveryCall && !replies.empty()) {
        const QString reply = replies.front();
        replies.pop_front();
        answerLater(id, std::move(done), resultOf(request, reply));
    } else if (!holdEveryCall && defaultReply) {
        answerLater(id, std::move(done), resultOf(request, *defaultReply));
    } else {
        pending.append(Pending{id, request, std::move(done)});
    }
    return id;
}

void ScriptedLlm::cancel(quint64 callId)
{
    cancelled.append(callId);
    pending.removeIf([callId](const Pending &call) { return call.id == callId; });
}

bool ScriptedLlm::serves(const QString &model) const
{
    return servedModels.isEmpty() || servedModels.contains(model);
}

LlmToolMode ScriptedLlm::toolModeFor(const QString &, LlmToolMode) const
{
    return native ? LlmToolMode::Native : LlmToolMode::Xml;
}

bool ScriptedLlm::release(const Step &step)
{
    if (pending.isEmpty())
        return false;
    Pending call = pending.takeFirst();
    answerLater(call.id, std::move(call.done), resultOf(call.request, step));
    return true;
}

void ScriptedLlm::answerLater(quint64 id, Completion done, const LlmResult &result)
{
    // Never from inside complete(), and never for a call cancelled meanwhile (the LlmClient contract).
    QTimer::singleShot(0, this, [this, id, done = std::move(done), result] {
        if (!cancelled.contains(id))
            done(result);
    });
}

LlmResult ScriptedLlm::resultOf(const LlmRequest &request, const Step &step)
{
    LlmResult result;
    result.ok = true;
    result.model = step.model.isEmpty() ? request.model : step.model;
    result.provider = step.provider;
    result.backend = u"scripted"_s;
    result.promptTokens = step.promptTokens;
    result.completionTokens = step.completionTokens;
    result.cachedPromptTokens = step.cachedPromptTokens;
    result.latencyMs = step.latencyMs;
    result.content = step.reply;
    result.attempts = 1;
    return result;
}

LlmResult ScriptedLlm::resultOf(const LlmRequest &request, const QString &reply) const
{
    Step step;
    step.model = request.model + modelSuffix;
    step.promptTokens = promptTokens;
    step.completionTokens = completionTokens;
    step.cachedPromptTokens = cachedPromptTokens;
    step.latencyMs = latencyMs;
    step.provider = provider;
    step.reply = reply;
    LlmResult result = resultOf(request, step);
    if (reply.startsWith(u"!error:"_s)) {
        result.ok = false;
        result.error = reply.mid(7);
    }
    return result;
}

} // namespace agentdesk::test
