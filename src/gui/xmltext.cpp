#include "xmltext.h"

#include <QLocale>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

using namespace Qt::StringLiterals;

namespace agentdesk::xmltext {

QString indented(const QByteArray &xml)
{
    QXmlStreamReader reader(xml);
    QString out;
    QXmlStreamWriter writer(&out);
    writer.setAutoFormatting(true);
    writer.setAutoFormattingIndent(2);
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isWhitespace() || reader.isStartDocument() || reader.isEndDocument())
            continue;
        writer.writeCurrentToken(reader);
    }
    if (reader.hasError())
        return QString::fromUtf8(xml);
    return out.trimmed();
}

QString withoutPlaceholders(const QString &xml)
{
    QString out = xml;
    out.replace(u">...<"_s, u"><"_s);
    return out;
}

QString scalarText(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QMetaType::Double:
        return QString::number(value.toDouble(), 'g', 17);
    case QMetaType::QVariantList:
        return u"[%1]"_s.arg(value.toList().size());
    case QMetaType::QVariantMap:
        return u"{…}"_s;
    default:
        return value.toString();
    }
}

namespace {

QString normalized(const QString &name)
{
    QString out = name.toLower();
    out.remove(u'_');
    out.remove(u'-');
    return out;
}

} // namespace

const Element *childFor(const Element *element, const QString &key)
{
    if (!element)
        return nullptr;
    const QString wanted = normalized(key);
    for (const Element &child : element->children) {
        if (normalized(child.name) == wanted)
            return &child;
    }
    return nullptr;
}

QStringList orderedKeys(const QVariantMap &fields, const Element *element)
{
    QStringList keys;
    if (element) {
        for (const Element &child : element->children) {
            const QString name = normalized(child.name);
            for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
                if (!keys.contains(it.key()) && normalized(it.key()) == name) {
                    keys.append(it.key());
                    break;
                }
            }
        }
    }
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        if (!keys.contains(it.key()))
            keys.append(it.key());
    }
    return keys;
}

} // namespace agentdesk::xmltext
