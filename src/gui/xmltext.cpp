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

} // namespace agentdesk::xmltext
