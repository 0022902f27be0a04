#pragma once

#include <QStyledItemDelegate>

namespace agentdesk {

// One message of a conversation as a card: "from → to", the payload type and the time on top, then the
// payload's fields one per line (nested fields indented), or its indented XML when it has no fields.
// Long payloads are cut after maxLines(); the whole XML is in the tooltip and the Messages page.
class ConversationDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ConversationDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static constexpr int maxLines() { return 12; }
    static QStringList bodyLines(const QModelIndex &index); // what a card shows under its header

private:
    static QColor senderColor(const QString &sender);
};

} // namespace agentdesk
