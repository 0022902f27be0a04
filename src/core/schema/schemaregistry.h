#pragma once

#include "config/organismconfig.h"
#include "domain/payload.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>

#include <memory>
#include <vector>

namespace agentdesk {

class CompiledSchema;
class SchemaModel;

// Why a payload was refused.
//  - fieldPath: snake_case path of the offending field ({"items","0","name"}); empty when the problem is
//    the document itself (syntax, root element). An unknown key appears as given.
//  - kind: a stable machine code. pydantic's error types where one fits: missing, extra_forbidden,
//    string_type, int_type, int_parsing, int_from_float, float_type, float_parsing, finite_number,
//    bool_type, bool_parsing, list_type, model_type, decimal_max_digits; and agentdesk's own:
//    duplicate_field (snake_case and PascalCase key both given), int_out_of_range (beyond qint64),
//    xml_char (a character XML cannot carry), too_deep (nesting over 250), unknown_type, root_mismatch,
//    xml_syntax (not well-formed), xml_forbidden (a DOCTYPE), xml_schema (XSD validation failed).
//  - message: self-contained human text. Field-tree errors read "<dotted.path>: <pydantic-style text>"
//    ("items.0.qty: Input should be a valid integer …"); XML errors carry libxml2's own message.
//  - line: 1-based line in the XML text (parsePayload only), 0 when unknown or not XML.
//  - input: the offending value (field-tree errors), for 422 bodies.
struct SchemaError
{
    QStringList fieldPath;
    QString message;
    int line = 0;
    QString kind;
    QVariant input;
};

// The declared payload types of one organism, compiled to XSD and loaded into libxml2.
//
// Immutable after build(): every const method may be called from several threads at once. Validation
// contexts are pooled per type and handed to one caller at a time; parser contexts are per thread.
//
// Element order: the XSD uses xs:sequence, so parsePayload requires child elements in declared order
// (like the original's xmlable schemas); buildPayload accepts keys in any order and writes them in
// declared order.
//
// Field trees (Payload::fields) always hold every list field (possibly empty: XML cannot tell an
// absent list from an empty one) and hold an optional scalar or nested field only when present.
class SchemaRegistry
{
public:
    // Compiles every declared type to an XSD and loads it into libxml2. nullptr + *error on failure.
    // Types may refer to each other in any order; a type may contain itself only through an optional or
    // list field (otherwise no finite document could be valid).
    static std::unique_ptr<SchemaRegistry> build(const QList<PayloadTypeSpec> &types, QString *error);
    ~SchemaRegistry();
    SchemaRegistry(const SchemaRegistry &) = delete;
    SchemaRegistry &operator=(const SchemaRegistry &) = delete;

    QStringList typeNames() const; // declaration order
    bool contains(const QString &type) const;
    const PayloadTypeSpec *spec(const QString &type) const;
    QString xsd(const QString &type) const;        // empty for an unknown type
    QString exampleXml(const QString &type) const; // empty for an unknown type; validates against xsd(type)
    // The JSON Schema of the type's field tree (snake_case keys, as buildPayload takes them); empty for
    // an unknown type. Agents offer it as the parameters of the tool that reaches a peer.
    QVariantMap jsonSchema(const QString &type) const;

    // Field tree (snake_case or PascalCase keys, values as QJsonValue::toVariant gives them) → payload.
    // Checks by construction, pydantic v2 lax-mode coercions: integer accepts integral numbers, bools and
    // strings of an integer ("12", " 12 ", "12.00"); decimal accepts numbers, bools and numeric strings
    // (finite only: xs:decimal has no NaN/INF); boolean accepts bools, 0/1 and the strings
    // 0/1/true/false/t/f/yes/no/y/n/on/off (any case); string accepts strings only. Integers must fit
    // in qint64. Decimals are written without exponent in at most 24 digits, libxml2's xs:decimal limit,
    // so every payload built here also passes parsePayload: |x| must be below 1e24, and digits beyond
    // the 24th are rounded away (the output fields hold the rounded value, e.g. 1.2345e-23 → 1.2e-23).
    // Text must consist of XML characters. A missing or null optional field is left out; a missing list
    // field is an empty list; a missing required scalar or nested field is an error ("missing").
    bool buildPayload(const QString &type, const QVariantMap &fields, Payload *out, SchemaError *error) const;

    // XML text → payload. No network, no DTD (a DOCTYPE is refused outright, so neither external nor
    // internal entities are ever expanded). The root element names the type; the document is validated
    // against that type's XSD; fields are typed per the declaration; out->xml is the canonical form.
    bool parsePayload(const QByteArray &xml, Payload *out, SchemaError *error) const;
    // Same, but the root element must be `expectedType`.
    bool parsePayload(const QByteArray &xml, const QString &expectedType, Payload *out, SchemaError *error) const;

    static QString rootTag(const QString &listenerName, const QString &type); // greeter.greeting
    static QString pascalCase(const QString &snake);                          // original_sender → OriginalSender
    static QString snakeCase(const QString &pascal);                          // OriginalSender → original_sender

private:
    SchemaRegistry();
    bool parseChecked(const QByteArray &xml, const QString *expectedType, Payload *out, SchemaError *error) const;

    std::unique_ptr<SchemaModel> m_model;
    std::vector<std::unique_ptr<CompiledSchema>> m_compiled; // indexed like the model's types
    QStringList m_xsd;
    QStringList m_examples;
    QList<QVariantMap> m_jsonSchemas;
};

} // namespace agentdesk
