#pragma once

#include "listener.h"
#include "domain/trace.h"
#include "llm/llmclient.h"
#include "usage/budgetgate.h"

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
    // Reserve before a call, settle after (every budget the call spends from: the thread's, the
    // agent's, the organism's). Granted: the call may go, under that reservation; Wait: calls in
    // flight hold the room, whenBudgetHasRoom() says when to ask again; Held: a budget is exhausted.
    using CallAdmission = BudgetGate::Admission;
    virtual CallAdmission admitCall(const LlmRequest &request, qint64 optimisticPrompt, qint64 conservativePrompt,
                                    qint64 maxCompletion) = 0;
    // Before a retry: room for another attempt (false: the budget has none, the call stops).
    virtual bool renewCall(quint64 reservation) = 0;
    virtual void releaseCall(quint64 reservation) = 0;
    virtual void whenBudgetHasRoom(std::function<void()> retry) = 0;
    // Meters one attempt the provider may bill (LlmResult::isMetered): usage tracker, history (with what
    // it was sent and answered, for the timeline), the budgets and their threshold warnings;
    // `reservation` is the call's.
    virtual void recordUsage(const QString &agent, const QString &threadId, const LlmResult &attempt,
                             quint64 reservation, const LlmTranscript &transcript) = 0;
    // A streamed reply grew (`call` is the handler call's id); ended when the call ends.
    virtual void publishPartial(const QString &agent, const QString &threadId, quint64 call,
                                const LlmPartial &partial) = 0;
    virtual void endPartial(quint64 call) = 0;
};

// `agent: true`: a listener whose handler is an LLM. The prompt is the listener's own `prompt`, a
// description of its peers, the thread's history and the incoming payload.
//
// Peers are reached in one of two ways (tool_mode, resolved per model by the LLM client):
//  - native: each peer is a tool (its name, description and the JSON Schema of its payload type); the
//    model's tool calls become payloads, validated here. An invalid call goes back to the model as the
//    tool's error result, up to max_tool_retries times; then the call fails naming the field. Several
//    calls in one reply are sent in the order the model made them. XML payloads written into the text
//    are still accepted.
//  - xml: the prompt shows each peer's XSD and an example; payloads are extracted from the reply text
//    (prose around them, several in one reply) and routed by their root element.
// A reply with no payload (no tool call, no XML payload) ends the agent's part of the thread: the call
// finishes sending nothing, its text stays in the call's transcript (the timeline). With
// `require_reply: true` it is an error instead, naming the peers and keeping the raw text. Every attempt the provider may bill is
// metered, the retried and the aborted ones included. Before every call (and every retry) the budgets
// it spends from are reserved: when one is exhausted no call is made and the thread is held until an
// operator raises the budget or kills the thread; when calls in flight hold the room, it waits.
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

    // Exposed for tests: the system prompt, the tools and the payloads found in a reply.
    QString systemPrompt(LlmToolMode mode = LlmToolMode::Xml) const;
    QList<LlmTool> tools() const;
    QList<OutgoingMessage> extractPayloads(const QString &reply) const;
    // The tool name of a peer: its name with every character outside [A-Za-z0-9_-] replaced by `_`
    // (what OpenAI and Anthropic accept), made unique among the peers.
    QString toolName(const QString &peer) const;

private:
    // One handler call: the conversation so far (it grows with tool results), the payloads already
    // accepted, and how many invalid tool calls may still go back to the model.
    struct Turn
    {
        HandlerCallPtr call;
        LlmRequest request;
        LlmToolMode mode = LlmToolMode::Xml;
        QList<OutgoingMessage> accepted;
        int toolRetriesLeft = 0;
        quint64 llmCall = 0;
        quint64 reservation = 0;
        bool retryRefused = false; // the budget had no room for a retry: hold rather than fail
    };
    struct ToolOutcome
    {
        std::optional<OutgoingMessage> payload;
        QString error; // when refused
    };

    QList<LlmMessage> conversation(const MessageRecord &incoming, LlmToolMode mode) const;
    bool ask(Turn &turn);
    void askWhenAdmitted(quint64 callId);
    void onCompleted(quint64 callId, const LlmResult &result);
    void onToolCalls(Turn &turn, const LlmResult &result);
    ToolOutcome payloadFor(const LlmToolCall &toolCall) const;
    void finishWithText(Turn &turn, const QString &reply);
    void endTurn(quint64 callId);
    QHash<QString, QString> toolPeers() const; // tool name → peer

    QHash<quint64, Turn> m_turns; // by handler call id
};

} // namespace agentdesk
