#pragma once

#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariantList>

namespace agentdesk {

// A WHERE clause built from optional conditions, each with its positional values.
class SqlFilter
{
public:
    void add(const QString &condition, const QVariantList &values = {});
    bool isEmpty() const { return m_conditions.isEmpty(); }
    QString where() const; // "" or " WHERE a AND b"
    void bind(QSqlQuery *query) const; // binds the values in order, with addBindValue()

private:
    QStringList m_conditions;
    QVariantList m_values;
};

} // namespace agentdesk
