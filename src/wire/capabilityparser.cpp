#include "capabilityparser.h"

#include "jsonparser.h"

#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {
QString rootElement(const QString &xml)
{
    QXmlStreamReader reader(xml);
    while (!reader.atEnd() && !reader.hasError()) {
        if (reader.readNext() == QXmlStreamReader::StartElement)
            return reader.name().toString();
    }
    return {};
}
} // namespace

std::optional<Capability> parseCapability(const QJsonObject &json)
{
    if (!json.value(u"name"_s).isString())
        return std::nullopt;
    Capability capability;
    capability.name = jsonText(json, u"name"_s);
    capability.description = jsonText(json, u"description"_s);
    capability.isAgent = jsonBool(json, u"isAgent"_s);
    capability.peers = jsonStringList(json, u"peers"_s);
    capability.rootTag = jsonText(json, u"rootTag"_s);
    capability.payloadClass = jsonText(json, u"payloadClass"_s);
    capability.schemaXsd = jsonText(json, u"schemaXsd"_s);
    capability.exampleXml = jsonText(json, u"exampleXml"_s);
    capability.payloadType = rootElement(capability.exampleXml);
    if (capability.payloadType.isEmpty() && !capability.payloadClass.isEmpty())
        capability.payloadType = capability.payloadClass.section(u'.', -1);
    return capability;
}

std::optional<QList<Capability>> parseCapabilityList(const QJsonObject &json)
{
    if (!json.value(u"capabilities"_s).isArray())
        return std::nullopt;
    QList<Capability> capabilities;
    for (const QJsonValue &item : json.value(u"capabilities"_s).toArray()) {
        if (auto capability = parseCapability(item.toObject()))
            capabilities.append(*capability);
    }
    return capabilities;
}

} // namespace agentdesk::wire
