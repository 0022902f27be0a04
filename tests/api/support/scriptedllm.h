#pragma once

#include "llm/llmclient.h"

#include <QList>
#include <QString>

// An LlmClient whose answers the test writes in advance (tests/core/listeners/tst_agentlistener.cpp has
// the original): each call takes the next Step — model the provider "returned", token counts, latency and
// the reply text. A call that finds no step left is held (pending) until release() or cancel(), which
// keeps its thread active: that is how the usage tests keep a budget alive.
class ScriptedLlm : public agentdesk::LlmClient
{
public:
    struct Step
    {
        QString model; // empty: the requested model
        qint64 promptTokens = 0;
        qint64 completionTokens = 0;
        qint64 cachedPromptTokens = 0; // of promptTokens
        double latencyMs = 0;
        QString reply;
        QString provider = QStringLiteral("scripted");
    };
    struct Pending
    {
        quint64 id = 0;
        agentdesk::LlmRequest request;
        Completion done;
    };

    quint64 complete(const agentdesk::LlmRequest &request, Completion done) override;
    void cancel(quint64 callId) override;
    bool serves(const QString &model) const override;

    // Answers the oldest held call with `step`; false when none is held.
    bool release(const Step &step);

    QList<Step> script;
    QList<agentdesk::LlmRequest> requests;
    QList<Pending> pending;
    QList<quint64> cancelled;

private:
    static agentdesk::LlmResult resultOf(const agentdesk::LlmRequest &request, const Step &step);

    quint64 m_nextId = 1;
};
