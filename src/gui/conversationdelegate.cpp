#include "conversationdelegate.h"

#include "messagetablemodel.h"
#include "modelformat.h"
#include "xmltext.h"

#include <QApplication>
#include <QFontDatabase>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr int kMargin = 6;
constexpr int kPadding = 8;

QFont bodyFont(const QFont &base)
{
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(base.pointSizeF());
    return mono;
}

// One line of a card, header or body: the taller of the two fonts, so text never overlaps.
int lineHeight(const QFont &base)
{
    return std::max(QFontMetrics(base).lineSpacing(), QFontMetrics(bodyFont(base)).lineSpacing());
}

void appendFields(const QVariantMap &fields, const xmltext::Element *element, const QString &indent,
                  QStringList *lines);

void appendValue(const QString &key, const QVariant &value, const xmltext::Element *element, const QString &indent,
                 QStringList *lines)
{
    if (value.typeId() == QMetaType::QVariantMap) {
        lines->append(indent + key + u':');
        appendFields(value.toMap(), element, indent + u"  "_s, lines);
    } else if (value.typeId() == QMetaType::QVariantList) {
        const QVariantList items = value.toList();
        for (qsizetype i = 0; i < items.size(); ++i)
            appendValue(u"%1[%2]"_s.arg(key).arg(i), items.at(i), element, indent, lines);
        if (items.isEmpty())
            lines->append(indent + key + u": []"_s);
    } else {
        QString text = xmltext::scalarText(value);
        text.replace(u'\n', u' ');
        lines->append(indent + key + u": "_s + text);
    }
}

// In the payload's own order (the XML's), not the map's alphabetical one.
void appendFields(const QVariantMap &fields, const xmltext::Element *element, const QString &indent, QStringList *lines)
{
    for (const QString &key : xmltext::orderedKeys(fields, element))
        appendValue(key, fields.value(key), xmltext::childFor(element, key), indent, lines);
}

} // namespace

ConversationDelegate::ConversationDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

QStringList ConversationDelegate::bodyLines(const QModelIndex &index)
{
    QStringList lines;
    const std::optional<xmltext::Element> root = xmltext::elementTree(
        index.data(MessageTableModel::XmlRole).toString().toUtf8());
    appendFields(index.data(MessageTableModel::FieldsRole).toMap(), root ? &*root : nullptr, QString(), &lines);
    if (lines.isEmpty())
        lines = xmltext::indented(index.data(MessageTableModel::XmlRole).toString().toUtf8()).split(u'\n');
    if (lines.size() > maxLines()) {
        const qsizetype hidden = lines.size() - maxLines() + 1;
        lines = lines.mid(0, maxLines() - 1);
        lines.append(tr("… %n more line(s)", nullptr, int(hidden)));
    }
    return lines;
}

QColor ConversationDelegate::senderColor(const QString &sender)
{
    const int hue = int(qHash(sender) % 360);
    return QColor::fromHsl(hue, 110, 235);
}

QSize ConversationDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int lines = int(bodyLines(index).size()) + 1;
    return {option.rect.width() > 0 ? option.rect.width() : 400,
            lines * lineHeight(option.font) + 2 * (kMargin + kPadding)};
}

void ConversationDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QString from = index.siblingAtColumn(MessageTableModel::FromColumn).data().toString();
    const QString to = index.siblingAtColumn(MessageTableModel::ToColumn).data().toString();
    const QString type = index.siblingAtColumn(MessageTableModel::PayloadTypeColumn).data().toString();
    const QString time = index.siblingAtColumn(MessageTableModel::TimeColumn).data().toString();

    const QRect card = option.rect.adjusted(kMargin, kMargin / 2, -kMargin, -kMargin / 2);
    QPainterPath path;
    path.addRoundedRect(card, 6, 6);
    const bool selected = option.state & QStyle::State_Selected;
    painter->fillPath(path, selected ? option.palette.color(QPalette::Highlight).lighter(170) : senderColor(from));
    painter->setPen(option.palette.color(QPalette::Mid));
    painter->drawPath(path);

    const int height = lineHeight(option.font);
    QRect line = card.adjusted(kPadding, kPadding, -kPadding, 0);
    line.setHeight(height);
    QFont bold = option.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(QColor(0x22, 0x22, 0x22));
    const QString head = u"%1 → %2"_s.arg(from, to);
    painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter, head);
    const int headWidth = QFontMetrics(bold).horizontalAdvance(head);
    painter->setFont(option.font);
    painter->setPen(QColor(0x55, 0x55, 0x55));
    painter->drawText(line.adjusted(headWidth + 12, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, type);
    painter->drawText(line, Qt::AlignRight | Qt::AlignVCenter, time);

    painter->setPen(QColor(0x22, 0x22, 0x22));
    const QFont mono = bodyFont(option.font);
    painter->setFont(mono);
    const QFontMetrics monoMetrics(mono);
    for (const QString &text : bodyLines(index)) {
        line.translate(0, height);
        painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter,
                          monoMetrics.elidedText(text, Qt::ElideRight, line.width()));
    }
    painter->restore();
}

} // namespace agentdesk
