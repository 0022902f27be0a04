#pragma once

#include "llm/llmclient.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <deque>
#include <optional>

namespace agentdesk::test {

// The one LlmClient tests answer agents with: replies the test writes in advance, offline, on the next
// event-loop turn (never from inside complete(), as the LlmClient contract says). It stands where the
// router stands, in place of every backend; src/llm's ScriptedBackend is a different thing (a backend
// behind the real router, answering from an organism's replies file by rules), tested in tests/llm.
//
// A call takes, in this order:
//  1. the next Step of `script` (every field of the answer given), else
//  2. the next text of `replies`, else
//  3. `defaultReply`, when set;
// and otherwise, or always while `holdEveryCall`, it is held in `pending` (its thread stays active, its
// budget spent) until release() answers it or the organism cancels it. A text reply is answered with the
// token counts, latency, provider and model suffix below; a text starting with "!error:" fails the call
// with the rest as its error.
class ScriptedLlm : public LlmClient
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
        LlmRequest request;
        Completion done;
    };

    quint64 complete(const LlmRequest &request, Completion done) override;
    void cancel(quint64 callId) override;
    bool serves(const QString &model) const override;
    LlmToolMode toolModeFor(const QString &model, LlmToolMode preferred) const override;
    QList<LlmBackendState> backendStates() const override { return states; }

    // Answers the oldest held call with `step`; false when none is held.
    bool release(const Step &step);

    // What calls are answered with (see above).
    QList<Step> script;
    std::deque<QString> replies;
    std::optional<QString> defaultReply;
    bool holdEveryCall = false;

    // How a text reply is answered.
    qint64 promptTokens = 300;
    qint64 completionTokens = 100;
    qint64 cachedPromptTokens = 0; // of promptTokens
    double latencyMs = 10;
    QString provider = QStringLiteral("fake");
    QString modelSuffix; // appended to the requested model: the dated model a provider says it ran

    // What it serves and reports.
    QStringList servedModels; // empty: every model
    bool native = false;      // the peers are offered as tools (LlmToolMode::Native), else in the prompt
    QList<LlmBackendState> states;

    // What it was asked.
    QList<LlmRequest> requests;
    QList<Pending> pending;
    QList<quint64> cancelled;

private:
    static LlmResult resultOf(const LlmRequest &request, const Step &step);
    LlmResult resultOf(const LlmRequest &request, const QString &reply) const;
    void answerLater(quint64 id, Completion done, const LlmResult &result);

    quint64 m_nextId = 1;
};

} // namespace agentdesk::test
