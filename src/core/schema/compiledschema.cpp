#include "compiledschema.h"

#include "xmlruntime.h"

#include <QByteArray>

#include <libxml/xmlschemas.h>

namespace agentdesk {

namespace {

// More contexts than threads that validate at once would only hold memory.
constexpr size_t MaxPooled = 8;

// The error handler's parameter is xmlErrorPtr in libxml2 2.9 and const xmlError * from 2.12 on;
// the template takes whichever the setter asks for.
template <typename Error>
void collectError(void *collector, Error error)
{
    static_cast<XmlErrorCollector *>(collector)->record(error);
}

} // namespace

std::unique_ptr<CompiledSchema> CompiledSchema::compile(const QString &xsd, QString *error)
{
    XmlRuntime::ensureInitialised();
    const QByteArray text = xsd.toUtf8();
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewMemParserCtxt(text.constData(), int(text.size()));
    if (!parser) {
        *error = QStringLiteral("libxml2 could not create a schema parser");
        return nullptr;
    }
    XmlErrorCollector errors;
    xmlSchemaSetParserStructuredErrors(parser, &collectError, &errors);
    xmlSchemaPtr schema = xmlSchemaParse(parser);
    xmlSchemaFreeParserCtxt(parser);
    if (!schema) {
        *error = errors.failed ? QStringLiteral("line %1 of the generated XSD: %2").arg(errors.line).arg(errors.message)
                               : QStringLiteral("libxml2 refused the generated XSD");
        return nullptr;
    }
    return std::unique_ptr<CompiledSchema>(new CompiledSchema(schema));
}

CompiledSchema::~CompiledSchema()
{
    for (xmlSchemaValidCtxtPtr context : m_pool)
        xmlSchemaFreeValidCtxt(context);
    xmlSchemaFree(m_schema);
}

bool CompiledSchema::validate(_xmlDoc *doc, XmlErrorCollector *errors) const
{
    xmlSchemaValidCtxtPtr context = acquire();
    if (!context) {
        errors->failed = true;
        errors->message = QStringLiteral("libxml2 could not create a validation context");
        return false;
    }
    xmlSchemaSetValidStructuredErrors(context, &collectError, errors);
    const int result = xmlSchemaValidateDoc(context, doc);
    // Detach the per-call collector before the context goes back to the pool.
    xmlSchemaSetValidStructuredErrors(context, nullptr, nullptr);
    release(context);
    if (result != 0 && !errors->failed) {
        errors->failed = true;
        errors->message = QStringLiteral("the document does not match the schema");
    }
    return result == 0;
}

_xmlSchemaValidCtxt *CompiledSchema::acquire() const
{
    {
        QMutexLocker locker(&m_poolMutex);
        if (!m_pool.empty()) {
            xmlSchemaValidCtxtPtr context = m_pool.back();
            m_pool.pop_back();
            return context;
        }
    }
    return xmlSchemaNewValidCtxt(m_schema);
}

void CompiledSchema::release(_xmlSchemaValidCtxt *context) const
{
    {
        QMutexLocker locker(&m_poolMutex);
        if (m_pool.size() < MaxPooled) {
            m_pool.push_back(context);
            return;
        }
    }
    xmlSchemaFreeValidCtxt(context);
}

} // namespace agentdesk
