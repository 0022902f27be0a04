#include "messageparser.h"

#include "jsonparser.h"

#include "schema/canonicalxml.h"
#include "schema/schemaregistry.h"

#include <QVariantList>
#include <QXmlStreamReader>

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {

// Characters XML 1.0 can carry (what CanonicalXml::text accepts).
bool isXmlChar(char32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
}

QString xmlSafeText(const QString &text)
{
    QString safe;
    safe.reserve(text.size());
    for (char32_t c : text.toUcs4()) {
        if (isXmlChar(c))
            safe.append(QString::fromUcs4(&c, 1));
    }
    return safe;
}

// A field key of the original's dict payloads can be anything; an element name cannot.
QString elementName(const QString &key)
{
    QString name = SchemaRegistry::pascalCase(key);
    for (QChar &c : name) {
        if (!c.isLetterOrNumber() && c != u'_' && c != u'-' && c != u'.')
            c = u'_';
    }
    if (name.isEmpty() || !(name.front().isLetter() || name.front() == u'_'))
        name.prepend(u'_');
    return name;
}

class XmlWriter
{
public:
    explicit XmlWriter(const PayloadLayout *layout)
        : m_layout(layout)
    { }

    void element(const QString &name, const QString &path, QVariant value)
    {
        if (value.typeId() == QMetaType::QVariantList) {
            for (const QVariant &item : value.toList())
                element(name, path, item);
            return;
        }
        if (value.typeId() == QMetaType::QStringList) {
            for (const QString &item : value.toStringList())
                element(name, path, item);
            return;
        }
        if (!value.isValid() || value.isNull())
            return;
        if (m_layout && value.typeId() == QMetaType::LongLong && m_layout->isDecimal(path))
            value = value.toDouble();
        m_xml.tag('<' + name.toUtf8() + '>');
        if (value.typeId() == QMetaType::QVariantMap)
            fields(path, value.toMap());
        else
            scalar(value);
        m_xml.tag("</" + name.toUtf8() + '>');
    }

    void fields(const QString &path, const QVariantMap &values)
    {
        // Elements the layout knows come first, in its order; the rest by name (the map's order).
        QHash<QString, QString> keyOf;
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            keyOf.insert(elementName(it.key()), it.key());
        QStringList written;
        if (m_layout) {
            for (const QString &name : m_layout->children(path)) {
                const auto key = keyOf.constFind(name);
                if (key == keyOf.cend())
                    continue;
                element(name, path + u'/' + name, values.value(*key));
                written.append(name);
            }
        }
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
            const QString name = elementName(it.key());
            if (!written.contains(name))
                element(name, path + u'/' + name, it.value());
        }
    }

    QByteArray toByteArray() const { return m_xml.toByteArray(); }
    void tag(const QByteArray &tag) { m_xml.tag(tag); }

private:
    void scalar(const QVariant &value)
    {
        switch (value.typeId()) {
        case QMetaType::Bool:
            m_xml.boolean(value.toBool());
            return;
        case QMetaType::Int:
        case QMetaType::LongLong:
        case QMetaType::UInt:
            m_xml.integer(value.toLongLong());
            return;
        case QMetaType::Double: {
            double number = value.toDouble();
            if (!m_xml.decimal(&number))
                m_xml.text(QString::number(value.toDouble(), 'g', 17));
            return;
        }
        default:
            if (!m_xml.text(value.toString()))
                m_xml.text(xmlSafeText(value.toString()));
        }
    }

    const PayloadLayout *m_layout;
    CanonicalXml m_xml;
};

// Reads the children of the current element; text-only content is returned as a string.
QVariant xmlContent(QXmlStreamReader &reader)
{
    QVariantMap children;
    QString text;
    bool hasChildren = false;
    while (reader.readNext() != QXmlStreamReader::EndElement && !reader.hasError()) {
        if (reader.isCharacters()) {
            text += reader.text();
        } else if (reader.isStartElement()) {
            hasChildren = true;
            const QString key = SchemaRegistry::snakeCase(reader.name().toString());
            const QVariant value = xmlContent(reader);
            const auto existing = children.find(key);
            if (existing == children.end()) {
                children.insert(key, value);
            } else {
                QVariantList list = existing->typeId() == QMetaType::QVariantList ? existing->toList()
                                                                                  : QVariantList{*existing};
                list.append(value);
                *existing = list;
            }
        }
    }
    if (hasChildren)
        return children;
    return text;
}

} // namespace

std::optional<MessageRecord> parseMessageInfo(const QJsonObject &json, const PayloadLayout *layout)
{
    if (!json.value(u"id"_s).isString() || !json.value(u"threadId"_s).isString())
        return std::nullopt;
    MessageRecord message;
    message.id = jsonText(json, u"id"_s);
    message.threadId = jsonText(json, u"threadId"_s);
    message.from = jsonText(json, u"from"_s);
    message.to = jsonText(json, u"to"_s);
    message.payloadType = jsonText(json, u"payloadType"_s);
    message.fields = jsonFields(jsonObject(json, u"payload"_s));
    if (layout)
        layout->restoreDecimals(message.payloadType, &message.fields);
    message.timestamp = jsonTimestamp(json, u"timestamp"_s);
    message.seq = jsonInteger(json, u"slotIndex"_s);
    message.xml = payloadXml(message.payloadType, message.fields, layout);
    return message;
}

std::optional<MessagePage> parseMessagePage(const QJsonObject &json, const PayloadLayout *layout)
{
    if (!json.value(u"messages"_s).isArray())
        return std::nullopt;
    MessagePage page;
    for (const QJsonValue &item : json.value(u"messages"_s).toArray()) {
        if (auto message = parseMessageInfo(item.toObject(), layout))
            page.items.append(*message);
    }
    page.total = jsonInteger(json, u"total"_s, page.items.size());
    page.offset = jsonInteger(json, u"offset"_s);
    page.limit = jsonInteger(json, u"limit"_s, page.items.size());
    return page;
}

void PayloadLayout::learn(const QString &exampleXml)
{
    QXmlStreamReader reader(exampleXml);
    QStringList path;
    QString text;
    bool leaf = false;
    while (!reader.atEnd() && !reader.hasError()) {
        const QXmlStreamReader::TokenType token = reader.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const QString name = reader.name().toString();
            if (!path.isEmpty()) {
                QStringList &children = m_children[path.join(u'/')];
                if (!children.contains(name))
                    children.append(name);
            }
            path.append(name);
            text.clear();
            leaf = true;
        } else if (token == QXmlStreamReader::Characters) {
            text += reader.text();
        } else if (token == QXmlStreamReader::EndElement && !path.isEmpty()) {
            // The example writes every decimal as 0.0, every integer as 0.
            bool number = false;
            text.trimmed().toDouble(&number);
            if (leaf && number && text.contains(u'.'))
                m_decimals.insert(path.join(u'/'));
            leaf = false;
            path.removeLast();
        }
    }
}

void PayloadLayout::clear()
{
    m_children.clear();
    m_decimals.clear();
}

void PayloadLayout::restoreDecimals(const QString &payloadType, QVariantMap *fields) const
{
    if (m_decimals.isEmpty())
        return;
    const QString root = payloadType.isEmpty() ? u"Payload"_s : elementName(payloadType);
    for (auto it = fields->begin(); it != fields->end(); ++it)
        restore(root + u'/' + elementName(it.key()), &it.value());
}

void PayloadLayout::restore(const QString &path, QVariant *value) const
{
    switch (value->typeId()) {
    case QMetaType::LongLong:
        if (m_decimals.contains(path))
            *value = value->toDouble();
        return;
    case QMetaType::QVariantList: {
        QVariantList items = value->toList();
        for (QVariant &item : items)
            restore(path, &item);
        *value = items;
        return;
    }
    case QMetaType::QVariantMap: {
        QVariantMap nested = value->toMap();
        for (auto it = nested.begin(); it != nested.end(); ++it)
            restore(path + u'/' + elementName(it.key()), &it.value());
        *value = nested;
        return;
    }
    default:
        return;
    }
}

QByteArray payloadXml(const QString &payloadType, const QVariantMap &fields, const PayloadLayout *layout)
{
    const QString root = payloadType.isEmpty() ? u"Payload"_s : elementName(payloadType);
    XmlWriter writer(layout);
    writer.tag('<' + root.toUtf8() + '>');
    writer.fields(root, fields);
    writer.tag("</" + root.toUtf8() + '>');
    return writer.toByteArray();
}

std::optional<XmlFields> xmlPayloadFields(const QByteArray &xml, QString *error)
{
    QXmlStreamReader reader(xml);
    while (!reader.atEnd() && !reader.isStartElement())
        reader.readNext();
    XmlFields result;
    if (reader.isStartElement()) {
        result.rootName = reader.name().toString();
        const QVariant content = xmlContent(reader);
        result.fields = content.toMap();
        // Nothing may follow the root but comments, processing instructions and white space.
        while (!reader.atEnd() && !reader.hasError()) {
            reader.readNext();
            if (reader.isStartElement() || (reader.isCharacters() && !reader.isWhitespace())) {
                reader.raiseError(u"content after the root element"_s);
                break;
            }
        }
    }
    if (reader.hasError() || result.rootName.isEmpty()) {
        if (error) {
            *error = reader.hasError()
                ? u"XML payload not well-formed (line %1): %2"_s.arg(reader.lineNumber()).arg(reader.errorString())
                : u"XML payload has no root element"_s;
        }
        return std::nullopt;
    }
    return result;
}

} // namespace agentdesk::wire
