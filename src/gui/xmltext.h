#pragma once

#include "xmlelement.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace agentdesk::xmltext {

// A payload as a person reads it: one element per line, indented by two spaces. Text that is not
// well-formed XML comes back unchanged, so nothing an agent sent is ever hidden.
QString indented(const QByteArray &xml);

// The text with the example payloads' "..." placeholders removed (<Name>...</Name> becomes <Name></Name>).
QString withoutPlaceholders(const QString &xml);

// A field value (QVariantMap / QVariantList / scalar) in one line, for a fields tree's value column.
QString scalarText(const QVariant &value);

// A payload's elements in document order: the wire's element tree (wire/xmlelement.h).
using Element = wire::XmlElement;
using wire::elementTree;

// The keys of `fields` in the order of their elements among `element`'s children; a key matches an
// element when both read the same without case and underscores ("original_sender" ~ "OriginalSender").
// Keys with no element (or no element at all) follow in the map's order.
QStringList orderedKeys(const QVariantMap &fields, const Element *element);
const Element *childFor(const Element *element, const QString &key); // nullptr when none

} // namespace agentdesk::xmltext
