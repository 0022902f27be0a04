#include "sqlfilter.h"

#include "readquery.h"

namespace agentdesk {

using namespace Qt::StringLiterals;

void SqlFilter::add(const QString &condition, const QVariantList &values)
{
    m_conditions.append(condition);
    m_values.append(values);
}

QString SqlFilter::where() const
{
    if (m_conditions.isEmpty())
        return {};
    return u" WHERE "_s + m_conditions.join(u" AND "_s);
}

void SqlFilter::bind(ReadQuery *query) const
{
    for (const QVariant &value : m_values)
        query->addBindValue(value);
}

} // namespace agentdesk
