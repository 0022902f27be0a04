#pragma once

#include "domain/records.h"
#include "listeners/listener.h"

#include <QHash>
#include <QString>

namespace agentdesk {

class SchemaRegistry;

// What the router knows of one listener: enough to address it and to enforce peer rules.
struct RouteEntry
{
    QString name;
    QString payloadType;
    bool agent = false;
    bool broadcast = false;
    QStringList peers;
};

struct RouteError
{
    QString message;
    QStringList fieldPath;
};

// Turns what a handler (or an operator) wants to send into validated envelopes: resolves the target
// (by name, or by payload type = root tag), builds or validates the payload against its schema,
// enforces agents' peer lists and the loop-depth limit. Pure: it records and enqueues nothing.
class MessageRouter
{
public:
    void setSchemas(const SchemaRegistry *schemas) { m_schemas = schemas; }
    void setMaxDepth(int depth) { m_maxDepth = depth; }
    void setEntries(const QList<RouteEntry> &entries);
    const RouteEntry *entry(const QString &name) const;
    int maxDepth() const { return m_maxDepth; }

    // A reply of `sender` while handling `incoming`. On success appends one envelope per target to *out.
    bool routeReply(const MessageRecord &incoming, const OutgoingMessage &message, QList<MessageRecord> *out,
                    RouteError *error) const;
    // A payload for listener `to` from outside (API, window, budget warnings): builds it from fields or
    // validates xml against the target's payload type.
    bool buildForTarget(const QString &to, const Payload &payload, Payload *out, RouteError *error) const;

private:
    bool normalisePayload(const Payload &in, const QString &expectedType, Payload *out, RouteError *error) const;
    QList<const RouteEntry *> targetsOf(const QString &sender, const OutgoingMessage &message, QString *type,
                                        RouteError *error) const;

    const SchemaRegistry *m_schemas = nullptr;
    int m_maxDepth = 50;
    QList<RouteEntry> m_entries;
    QHash<QString, qsizetype> m_byName;
    QHash<QString, QList<qsizetype>> m_byType;
};

} // namespace agentdesk
