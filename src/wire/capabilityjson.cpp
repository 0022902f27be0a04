#include "capabilityjson.h"

#include <QCborArray>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {
void writeCommon(QCborMap &json, const Capability &capability)
{
    json[u"name"_s] = capability.name;
    json[u"description"_s] = capability.description;
    json[u"isAgent"_s] = capability.isAgent;
    json[u"peers"_s] = QCborArray::fromStringList(capability.peers);
    json[u"rootTag"_s] = capability.rootTag;
}

QCborValue optionalText(const QString &text)
{
    return text.isEmpty() ? QCborValue(nullptr) : QCborValue(text);
}
} // namespace

QCborMap capabilityInfoJson(const Capability &capability)
{
    QCborMap json;
    writeCommon(json, capability);
    return json;
}

QCborMap capabilityDetailJson(const Capability &capability)
{
    QCborMap json;
    writeCommon(json, capability);
    json[u"payloadClass"_s] = capability.payloadClass;
    json[u"schemaXsd"_s] = optionalText(capability.schemaXsd);
    json[u"exampleXml"_s] = optionalText(capability.exampleXml);
    return json;
}

QCborMap capabilityListJson(const QList<Capability> &capabilities)
{
    QCborArray list;
    for (const Capability &capability : capabilities)
        list.append(capabilityInfoJson(capability));
    return QCborMap{{u"capabilities"_s, list}, {u"count"_s, capabilities.size()}};
}

} // namespace agentdesk::wire
