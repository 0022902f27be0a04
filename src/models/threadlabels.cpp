#include "threadlabels.h"

#include "session.h"

#include <QRegularExpression>
#include <QTimer>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr int kShortIdLength = 7;
// Look-ups are history reads: at most this many per round, rounds at least this far apart, so a view
// scrolled through thousands of old threads (or agents switching threads under a flood) cannot keep the
// session busy.
constexpr int kLookUpsPerRound = 60;
constexpr int kLookUpRoundMs = 100;

void collectLeaves(const QVariant &value, QStringList *out)
{
    switch (value.typeId()) {
    case QMetaType::QVariantMap:
        for (const QVariant &child : value.toMap())
            collectLeaves(child, out);
        break;
    case QMetaType::QVariantList:
        for (const QVariant &child : value.toList())
            collectLeaves(child, out);
        break;
    default: {
        const QString text = value.toString().simplified();
        if (!text.isEmpty())
            out->append(text);
    }
    }
}

// Leaf element texts in document order (the schema's order); the field map only when there is no XML.
QStringList leafTexts(const MessageRecord &message)
{
    QStringList texts;
    if (!message.xml.isEmpty()) {
        QXmlStreamReader reader(message.xml);
        while (!reader.atEnd()) {
            if (reader.readNext() != QXmlStreamReader::Characters || reader.isWhitespace())
                continue;
            const QString text = reader.text().toString().simplified();
            if (!text.isEmpty() && text != u"...")
                texts.append(text);
        }
        if (!reader.hasError())
            return texts;
        texts.clear();
    }
    collectLeaves(message.fields, &texts);
    return texts;
}

} // namespace

ThreadLabels *ThreadLabels::forSession(Session *session)
{
    if (!session)
        return nullptr;
    if (auto *labels = session->findChild<ThreadLabels *>(QString(), Qt::FindDirectChildrenOnly))
        return labels;
    return new ThreadLabels(session);
}

ThreadLabels::ThreadLabels(Session *session)
    : QObject(session)
    , m_session(session)
{
    connect(session, &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::Connected)
            onConnected();
    });
    connect(session, &Session::threadsCreated, this, &ThreadLabels::onCreated);
    connect(session, &Session::messagesRecorded, this, &ThreadLabels::onMessages);
}

QString ThreadLabels::shortId(const QString &threadId)
{
    static const QRegularExpression uuid(
        u"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"_s);
    if (uuid.match(threadId).hasMatch())
        return threadId.right(kShortIdLength).toLower();
    return threadId;
}

QString ThreadLabels::payloadText(const MessageRecord &message, int maxLength)
{
    QString text = leafTexts(message).join(u" · "_s);
    if (text.size() > maxLength)
        text = text.left(std::max(1, maxLength - 1)).trimmed() + u'…';
    return text;
}

QString ThreadLabels::labelText(const ThreadLabel &label)
{
    if (label.text.isEmpty())
        return label.entryAgent;
    return u"%1: %2"_s.arg(label.entryAgent, label.text);
}

std::optional<ThreadLabel> ThreadLabels::label(const QString &threadId) const
{
    const auto found = m_labels.constFind(threadId);
    if (found == m_labels.cend())
        return std::nullopt;
    return *found;
}

QString ThreadLabels::describe(const QString &threadId) const
{
    const QString id = shortId(threadId);
    const std::optional<ThreadLabel> known = label(threadId);
    if (!known)
        return id;
    return u"%1 (%2)"_s.arg(id, labelText(*known));
}

void ThreadLabels::request(const QString &threadId)
{
    if (threadId.isEmpty() || m_labels.contains(threadId) || m_requested.contains(threadId)
        || m_lookingUp.contains(threadId) || m_awaiting.contains(threadId))
        return;
    m_requested.insert(threadId);
    if (!m_lookUpQueued) {
        // Every row a view paints in one pass asks: one round of reads for all of them.
        m_lookUpQueued = true;
        QMetaObject::invokeMethod(this, &ThreadLabels::lookUpRequested, Qt::QueuedConnection);
    }
    if (m_requested.size() > kMaxLabels)
        m_requested.erase(m_requested.begin()); // asked for long ago and scrolled away
}

void ThreadLabels::onConnected()
{
    // Another connection may be another organism: labels of the same ids are not to be trusted.
    ++m_generation;
    m_labels.clear();
    m_order.clear();
    m_awaiting.clear();
    m_lookingUp.clear();
    // What was asked for is still wanted (the views ask again only when they repaint).
}

void ThreadLabels::onCreated(const QList<ThreadInfo> &created)
{
    for (const ThreadInfo &thread : created) {
        if (!m_labels.contains(thread.id))
            m_awaiting.insert(thread.id);
    }
}

void ThreadLabels::onMessages(const QList<MessageRecord> &batch)
{
    if (m_awaiting.isEmpty())
        return;
    QStringList learned;
    for (const MessageRecord &message : batch) {
        if (m_awaiting.remove(message.threadId)) {
            m_requested.remove(message.threadId);
            learn(message.threadId, message, &learned);
        }
    }
    if (!learned.isEmpty())
        emit labelsChanged(learned);
}

void ThreadLabels::lookUpRequested()
{
    m_lookUpQueued = false;
    if (!m_session->isConnected()) {
        m_requested.clear();
        return;
    }
    QStringList round;
    while (!m_requested.isEmpty() && round.size() < kLookUpsPerRound) {
        round.append(*m_requested.begin());
        m_requested.erase(m_requested.begin());
    }
    if (!m_requested.isEmpty()) {
        m_lookUpQueued = true;
        QTimer::singleShot(kLookUpRoundMs, this, &ThreadLabels::lookUpRequested);
    }
    for (const QString &threadId : std::as_const(round)) {
        if (m_labels.contains(threadId) || m_lookingUp.contains(threadId))
            continue;
        m_lookingUp.insert(threadId);
        MessageQuery first;
        first.threadId = threadId;
        first.limit = 1;
        first.newestFirst = false;
        m_session->fetchMessages(first, this,
                                 [this, threadId, generation = m_generation](const Result<MessagePage> &page) {
                                     if (generation != m_generation)
                                         return;
                                     m_lookingUp.remove(threadId);
                                     if (!page || page->items.isEmpty() || m_labels.contains(threadId))
                                         return;
                                     QStringList learned;
                                     learn(threadId, page->items.first(), &learned);
                                     emit labelsChanged(learned);
                                 });
    }
}

void ThreadLabels::learn(const QString &threadId, const MessageRecord &first, QStringList *learned)
{
    if (m_labels.contains(threadId))
        return;
    if (m_order.size() >= kMaxLabels) {
        const qsizetype forget = kMaxLabels / 10;
        for (qsizetype i = 0; i < forget; ++i)
            m_labels.remove(m_order.at(i));
        m_order.remove(0, forget);
    }
    m_labels.insert(threadId, ThreadLabel{first.to, payloadText(first)});
    m_order.append(threadId);
    learned->append(threadId);
}

} // namespace agentdesk
