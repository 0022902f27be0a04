#pragma once

#include "domain/budgets.h"

#include <QStyledItemDelegate>
#include <QWidget>

#include <optional>

namespace agentdesk {

// How a thread budget is drawn, in a table cell and in the Threads page alike: the share used as a bar
// coloured by severity, ticks at the 75, 90 and 95 % marks, and "used / max" over it.
namespace budgetpaint {
QColor severityColor(double percent, bool exhausted);
void paint(QPainter *painter, const QRect &rect, const QPalette &palette, double percent, bool exhausted,
           const QString &text);
} // namespace budgetpaint

class BudgetBar final : public QWidget
{
    Q_OBJECT
public:
    explicit BudgetBar(QWidget *parent = nullptr);

    void setBudget(const std::optional<ThreadBudget> &budget); // nullopt: no budget (not metered or ended)
    std::optional<ThreadBudget> budget() const { return m_budget; }
    QString text() const; // what the bar says

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    std::optional<ThreadBudget> m_budget;
};

// Draws BudgetModel rows (any column of a model that answers BudgetModel's PercentRole/ExhaustedRole, or
// ThreadModel's BudgetPercentRole) as a budget bar.
class BudgetBarDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    BudgetBarDelegate(int percentRole, int exhaustedRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_percentRole;
    int m_exhaustedRole; // -1: never exhausted
};

} // namespace agentdesk
