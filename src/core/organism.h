#pragma once

#include "config/organismconfig.h"
#include "domain/queries.h"
#include "domain/records.h"
#include "domain/usage.h"

#include <QElapsedTimer>
#include <QObject>

#include <chrono>
#include <memory>
#include <optional>

namespace agentdesk {

class HistoryStore;
class MessagePump;
class SchemaRegistry;
class Listener;

// What an inject asks for: a payload for `to`, given as a field tree (JSON object keys, snake_case or
// PascalCase) or as raw XML.
struct InjectRequest
{
    QString to;
    QVariantMap fields;
    QByteArray xml;     // used instead of fields when not empty
    QString threadId;   // empty = a new thread
    QString from = QStringLiteral("api");
};

struct InjectResult
{
    enum class Error { None, UnknownTarget, InvalidPayload, QueueFull, NotRunning };
    Error error = Error::None;
    QString message;         // human-readable reason
    QStringList fieldPath;   // InvalidPayload: path of the offending field (snake_case), if known
    QString threadId;
    QString messageId;
    bool ok() const { return error == Error::None; }
};

// The facade over the runtime: the only way the API, the session and the window reach it. It lives on
// the engine thread. Reads return value snapshots; change signals are batched and emitted at most once
// per event-loop tick per kind.
class Organism : public QObject
{
    Q_OBJECT
public:
    explicit Organism(QObject *parent = nullptr);
    ~Organism() override;

    // Builds schemas and listeners from the config and opens the history in dataDirectory.
    // On failure nothing is left half-built and *error says why.
    bool load(const OrganismConfig &config, const QString &dataDirectory, QString *error);
    void start();
    // Stops accepting work, lets in-flight handlers finish for at most `drain`, cancels the rest,
    // flushes the history and ends at OrganismStatus::Stopped (signal stopped()).
    void stop(std::chrono::milliseconds drain = std::chrono::seconds(30));

    // --- snapshots -------------------------------------------------------------------------------
    const OrganismConfig &config() const;
    OrganismInfo info() const;
    OrganismStatus status() const;
    QStringList listenerNames() const; // registration order
    QList<AgentInfo> agents() const;   // registration order
    std::optional<AgentInfo> agent(const QString &name) const;
    QList<Capability> capabilities() const; // sorted by name
    std::optional<Capability> capability(const QString &name) const;
    ThreadPage threads(const ThreadQuery &query) const;
    std::optional<ThreadInfo> thread(const QString &id) const;
    MessagePage messages(const MessageQuery &query) const;
    const SchemaRegistry *schemas() const;
    HistoryStore *store() const;

    // --- commands --------------------------------------------------------------------------------
    InjectResult inject(const InjectRequest &request);
    bool pauseAgent(const QString &name);  // false: unknown agent
    bool resumeAgent(const QString &name); // false: unknown agent
    bool killThread(const QString &id);    // false: unknown thread
    ReloadResult reload();                 // re-reads config().filePath and applies the difference

    // Emits every pending batch now (e.g. so a WebSocket client sees its `message` before `injected`).
    void flushChanges();

signals:
    void messagesRecorded(const QList<agentdesk::MessageRecord> &batch);
    void agentsChanged(const QList<agentdesk::AgentInfo> &changed);
    void threadsCreated(const QList<agentdesk::ThreadInfo> &created);
    void threadsUpdated(const QList<agentdesk::ThreadInfo> &updated); // status changed: completed, killed, error
    void errorsRaised(const QList<agentdesk::ErrorEvent> &errors);
    void usageRecorded(const QList<agentdesk::UsageEvent> &events);
    void statusChanged(agentdesk::OrganismStatus status);
    void reloaded(const agentdesk::ReloadResult &result);
    void stopped();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace agentdesk
