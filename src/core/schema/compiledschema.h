#pragma once

#include <QMutex>
#include <QString>

#include <memory>
#include <vector>

struct _xmlDoc;
struct _xmlSchema;
struct _xmlSchemaValidCtxt;

namespace agentdesk {

struct XmlErrorCollector;

// One XSD loaded into libxml2. The compiled schema is read-only and shared; validation contexts are
// kept in a small pool and lent to one caller at a time, so concurrent validations never share one
// and a busy thread does not pay for creating a context on every document.
class CompiledSchema
{
public:
    static std::unique_ptr<CompiledSchema> compile(const QString &xsd, QString *error);
    ~CompiledSchema();
    CompiledSchema(const CompiledSchema &) = delete;
    CompiledSchema &operator=(const CompiledSchema &) = delete;

    // true if valid; otherwise the first error lands in *errors.
    bool validate(_xmlDoc *doc, XmlErrorCollector *errors) const;

private:
    explicit CompiledSchema(_xmlSchema *schema)
        : m_schema(schema)
    { }
    _xmlSchemaValidCtxt *acquire() const;
    void release(_xmlSchemaValidCtxt *context) const;

    _xmlSchema *m_schema;
    mutable QMutex m_poolMutex;
    mutable std::vector<_xmlSchemaValidCtxt *> m_pool;
};

} // namespace agentdesk
