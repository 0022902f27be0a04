#pragma once

#include "domain/payload.h"

#include <QVariantMap>

namespace agentdesk {

class SchemaModel;
struct SchemaError;

// Field tree → typed field tree + canonical XML, in one pass in declaration order. It type-checks by
// construction, so its output needs no XSD validation (and libxml2 is not involved at all).
class PayloadBuilder
{
public:
    explicit PayloadBuilder(const SchemaModel &model)
        : m_model(model)
    { }
    bool build(int typeIndex, const QVariantMap &fields, Payload *out, SchemaError *error) const;

private:
    const SchemaModel &m_model;
};

} // namespace agentdesk
