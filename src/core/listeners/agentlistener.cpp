#include "agentlistener.h"

#include "schema/schemaregistry.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr qsizetype kRawTextInError = 2000;

// A reply without max_tokens is assumed to stay within this many tokens when reserving budget.
constexpr qint64 kAssumedMaxTokens = 4096;
// Per message, the provider's framing (role markers, separators) in tokens: conservative.
constexpr qint64 kTokensPerMessage = 8;

// What a call's prompt may cost: the usual estimate (characters / 4, at least 100, spec §8.1) and an
// upper bound (every UTF-8 byte a token — byte-level tokenizers never produce more — plus framing).
struct PromptEstimate
{
    qint64 optimistic = 0;
    qint64 conservative = 0;
};

PromptEstimate estimatePrompt(const LlmRequest &request)
{
    qint64 characters = 0;
    qint64 bytes = 0;
    const auto add = [&](const QString &text) {
        characters += text.size();
        bytes += text.toUtf8().size();
    };
    for (const LlmMessage &message : request.messages) {
        add(message.content);
        for (const LlmToolCall &call : message.toolCalls)
            add(call.name + call.argumentsText);
    }
    for (const LlmTool &tool : request.tools)
        add(tool.name + tool.description
            + QString::fromUtf8(
                QJsonDocument(QJsonObject::fromVariantMap(tool.parameters)).toJson(QJsonDocument::Compact)));
    PromptEstimate estimate;
    estimate.optimistic = std::max<qint64>(100, characters / 4);
    estimate.conservative = std::max(estimate.optimistic, bytes + kTokensPerMessage * qint64(request.messages.size()));
    return estimate;
}

// The end of the element that starts at `open` (its `<`), counting nested elements of the same name.
qsizetype elementEnd(const QString &text, const QString &name, qsizetype open)
{
    const QRegularExpression tag(u"<(/?)%1(?:\\s[^<>]*?)?(/?)>"_s.arg(QRegularExpression::escape(name)));
    int depth = 0;
    auto match = tag.globalMatch(text, open);
    while (match.hasNext()) {
        const auto m = match.next();
        const bool closing = !m.captured(1).isEmpty();
        const bool selfClosing = !m.captured(2).isEmpty();
        if (selfClosing && !closing) {
            if (depth == 0)
                return m.capturedEnd();
            continue;
        }
        depth += closing ? -1 : 1;
        if (depth == 0)
            return m.capturedEnd();
    }
    return -1;
}

// What one attempt was sent and answered, for the thread's timeline. Tool calls are shown as
// `name(arguments)` lines after the text, so a native-tool reply is not an empty response.
LlmTranscript transcriptOf(qint64 seq, const QList<LlmMessage> &prompt, const LlmResult &attempt)
{
    LlmTranscript transcript{seq, {}, attempt.content};
    transcript.prompt.reserve(prompt.size());
    for (const LlmMessage &message : prompt)
        transcript.prompt.append(PromptMessage{message.role, message.content});
    for (const LlmToolCall &toolCall : attempt.toolCalls) {
        if (!transcript.response.isEmpty())
            transcript.response += u'\n';
        transcript.response += toolCall.name + u'(' + toolCall.argumentsText + u')';
    }
    return transcript;
}

} // namespace

const QString AgentListener::kBudgetWarningType = u"BudgetWarning"_s;

AgentListener::AgentListener(ListenerConfig config, ListenerEnvironment environment, QObject *parent)
    : Listener(std::move(config), std::move(environment), parent)
{ }

AgentListener::~AgentListener()
{
    if (LlmClient *llm = environment().agentServices ? environment().agentServices->llmClient() : nullptr) {
        const auto turns = std::exchange(m_turns, {});
        for (const Turn &turn : turns)
            llm->cancel(turn.llmCall);
    }
}

QString AgentListener::toolName(const QString &peer) const
{
    static const QRegularExpression invalid(u"[^A-Za-z0-9_-]"_s);
    QString base = peer;
    base.replace(invalid, u"_"_s);
    base.truncate(60);
    // Peers whose names differ only in replaced characters get a numbered name, in peer order.
    int clashes = 0;
    for (const QString &other : config().peers) {
        if (other == peer)
            break;
        if (QString(other).replace(invalid, u"_"_s).left(60) == base)
            ++clashes;
    }
    return clashes == 0 ? base : base + u'_' + QString::number(clashes + 1);
}

QHash<QString, QString> AgentListener::toolPeers() const
{
    QHash<QString, QString> peers;
    for (const QString &peer : config().peers)
        peers.insert(toolName(peer), peer);
    return peers;
}

QList<LlmTool> AgentListener::tools() const
{
    const SchemaRegistry *schemas = environment().schemas ? environment().schemas() : nullptr;
    QList<LlmTool> tools;
    for (const QString &peer : config().peers) {
        const QString type = environment().payloadTypeOf ? environment().payloadTypeOf(peer) : QString();
        QString description = environment().descriptionOf ? environment().descriptionOf(peer) : QString();
        description += u" (sends a %1 payload to %2)"_s.arg(type, peer);
        tools.append(
            LlmTool{toolName(peer), description.trimmed(), schemas ? schemas->jsonSchema(type) : QVariantMap()});
    }
    return tools;
}

QString AgentListener::systemPrompt(LlmToolMode mode) const
{
    const ListenerConfig &own = config();
    const SchemaRegistry *schemas = environment().schemas ? environment().schemas() : nullptr;
    QString prompt;
    if (!own.prompt.trimmed().isEmpty())
        prompt += own.prompt.trimmed() + u"\n\n"_s;
    prompt += u"You are the %1 agent.\nDescription: %2\n"_s.arg(own.name, own.description);
    if (own.peers.isEmpty()) {
        prompt += u"\nYou have no peers: answer in plain text.\n"_s;
        return prompt;
    }
    if (mode == LlmToolMode::Native) {
        prompt += u"\nYou talk to your peers by calling tools: each peer is one tool, whose parameters are the "
                  "payload it receives. Your peers:\n"_s;
        for (const QString &peer : own.peers) {
            const QString description = environment().descriptionOf ? environment().descriptionOf(peer) : QString();
            prompt += u"- %1 (tool %2): %3\n"_s.arg(peer, toolName(peer), description);
        }
        prompt += u"\nResponse semantics: call one tool for every payload you send, with every required parameter "
                  "filled in; several calls in one reply are sent in order. Each payload you send continues the "
                  "conversation; "_s
            + (own.requireReply ? u"you must call at least one tool: a reply without a tool call is an error.\n"_s
                                : u"replying without a tool call ends your part of it.\n"_s);
        return prompt;
    }
    prompt += u"\nYou talk to your peers by writing XML payloads. Your peers:\n"_s;
    for (const QString &peer : own.peers) {
        const QString type = environment().payloadTypeOf ? environment().payloadTypeOf(peer) : QString();
        const QString description = environment().descriptionOf ? environment().descriptionOf(peer) : QString();
        prompt += u"\n## %1 (payload %2)\n%3\nSchema:\n%4\n<example peer=\"%1\">\n%5\n</example>\n"_s.arg(
            peer, type, description, schemas ? schemas->xsd(type).trimmed() : QString(),
            schemas ? schemas->exampleXml(type) : QString());
    }
    prompt += u"\nResponse semantics: reply with one or more XML payloads, each one addressed to a peer by its root "
              "element (the payload type above), with every required element filled in. Text outside the payloads "
              "is ignored. Each payload you send continues the conversation; "_s
        + (own.requireReply ? u"you must send at least one payload: a reply without one is an error.\n"_s
                            : u"replying with no payload ends your part of it.\n"_s);
    return prompt;
}

QList<LlmMessage> AgentListener::conversation(const MessageRecord &incoming, LlmToolMode mode) const
{
    QList<LlmMessage> messages{{u"system"_s, systemPrompt(mode)}};
    const QList<MessageRecord> history = environment().agentServices->threadHistory(incoming.threadId, kHistoryLimit);
    for (const MessageRecord &earlier : history) {
        // Later messages belong to other branches of the thread, except what this agent itself sent in the
        // turn that produced the incoming message.
        if (earlier.id == incoming.id || (earlier.seq > incoming.seq && earlier.from != name()))
            continue;
        if (earlier.from == name())
            messages.append({u"assistant"_s, QString::fromUtf8(earlier.xml)});
        else if (earlier.to == name())
            messages.append({u"user"_s, u"Message from %1:\n%2"_s.arg(earlier.from, QString::fromUtf8(earlier.xml))});
    }
    messages.append({u"user"_s, u"Message from %1:\n%2"_s.arg(incoming.from, QString::fromUtf8(incoming.xml))});
    return messages;
}

void AgentListener::handle(const HandlerCallPtr &call)
{
    const MessageRecord &incoming = call->message();
    // A budget warning joins the thread's history (the next prompt shows it); it costs no call of its own.
    if (incoming.payloadType == kBudgetWarningType) {
        call->finish();
        return;
    }
    AgentServices *services = environment().agentServices;
    LlmClient *llm = services ? services->llmClient() : nullptr;
    if (!llm) {
        call->fail(u"%1 is an LLM agent, and no LLM backend is configured"_s.arg(name()));
        return;
    }
    Turn turn;
    turn.call = call;
    turn.mode = config().peers.isEmpty() ? LlmToolMode::Xml : llm->toolModeFor(config().model, config().toolMode);
    turn.toolRetriesLeft = config().maxToolRetries;
    turn.request.model = config().model;
    turn.request.messages = conversation(incoming, turn.mode);
    turn.request.temperature = config().temperature.value_or(0.7);
    turn.request.maxTokens = config().maxTokens;
    if (turn.mode == LlmToolMode::Native)
        turn.request.tools = tools();
    turn.request.agentId = name();
    turn.request.threadId = incoming.threadId;
    const quint64 callId = call->id();
    m_turns.insert(callId, turn);
    if (!ask(m_turns[callId]))
        m_turns.remove(callId);
}

// Sends the turn's conversation once its budgets admit it; false when a budget held the call instead.
// A call that has to wait for the calls in flight is asked again when one of them settles.
bool AgentListener::ask(Turn &turn)
{
    AgentServices *services = environment().agentServices;
    const quint64 callId = turn.call->id();
    const PromptEstimate prompt = estimatePrompt(turn.request);
    const AgentServices::CallAdmission admission = services->admitCall(
        turn.request, prompt.optimistic, prompt.conservative, turn.request.maxTokens.value_or(kAssumedMaxTokens));
    switch (admission.kind) {
    case AgentServices::CallAdmission::Kind::Held:
        turn.call->hold(admission.reason);
        return false;
    case AgentServices::CallAdmission::Kind::Wait: {
        QPointer<AgentListener> self(this);
        services->whenBudgetHasRoom([self, callId] {
            if (self)
                self->askWhenAdmitted(callId);
        });
        return true;
    }
    case AgentServices::CallAdmission::Kind::Granted:
        break;
    }
    turn.reservation = admission.reservation;
    turn.retryRefused = false;
    QPointer<AgentListener> self(this);
    const QString threadId = turn.call->message().threadId;
    const QString agent = name();
    const quint64 reservation = admission.reservation;
    LlmClient::Handlers handlers;
    handlers.done = [self, callId](const LlmResult &result) {
        if (self)
            self->onCompleted(callId, result);
    };
    handlers.attemptEnded = [self, services, agent, threadId, reservation, seq = turn.call->message().seq,
                             prompt = turn.request.messages](const LlmResult &attempt) {
        if (self && attempt.isMetered())
            services->recordUsage(agent, threadId, attempt, reservation, transcriptOf(seq, prompt, attempt));
    };
    handlers.partial = [self, services, agent, threadId, callId](const LlmPartial &partial) {
        if (self)
            services->publishPartial(agent, threadId, callId, partial);
    };
    handlers.mayRetry = [self, services, reservation, callId] {
        if (!self)
            return false;
        const bool room = services->renewCall(reservation);
        if (!room && self->m_turns.contains(callId))
            self->m_turns[callId].retryRefused = true;
        return room;
    };
    turn.llmCall = services->llmClient()->call(turn.request, std::move(handlers));
    return true;
}

void AgentListener::askWhenAdmitted(quint64 callId)
{
    const auto it = m_turns.find(callId);
    if (it == m_turns.end() || it->call->isCancelled())
        return;
    if (!ask(*it))
        m_turns.erase(it);
}

void AgentListener::cancel(quint64 callId)
{
    const auto it = m_turns.find(callId);
    if (it == m_turns.end())
        return;
    const Turn turn = *it;
    m_turns.erase(it);
    AgentServices *services = environment().agentServices;
    if (!services)
        return;
    // The client reports an attempt that was on the wire as aborted (metered) from inside cancel().
    if (services->llmClient() && turn.llmCall != 0)
        services->llmClient()->cancel(turn.llmCall);
    services->releaseCall(turn.reservation);
    services->endPartial(callId);
}

void AgentListener::endTurn(quint64 callId)
{
    const auto it = m_turns.find(callId);
    if (it == m_turns.end())
        return;
    const quint64 reservation = it->reservation;
    m_turns.erase(it);
    environment().agentServices->releaseCall(reservation);
    environment().agentServices->endPartial(callId);
}

void AgentListener::onCompleted(quint64 callId, const LlmResult &result)
{
    const auto it = m_turns.find(callId);
    if (it == m_turns.end())
        return;
    Turn &turn = *it;
    const HandlerCallPtr call = turn.call;
    if (result.isMetered())
        environment().agentServices->recordUsage(name(), call->message().threadId, result, turn.reservation,
                                                 transcriptOf(call->message().seq, turn.request.messages, result));
    if (call->isCancelled()) {
        endTurn(callId);
        return;
    }
    if (!result.ok) {
        const bool budgetStoppedIt = turn.retryRefused;
        endTurn(callId);
        if (budgetStoppedIt) // its budget had no room for another attempt: held, like an exhausted one
            call->hold(u"%1: no budget left for another attempt after: %2"_s.arg(name(), result.error));
        else
            call->fail(u"%1: LLM call failed: %2"_s.arg(name(), result.error));
        return;
    }
    if (config().peers.isEmpty()) {
        endTurn(callId);
        call->finish();
        return;
    }
    if (!result.toolCalls.isEmpty()) {
        onToolCalls(turn, result);
        return;
    }
    finishWithText(turn, result.content);
}

// The reply's payloads as text (XML mode, or a model that wrote XML instead of calling a tool).
void AgentListener::finishWithText(Turn &turn, const QString &reply)
{
    const HandlerCallPtr call = turn.call;
    QList<OutgoingMessage> payloads = turn.accepted + extractPayloads(reply);
    endTurn(call->id());
    if (payloads.isEmpty() && config().requireReply) {
        const QString said = reply.trimmed().isEmpty() ? u"(empty)"_s : reply.left(kRawTextInError);
        call->fail(u"%1 replied without a payload, and it has `require_reply: true`: a payload for one of its peers "
                   "(%2) was required; the reply was: %3"_s.arg(name(), config().peers.join(u", "), said));
        return;
    }
    // No payload: the agent's part of the thread ends here (its prose is in the call's transcript).
    call->finish(std::move(payloads));
}

// Tool calls become payloads in the order they were made. Invalid ones go back to the model as the
// tool's error result while retries are left; the valid ones of that reply are kept and sent with the
// corrected ones.
void AgentListener::onToolCalls(Turn &turn, const LlmResult &result)
{
    const HandlerCallPtr call = turn.call;
    QStringList errors;
    LlmMessage assistant{u"assistant"_s, result.content};
    assistant.toolCalls = result.toolCalls;
    QList<LlmMessage> answers;
    for (const LlmToolCall &toolCall : result.toolCalls) {
        const ToolOutcome outcome = payloadFor(toolCall);
        LlmMessage answer{u"tool"_s, QString()};
        answer.toolCallId = toolCall.id;
        answer.toolName = toolCall.name;
        if (outcome.payload) {
            turn.accepted.append(*outcome.payload);
            answer.content = u"Accepted: the payload will be sent to %1."_s.arg(outcome.payload->to);
        } else {
            errors.append(u"tool %1: %2"_s.arg(toolCall.name, outcome.error));
            answer.isError = true;
            answer.content = u"Refused, nothing was sent: %1. Call the tool again with corrected arguments."_s.arg(
                outcome.error);
        }
        answers.append(answer);
    }
    if (errors.isEmpty()) {
        QList<OutgoingMessage> payloads = std::move(turn.accepted);
        endTurn(call->id());
        call->finish(std::move(payloads));
        return;
    }
    if (turn.toolRetriesLeft <= 0) {
        endTurn(call->id());
        call->fail(u"%1 made invalid tool calls (%2 retries used): %3"_s.arg(name())
                       .arg(config().maxToolRetries)
                       .arg(errors.join(u"; "_s)));
        return;
    }
    --turn.toolRetriesLeft;
    turn.request.messages.append(assistant);
    turn.request.messages += answers;
    // The follow-up is a call of its own: the last one's reservation is settled, a new one is made.
    environment().agentServices->releaseCall(std::exchange(turn.reservation, 0));
    const quint64 callId = call->id();
    if (!ask(turn))
        m_turns.remove(callId);
}

AgentListener::ToolOutcome AgentListener::payloadFor(const LlmToolCall &toolCall) const
{
    ToolOutcome outcome;
    const QString peer = toolPeers().value(toolCall.name);
    if (peer.isEmpty()) {
        outcome.error = u"unknown tool `%1`; the tools are: %2"_s.arg(toolCall.name, toolPeers().keys().join(u", "_s));
        return outcome;
    }
    if (!toolCall.argumentsError.isEmpty()) {
        outcome.error = u"the arguments are not a JSON object (%1): %2"_s.arg(toolCall.argumentsError,
                                                                              toolCall.argumentsText.left(200));
        return outcome;
    }
    const SchemaRegistry *schemas = environment().schemas ? environment().schemas() : nullptr;
    const QString type = environment().payloadTypeOf(peer);
    Payload payload;
    SchemaError error;
    if (!schemas || !schemas->buildPayload(type, toolCall.arguments, &payload, &error)) {
        outcome.error = error.message.isEmpty() ? u"no payload type %1"_s.arg(type) : error.message;
        return outcome;
    }
    OutgoingMessage message;
    message.to = peer;
    message.payload.xml = payload.xml;
    outcome.payload = message;
    return outcome;
}

QList<OutgoingMessage> AgentListener::extractPayloads(const QString &reply) const
{
    // Peer payload types, and which peer each one reaches when only one peer takes it.
    QHash<QString, QStringList> peersByType;
    for (const QString &peer : config().peers)
        peersByType[environment().payloadTypeOf(peer)].append(peer);
    QStringList names = peersByType.keys();
    names.removeAll(QString());
    if (names.isEmpty())
        return {};
    for (QString &typeName : names)
        typeName = QRegularExpression::escape(typeName);
    const QRegularExpression start(u"<(%1)(?=[\\s/>])"_s.arg(names.join(u'|')));

    QList<OutgoingMessage> found;
    qsizetype from = 0;
    while (true) {
        const QRegularExpressionMatch m = start.match(reply, from);
        if (!m.hasMatch())
            break;
        const QString type = m.captured(1);
        const qsizetype end = elementEnd(reply, type, m.capturedStart());
        if (end < 0)
            break;
        OutgoingMessage message;
        const QStringList peers = peersByType.value(type);
        if (peers.size() == 1)
            message.to = peers.first();
        message.payload.xml = reply.mid(m.capturedStart(), end - m.capturedStart()).toUtf8();
        found.append(std::move(message));
        from = end;
    }
    return found;
}

} // namespace agentdesk
