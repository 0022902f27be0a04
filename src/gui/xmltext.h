#pragma once

#include <QByteArray>
#include <QString>
#include <QVariant>

namespace agentdesk::xmltext {

// A payload as a person reads it: one element per line, indented by two spaces. Text that is not
// well-formed XML comes back unchanged, so nothing an agent sent is ever hidden.
QString indented(const QByteArray &xml);

// A field value (QVariantMap / QVariantList / scalar) in one line, for a fields tree's value column.
QString scalarText(const QVariant &value);

} // namespace agentdesk::xmltext
