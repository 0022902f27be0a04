#include "scopebudgetdialog.h"

#include "modelformat.h"
#include "scopebudgetmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace agentdesk {

ScopeBudgetDialog::ScopeBudgetDialog(const ScopeBudget &current, QWidget *parent)
    : QDialog(parent)
    , m_current(current)
    , m_currentLabel(new QLabel(this))
    , m_tokens(new QRadioButton(tr("&Tokens"), this))
    , m_cost(new QRadioButton(tr("&US dollars"), this))
    , m_limitEdit(new QLineEdit(this))
    , m_period(new QComboBox(this))
    , m_reset(new QCheckBox(tr("&Start counting again now (what it used so far no longer counts)"), this))
    , m_errorLabel(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Change the budget: %1").arg(ScopeBudgetModel::scopeText(current)));
    m_currentLabel->setWordWrap(true);
    m_currentLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_currentLabel->setText(
        tr("%1 has used %2 of %3 (%4), counted per %5.")
            .arg(ScopeBudgetModel::scopeText(current), ScopeBudgetModel::amountText(current, current.used()),
                 ScopeBudgetModel::amountText(current, current.limit()), modelformat::percent(current.percentUsed()),
                 ScopeBudgetModel::periodText(current.period)));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setStyleSheet(u"color: #c0392b;"_s);
    // A whole number of tokens, or dollars with up to 6 decimals.
    m_limitEdit->setValidator(
        new QRegularExpressionValidator(QRegularExpression(u"\\d{1,15}([.,]\\d{0,6})?"_s), m_limitEdit));
    m_period->addItem(ScopeBudgetModel::periodText(BudgetPeriod::Day), int(BudgetPeriod::Day));
    m_period->addItem(ScopeBudgetModel::periodText(BudgetPeriod::Month), int(BudgetPeriod::Month));
    m_period->addItem(ScopeBudgetModel::periodText(BudgetPeriod::Total), int(BudgetPeriod::Total));

    auto *unitLayout = new QHBoxLayout;
    unitLayout->addWidget(m_tokens);
    unitLayout->addWidget(m_cost);
    unitLayout->addStretch();
    auto *presets = new QHBoxLayout;
    const double base = current.limit() > 0 ? current.limit() : 1.0;
    for (const auto &[text, factor] :
         {std::pair{u"+50 %"_s, 1.5}, std::pair{u"×2"_s, 2.0}, std::pair{u"×10"_s, 10.0}}) {
        auto *button = new QPushButton(text, this);
        connect(button, &QPushButton::clicked, this, [this, base, factor] { setLimit(base * factor); });
        presets->addWidget(button);
    }
    presets->addStretch();
    auto *form = new QFormLayout;
    form->addRow(tr("Limit in:"), unitLayout);
    form->addRow(tr("&New limit:"), m_limitEdit);
    form->addRow(QString(), presets);
    form->addRow(tr("&Period:"), m_period);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_currentLabel);
    layout->addLayout(form);
    layout->addWidget(m_reset);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Apply"));

    connect(m_limitEdit, &QLineEdit::textChanged, this, &ScopeBudgetDialog::updateState);
    connect(m_tokens, &QRadioButton::toggled, this, &ScopeBudgetDialog::updateState);
    connect(m_period, &QComboBox::currentIndexChanged, this, &ScopeBudgetDialog::updateState);
    connect(m_reset, &QCheckBox::toggled, this, &ScopeBudgetDialog::updateState);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setCost(current.isCost());
    setPeriod(current.period);
    setLimit(base * 2);
}

double ScopeBudgetDialog::limit() const
{
    if (!m_limitEdit->hasAcceptableInput())
        return 0;
    // The validator lets one decimal separator through, '.' or ',' (a German user types a comma), and no
    // group separators, so the text is a C-locale number once the comma is a point.
    const double value = QString(m_limitEdit->text()).replace(u',', u'.').toDouble();
    return isCost() ? value : std::trunc(value);
}

bool ScopeBudgetDialog::isCost() const
{
    return m_cost->isChecked();
}

void ScopeBudgetDialog::setLimit(double limit)
{
    m_limitEdit->setText(isCost() ? QString::number(limit, 'f', 2) : QString::number(qint64(std::llround(limit))));
}

void ScopeBudgetDialog::setCost(bool cost)
{
    (cost ? m_cost : m_tokens)->setChecked(true);
}

void ScopeBudgetDialog::setPeriod(BudgetPeriod period)
{
    m_period->setCurrentIndex(m_period->findData(int(period)));
}

void ScopeBudgetDialog::setReset(bool reset)
{
    m_reset->setChecked(reset);
}

std::optional<ScopeBudgetChange> ScopeBudgetDialog::change() const
{
    const double value = limit();
    if (value <= 0 || (!isCost() && value < 1))
        return std::nullopt;
    ScopeBudgetChange change;
    if (isCost())
        change.maxCost = value;
    else
        change.maxTokens = qint64(value);
    const auto period = BudgetPeriod(m_period->currentData().toInt());
    if (period != m_current.period)
        change.period = period;
    change.reset = m_reset->isChecked();
    return change;
}

void ScopeBudgetDialog::updateState()
{
    const double value = limit();
    QString problem;
    if (value <= 0 || (!isCost() && value < 1))
        problem = isCost() ? tr("Enter an amount in US dollars above 0.")
                           : tr("Enter a whole number of tokens, at least 1.");
    else if (!m_reset->isChecked() && isCost() == m_current.isCost()
             && BudgetPeriod(m_period->currentData().toInt()) == m_current.period && value <= m_current.used())
        problem = tr("At or below what it has used: its calls would stay held.");
    m_errorLabel->setText(problem);
    m_errorLabel->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(change().has_value());
}

} // namespace agentdesk
