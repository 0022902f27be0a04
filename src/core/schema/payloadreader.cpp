#include "payloadreader.h"

#include "canonicalxml.h"
#include "compiledschema.h"
#include "numbertext.h"
#include "schemamodel.h"
#include "schemaregistry.h"
#include "xmlruntime.h"

#include <QVariantList>
#include <QVariantMap>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <climits>
#include <cstring>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// No network, no DTD loading, no entity substitution (XML_PARSE_NOENT stays off); CDATA merged into
// text; compact text nodes since the tree is only read; line numbers beyond 65535 kept.
constexpr int ParseOptions = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES;

// A reused parser context keeps its name dictionary; documents with ever new element names would grow
// it without bound, so the context is replaced once the dictionary gets this large.
constexpr size_t MaxDictionaryEntries = 10000;

struct ParseState
{
    XmlErrorCollector errors;
    bool doctype = false;
    int doctypeLine = 0;
};

ParseState *stateOf(void *parserContext)
{
    return static_cast<ParseState *>(static_cast<xmlParserCtxtPtr>(parserContext)->_private);
}

template <typename Error>
void collectParserError(void *parserContext, Error error)
{
    if (ParseState *state = stateOf(parserContext))
        state->errors.record(error);
}

// Payloads never need a DTD. Stopping at the DOCTYPE means no entity of any kind is declared, so
// neither external entities (XXE) nor internal ones (entity expansion bombs) can ever be resolved.
void refuseDoctype(void *parserContext, const xmlChar *, const xmlChar *, const xmlChar *)
{
    auto *context = static_cast<xmlParserCtxtPtr>(parserContext);
    if (ParseState *state = stateOf(parserContext)) {
        state->doctype = true;
        state->doctypeLine = context->input ? context->input->line : 0;
    }
    xmlStopParser(context);
}

// One parser context per thread, reused: creating one per document costs more than the parse.
class ThreadParser
{
public:
    ThreadParser() = default;
    ThreadParser(const ThreadParser &) = delete;
    ThreadParser &operator=(const ThreadParser &) = delete;
    ~ThreadParser()
    {
        if (m_context)
            xmlFreeParserCtxt(m_context);
    }

    xmlParserCtxtPtr context()
    {
        if (m_context && (!m_context->dict || size_t(xmlDictSize(m_context->dict)) > MaxDictionaryEntries)) {
            xmlFreeParserCtxt(m_context);
            m_context = nullptr;
        }
        if (!m_context) {
            m_context = xmlCreatePushParserCtxt(nullptr, nullptr, nullptr, 0, nullptr);
            if (m_context) {
                m_context->sax->internalSubset = &refuseDoctype;
                m_context->sax->serror = &collectParserError;
            }
        }
        return m_context;
    }

private:
    xmlParserCtxtPtr m_context = nullptr;
};

// The whole document in one chunk of libxml2's push parser (public API, the context reused): its input
// buffer has no read callback, so the parser never tries to refill it. xmlCtxtReadMemory's buffer has
// one that reads nothing, and libxml2 2.9 calls it at nearly every token of a document shorter than an
// input chunk (250 bytes): a third more CPU per parse (bench_schema).
xmlDocPtr parseDocument(xmlParserCtxtPtr context, const QByteArray &xml)
{
    if (xmlCtxtResetPush(context, xml.constData(), int(xml.size()), nullptr, nullptr) != 0)
        return nullptr;
    xmlCtxtUseOptions(context, ParseOptions);
    xmlParseChunk(context, nullptr, 0, 1);
    xmlDocPtr doc = context->myDoc;
    context->myDoc = nullptr;
    if (!context->wellFormed) {
        xmlFreeDoc(doc);
        return nullptr;
    }
    return doc;
}

struct DocFree
{
    void operator()(xmlDocPtr doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

const char *nameOf(const xmlNode *node)
{
    return reinterpret_cast<const char *>(node->name);
}

const xmlNode *nextElement(const xmlNode *node)
{
    while (node && node->type != XML_ELEMENT_NODE)
        node = node->next;
    return node;
}

void setError(SchemaError *error, const char *kind, const QString &message, int line)
{
    error->kind = QString::fromLatin1(kind);
    error->message = message;
    error->line = line;
    error->fieldPath.clear();
    error->input = QVariant();
}

// Maps an element of a validated (or partly valid) document back to the snake_case field path.
QStringList fieldPath(const SchemaModel &model, int rootType, const xmlNode *node)
{
    std::vector<const xmlNode *> chain;
    for (const xmlNode *n = node; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        chain.push_back(n);
    QStringList path;
    if (chain.empty())
        return path;
    int typeIndex = rootType;
    // chain.back() is the root element, which stands for the payload itself.
    for (auto it = chain.rbegin() + 1; it < chain.rend(); ++it) {
        const xmlNode *element = *it;
        const int fieldIndex = typeIndex >= 0 ? model.type(typeIndex).elementIndex(nameOf(element)) : -1;
        if (fieldIndex < 0) {
            path.append(SchemaRegistry::snakeCase(QString::fromUtf8(nameOf(element))));
            typeIndex = -1;
            continue;
        }
        const SchemaField &field = model.type(typeIndex).fields[size_t(fieldIndex)];
        path.append(field.name);
        if (field.list) {
            int position = 0;
            for (const xmlNode *sibling = element->prev; sibling; sibling = sibling->prev) {
                if (sibling->type == XML_ELEMENT_NODE && std::strcmp(nameOf(sibling), nameOf(element)) == 0)
                    ++position;
            }
            path.append(QString::number(position));
        }
        typeIndex = field.kind == FieldKind::Nested ? field.nested : -1;
    }
    return path;
}

// Reads a validated tree: children are known to appear in declaration order with valid lexical values.
class TreeReader
{
public:
    TreeReader(const SchemaModel &model, SchemaError *error)
        : m_model(model)
        , m_error(error)
    { }

    CanonicalXml &xml() { return m_xml; }

    bool object(int typeIndex, const xmlNode *element, QVariantMap *out)
    {
        const SchemaType &type = m_model.type(typeIndex);
        const xmlNode *child = nextElement(element->children);
        for (const SchemaField &field : type.fields) {
            if (field.list) {
                QVariantList items;
                while (child && std::strcmp(nameOf(child), field.elementUtf8.constData()) == 0) {
                    QVariant value;
                    if (!item(field, child, &value)) {
                        m_error->fieldPath.prepend(QString::number(items.size()));
                        m_error->fieldPath.prepend(field.name);
                        return false;
                    }
                    items.append(value);
                    child = nextElement(child->next);
                }
                out->insert(field.name, items);
            } else if (child && std::strcmp(nameOf(child), field.elementUtf8.constData()) == 0) {
                QVariant value;
                if (!item(field, child, &value)) {
                    m_error->fieldPath.prepend(field.name);
                    return false;
                }
                out->insert(field.name, value);
                child = nextElement(child->next);
            }
        }
        return true;
    }

private:
    bool item(const SchemaField &field, const xmlNode *element, QVariant *out)
    {
        m_xml.tag(field.openTag);
        if (field.kind == FieldKind::Nested) {
            QVariantMap map;
            if (!object(field.nested, element, &map))
                return false;
            *out = map;
        } else if (!scalar(field.kind, element, out)) {
            return false;
        }
        m_xml.tag(field.closeTag);
        return true;
    }

    bool scalar(FieldKind kind, const xmlNode *element, QVariant *out)
    {
        QByteArray joined;
        const char *text = textOf(element, &joined);
        switch (kind) {
        case FieldKind::String:
            *out = QString::fromUtf8(text);
            m_xml.utf8Text(text);
            return true;
        case FieldKind::Integer: {
            qint64 value = 0;
            if (NumberText::parseInteger(text, &value) != NumberText::Result::Ok) {
                return fail(element, "int_out_of_range",
                            u"Element '%1': the value does not fit in a 64-bit integer"_s.arg(
                                QString::fromUtf8(nameOf(element))));
            }
            *out = QVariant(value);
            m_xml.integer(value);
            return true;
        }
        case FieldKind::Decimal: {
            double value = 0;
            // Unreachable in practice: libxml2 accepts at most 24 digits, far inside a double's range.
            if (NumberText::parseDecimal(text, &value) != NumberText::Result::Ok || !m_xml.decimal(&value)) {
                return fail(element, "finite_number",
                            u"Element '%1': the value is out of the range of a double"_s.arg(
                                QString::fromUtf8(nameOf(element))));
            }
            *out = QVariant(value);
            return true;
        }
        case FieldKind::Boolean: {
            const QByteArrayView trimmed = NumberText::trimmed(text);
            const bool value = trimmed == "true" || trimmed == "1";
            *out = QVariant(value);
            m_xml.boolean(value);
            return true;
        }
        case FieldKind::Nested:
            break;
        }
        return false;
    }

    // The element's text; a single text node (the usual case) is used in place.
    static const char *textOf(const xmlNode *element, QByteArray *joined)
    {
        const xmlNode *first = element->children;
        if (!first)
            return "";
        if (!first->next && first->type == XML_TEXT_NODE)
            return reinterpret_cast<const char *>(first->content);
        for (const xmlNode *n = first; n; n = n->next) {
            if (n->type == XML_TEXT_NODE && n->content)
                joined->append(reinterpret_cast<const char *>(n->content));
        }
        return joined->constData();
    }

    bool fail(const xmlNode *element, const char *kind, const QString &message)
    {
        setError(m_error, kind, message, int(xmlGetLineNo(element)));
        return false;
    }

    const SchemaModel &m_model;
    SchemaError *m_error;
    CanonicalXml m_xml;
};

} // namespace

bool PayloadReader::read(const QByteArray &xml, const QString *expectedType, Payload *out, SchemaError *error) const
{
    XmlRuntime::ensureInitialised();
    if (xml.size() > INT_MAX) {
        setError(error, "xml_syntax", u"The document is too large"_s, 0);
        return false;
    }
    static thread_local ThreadParser parser;
    xmlParserCtxtPtr context = parser.context();
    if (!context) {
        setError(error, "xml_syntax", u"libxml2 could not create a parser"_s, 0);
        return false;
    }
    ParseState state;
    context->_private = &state;
    DocPtr doc(parseDocument(context, xml));
    context->_private = nullptr;
    if (state.doctype) {
        setError(error, "xml_forbidden", u"DOCTYPE declarations are not allowed in payloads (no DTDs, no entities)"_s,
                 state.doctypeLine);
        return false;
    }
    if (!doc || state.errors.failed) {
        setError(error, "xml_syntax", state.errors.failed ? state.errors.message : u"The document is not well-formed"_s,
                 state.errors.line);
        return false;
    }
    const xmlNode *root = xmlDocGetRootElement(doc.get());
    if (!root) {
        setError(error, "xml_syntax", u"The document has no root element"_s, 0);
        return false;
    }
    const QString rootName = QString::fromUtf8(nameOf(root));
    if (expectedType && rootName != *expectedType) {
        setError(error, "root_mismatch",
                 u"Expected a %1 payload, got the root element <%2>"_s.arg(*expectedType, rootName),
                 int(xmlGetLineNo(root)));
        return false;
    }
    const int typeIndex = m_model.indexOfUtf8(nameOf(root));
    if (typeIndex < 0) {
        setError(error, "unknown_type", u"Unknown payload type %1 (the root element names the type)"_s.arg(rootName),
                 int(xmlGetLineNo(root)));
        return false;
    }
    XmlErrorCollector validation;
    if (!m_schemas[size_t(typeIndex)]->validate(doc.get(), &validation)) {
        setError(error, "xml_schema", validation.message, validation.line);
        error->fieldPath = validation.node ? fieldPath(m_model, typeIndex, validation.node) : QStringList();
        return false;
    }
    const SchemaType &type = m_model.type(typeIndex);
    TreeReader reader(m_model, error);
    QVariantMap fields;
    reader.xml().tag(type.openTag);
    if (!reader.object(typeIndex, root, &fields))
        return false;
    reader.xml().tag(type.closeTag);
    out->type = type.spec.name;
    out->fields = std::move(fields);
    out->xml = reader.xml().toByteArray();
    return true;
}

} // namespace agentdesk
