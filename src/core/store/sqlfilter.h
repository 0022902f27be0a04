#pragma once

#include <QString>
#include <QStringList>
#include <QVariantList>

namespace agentdesk {

class ReadQuery;

// A WHERE clause built from optional conditions, each with its positional values.
class SqlFilter
{
public:
    void add(const QString &condition, const QVariantList &values = {});
    bool isEmpty() const { return m_conditions.isEmpty(); }
    QString where() const;             // "" or " WHERE a AND b"
    void bind(ReadQuery *query) const; // binds the values in order, with addBindValue()

private:
    QStringList m_conditions;
    QVariantList m_values;
};

} // namespace agentdesk
