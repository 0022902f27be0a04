#pragma once

#include "listener.h"
#include "domain/trace.h"
#include "llm/llmclient.h"

#include <QHash>

#include <optional>

namespace agentdesk {

// What an LLM agent needs from the organism around it. The Organism implements it.
class AgentServices
{
public:
    virtual ~AgentServices() = default;
    virtual LlmClient *llmClient() const = 0;
    // The thread's recorded messages, oldest first, at most `limit` of the newest.
    virtual QList<MessageRecord> threadHistory(const QString &threadId, int limit) const = 0;
    // Empty when a call of about `estimatedTokens` may go ahead; otherwise why not.
    virtual std::optional<QString> checkBudget(const QString &threadId, qint64 estimatedTokens) = 0;
    // Meters a finished call: usage tracker, history (with what it was sent and answered, for the
    // timeline), the thread's budget and its threshold warnings.
    virtual void recordUsage(const QString &agent, const QString &threadId, const LlmResult &result,
                             const LlmTranscript &transcript) = 0;
};

// `agent: true`: a listener whose handler is an LLM. The prompt is the listener's own `prompt`, usage
// instructions generated from its peers (description, XSD, example), the thread's history and the
// incoming payload. Payloads are extracted from the reply — prose around them, several in one reply —
// and routed to the peers by their root element; a reply with none is an error that keeps the raw text.
// Before every call the thread's budget is checked: when it is exhausted no call is made and the thread
// is held until an operator raises the budget or kills the thread.
class AgentListener : public Listener
{
    Q_OBJECT
public:
    static constexpr int kHistoryLimit = 40;
    static const QString kBudgetWarningType;

    AgentListener(ListenerConfig config, ListenerEnvironment environment, QObject *parent = nullptr);
    ~AgentListener() override;

    void handle(const HandlerCallPtr &call) override;
    void cancel(quint64 callId) override;

    // Exposed for tests: the system prompt and the payloads found in a reply.
    QString systemPrompt() const;
    QList<OutgoingMessage> extractPayloads(const QString &reply) const;

private:
    QList<LlmMessage> conversation(const MessageRecord &incoming) const;
    void onCompleted(const HandlerCallPtr &call, const LlmResult &result);

    struct Pending
    {
        quint64 llmCall = 0;
        QList<LlmMessage> prompt; // what was sent, for the transcript
    };
    QHash<quint64, Pending> m_llmCalls; // handler call → its LLM call
};

} // namespace agentdesk
