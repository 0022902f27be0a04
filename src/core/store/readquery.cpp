#include "readquery.h"

#include "storelogging.h"

#include <QSqlDriver>
#include <QSqlError>

#include <algorithm>
#include <limits>

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

// NULL for what QPSQL binds as NULL (a null variant, string or byte array), else a quoted literal.
QString literal(const QVariant &value)
{
    if (value.isNull())
        return u"NULL"_s;
    QString text;
    switch (value.typeId()) {
    case QMetaType::QString:
        if (value.toString().isNull())
            return u"NULL"_s;
        text = value.toString();
        break;
    case QMetaType::QByteArray:
        if (value.toByteArray().isNull())
            return u"NULL"_s;
        text = QString::fromUtf8(value.toByteArray());
        break;
    default:
        text = value.toString();
    }
    text.replace(u'\'', u"''"_s);
    return u'\'' + text + u'\'';
}

} // namespace

ReadQuery::ReadQuery(const QSqlDatabase &db)
    : m_query(db)
    , m_literal(db.driver() && db.driver()->dbmsType() == QSqlDriver::PostgreSQL)
{
    m_query.setForwardOnly(true);
}

void ReadQuery::prepare(const QString &sql)
{
    m_sql = sql;
    m_values.clear();
    if (!m_literal)
        m_query.prepare(sql);
}

void ReadQuery::addBindValue(const QVariant &value)
{
    if (m_literal)
        m_values.append(value);
    else
        m_query.addBindValue(value);
}

void ReadQuery::bindPage(qint64 limit, qint64 offset)
{
    addBindValue(limit < 0 ? std::numeric_limits<qint64>::max() : limit);
    addBindValue(std::max<qint64>(offset, 0));
}

bool ReadQuery::exec()
{
    const bool ok = m_literal ? m_query.exec(withLiterals(m_sql, m_values)) : m_query.exec();
    if (!ok)
        qCWarning(lcStore).noquote() << "history read failed:" << m_query.lastError().text() << m_query.lastQuery();
    return ok;
}

QString ReadQuery::withLiterals(const QString &sql, const QVariantList &values)
{
    QString out;
    out.reserve(sql.size() + values.size() * 16);
    qsizetype next = 0;
    bool quoted = false; // inside a '…' literal of the statement itself, where ? is text
    for (const QChar c : sql) {
        if (c == u'\'')
            quoted = !quoted;
        if (c == u'?' && !quoted)
            out += literal(values.value(next++));
        else
            out += c;
    }
    Q_ASSERT(next == values.size());
    return out;
}

} // namespace agentdesk
