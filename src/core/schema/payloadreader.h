#pragma once

#include "domain/payload.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

namespace agentdesk {

class CompiledSchema;
class SchemaModel;
struct SchemaError;

// XML text → typed field tree + canonical XML: parse (libxml2, no network, DOCTYPE refused), pick the
// type from the root element, validate against its compiled XSD, then read the tree in declaration order.
class PayloadReader
{
public:
    PayloadReader(const SchemaModel &model, const std::vector<std::unique_ptr<CompiledSchema>> &schemas)
        : m_model(model)
        , m_schemas(schemas)
    { }
    // expectedType: nullptr accepts any declared type.
    bool read(const QByteArray &xml, const QString *expectedType, Payload *out, SchemaError *error) const;

private:
    const SchemaModel &m_model;
    const std::vector<std::unique_ptr<CompiledSchema>> &m_schemas;
};

} // namespace agentdesk
