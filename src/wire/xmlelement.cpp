#include "xmlelement.h"

#include <QXmlStreamReader>

namespace agentdesk::wire {

std::optional<XmlElement> elementTree(const QByteArray &xml)
{
    QXmlStreamReader reader(xml);
    QList<XmlElement> stack;
    std::optional<XmlElement> root;
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::StartElement:
            stack.append(XmlElement{reader.name().toString(), {}, {}});
            break;
        case QXmlStreamReader::Characters:
            if (!stack.isEmpty() && !reader.isWhitespace())
                stack.last().text += reader.text();
            break;
        case QXmlStreamReader::EndElement: {
            XmlElement done = stack.takeLast();
            if (stack.isEmpty())
                root = std::move(done);
            else
                stack.last().children.append(std::move(done));
            break;
        }
        default:
            break;
        }
    }
    if (reader.hasError())
        return std::nullopt;
    return root;
}

} // namespace agentdesk::wire
