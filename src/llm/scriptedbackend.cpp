#include "scriptedbackend.h"

#include <QRegularExpression>
#include <QTimer>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// The message the agent is answering, as the agent listener writes it: "Message from <sender>:\n<xml>".
struct Incoming
{
    QString from;
    QString xml;
    QString type;                 // the root element
    QHash<QString, QString> leaf; // snake_case field → text (leaf elements, in document order)
};

QString snakeCase(const QString &element)
{
    QString out;
    for (qsizetype i = 0; i < element.size(); ++i) {
        const QChar c = element.at(i);
        if (c.isUpper() && i > 0 && !element.at(i - 1).isUpper())
            out += u'_';
        out += c.toLower();
    }
    return out;
}

Incoming incomingOf(const LlmRequest &request)
{
    Incoming incoming;
    for (auto it = request.messages.crbegin(); it != request.messages.crend(); ++it) {
        if (it->role != u"user")
            continue;
        static const QRegularExpression header(u"^Message from ([^:\\n]+):\\n"_s);
        const QRegularExpressionMatch match = header.match(it->content);
        incoming.from = match.hasMatch() ? match.captured(1).trimmed() : QString();
        incoming.xml = match.hasMatch() ? it->content.mid(match.capturedEnd()) : it->content;
        break;
    }
    QXmlStreamReader reader(incoming.xml);
    QStringList open;
    QString text;
    bool children = false;
    while (!reader.atEnd() && !reader.hasError()) {
        const QXmlStreamReader::TokenType token = reader.readNext();
        if (token == QXmlStreamReader::StartElement) {
            if (incoming.type.isEmpty())
                incoming.type = reader.name().toString();
            open.append(reader.name().toString());
            text.clear();
            children = false;
        } else if (token == QXmlStreamReader::Characters) {
            text += reader.text();
        } else if (token == QXmlStreamReader::EndElement && !open.isEmpty()) {
            const QString name = open.takeLast();
            if (!children && !incoming.leaf.contains(snakeCase(name)))
                incoming.leaf.insert(snakeCase(name), text.trimmed());
            children = true; // the element that contains this one is no leaf
            text.clear();
        }
    }
    return incoming;
}

bool holds(const ScriptedEntry &entry, const Incoming &incoming)
{
    if (!entry.contains.isEmpty() && !incoming.xml.contains(entry.contains, Qt::CaseInsensitive))
        return false;
    if (!entry.matches.isEmpty() && !QRegularExpression(entry.matches).match(incoming.xml).hasMatch())
        return false;
    if (!entry.from.isEmpty() && entry.from != incoming.from)
        return false;
    if (!entry.type.isEmpty() && entry.type != incoming.type)
        return false;
    for (auto it = entry.fields.cbegin(); it != entry.fields.cend(); ++it) {
        const auto found = incoming.leaf.constFind(it.key());
        if (found == incoming.leaf.cend() || *found != it.value().toString())
            return false;
    }
    return true;
}

// {field}, {from} and {thread}; anything else in braces stays as written.
QString filled(const QString &reply, const Incoming &incoming, const QString &threadId)
{
    static const QRegularExpression placeholder(u"\\{([A-Za-z_][A-Za-z0-9_]*)\\}"_s);
    QString out;
    qsizetype copied = 0;
    QRegularExpressionMatchIterator it = placeholder.globalMatch(reply);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const QString name = match.captured(1);
        std::optional<QString> value;
        if (name == u"from")
            value = incoming.from;
        else if (name == u"thread")
            value = threadId;
        else if (const auto leaf = incoming.leaf.constFind(snakeCase(name)); leaf != incoming.leaf.cend())
            value = *leaf;
        if (!value)
            continue;
        out += QStringView(reply).mid(copied, match.capturedStart() - copied);
        out += value->toHtmlEscaped();
        copied = match.capturedEnd();
    }
    out += QStringView(reply).mid(copied);
    return out;
}

} // namespace

ScriptedBackend::ScriptedBackend(const LlmBackendConfig &config, QObject *parent)
    : LlmBackend(config, parent)
{ }

bool ScriptedBackend::servesByConvention(const QString &) const
{
    return true;
}

QString ScriptedBackend::compose(const LlmRequest &request, const ScriptedEntry **used, QString *error)
{
    const ScriptedAgent *agent = config().scripted.agent(request.agentId);
    if (!agent) {
        *error = u"no scripted replies for agent %1 in %2"_s.arg(request.agentId, config().scripted.file);
        return {};
    }
    const Incoming incoming = incomingOf(request);
    const ScriptedEntry *entry = nullptr;
    if (agent->inTurn) {
        int &next = m_nextInTurn[agent->name];
        entry = &agent->entries.at(next % agent->entries.size());
        ++next;
    } else {
        for (const ScriptedEntry &candidate : agent->entries) {
            if (!candidate.hasCondition() || holds(candidate, incoming)) {
                entry = &candidate;
                break;
            }
        }
    }
    if (!entry) {
        *error = u"no scripted reply of %1 (%2) matches the message from %3: %4"_s.arg(
            agent->name, config().scripted.file, incoming.from.isEmpty() ? u"?"_s : incoming.from,
            incoming.xml.simplified().left(300));
        return {};
    }
    *used = entry;
    if (!entry->error.isEmpty()) {
        *error = entry->error;
        return {};
    }
    return filled(entry->reply, incoming, request.threadId);
}

void ScriptedBackend::start(quint64 attemptId, const LlmRequest &request)
{
    m_pending.insert(attemptId);
    // Answered on the next turn of the event loop, like a network reply, never inside send().
    QTimer::singleShot(0, this, [this, attemptId, request] {
        if (!m_pending.remove(attemptId))
            return;
        BackendReply reply;
        const ScriptedEntry *entry = nullptr;
        QString error;
        const QString content = compose(request, &entry, &error);
        if (!error.isEmpty()) {
            reply.error = u"scripted: "_s + error;
            finish(attemptId, reply);
            return;
        }
        reply.ok = true;
        LlmResult &result = reply.result;
        result.content = content;
        result.model = request.model.isEmpty() ? u"scripted"_s : request.model;
        result.promptTokens = entry->promptTokens.value_or(estimateTokens(promptCharacters(request)));
        result.completionTokens = entry->completionTokens.value_or(estimateTokens(content.size()));
        result.estimatedTokens = !entry->promptTokens && !entry->completionTokens;
        finish(attemptId, reply);
    });
}

void ScriptedBackend::stop(quint64 attemptId)
{
    m_pending.remove(attemptId);
}

} // namespace agentdesk
