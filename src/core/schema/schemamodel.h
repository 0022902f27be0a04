#pragma once

#include "config/organismconfig.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringView>

#include <memory>
#include <vector>

namespace agentdesk {

enum class FieldKind { String, Integer, Decimal, Boolean, Nested };

// One declared field, resolved: its wire element name and, for nested fields, the index of its type.
struct SchemaField
{
    QString name;           // declared (snake_case)
    QString element;        // PascalCase wire element name
    QByteArray elementUtf8; // the same, for libxml2 comparisons
    QByteArray openTag;     // "<Element>", "</Element>": what the canonical writer emits
    QByteArray closeTag;
    FieldKind kind = FieldKind::String;
    int nested = -1; // FieldKind::Nested: index into SchemaModel::types()
    bool list = false;
    bool optional = false;
};

struct SchemaType
{
    PayloadTypeSpec spec;
    QByteArray nameUtf8;
    QByteArray openTag; // "<Type>", "</Type>" for the root element
    QByteArray closeTag;
    std::vector<SchemaField> fields;
    QHash<QString, int> keys; // declared name and PascalCase name → field index

    int fieldIndex(const QString &key) const { return keys.value(key, -1); }
    int elementIndex(const char *utf8Name) const; // by PascalCase element name, -1 if none
};

// The declared types with every reference resolved and every name checked. Built once, then read-only.
class SchemaModel
{
public:
    static std::unique_ptr<SchemaModel> resolve(const QList<PayloadTypeSpec> &specs, QString *error);

    const std::vector<SchemaType> &types() const { return m_types; }
    const SchemaType &type(int index) const { return m_types[size_t(index)]; }
    int indexOf(const QString &name) const { return m_byName.value(name, -1); }
    int indexOfUtf8(const char *utf8Name) const;
    // The type at `index` first, then every type it uses, depth first in field order, each once.
    std::vector<int> closure(int index) const;

private:
    bool addType(const PayloadTypeSpec &spec, QString *error);
    bool resolveFields(QString *error);
    bool checkFiniteness(QString *error) const;

    std::vector<SchemaType> m_types;
    QHash<QString, int> m_byName;
    QHash<QByteArray, int> m_byNameUtf8;
};

} // namespace agentdesk
