#pragma once

#include <QVariantMap>

namespace agentdesk {

class SchemaModel;

// Renders a resolved payload type as a JSON Schema (as a JSON-shaped variant map): the parameters of
// the tool an agent calls to send that payload to a peer. Same source as the XSD (XsdWriter), same
// rules: snake_case property names (what buildPayload takes), string/integer/number/boolean, lists as
// arrays, nested types inline, optional and list fields not required, no other properties.
class JsonSchemaWriter
{
public:
    static QVariantMap schema(const SchemaModel &model, int typeIndex);
};

} // namespace agentdesk
