#include "agentlistener.h"

#include "schema/schemaregistry.h"

#include <QPointer>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr qsizetype kRawTextInError = 2000;

qint64 estimateTokens(const QList<LlmMessage> &messages)
{
    qint64 characters = 0;
    for (const LlmMessage &message : messages)
        characters += message.content.size();
    return std::max<qint64>(100, characters / 4);
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

} // namespace

const QString AgentListener::kBudgetWarningType = u"BudgetWarning"_s;

AgentListener::AgentListener(ListenerConfig config, ListenerEnvironment environment, QObject *parent)
    : Listener(std::move(config), std::move(environment), parent)
{
}

AgentListener::~AgentListener()
{
    if (LlmClient *llm = environment().agentServices ? environment().agentServices->llmClient() : nullptr) {
        for (const Pending &pending : std::as_const(m_llmCalls))
            llm->cancel(pending.llmCall);
    }
}

QString AgentListener::systemPrompt() const
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
              "is ignored. Each payload you send continues the conversation; replying with no payload ends your "
              "part of it.\n"_s;
    return prompt;
}

QList<LlmMessage> AgentListener::conversation(const MessageRecord &incoming) const
{
    QList<LlmMessage> messages{{u"system"_s, systemPrompt()}};
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
    LlmRequest request;
    request.model = config().model;
    request.messages = conversation(incoming);
    request.agentId = name();
    request.threadId = incoming.threadId;
    if (const std::optional<QString> refusal = services->checkBudget(incoming.threadId, estimateTokens(request.messages))) {
        call->hold(*refusal);
        return;
    }
    QPointer<AgentListener> self(this);
    const quint64 callId = call->id();
    const quint64 llmCall = llm->complete(request, [self, call](const LlmResult &result) {
        if (self)
            self->onCompleted(call, result);
    });
    m_llmCalls.insert(callId, Pending{llmCall, request.messages});
}

void AgentListener::cancel(quint64 callId)
{
    const auto it = m_llmCalls.constFind(callId);
    if (it == m_llmCalls.cend())
        return;
    if (AgentServices *services = environment().agentServices; services && services->llmClient())
        services->llmClient()->cancel(it->llmCall);
    m_llmCalls.remove(callId);
}

void AgentListener::onCompleted(const HandlerCallPtr &call, const LlmResult &result)
{
    const Pending pending = m_llmCalls.take(call->id());
    if (call->isCancelled())
        return;
    if (!result.ok) {
        call->fail(u"%1: LLM call failed: %2"_s.arg(name(), result.error));
        return;
    }
    LlmTranscript transcript{call->message().seq, {}, result.content};
    for (const LlmMessage &message : pending.prompt)
        transcript.prompt.append(PromptMessage{message.role, message.content});
    environment().agentServices->recordUsage(name(), call->message().threadId, result, transcript);
    if (config().peers.isEmpty()) {
        call->finish();
        return;
    }
    QList<OutgoingMessage> payloads = extractPayloads(result.content);
    if (payloads.isEmpty()) {
        call->fail(u"%1 replied without a payload for its peers (%2); the reply was: %3"_s.arg(
            name(), config().peers.join(u", "), result.content.left(kRawTextInError)));
        return;
    }
    call->finish(std::move(payloads));
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
