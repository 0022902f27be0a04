#pragma once

#include "llmbackend.h"

#include <QHash>
#include <QSet>

namespace agentdesk {

// Provider `scripted`: answers from the replies file (llm.backends[].replies, read by the loader into
// config().scripted) instead of a model, offline and deterministically, so an organism can be tested
// like code (compare LangChain's FakeListLLM, AutoGen's ReplayChatCompletionClient). For the agent
// that asks (LlmRequest::agentId) it takes the incoming message — the last user message, "Message from
// <sender>:" and its payload — and answers with:
//  - the first rule whose `when` holds (contains, matches, fields, from, type; no `when`: always), or
//  - when no entry of the agent has a `when`, its replies in turn, then from the first again.
// `{field}`, `{from}` and `{thread}` in a reply are filled from the incoming message (XML-escaped). An
// entry with `error` fails the call with that text (not retried by the router: a listener's `retry:`
// applies). Tokens are estimated from the text unless the entry gives `usage`; no match is an error
// that names the agent and quotes the payload.
class ScriptedBackend : public LlmBackend
{
    Q_OBJECT
public:
    explicit ScriptedBackend(const LlmBackendConfig &config, QObject *parent = nullptr);

    // The reply for `request` (and the state of the in-turn replies moves on), or *error.
    QString compose(const LlmRequest &request, const ScriptedEntry **used, QString *error);

protected:
    bool servesByConvention(const QString &model) const override;
    void start(quint64 attemptId, const LlmRequest &request) override;
    void stop(quint64 attemptId) override;

private:
    QSet<quint64> m_pending;
    QHash<QString, int> m_nextInTurn; // agent → index of its next in-turn reply
};

} // namespace agentdesk
