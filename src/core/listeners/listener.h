#pragma once

#include "config/organismconfig.h"
#include "domain/records.h"

#include <QObject>

#include <functional>
#include <memory>

namespace agentdesk {

class SchemaRegistry;
class AgentServices;

// A message a handler wants to send. An empty `to` means "route by payload type" (every listener whose
// payload type is the root element; several only when they are broadcast listeners). The payload
// carries either `fields` (built-ins: the pump builds and type-checks the XML) or only `xml` (exec and
// LLM listeners: the pump parses and validates it against the XSD).
struct OutgoingMessage
{
    QString to;
    Payload payload;
};

// One invocation of a handler. The pump creates it, the listener finishes it exactly once — later,
// from the engine thread's event loop; nothing may block. After cancel (kill, time-out, stop) the
// pump ignores whatever the listener still reports.
class HandlerCall
{
public:
    enum class Outcome { Finished, Failed, Held };
    using Completion =
        std::function<void(quint64 callId, Outcome outcome, QList<OutgoingMessage> replies, QString text)>;

    HandlerCall(quint64 id, MessageRecord message, Completion completion);

    quint64 id() const { return m_id; }
    const MessageRecord &message() const { return m_message; }

    void finish(QList<OutgoingMessage> replies = {});
    void fail(const QString &error);
    // The message cannot be handled now (its thread's token budget is exhausted): the pump puts it back at
    // the head of its thread's queue and holds the thread until an operator releases it.
    void hold(const QString &reason);
    void cancel();
    bool isCancelled() const { return m_cancelled; }
    bool isDone() const { return m_done; }

private:
    quint64 m_id;
    MessageRecord m_message;
    Completion m_completion;
    bool m_done = false;
    bool m_cancelled = false;
};

using HandlerCallPtr = std::shared_ptr<HandlerCall>;

// What a listener may know of the organism it runs in: its own config, the declared schemas and its
// peers' payload types (so a built-in can address a peer with the peer's own type).
struct ListenerEnvironment
{
    // Functions, not pointers: a reload swaps the registry and the listener table under running listeners.
    std::function<const SchemaRegistry *()> schemas;
    std::function<QString(const QString &listenerName)> payloadTypeOf; // "" when unknown
    std::function<QString(const QString &listenerName)> descriptionOf;
    QString configDirectory;
    AgentServices *agentServices = nullptr; // what LLM agents need from the organism
};

class Listener : public QObject
{
    Q_OBJECT
public:
    Listener(ListenerConfig config, ListenerEnvironment environment, QObject *parent = nullptr);
    ~Listener() override;

    const ListenerConfig &config() const { return m_config; }
    const ListenerEnvironment &environment() const { return m_environment; }
    QString name() const { return m_config.name; }

    virtual void start() { }
    // Ends background resources (child processes, requests). Pending calls are cancelled by the pump.
    virtual void stop() { }
    virtual void handle(const HandlerCallPtr &call) = 0;
    // The pump gave up on this call (kill, time-out, stop): drop work that is still under way for it.
    virtual void cancel(quint64 callId) { Q_UNUSED(callId) }

signals:
    // A failure that belongs to no call, e.g. an exec listener's child process died and is restarting.
    void faulted(const QString &error);
    void recovered();

private:
    ListenerConfig m_config;
    ListenerEnvironment m_environment;
};

} // namespace agentdesk
