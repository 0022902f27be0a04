#pragma once

#include "yamlreader.h"

namespace agentdesk {

// The `payloads:` section: declared types, their fields and field types. Which types are declared is
// known after read(); the field types and recursion are checked once the whole file is read.
class PayloadsReader
{
public:
    explicit PayloadsReader(YamlReader &yaml)
        : m_yaml(yaml)
    { }

    void read(const YamlReader::MapView &top, OrganismConfig *config);
    // Every field's type is a scalar type or a declared one, and no type contains itself.
    void checkTypes(const OrganismConfig &config);

    // Every type name written, also of entries that failed to read, so one mistake does not cascade into
    // "unknown type" errors elsewhere.
    const QStringList &declaredTypes() const { return m_declaredTypes; }

    // `Verdict: {label: string}`: a type-like name whose value is a map of fields to type names (used to
    // tell a payload type that slipped out of `payloads:` to the top level).
    static bool looksLikePayloadType(const QString &name, const YAML::Node &node);

private:
    std::optional<PayloadTypeSpec> readPayloadType(const QString &name, const YamlReader::Value &value);
    std::optional<FieldSpec> readField(const QString &name, const YamlReader::Value &value);
    void checkFieldTypes(const OrganismConfig &config);
    void checkRecursion(const OrganismConfig &config);

    YamlReader &m_yaml;
    QStringList m_declaredTypes;
    QHash<QString, QString> m_payloadTypePaths; // type name → key path, for error messages
};

} // namespace agentdesk
