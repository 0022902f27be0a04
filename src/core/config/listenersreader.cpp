#include "listenersreader.h"

#include "suggestion.h"
#include "domain/textlimits.h"

#include <QRegularExpression>

namespace agentdesk {

using namespace Qt::StringLiterals;
using Value = YamlReader::Value;
using MapView = YamlReader::MapView;

void ListenersReader::read(const MapView &top, OrganismConfig *config)
{
    const Value *section = top.given(u"listeners"_s);
    if (!section)
        return;
    if (section->node.IsMap() && (section->node["directory"] || section->node["include"])) {
        m_yaml.error(section->line, section->path,
                     u"split listener files (listeners: {directory, include}) are not supported; write the "
                     "listeners here as a list"_s);
        return;
    }
    if (!m_yaml.expectList(*section, u"listener entries (- name: …)"_s))
        return;
    for (const Value &value : YamlReader::elements(*section)) {
        if (std::optional<ListenerConfig> listener = readListener(value))
            config->listeners.append(std::move(*listener));
    }
}

std::optional<ListenerConfig> ListenersReader::readListener(const Value &value)
{
    static const QStringList known{u"name"_s,
                                   u"description"_s,
                                   u"payload_class"_s,
                                   u"handler"_s,
                                   u"agent"_s,
                                   u"peers"_s,
                                   u"broadcast"_s,
                                   u"prompt"_s,
                                   u"model"_s,
                                   u"timeout_seconds"_s,
                                   u"options"_s,
                                   u"exec"_s,
                                   u"cwd"_s,
                                   u"max_tokens"_s,
                                   u"temperature"_s,
                                   u"tool_mode"_s,
                                   u"max_tool_retries"_s,
                                   u"retry"_s,
                                   u"require_reply"_s};
    static const YamlReader::Ignored ignored{
        {u"trusted"_s, u"exec handlers always run in their own process and built-ins are part of agentdesk"_s},
        {u"handler_sha256"_s, u"there is no Python module to verify; an exec handler runs the program as configured"_s},
        {u"cpu_bound"_s, u"only meant for the original's Python process pool"_s}};

    if (value.isNull()) {
        m_yaml.error(value.line, value.path,
                     u"empty listener entry; expected a map with name, description, "
                     "payload_class and handler"_s);
        return std::nullopt;
    }
    const std::optional<MapView> map = m_yaml.mapOf(value, known, ignored);
    if (!map)
        return std::nullopt;
    const qsizetype errorsBefore = m_yaml.errorCount();
    ListenerConfig listener;
    listener.line = value.line;

    if (const Value *name = m_yaml.required(*map, u"name"_s))
        readName(*name, &listener);
    if (const Value *description = m_yaml.required(*map, u"description"_s)) {
        if (const auto descriptionText = m_yaml.text(*description))
            listener.description = *descriptionText;
    }
    if (const Value *payloadClass = m_yaml.required(*map, u"payload_class"_s))
        readPayloadClass(*payloadClass, &listener);
    const qsizetype errorsBeforeAgent = m_yaml.errorCount();
    m_yaml.readBoolean(*map, u"agent"_s, &listener.agent);
    // With an unreadable `agent` it is unknown whether a handler is needed: do not guess.
    const bool kindKnown = m_yaml.errorCount() == errorsBeforeAgent;
    m_yaml.readBoolean(*map, u"broadcast"_s, &listener.broadcast);
    if (const Value *peers = map->given(u"peers"_s))
        readPeers(*peers, &listener);
    readAgentSettings(*map, kindKnown, &listener);
    m_yaml.readDecimal(*map, u"timeout_seconds"_s, &listener.timeoutSeconds, 0, true);
    if (const Value *retry = map->given(u"retry"_s))
        readRetry(*retry, &listener.retry);
    if (const Value *options = map->given(u"options"_s)) {
        if (options->node.IsMap())
            listener.options = m_yaml.variant(*options).toMap();
        else
            m_yaml.typeError(*options, u"a map of options"_s);
    }
    for (const QString &inlineKey : {u"exec"_s, u"cwd"_s}) {
        if (const Value *misplaced = map->entry(inlineKey))
            m_yaml.error(
                misplaced->line, misplaced->path,
                u"`%1` belongs under handler: write `handler: {exec: [program, args…], cwd: dir}`"_s.arg(inlineKey));
    }

    if (kindKnown)
        readHandler(*map, &listener);
    if (m_yaml.errorCount() > errorsBefore)
        return std::nullopt;
    return listener;
}

// What an LLM agent is asked with: prompt, model, max_tokens, temperature, tool_mode, max_tool_retries,
// require_reply.
void ListenersReader::readAgentSettings(const MapView &map, bool kindKnown, ListenerConfig *listener)
{
    m_yaml.readText(map, u"prompt"_s, &listener->prompt, true);
    m_yaml.readText(map, u"model"_s, &listener->model);
    if (const Value *maxTokens = map.given(u"max_tokens"_s)) {
        if (const auto number = m_yaml.integer(*maxTokens, 1, std::numeric_limits<int>::max()))
            listener->maxTokens = int(*number);
    }
    if (const Value *temperature = map.given(u"temperature"_s)) {
        if (const auto number = m_yaml.decimal(*temperature, 0, false))
            listener->temperature = *number;
    }
    m_yaml.readChoice(map, u"tool_mode"_s, &listener->toolMode, &parseLlmToolMode, {u"auto"_s, u"native"_s, u"xml"_s});
    m_yaml.readInteger(map, u"max_tool_retries"_s, &listener->maxToolRetries, 0, 10);
    m_yaml.readBoolean(map, u"require_reply"_s, &listener->requireReply);
    if (const Value *requireReply = map.given(u"require_reply"_s); requireReply && kindKnown && !listener->agent)
        m_yaml.warn(requireReply->line, requireReply->path,
                    u"ignored: only an LLM agent (`agent: true`) replies in prose; other handlers always say what "
                    "they send"_s);
}

// retry: {attempts: 3, backoff: 2s}
void ListenersReader::readRetry(const Value &value, RetrySpec *retry)
{
    const std::optional<MapView> map = m_yaml.mapOf(value, {u"attempts"_s, u"backoff"_s});
    if (!map)
        return;
    retry->line = value.line;
    if (const Value *attempts = m_yaml.required(*map, u"attempts"_s)) {
        if (const auto number = m_yaml.integer(*attempts, 1, 100))
            retry->attempts = int(*number);
    }
    const Value *backoff = map->given(u"backoff"_s);
    if (!backoff)
        return;
    const std::optional<double> seconds = m_yaml.duration(*backoff);
    if (!seconds)
        return;
    if (*seconds <= 0 || *seconds > 3600)
        m_yaml.error(backoff->line, backoff->path,
                     u"must be more than 0 and at most an hour, found %1 s"_s.arg(QString::number(*seconds)));
    else
        retry->backoffSeconds = *seconds;
}

void ListenersReader::readPeers(const Value &value, ListenerConfig *listener)
{
    const std::optional<QStringList> names = m_yaml.textList(value);
    if (!names)
        return;
    listener->peers = *names;
    // Checked once every listener is known; remember where each was written.
    for (qsizetype i = 0; i < names->size(); ++i) {
        const Value element = YamlReader::element(value, i);
        m_peers.append({names->at(i), element.path, element.line});
    }
}

void ListenersReader::readHandler(const MapView &map, ListenerConfig *listener)
{
    const Value *handler = map.given(u"handler"_s);
    if (listener->agent) {
        listener->handler.kind = HandlerSpec::Kind::Agent;
        listener->handler.line = map.line();
        if (handler)
            m_yaml.warn(handler->line, handler->path,
                        u"ignored: an agent's handler is the LLM (its prompt and model); remove `handler`"_s);
    } else if (handler) {
        m_handlers.read(*handler, &listener->handler);
    } else {
        const Value *empty = map.entry(u"handler"_s);
        m_yaml.error(empty ? empty->line : map.line(), YamlReader::joinKey(map.path(), u"handler"_s),
                     u"is required: `builtin:<name>`, `{exec: [program, args…]}`, or set `agent: true` for an LLM "
                     "agent"_s);
    }
}

void ListenersReader::readName(const Value &value, ListenerConfig *listener)
{
    static const QRegularExpression pattern(u"^[A-Za-z][A-Za-z0-9_]*([.-][A-Za-z0-9_]+)*$"_s);
    const std::optional<QString> name = m_yaml.text(value);
    if (!name)
        return;
    listener->name = *name;
    const QString folded = name->toLower();
    if (m_lines.contains(folded)) {
        m_yaml.error(
            value.line, value.path,
            u"duplicate listener name `%1` (first on line %2; names are compared ignoring case)"_s.arg(*name).arg(
                m_lines.value(folded)));
        return;
    }
    m_lines.insert(folded, value.line);
    m_names.append(*name);
    if (characterCount(*name) > kMaxClientTextLength) {
        // Names travel in URLs, filters and every message; the API refuses longer ones from clients.
        m_yaml.error(
            value.line, value.path,
            u"is too long (%1 characters, at most %2): shorten the listener's name"_s.arg(characterCount(*name))
                .arg(kMaxClientTextLength));
    } else if (!pattern.match(*name).hasMatch()) {
        m_yaml.error(value.line, value.path,
                     u"`%1` is not a valid listener name: use letters, digits and _, separated by single dots or "
                     "dashes, starting with a letter (e.g. calculator.add, response-handler)"_s.arg(*name));
    } else if (folded == u"system"_s || folded.startsWith(u"system."_s)) {
        m_yaml.error(value.line, value.path,
                     u"`%1`: names starting with system. are reserved for the organism's own listeners"_s.arg(*name));
    }
}

void ListenersReader::readPayloadClass(const Value &value, ListenerConfig *listener)
{
    static const QRegularExpression dotted(u"^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$"_s);
    const std::optional<QString> written = m_yaml.text(value);
    if (!written)
        return;
    listener->payloadClass = *written;
    if (!dotted.match(*written).hasMatch()) {
        m_yaml.error(value.line, value.path,
                     u"`%1` is not a type name (e.g. Greeting) or a dotted path ending in one "
                     "(e.g. handlers.hello.Greeting)"_s.arg(*written));
        return;
    }
    // The original named a Python class by import path; only its class name carries over.
    const QString type = written->section(u'.', -1);
    listener->payloadType = type;
    if (m_declaredTypes.contains(type))
        return;
    if (m_strayTypes.contains(type)) {
        m_yaml.error(value.line, value.path,
                     u"`%1` is not a declared payload type: the `%1` on line %2 is at the top level, not under "
                     "`payloads:`; indent it under `payloads:`"_s.arg(type)
                         .arg(m_strayTypes.value(type)));
        return;
    }
    const QString hint = m_declaredTypes.isEmpty() ? u"no payload types are declared: add them under `payloads:`, e.g. "
                                                     "`payloads: {%1: {name: string}}`"_s.arg(type)
                                                   : u"declared types: %1"_s.arg(m_declaredTypes.join(u", "_s));
    const QString guess = Suggestion::didYouMean(type, m_declaredTypes);
    m_yaml.error(value.line, value.path,
                 written->contains(u'.')
                     ? u"`%1` names no declared payload type `%2`%3; %4"_s.arg(*written, type, guess, hint)
                     : u"`%1` is not a declared payload type%2; %3"_s.arg(*written, guess, hint));
}

void ListenersReader::checkPeers()
{
    for (const PeerReference &reference : std::as_const(m_peers)) {
        if (!m_names.contains(reference.peer))
            m_yaml.error(reference.line, reference.path,
                         u"peer `%1` is not a listener in this file%2; listeners: %3"_s.arg(
                             reference.peer, Suggestion::didYouMean(reference.peer, m_names), m_names.join(u", "_s)));
    }
}

} // namespace agentdesk
