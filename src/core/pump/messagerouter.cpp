#include "messagerouter.h"

#include "schema/schemaregistry.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

void MessageRouter::setEntries(const QList<RouteEntry> &entries)
{
    m_entries = entries;
    m_byName.clear();
    m_byType.clear();
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        m_byName.insert(m_entries[i].name, i);
        m_byType[m_entries[i].payloadType].append(i);
    }
}

const RouteEntry *MessageRouter::entry(const QString &name) const
{
    const auto it = m_byName.constFind(name);
    return it == m_byName.cend() ? nullptr : &m_entries[*it];
}

bool MessageRouter::normalisePayload(const Payload &in, const QString &expectedType, Payload *out,
                                     RouteError *error) const
{
    SchemaError schemaError;
    bool ok = false;
    if (in.fields.isEmpty() && !in.xml.isEmpty()) {
        ok = expectedType.isEmpty() ? m_schemas->parsePayload(in.xml, out, &schemaError)
                                    : m_schemas->parsePayload(in.xml, expectedType, out, &schemaError);
    } else {
        const QString type = in.type.isEmpty() ? expectedType : in.type;
        if (!expectedType.isEmpty() && type != expectedType) {
            error->message = u"payload type %1 does not match the target's type %2"_s.arg(type, expectedType);
            return false;
        }
        ok = m_schemas->buildPayload(type, in.fields, out, &schemaError);
    }
    if (!ok) {
        error->message = schemaError.message;
        error->fieldPath = schemaError.fieldPath;
    }
    return ok;
}

bool MessageRouter::buildForTarget(const QString &to, const Payload &payload, Payload *out, RouteError *error) const
{
    const RouteEntry *target = entry(to);
    if (!target) {
        error->message = u"Unknown target agent: %1"_s.arg(to);
        return false;
    }
    return normalisePayload(payload, target->payloadType, out, error);
}

QList<const RouteEntry *> MessageRouter::targetsOf(const QString &sender, const OutgoingMessage &message, QString *type,
                                                   RouteError *error) const
{
    if (!message.to.isEmpty()) {
        const RouteEntry *target = entry(message.to);
        if (!target) {
            error->message = u"%1 sent to an unknown listener: %2"_s.arg(sender, message.to);
            return {};
        }
        *type = target->payloadType;
        return {target};
    }
    // Routing by root tag: every listener whose payload type is the payload's root element.
    QList<const RouteEntry *> targets;
    for (qsizetype index : m_byType.value(*type))
        targets.append(&m_entries[index]);
    if (targets.isEmpty()) {
        error->message = u"%1 sent a %2 payload, which no listener accepts"_s.arg(sender, *type);
        return {};
    }
    if (targets.size() > 1) {
        for (const RouteEntry *target : std::as_const(targets)) {
            if (!target->broadcast) {
                error->message = u"%1 sent a %2 payload without a target, and %3 listeners accept it "
                                 "(mark them broadcast: true or name the target)"_s.arg(sender, *type)
                                     .arg(targets.size());
                return {};
            }
        }
    }
    return targets;
}

bool MessageRouter::routeReply(const MessageRecord &incoming, const OutgoingMessage &message, QList<MessageRecord> *out,
                               RouteError *error) const
{
    const QString sender = incoming.to;
    if (incoming.depth + 1 > m_maxDepth) {
        error->message = u"message depth limit (%1) reached in thread %2: %3 → %4 looks like an endless loop"_s
                             .arg(m_maxDepth)
                             .arg(incoming.threadId, sender, message.to.isEmpty() ? message.payload.type : message.to);
        return false;
    }
    // Parse first when only XML came back: the root element decides where a type-routed message goes.
    Payload payload = message.payload;
    QString type = payload.type;
    if (message.to.isEmpty() && type.isEmpty()) {
        if (!normalisePayload(message.payload, {}, &payload, error)) {
            error->message = u"%1 sent an invalid payload: %2"_s.arg(sender, error->message);
            return false;
        }
        type = payload.type;
    }
    const QList<const RouteEntry *> targets = targetsOf(sender, message, &type, error);
    if (targets.isEmpty())
        return false;

    const RouteEntry *from = entry(sender);
    for (const RouteEntry *target : targets) {
        if (from && from->agent && !from->peers.contains(target->name)) {
            error->message = u"agent %1 may not send to %2 (its peers: %3)"_s.arg(
                sender, target->name, from->peers.isEmpty() ? u"none"_s : from->peers.join(u", "));
            return false;
        }
    }
    if (payload.xml.isEmpty() || payload.type != type) {
        if (!normalisePayload(message.payload, type, &payload, error)) {
            error->message = u"%1 sent an invalid payload for %2: %3"_s.arg(sender, targets.first()->name,
                                                                            error->message);
            return false;
        }
    }
    for (const RouteEntry *target : targets) {
        MessageRecord envelope;
        envelope.threadId = incoming.threadId;
        envelope.from = sender;
        envelope.to = target->name;
        envelope.payloadType = payload.type;
        envelope.fields = payload.fields;
        envelope.xml = payload.xml;
        envelope.depth = incoming.depth + 1;
        out->append(std::move(envelope));
    }
    return true;
}

} // namespace agentdesk
