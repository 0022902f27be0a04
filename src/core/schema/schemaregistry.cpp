#include "schemaregistry.h"

#include "compiledschema.h"
#include "payloadbuilder.h"
#include "payloadreader.h"
#include "schemamodel.h"
#include "jsonschemawriter.h"
#include "xsdwriter.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

void unknownType(const QString &type, SchemaError *error)
{
    *error = SchemaError();
    error->kind = u"unknown_type"_s;
    error->message = u"Unknown payload type %1"_s.arg(type);
}

} // namespace

SchemaRegistry::SchemaRegistry() = default;
SchemaRegistry::~SchemaRegistry() = default;

std::unique_ptr<SchemaRegistry> SchemaRegistry::build(const QList<PayloadTypeSpec> &types, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    auto registry = std::unique_ptr<SchemaRegistry>(new SchemaRegistry);
    registry->m_model = SchemaModel::resolve(types, error);
    if (!registry->m_model)
        return nullptr;
    const SchemaModel &model = *registry->m_model;
    for (int i = 0; i < int(model.types().size()); ++i) {
        const QString xsd = XsdWriter::xsd(model, i);
        QString compileError;
        auto compiled = CompiledSchema::compile(xsd, &compileError);
        if (!compiled) {
            *error = u"payload type %1: %2"_s.arg(model.type(i).spec.name, compileError);
            return nullptr;
        }
        registry->m_compiled.push_back(std::move(compiled));
        registry->m_xsd.append(xsd);
        registry->m_examples.append(XsdWriter::exampleXml(model, i));
        registry->m_jsonSchemas.append(JsonSchemaWriter::schema(model, i));
    }
    // The examples are published as valid documents (API exampleXml, agent prompts): prove it once.
    for (int i = 0; i < int(model.types().size()); ++i) {
        Payload payload;
        SchemaError exampleError;
        if (!registry->parsePayload(registry->m_examples[i].toUtf8(), &payload, &exampleError)) {
            *error = u"internal error: the example document for %1 does not validate: %2"_s.arg(model.type(i).spec.name,
                                                                                                exampleError.message);
            return nullptr;
        }
    }
    return registry;
}

QStringList SchemaRegistry::typeNames() const
{
    QStringList names;
    names.reserve(qsizetype(m_model->types().size()));
    for (const SchemaType &type : m_model->types())
        names.append(type.spec.name);
    return names;
}

bool SchemaRegistry::contains(const QString &type) const
{
    return m_model->indexOf(type) >= 0;
}

const PayloadTypeSpec *SchemaRegistry::spec(const QString &type) const
{
    const int index = m_model->indexOf(type);
    return index < 0 ? nullptr : &m_model->type(index).spec;
}

QString SchemaRegistry::xsd(const QString &type) const
{
    const int index = m_model->indexOf(type);
    return index < 0 ? QString() : m_xsd[index];
}

QVariantMap SchemaRegistry::jsonSchema(const QString &type) const
{
    const int index = m_model->indexOf(type);
    return index < 0 ? QVariantMap() : m_jsonSchemas[index];
}

QString SchemaRegistry::exampleXml(const QString &type) const
{
    const int index = m_model->indexOf(type);
    return index < 0 ? QString() : m_examples[index];
}

bool SchemaRegistry::buildPayload(const QString &type, const QVariantMap &fields, Payload *out,
                                  SchemaError *error) const
{
    SchemaError ignored;
    if (!error)
        error = &ignored;
    const int index = m_model->indexOf(type);
    if (index < 0) {
        unknownType(type, error);
        return false;
    }
    return PayloadBuilder(*m_model).build(index, fields, out, error);
}

bool SchemaRegistry::parsePayload(const QByteArray &xml, Payload *out, SchemaError *error) const
{
    return parseChecked(xml, nullptr, out, error);
}

bool SchemaRegistry::parsePayload(const QByteArray &xml, const QString &expectedType, Payload *out,
                                  SchemaError *error) const
{
    return parseChecked(xml, &expectedType, out, error);
}

bool SchemaRegistry::parseChecked(const QByteArray &xml, const QString *expectedType, Payload *out,
                                  SchemaError *error) const
{
    SchemaError ignored;
    if (!error)
        error = &ignored;
    if (expectedType && !contains(*expectedType)) {
        unknownType(*expectedType, error);
        return false;
    }
    return PayloadReader(*m_model, m_compiled).read(xml, expectedType, out, error);
}

QString SchemaRegistry::rootTag(const QString &listenerName, const QString &type)
{
    return listenerName.toLower() + u'.' + type.toLower();
}

QString SchemaRegistry::pascalCase(const QString &snake)
{
    QString result;
    result.reserve(snake.size());
    bool startOfWord = true;
    for (QChar c : snake) {
        if (c == u'_') {
            startOfWord = true;
            continue;
        }
        result.append(startOfWord ? c.toUpper() : c);
        startOfWord = false;
    }
    return result;
}

QString SchemaRegistry::snakeCase(const QString &pascal)
{
    QString result;
    result.reserve(pascal.size() + 4);
    for (qsizetype i = 0; i < pascal.size(); ++i) {
        const QChar c = pascal[i];
        if (!c.isUpper()) {
            result.append(c);
            continue;
        }
        if (i > 0 && pascal[i - 1] != u'_') {
            const QChar previous = pascal[i - 1];
            const bool nextIsLower = i + 1 < pascal.size() && pascal[i + 1].isLower();
            // A word starts after a lower-case letter or digit, or at the last capital of an acronym
            // that a lower-case letter follows (XMLHttp → xml_http).
            if (previous.isLower() || previous.isDigit() || (previous.isUpper() && nextIsLower))
                result.append(u'_');
        }
        result.append(c.toLower());
    }
    return result;
}

} // namespace agentdesk
