#include "budgetbar.h"

#include "budgetmodel.h"
#include "modelformat.h"

#include <QApplication>
#include <QPainter>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace budgetpaint {

QColor severityColor(double percent, bool exhausted)
{
    if (exhausted || percent >= BudgetModel::FinalPercent)
        return QColor(0xc0, 0x39, 0x2b);
    if (percent >= BudgetModel::CriticalPercent)
        return QColor(0xe6, 0x7e, 0x22);
    if (percent >= BudgetModel::WarningPercent)
        return QColor(0xf1, 0xc4, 0x0f);
    return QColor(0x27, 0xae, 0x60);
}

void paint(QPainter *painter, const QRect &rect, const QPalette &palette, double percent, bool exhausted,
           const QString &text)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    const QRect frame = rect.adjusted(0, 0, -1, -1);
    painter->setPen(palette.color(QPalette::Mid));
    painter->setBrush(palette.color(QPalette::Base));
    painter->drawRect(frame);
    const double share = std::clamp(percent, 0.0, 100.0) / 100.0;
    const QRect filled(frame.left() + 1, frame.top() + 1, int((frame.width() - 1) * share), frame.height() - 1);
    painter->fillRect(filled, severityColor(percent, exhausted));
    painter->setPen(QPen(palette.color(QPalette::WindowText), 1, Qt::DotLine));
    for (int mark : {BudgetModel::WarningPercent, BudgetModel::CriticalPercent, BudgetModel::FinalPercent}) {
        const int x = frame.left() + int(frame.width() * mark / 100.0);
        painter->drawLine(x, frame.top() + 1, x, frame.bottom());
    }
    if (!text.isEmpty()) {
        painter->setPen(palette.color(QPalette::Text));
        painter->drawText(frame.adjusted(4, 0, -4, 0), Qt::AlignCenter, text);
    }
    painter->restore();
}

} // namespace budgetpaint

BudgetBar::BudgetBar(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void BudgetBar::setBudget(const std::optional<ThreadBudget> &budget)
{
    m_budget = budget;
    setToolTip(budget ? tr("Marks at 75 %, 90 % and 95 %; at 100 % the thread is held until its budget is raised")
                      : QString());
    update();
}

QString BudgetBar::text() const
{
    if (!m_budget)
        return tr("no budget (the thread is not metered or has ended)");
    const QString used = tr("%1 / %2 tokens (%3)")
                             .arg(modelformat::count(m_budget->totalTokens()), modelformat::count(m_budget->maxTokens),
                                  modelformat::percent(m_budget->percentUsed()));
    return m_budget->isExhausted() ? tr("%1 — exhausted, thread held").arg(used) : used;
}

QSize BudgetBar::sizeHint() const
{
    return {320, fontMetrics().height() + 8};
}

QSize BudgetBar::minimumSizeHint() const
{
    return {120, fontMetrics().height() + 8};
}

void BudgetBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    if (!m_budget) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignVCenter | Qt::AlignLeft, text());
        return;
    }
    budgetpaint::paint(&painter, rect(), palette(), m_budget->percentUsed(), m_budget->isExhausted(), text());
}

BudgetBarDelegate::BudgetBarDelegate(int percentRole, int exhaustedRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_percentRole(percentRole)
    , m_exhaustedRole(exhaustedRole)
{ }

void BudgetBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant percent = index.data(m_percentRole);
    if (!percent.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);
    const bool exhausted = m_exhaustedRole >= 0 && index.data(m_exhaustedRole).toBool();
    budgetpaint::paint(painter, option.rect.adjusted(2, 2, -2, -2), option.palette, percent.toDouble(), exhausted,
                       modelformat::percent(percent.toDouble()));
}

QSize BudgetBarDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width(), 140));
    return size;
}

} // namespace agentdesk
