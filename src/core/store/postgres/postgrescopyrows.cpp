#include "postgrescopyrows.h"

namespace agentdesk {

PostgresCopyRows &PostgresCopyRows::add(const QByteArray &utf8)
{
    separate();
    for (const char c : utf8) {
        switch (c) {
        case '\\':
            m_data.append("\\\\");
            break;
        case '\t':
            m_data.append("\\t");
            break;
        case '\n':
            m_data.append("\\n");
            break;
        case '\r':
            m_data.append("\\r");
            break;
        default:
            m_data.append(c);
        }
    }
    return *this;
}

PostgresCopyRows &PostgresCopyRows::add(qint64 value)
{
    separate();
    m_data.append(QByteArray::number(value));
    return *this;
}

PostgresCopyRows &PostgresCopyRows::add(const QDateTime &time)
{
    return time.isValid() ? add(time.toMSecsSinceEpoch()) : addNull();
}

PostgresCopyRows &PostgresCopyRows::addNull()
{
    separate();
    m_data.append("\\N");
    return *this;
}

PostgresCopyRows &PostgresCopyRows::addNullable(const QString &text)
{
    return text.isEmpty() ? addNull() : add(text);
}

void PostgresCopyRows::endRow()
{
    m_data.append('\n');
    m_rowStarted = false;
}

void PostgresCopyRows::separate()
{
    if (m_rowStarted)
        m_data.append('\t');
    m_rowStarted = true;
}

} // namespace agentdesk
