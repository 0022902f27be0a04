#pragma once

#include <QStyledItemDelegate>

namespace agentdesk {

// A state or status cell: a coloured badge before the text, the colour from the model (colorRole). For
// agents the badge is the state's glyph (stateRole set to AgentModel::StateRole), for threads a disc.
class StatusDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    StatusDelegate(int colorRole, int agentStateRole, QObject *parent = nullptr);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_colorRole;
    int m_agentStateRole; // -1: draw a disc
};

} // namespace agentdesk
