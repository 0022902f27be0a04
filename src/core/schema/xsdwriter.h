#pragma once

#include <QString>

namespace agentdesk {

class SchemaModel;

// Renders a resolved type as the XSD text the API serves (spec §9.4) and as an example document.
class XsdWriter
{
public:
    // The type's complexType first, then the complexTypes it uses, then its one global element.
    static QString xsd(const SchemaModel &model, int typeIndex);
    // Every field on its own line (two-space indentation), placeholders "...", 0, 0.0, false, one item
    // per list, nested types expanded. Optional or list fields that would re-enter a type already being
    // expanded are left out, so recursive types stay finite (and still valid: such fields have
    // minOccurs="0").
    static QString exampleXml(const SchemaModel &model, int typeIndex);
};

} // namespace agentdesk
