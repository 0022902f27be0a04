#pragma once

#include "domain/records.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <optional>

namespace agentdesk {

class Session;

// What a person tells threads apart by. Thread ids are UUIDv7, so ids made within the same second share
// their first twelve digits; the short id comes from the random end instead (as git abbreviates a hash),
// and the label says where the conversation started and with what: the entry agent (the receiver of
// the thread's first message) and the text of that first payload.
struct ThreadLabel
{
    QString entryAgent;
    QString text; // the first payload's leaf values in document order, shortened
};

// The labels of the threads the window shows, one directory per session (forSession() makes it on first
// use, as a child of the session, so every model and page of one session shares it and it goes with the
// session). Labels are learned for free from live batches — a thread announced in threadsCreated takes
// the first of its messages that follows — and looked up on request (request()) for threads that were
// already running: one history read per thread for its oldest message, batched per event-loop turn.
// A label never changes once known; labelsChanged names the threads that got one.
class ThreadLabels final : public QObject
{
    Q_OBJECT
public:
    static ThreadLabels *forSession(Session *session);

    std::optional<ThreadLabel> label(const QString &threadId) const;
    void request(const QString &threadId); // no-op when known or already asked for
    bool isKnown(const QString &threadId) const { return m_labels.contains(threadId); }

    // "3f9c2a1 (greeter: Alice)", or the short id alone while the label is unknown: how a message names a
    // thread for the operator (status bar, dialogs, alerts).
    QString describe(const QString &threadId) const;
    // "greeter: Alice", or empty while unknown.
    static QString labelText(const ThreadLabel &label);
    // The last 7 hex digits of a UUID (its random part, whatever the version); any other id whole.
    static QString shortId(const QString &threadId);
    // Up to `maxLength` characters of the payload's leaf values, in document order, separated by " · ".
    static QString payloadText(const MessageRecord &message, int maxLength = 60);

    static constexpr qsizetype kMaxLabels = 20000; // forgotten oldest first beyond this

signals:
    void labelsChanged(const QStringList &threadIds);

private:
    explicit ThreadLabels(Session *session);
    void onConnected();
    void onCreated(const QList<ThreadInfo> &created);
    void onMessages(const QList<MessageRecord> &batch);
    void lookUpRequested();
    void learn(const QString &threadId, const MessageRecord &first, QStringList *learned);

    Session *m_session;
    QHash<QString, ThreadLabel> m_labels;
    QStringList m_order;       // learning order, to forget the oldest
    QSet<QString> m_awaiting;  // announced live: the next message on it is its first
    QSet<QString> m_requested; // asked for and not yet looked up
    QSet<QString> m_lookingUp; // looked up, answer pending
    bool m_lookUpQueued = false;
    quint64 m_generation = 0;
};

} // namespace agentdesk
