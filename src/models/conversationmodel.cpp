#include "conversationmodel.h"

#include "modelslogging.h"
#include "session.h"

namespace agentdesk {

ConversationModel::ConversationModel(Session *session, QObject *parent)
    : MessageTableModel(parent)
    , m_session(session)
{
    connect(session, &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::Connected)
            reload();
    });
    connect(session, &Session::resynchronized, this, &ConversationModel::reload);
    connect(session, &Session::messagesRecorded, this, &ConversationModel::onMessages);
    connect(session, &Session::llmPartials, this, &ConversationModel::onPartials);
}

void ConversationModel::setThreadId(const QString &threadId)
{
    if (threadId == m_threadId)
        return;
    m_threadId = threadId;
    reload();
}

void ConversationModel::setLimit(int messages)
{
    m_limit = std::max(1, messages);
}

void ConversationModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void ConversationModel::setTotal(qint64 total)
{
    if (m_total == total)
        return;
    m_total = total;
    emit totalMessagesChanged(total);
}

void ConversationModel::reload()
{
    const quint64 generation = ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_liveCalls.clear();
    endResetModel();
    m_collect.clear();
    setTotal(0);
    if (m_threadId.isEmpty() || !m_session->isConnected()) {
        setLoading(false);
        return;
    }
    setLoading(true);
    m_session->fetchConversation(m_threadId, m_limit, this, [this, generation](const Result<MessagePage> &page) {
        if (generation == m_generation)
            onPage(page);
    });
}

void ConversationModel::onPage(const Result<MessagePage> &page)
{
    setLoading(false);
    const QList<MessageRecord> collected = std::exchange(m_collect, {});
    if (!page) {
        qCWarning(lcModels) << "ConversationModel: could not read the conversation:" << page.error().message;
        return;
    }
    QList<MessageRecord> rows = page->items;
    qint64 total = page->total;
    const qint64 last = rows.isEmpty() ? 0 : rows.last().seq;
    for (const MessageRecord &message : collected) {
        if (message.seq > last) {
            rows.append(message);
            ++total;
        }
    }
    if (rows.size() > m_limit)
        rows.remove(0, rows.size() - m_limit);
    if (!rows.isEmpty()) {
        beginInsertRows({}, 0, int(rows.size()) - 1);
        m_rows = rows + m_rows; // live rows that started during the load stay at the bottom
        endInsertRows();
    }
    setTotal(total);
}

void ConversationModel::onMessages(const QList<MessageRecord> &batch)
{
    if (m_threadId.isEmpty())
        return;
    QList<MessageRecord> fresh;
    const qsizetype messageRows = m_rows.size() - m_liveCalls.size();
    const qint64 last = messageRows == 0 ? 0 : m_rows.at(messageRows - 1).seq;
    for (const MessageRecord &message : batch) {
        if (message.threadId == m_threadId && (m_loading || message.seq > last))
            fresh.append(message);
    }
    if (fresh.isEmpty())
        return;
    if (m_loading) {
        m_collect.append(fresh);
        return;
    }
    setTotal(m_total + fresh.size());
    append(fresh);
}

void ConversationModel::append(const QList<MessageRecord> &messages)
{
    // Messages go above the live rows, which stay at the bottom.
    const int first = int(m_rows.size() - m_liveCalls.size());
    beginInsertRows({}, first, first + int(messages.size()) - 1);
    for (qsizetype i = 0; i < messages.size(); ++i)
        m_rows.insert(first + i, messages.at(i));
    endInsertRows();
    const qsizetype messageRows = m_rows.size() - m_liveCalls.size();
    if (messageRows > m_limit) {
        const int excess = int(messageRows) - m_limit;
        beginRemoveRows({}, 0, excess - 1);
        m_rows.remove(0, excess);
        endRemoveRows();
    }
}

int ConversationModel::liveRow(quint64 call) const
{
    const qsizetype index = m_liveCalls.indexOf(call);
    return index < 0 ? -1 : int(m_rows.size() - m_liveCalls.size() + index);
}

void ConversationModel::onPartials(const QList<LlmPartialEvent> &events)
{
    for (const LlmPartialEvent &event : events) {
        if (m_threadId.isEmpty() || event.threadId != m_threadId)
            continue;
        const int row = liveRow(event.call);
        if (event.done) {
            if (row >= 0) {
                beginRemoveRows({}, row, row);
                m_rows.removeAt(row);
                m_liveCalls.removeOne(event.call);
                endRemoveRows();
            }
            continue;
        }
        if (row < 0) {
            MessageRecord live;
            live.threadId = event.threadId;
            live.from = event.agent;
            live.payloadType = tr("replying…");
            live.timestamp = event.timestamp.isValid() ? event.timestamp : QDateTime::currentDateTimeUtc();
            live.xml = event.delta.toUtf8();
            const int last = int(m_rows.size());
            beginInsertRows({}, last, last);
            m_rows.append(live);
            m_liveCalls.append(event.call);
            endInsertRows();
            continue;
        }
        // A retry (offset 0) starts the text again; otherwise the delta continues it.
        MessageRecord &live = m_rows[row];
        live.xml = event.offset == 0 ? event.delta.toUtf8() : live.xml + event.delta.toUtf8();
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

} // namespace agentdesk
