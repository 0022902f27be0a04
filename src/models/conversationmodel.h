#pragma once

#include "messagetablemodel.h"

#include "domain/llmactivity.h"

namespace agentdesk {

class Session;

// One thread's messages, oldest first, growing at the bottom as the conversation goes on (one
// beginInsertRows per live batch). Holds at most limit() messages: the newest ones. While an agent's
// streamed reply arrives, it is a live row at the bottom (LiveRole, no seq, type "replying…") whose
// text grows; it goes when the call ends — the reply's payloads then arrive as messages.
class ConversationModel final : public MessageTableModel
{
    Q_OBJECT
public:
    explicit ConversationModel(Session *session, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ConversationModel)

    void setThreadId(const QString &threadId); // empty: no rows
    QString threadId() const { return m_threadId; }
    void setLimit(int messages); // default 10000; takes effect on the next load
    int limit() const { return m_limit; }
    bool isLoading() const { return m_loading; }
    qint64 totalMessages() const { return m_total; } // in the thread's history, shown or not
    void reload();

signals:
    void loadingChanged(bool loading);
    void totalMessagesChanged(qint64 total);

private:
    void onMessages(const QList<MessageRecord> &batch);
    void onPartials(const QList<LlmPartialEvent> &events);
    int liveRow(quint64 call) const; // -1: none
    void onPage(const Result<MessagePage> &page);
    void append(const QList<MessageRecord> &messages);
    void setLoading(bool loading);
    void setTotal(qint64 total);

    Session *m_session;
    QString m_threadId;
    int m_limit = 10000;
    bool m_loading = false;
    qint64 m_total = 0;
    quint64 m_generation = 0;
    QList<MessageRecord> m_collect; // arrived while the page was on its way
    QList<quint64> m_liveCalls;     // the calls of the live rows, which are the last rows
};

} // namespace agentdesk
