#include "connectdialog.h"
#include "ui_connectdialog.h"

#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {
const QString kRecentKey = u"connect/recentUrls"_s;
constexpr int kRecentCount = 8;
} // namespace

ConnectDialog::ConnectDialog(QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ConnectDialog>())
{
    m_ui->setupUi(this);
    m_ui->buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    m_ui->errorLabel->setStyleSheet(u"color: #c0392b;"_s);
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    m_ui->urlCombo->addItems(recent);
    m_ui->urlCombo->lineEdit()->setPlaceholderText(u"http://127.0.0.1:8765"_s);
    if (recent.isEmpty())
        m_ui->urlCombo->setEditText(u"http://127.0.0.1:8765"_s);
    connect(m_ui->urlCombo, &QComboBox::editTextChanged, this, &ConnectDialog::updateState);
    connect(m_ui->buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);
    updateState();
}

ConnectDialog::~ConnectDialog() = default;

QUrl ConnectDialog::parseUrl(const QString &text)
{
    QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (!trimmed.contains(u"://"_s))
        trimmed.prepend(u"http://"_s);
    QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return {};
    const QString scheme = url.scheme().toLower();
    if (scheme != u"http" && scheme != u"https")
        return {};
    return url;
}

QUrl ConnectDialog::url() const
{
    return parseUrl(m_ui->urlCombo->currentText());
}

QString ConnectDialog::apiKey() const
{
    return m_ui->keyEdit->text();
}

void ConnectDialog::setUrl(const QString &url)
{
    m_ui->urlCombo->setEditText(url);
}

void ConnectDialog::setApiKey(const QString &key)
{
    m_ui->keyEdit->setText(key);
}

void ConnectDialog::updateState()
{
    const bool ok = url().isValid();
    m_ui->errorLabel->setText(ok || m_ui->urlCombo->currentText().isEmpty()
                                  ? QString()
                                  : tr("Enter an http:// or https:// address with a host, e.g. http://127.0.0.1:8765"));
    m_ui->errorLabel->setVisible(!m_ui->errorLabel->text().isEmpty());
    m_ui->buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

void ConnectDialog::accept()
{
    if (!url().isValid())
        return;
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    const QString text = url().toString();
    recent.removeAll(text);
    recent.prepend(text);
    settings.setValue(kRecentKey, recent.mid(0, kRecentCount));
    QDialog::accept();
}

} // namespace agentdesk
