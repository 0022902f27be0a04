#include "budgetdialog.h"
#include "ui_budgetdialog.h"

#include "modelformat.h"

#include <QPushButton>
#include <QRegularExpressionValidator>

using namespace Qt::StringLiterals;

namespace agentdesk {

BudgetDialog::BudgetDialog(const ThreadBudget &current, const QString &thread, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::BudgetDialog>())
    , m_current(current)
{
    m_ui->setupUi(this);
    m_ui->buttons->button(QDialogButtonBox::Ok)->setText(tr("&Raise"));
    m_ui->errorLabel->setStyleSheet(u"color: #c0392b;"_s);
    m_ui->maxEdit->setValidator(
        new QRegularExpressionValidator(QRegularExpression(u"[1-9]\\d{0,17}"_s), m_ui->maxEdit));
    m_ui->currentLabel->setText(tr("Thread %1 has used %2 of %3 tokens (%4).")
                                    .arg(thread, modelformat::count(current.totalTokens()),
                                         modelformat::count(current.maxTokens),
                                         modelformat::percent(current.percentUsed())));
    const qint64 base = std::max<qint64>(current.maxTokens, 1);
    connect(m_ui->plusHalfButton, &QPushButton::clicked, this, [this, base] { setMaxTokens(base + base / 2); });
    connect(m_ui->doubleButton, &QPushButton::clicked, this, [this, base] { setMaxTokens(base * 2); });
    connect(m_ui->tenfoldButton, &QPushButton::clicked, this, [this, base] { setMaxTokens(base * 10); });
    connect(m_ui->maxEdit, &QLineEdit::textChanged, this, &BudgetDialog::updateState);
    connect(m_ui->buttons, &QDialogButtonBox::accepted, this, &BudgetDialog::accept);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &BudgetDialog::reject);
    setMaxTokens(base * 2);
}

BudgetDialog::~BudgetDialog() = default;

qint64 BudgetDialog::maxTokens() const
{
    if (!m_ui->maxEdit->hasAcceptableInput())
        return 0;
    return m_ui->maxEdit->text().toLongLong();
}

void BudgetDialog::setMaxTokens(qint64 tokens)
{
    m_ui->maxEdit->setText(QString::number(tokens));
}

void BudgetDialog::updateState()
{
    QString problem;
    const qint64 tokens = maxTokens();
    if (tokens <= 0)
        problem = tr("Enter a whole number of tokens, at least 1.");
    else if (tokens <= m_current.totalTokens())
        problem = tr("At or below what the thread has used: it would stay held.");
    m_ui->errorLabel->setText(problem);
    m_ui->errorLabel->setVisible(!problem.isEmpty());
    m_ui->buttons->button(QDialogButtonBox::Ok)->setEnabled(tokens > 0);
}

} // namespace agentdesk
