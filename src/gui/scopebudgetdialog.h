#pragma once

#include "domain/budgets.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace agentdesk {

// Changes an agent's or the organism's budget: its limit in tokens or in USD (presets raise it by half,
// double or tenfold), its period (a UTC day, a UTC month or in total) and, optionally, a reset of what
// it has used. Starts from the current budget; the limit is checked as it is typed.
class ScopeBudgetDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ScopeBudgetDialog(const ScopeBudget &current, QWidget *parent = nullptr);

    // What to send (empty: nothing valid, or nothing changed).
    std::optional<ScopeBudgetChange> change() const;
    void setLimit(double limit);
    void setCost(bool cost);
    void setPeriod(BudgetPeriod period);
    void setReset(bool reset);

private:
    double limit() const; // 0 while the text is not a valid limit
    bool isCost() const;
    void updateState();

    ScopeBudget m_current;
    QLabel *m_currentLabel;
    QRadioButton *m_tokens;
    QRadioButton *m_cost;
    QLineEdit *m_limitEdit;
    QComboBox *m_period;
    QCheckBox *m_reset;
    QLabel *m_errorLabel;
    QDialogButtonBox *m_buttons;
};

} // namespace agentdesk
