#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace agentdesk {

// One server push, serialised once and described by the fields the filters look at.
struct WsEvent
{
    QString name;            // message, agent_state, thread_created, thread_updated, error, reload
    QString threadId;        // message.threadId, agent_state.currentThread, thread id of thread/error events
    QString agent;           // top-level agent of agent_state and error events
    QString from;            // message only
    QString to;              // message only
    QString payloadType;     // message only
    QByteArray frame;        // the /ws frame, complete on the wire (WsClient::textFrame)
    QByteArray messageFrame; // the bare MessageInfo for /ws/messages (message events only)
};

// A connection's subscription (spec §6.1/§6.2 with decision 6): each non-empty list must match.
struct WsFilter
{
    QStringList threads;
    QStringList agents;
    QStringList payloadTypes;
    QStringList events;

    // /ws: events by name (an opt-in event only when `events` names it); threads on the event's thread id (message.threadId and
    // agent_state.currentThread included; events without one pass); agents on the top-level agent,
    // and for messages on from/to; payload types on messages only.
    bool acceptsEvent(const WsEvent &event) const;
    // /ws/messages: agents on from/to, threads on threadId, payload types on payloadType.
    bool acceptsMessage(const WsEvent &event) const;
    // Events sent only to clients whose `events` list names them: llm_delta.
    static bool isOptIn(const QString &eventName);

    // Each list holds at most this many entries of at most kMaxClientTextLength characters.
    static constexpr int kMaxEntries = 256;

    // Reads threads, agents, payload_types (or payloadTypes) and events from a subscribe command
    // (or the `filter` object of /ws/messages). A missing or null field is no constraint; anything
    // but a list of strings, or a list or entry beyond the bounds, is an error whose text names the field.
    static std::optional<WsFilter> fromJson(const QJsonObject &object, QString *error);
};

} // namespace agentdesk
