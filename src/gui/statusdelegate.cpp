#include "statusdelegate.h"

#include "stateicons.h"

namespace agentdesk {

StatusDelegate::StatusDelegate(int colorRole, int agentStateRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_colorRole(colorRole)
    , m_agentStateRole(agentStateRole)
{ }

void StatusDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant color = index.data(m_colorRole);
    if (!color.isValid())
        return;
    option->features |= QStyleOptionViewItem::HasDecoration;
    if (m_agentStateRole >= 0)
        option->icon = stateicons::agentState(AgentState(index.data(m_agentStateRole).toInt()));
    else
        option->icon = stateicons::disc(color.value<QColor>());
    option->decorationSize = QSize(16, 16);
    if (!(option->state & QStyle::State_Selected))
        option->palette.setColor(QPalette::Text, color.value<QColor>().darker(130));
}

} // namespace agentdesk
