#include "execprotocol.h"

#include <QXmlStreamReader>
#include <QXmlStreamWriter>

using namespace Qt::StringLiterals;

namespace agentdesk::ExecProtocol {

namespace {

using Token = QXmlStreamReader::TokenType;

QString readerError(const QXmlStreamReader &reader)
{
    return u"%1 (line %2, column %3)"_s.arg(reader.errorString()).arg(reader.lineNumber()).arg(reader.columnNumber());
}

// Positions the reader on the root element. Returns what is wrong, or an empty string.
QString readToRoot(QXmlStreamReader &reader)
{
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case Token::StartElement:
            return {};
        case Token::DTD:
            return u"a DTD is not allowed"_s;
        default:
            break;
        }
    }
    return reader.hasError() ? readerError(reader) : u"no element"_s;
}

// After the root element: only whitespace, comments and processing instructions may follow.
QString readToEnd(QXmlStreamReader &reader)
{
    while (!reader.atEnd())
        reader.readNext();
    return reader.hasError() ? readerError(reader) : QString();
}

// Copies the element the reader stands on, subtree and all. Prefixes and namespace declarations are
// kept as written: the reader runs without namespace processing, so both arrive as plain names.
QString copyElement(QXmlStreamReader &reader, QXmlStreamWriter &writer)
{
    int depth = 0;
    for (;;) {
        switch (reader.tokenType()) {
        case Token::StartElement: {
            ++depth;
            writer.writeStartElement(reader.qualifiedName().toString());
            const QXmlStreamAttributes attributes = reader.attributes();
            for (const QXmlStreamAttribute &attribute : attributes)
                writer.writeAttribute(attribute.qualifiedName().toString(), attribute.value().toString());
            break;
        }
        case Token::EndElement:
            writer.writeEndElement();
            --depth;
            break;
        case Token::Characters:
            if (reader.isCDATA())
                writer.writeCDATA(reader.text().toString());
            else
                writer.writeCharacters(reader.text().toString());
            break;
        case Token::Comment:
            writer.writeComment(reader.text().toString());
            break;
        case Token::ProcessingInstruction:
            writer.writeProcessingInstruction(reader.processingInstructionTarget().toString(),
                                              reader.processingInstructionData().toString());
            break;
        default:
            break;
        }
        if (depth == 0)
            return {};
        reader.readNext();
        if (reader.hasError())
            return readerError(reader);
    }
}

std::optional<quint64> callId(const QXmlStreamReader &reader)
{
    bool ok = false;
    const quint64 id = reader.attributes().value(u"id"_s).toULongLong(&ok);
    return ok ? std::optional(id) : std::nullopt;
}

ChildMessage invalid(std::optional<quint64> id, const QString &text)
{
    ChildMessage message;
    message.kind = ChildMessage::Kind::Invalid;
    message.id = id;
    message.text = text;
    return message;
}

// Reads one <send>: exactly one payload element, whitespace and comments around it.
QString parseSend(QXmlStreamReader &reader, OutgoingMessage *send)
{
    send->to = reader.attributes().value(u"to"_s).trimmed().toString();
    bool havePayload = false;
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case Token::StartElement: {
            if (havePayload)
                return u"<send> holds more than one payload element"_s;
            QByteArray xml;
            {
                QXmlStreamWriter writer(&xml);
                if (QString error = copyElement(reader, writer); !error.isEmpty())
                    return error;
            }
            send->payload.xml = xml;
            havePayload = true;
            break;
        }
        case Token::Characters:
            if (!reader.isWhitespace())
                return u"<send> holds text outside its payload element"_s;
            break;
        case Token::EndElement:
            return havePayload ? QString() : u"<send> holds no payload element"_s;
        default:
            break;
        }
    }
    return readerError(reader);
}

QString parseReplyContent(QXmlStreamReader &reader, QList<OutgoingMessage> *sends)
{
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case Token::StartElement: {
            if (reader.qualifiedName() != u"send")
                return u"unexpected <%1> in <reply>"_s.arg(reader.qualifiedName());
            OutgoingMessage send;
            if (QString error = parseSend(reader, &send); !error.isEmpty())
                return error;
            sends->append(std::move(send));
            break;
        }
        case Token::Characters:
            if (!reader.isWhitespace())
                return u"<reply> holds text outside <send>"_s;
            break;
        case Token::EndElement:
            return {};
        default:
            break;
        }
    }
    return readerError(reader);
}

ChildMessage parseRoot(QXmlStreamReader &reader)
{
    const QStringView root = reader.qualifiedName();
    ChildMessage message;
    if (root == u"reply" || root == u"error" || root == u"started") {
        message.id = callId(reader);
        if (!message.id) {
            return invalid(std::nullopt,
                           u"<%1> without a valid id (\"%2\")"_s.arg(root, reader.attributes().value(u"id"_s)));
        }
    }
    if (root == u"reply") {
        message.kind = ChildMessage::Kind::Reply;
        if (QString error = parseReplyContent(reader, &message.sends); !error.isEmpty())
            return invalid(message.id, u"invalid <reply>: "_s + error);
    } else if (root == u"error" || root == u"log") {
        message.kind = root == u"error" ? ChildMessage::Kind::Error : ChildMessage::Kind::Log;
        message.level = reader.attributes().value(u"level"_s).toString();
        message.text = reader.readElementText(QXmlStreamReader::ErrorOnUnexpectedElement).trimmed();
        if (reader.hasError())
            return invalid(message.id, u"invalid <%1>: "_s.arg(root) + readerError(reader));
    } else if (root == u"ready") {
        message.kind = ChildMessage::Kind::Ready;
        reader.skipCurrentElement();
    } else if (root == u"started") {
        message.kind = ChildMessage::Kind::Started;
        reader.skipCurrentElement();
    } else {
        return invalid(std::nullopt, u"unknown frame <%1>"_s.arg(root));
    }
    return message;
}

} // namespace

QByteArray hello(const QString &listenerName)
{
    QByteArray out;
    {
        QXmlStreamWriter writer(&out);
        writer.writeStartElement(u"hello"_s);
        writer.writeAttribute(u"protocol"_s, QString::number(Version));
        writer.writeAttribute(u"listener"_s, listenerName);
        writer.writeEndElement();
    }
    return out;
}

QByteArray deliver(quint64 callId, const MessageRecord &message, QString *error)
{
    QXmlStreamReader reader(message.xml);
    reader.setNamespaceProcessing(false);
    QByteArray out;
    {
        QXmlStreamWriter writer(&out);
        writer.writeStartElement(u"deliver"_s);
        writer.writeAttribute(u"id"_s, QString::number(callId));
        writer.writeAttribute(u"thread"_s, message.threadId);
        writer.writeAttribute(u"from"_s, message.from);
        writer.writeAttribute(u"to"_s, message.to);
        writer.writeAttribute(u"message"_s, message.id);
        writer.writeAttribute(u"type"_s, message.payloadType);
        QString problem = readToRoot(reader);
        if (problem.isEmpty())
            problem = copyElement(reader, writer);
        if (problem.isEmpty())
            problem = readToEnd(reader);
        if (!problem.isEmpty()) {
            *error = u"message payload is not well-formed XML: "_s + problem;
            return {};
        }
        writer.writeEndElement();
    }
    return out;
}

QByteArray cancel(quint64 callId)
{
    return "<cancel id=\"" + QByteArray::number(callId) + "\"/>";
}

QByteArray shutdown()
{
    return "<shutdown/>";
}

ChildMessage parse(const QByteArray &body)
{
    QXmlStreamReader reader(body);
    reader.setNamespaceProcessing(false);
    if (QString error = readToRoot(reader); !error.isEmpty())
        return invalid(std::nullopt, u"frame is not XML: "_s + error);
    ChildMessage message = parseRoot(reader);
    if (message.kind == ChildMessage::Kind::Invalid)
        return message;
    if (QString error = readToEnd(reader); !error.isEmpty())
        return invalid(message.id, u"frame is not well-formed XML: "_s + error);
    return message;
}

} // namespace agentdesk::ExecProtocol
