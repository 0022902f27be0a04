#include "payloadsreader.h"

#include "misplacedkeys.h"
#include "suggestion.h"
#include "schema/schemaregistry.h"

#include <QRegularExpression>

#include <functional>

namespace agentdesk {

using namespace Qt::StringLiterals;
using Value = YamlReader::Value;
using MapView = YamlReader::MapView;

namespace {

const QStringList &scalarFieldTypes()
{
    static const QStringList names{u"string"_s, u"integer"_s, u"decimal"_s, u"boolean"_s};
    return names;
}

// `score: integer` among the payload types: a field name with a type name as its value.
bool looksLikeField(const QString &name, const YAML::Node &node)
{
    static const QRegularExpression fieldName(u"^[a-z][a-z0-9_]*$"_s);
    static const QRegularExpression typeText(u"^[A-Za-z][A-Za-z0-9_]*(\\[\\])?\\??$"_s);
    return fieldName.match(name).hasMatch() && node.IsScalar()
        && typeText.match(YamlReader::scalarText(node).trimmed()).hasMatch();
}

} // namespace

bool PayloadsReader::looksLikePayloadType(const QString &name, const YAML::Node &node)
{
    static const QRegularExpression typeName(u"^[A-Z][A-Za-z0-9_]*$"_s);
    static const QRegularExpression fieldName(u"^[a-z][a-z0-9_]*$"_s);
    if (!typeName.match(name).hasMatch() || !node.IsMap() || node.size() == 0)
        return false;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar() || !fieldName.match(YamlReader::scalarText(it->first)).hasMatch()
            || !it->second.IsScalar())
            return false;
    }
    return true;
}

void PayloadsReader::read(const MapView &top, OrganismConfig *config)
{
    const Value *section = top.given(u"payloads"_s);
    if (!section)
        return;
    const std::optional<MapView> types = m_yaml.mapOf(*section, {});
    if (!types)
        return;
    for (const auto &[name, value] : types->entries()) {
        if (!looksLikeField(name, value.node))
            m_declaredTypes.append(name);
    }
    QString previousType;
    int previousLine = 0;
    for (const auto &[name, value] : types->entries()) {
        if (looksLikeField(name, value.node)) {
            m_yaml.error(value.line, value.path,
                         MisplacedKeys::fieldAmongTypes(name, YamlReader::scalarText(value.node).trimmed(),
                                                        previousType, previousLine));
            continue;
        }
        if (auto type = readPayloadType(name, value)) {
            m_payloadTypePaths.insert(type->name, value.path);
            config->payloads.append(std::move(*type));
        }
        previousType = name;
        previousLine = value.line;
    }
}

std::optional<PayloadTypeSpec> PayloadsReader::readPayloadType(const QString &name, const Value &value)
{
    static const QRegularExpression typeName(u"^[A-Z][A-Za-z0-9_]*$"_s);
    bool ok = true;
    if (!typeName.match(name).hasMatch()) {
        m_yaml.error(value.line, value.path,
                     u"`%1` is not a valid type name: use letters, digits and _, starting with an upper-case "
                     "letter (e.g. Greeting)"_s.arg(name));
        ok = false;
    }
    const QString noFields = u"a payload type needs at least one field, e.g. `%1: {name: string}`"_s.arg(name);
    if (value.isNull()) {
        m_yaml.error(value.line, value.path, noFields);
        return std::nullopt;
    }
    const std::optional<MapView> fields = m_yaml.mapOf(value, {});
    if (!fields)
        return std::nullopt;
    if (fields->entries().isEmpty()) {
        m_yaml.error(value.line, value.path, noFields);
        return std::nullopt;
    }
    PayloadTypeSpec type{name, {}, value.line};
    QHash<QString, QString> elements; // element name → field, to catch two fields that share one element
    for (const auto &[fieldName, fieldValue] : fields->entries()) {
        std::optional<FieldSpec> field = readField(fieldName, fieldValue);
        if (!field) {
            ok = false;
            continue;
        }
        // The XML element name of a field (spec §9.4), as the schema will name it.
        const QString element = SchemaRegistry::pascalCase(field->name);
        if (elements.contains(element)) {
            m_yaml.error(fieldValue.line, fieldValue.path,
                         u"fields `%1` and `%2` would both be the XML element <%3>; rename one"_s.arg(
                             elements.value(element), field->name, element));
            ok = false;
        }
        elements.insert(element, field->name);
        type.fields.append(std::move(*field));
    }
    return ok ? std::optional<PayloadTypeSpec>(std::move(type)) : std::nullopt;
}

std::optional<FieldSpec> PayloadsReader::readField(const QString &name, const Value &value)
{
    static const QRegularExpression fieldName(u"^[a-z][a-z0-9_]*$"_s);
    static const QRegularExpression baseName(u"^[A-Za-z][A-Za-z0-9_]*$"_s);
    bool ok = true;
    if (!fieldName.match(name).hasMatch()) {
        m_yaml.error(value.line, value.path,
                     u"`%1` is not a valid field name: use snake_case (lower-case letters, digits and _, "
                     "starting with a letter)"_s.arg(name));
        ok = false;
    }
    if (value.isNull()) {
        m_yaml.error(value.line, value.path, u"needs a type: string, integer, decimal, boolean or a declared type"_s);
        return std::nullopt;
    }
    const std::optional<QString> written = m_yaml.text(value);
    if (!written)
        return std::nullopt;
    FieldSpec field{name, *written, false, false, value.line};
    if (field.type.endsWith(u'?')) {
        field.optional = true;
        field.type.chop(1);
    }
    if (field.type.endsWith(u"[]"_s)) {
        field.list = true;
        field.type.chop(2);
    }
    field.type = field.type.trimmed();
    if (!baseName.match(field.type).hasMatch()) {
        const bool misordered = written->contains(u'?') || written->contains(u"[]"_s);
        m_yaml.error(value.line, value.path,
                     misordered ? u"cannot read type `%1`: write a type name, then [] for a list, then ? for "
                                  "optional (e.g. string[]?)"_s.arg(*written)
                                : u"cannot read type `%1`: expected string, integer, decimal, boolean or a "
                                  "declared type name"_s.arg(*written));
        return std::nullopt;
    }
    return ok ? std::optional<FieldSpec>(std::move(field)) : std::nullopt;
}

void PayloadsReader::checkTypes(const OrganismConfig &config)
{
    checkFieldTypes(config);
    checkRecursion(config);
}

void PayloadsReader::checkFieldTypes(const OrganismConfig &config)
{
    static const QHash<QString, QString> aliases{
        {u"str"_s, u"string"_s},     {u"text"_s, u"string"_s},    {u"int"_s, u"integer"_s}, {u"float"_s, u"decimal"_s},
        {u"double"_s, u"decimal"_s}, {u"number"_s, u"decimal"_s}, {u"bool"_s, u"boolean"_s}};
    const QStringList &declared = m_declaredTypes;
    for (const PayloadTypeSpec &type : config.payloads) {
        for (const FieldSpec &field : type.fields) {
            if (scalarFieldTypes().contains(field.type) || declared.contains(field.type))
                continue;
            const QString path = YamlReader::joinKey(m_payloadTypePaths.value(type.name), field.name);
            QString message = u"unknown type `%1`; "_s.arg(field.type);
            const QString guess = aliases.contains(field.type.toLower())
                ? aliases.value(field.type.toLower())
                : Suggestion::closest(field.type, scalarFieldTypes() + declared);
            if (!guess.isEmpty())
                message += u"did you mean `%1`? "_s.arg(guess);
            message += u"use string, integer, decimal, boolean or a declared type"_s;
            message += declared.isEmpty() ? u" (none declared)"_s : u" (declared: %1)"_s.arg(declared.join(u", "_s));
            m_yaml.error(field.line, path, message);
        }
    }
}

void PayloadsReader::checkRecursion(const OrganismConfig &config)
{
    // Depth-first search over "type A has a field of type B"; every back edge closes a cycle. A
    // recursive type has no finite XML instance the schema could demand, so it is refused outright,
    // also through lists and optional fields.
    enum class Mark { New, Open, Done };
    QHash<QString, Mark> marks;
    QStringList stack;
    std::function<void(const PayloadTypeSpec &)> visit = [&](const PayloadTypeSpec &type) {
        marks.insert(type.name, Mark::Open);
        stack.append(type.name);
        for (const FieldSpec &field : type.fields) {
            const PayloadTypeSpec *target = config.payloadType(field.type);
            if (!target)
                continue;
            const Mark mark = marks.value(target->name, Mark::New);
            if (mark == Mark::Open) {
                QStringList cycle = stack.mid(stack.indexOf(target->name));
                cycle.append(target->name);
                m_yaml.error(field.line, YamlReader::joinKey(m_payloadTypePaths.value(type.name), field.name),
                             u"type `%1` contains itself (%2); recursive payload types are not supported"_s.arg(
                                 target->name, cycle.join(u" → "_s)));
            } else if (mark == Mark::New) {
                visit(*target);
            }
        }
        stack.removeLast();
        marks.insert(type.name, Mark::Done);
    };
    for (const PayloadTypeSpec &type : config.payloads) {
        if (marks.value(type.name, Mark::New) == Mark::New)
            visit(type);
    }
}

} // namespace agentdesk
