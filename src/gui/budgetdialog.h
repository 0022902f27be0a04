#pragma once

#include "domain/budgets.h"

#include <QDialog>

#include <memory>

namespace Ui {
class BudgetDialog;
}

namespace agentdesk {

// Asks for a thread's new token maximum, starting from its current budget; presets raise it by half,
// double or tenfold. The number is checked as it is typed (a whole number of at least one token).
class BudgetDialog final : public QDialog
{
    Q_OBJECT
public:
    // `thread` names the thread for the operator ("3f9c2a1 (greeter: Alice)").
    BudgetDialog(const ThreadBudget &current, const QString &thread, QWidget *parent = nullptr);
    ~BudgetDialog() override;

    qint64 maxTokens() const; // 0 while the text is not a valid maximum
    void setMaxTokens(qint64 tokens);

private:
    void updateState();

    std::unique_ptr<Ui::BudgetDialog> m_ui;
    ThreadBudget m_current;
};

} // namespace agentdesk
