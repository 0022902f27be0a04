#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace agentdesk::wire {

// A payload's elements in document order — the schema's order, which a QVariantMap of its fields loses
// (it sorts the keys). Text is the element's own non-whitespace character data.
struct XmlElement
{
    QString name;
    QString text;
    QList<XmlElement> children;
};

// The root element; nullopt when the text is not well-formed XML.
std::optional<XmlElement> elementTree(const QByteArray &xml);

} // namespace agentdesk::wire
