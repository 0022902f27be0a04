#pragma once

#include <QByteArray>
#include <QString>
#include <QVariantMap>

namespace agentdesk {

// One XML payload as it travels between listeners. `xml` is the canonical form (what is validated,
// stored and sent to exec listeners); `fields` is the same content as a tree keyed by the declared
// snake_case field names, with QString / qint64 / double / bool / QVariantMap / QVariantList values.
struct Payload
{
    QString type;       // declared payload type name, e.g. "Greeting" (== the XML root element)
    QVariantMap fields; // snake_case keys
    QByteArray xml;     // <Greeting><Name>Dan</Name></Greeting>
};

} // namespace agentdesk
