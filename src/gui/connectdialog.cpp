#include "connectdialog.h"
#include "ui_connectdialog.h"

#include "savedconnections.h"

#include <QInputDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {
const QString kRecentKey = u"connect/recentUrls"_s;
const QString kKindKey = u"connect/serverKind"_s;
constexpr int kRecentCount = 8;
constexpr int kWidthInCharacters = 72;
} // namespace

ConnectDialog::ConnectDialog(QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ConnectDialog>())
{
    m_ui->setupUi(this);
    // Wide enough for a URL with a port and the placeholders, in any language.
    setMinimumWidth(fontMetrics().averageCharWidth() * kWidthInCharacters);
    m_ui->buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    m_ui->errorLabel->setStyleSheet(u"color: #c0392b;"_s);
    const QSettings settings;
    setServerKind(settings.value(kKindKey).toString() == u"original" ? ServerKind::Original : ServerKind::Agentdesk);
    m_ui->urlCombo->lineEdit()->setPlaceholderText(defaultUrl(serverKind()));
    const QStringList recent = settings.value(kRecentKey).toStringList();
    m_ui->urlCombo->addItems(recent);
    m_ui->urlCombo->setEditText(recent.isEmpty() ? defaultUrl(serverKind()) : recent.first());
    populateSaved();
    connect(m_ui->urlCombo, &QComboBox::editTextChanged, this, &ConnectDialog::updateState);
    connect(m_ui->keyEdit, &QLineEdit::textChanged, this, &ConnectDialog::updateState);
    connect(m_ui->keyEnvEdit, &QLineEdit::textChanged, this, &ConnectDialog::updateState);
    connect(m_ui->agentdeskRadio, &QRadioButton::toggled, this, &ConnectDialog::onKindChanged);
    connect(m_ui->savedCombo, &QComboBox::activated, this, &ConnectDialog::onSavedChosen);
    connect(m_ui->saveButton, &QPushButton::clicked, this, &ConnectDialog::askToSave);
    connect(m_ui->forgetButton, &QPushButton::clicked, this, &ConnectDialog::forgetSaved);
    connect(m_ui->buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);
    updateState();
}

ConnectDialog::~ConnectDialog() = default;

QUrl ConnectDialog::parseUrl(const QString &text, int defaultPort)
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
    if (url.port() < 0 && scheme == u"http")
        url.setPort(defaultPort);
    return url;
}

QString ConnectDialog::defaultUrl(ServerKind kind) const
{
    return u"http://127.0.0.1:%1"_s.arg(defaultPort(kind));
}

ConnectDialog::ServerKind ConnectDialog::serverKind() const
{
    return m_ui->originalRadio->isChecked() ? ServerKind::Original : ServerKind::Agentdesk;
}

void ConnectDialog::setServerKind(ServerKind kind)
{
    (kind == ServerKind::Original ? m_ui->originalRadio : m_ui->agentdeskRadio)->setChecked(true);
}

void ConnectDialog::onKindChanged()
{
    // The other kind's default address becomes this kind's; an address the operator typed stays.
    const ServerKind kind = serverKind();
    const ServerKind other = kind == ServerKind::Original ? ServerKind::Agentdesk : ServerKind::Original;
    const QString text = m_ui->urlCombo->currentText().trimmed();
    if (text.isEmpty() || text == defaultUrl(other))
        m_ui->urlCombo->setEditText(defaultUrl(kind));
    m_ui->urlCombo->lineEdit()->setPlaceholderText(defaultUrl(kind));
    updateState();
}

QUrl ConnectDialog::url() const
{
    return parseUrl(m_ui->urlCombo->currentText(), defaultPort(serverKind()));
}

QString ConnectDialog::apiKey() const
{
    if (!m_ui->keyEdit->text().isEmpty())
        return m_ui->keyEdit->text();
    return SavedConnections::keyOf(SavedConnection{{}, {}, keyVariable()});
}

QString ConnectDialog::keyVariable() const
{
    return m_ui->keyEnvEdit->text().trimmed();
}

void ConnectDialog::setUrl(const QString &url)
{
    m_ui->urlCombo->setEditText(url);
}

void ConnectDialog::setApiKey(const QString &key)
{
    m_ui->keyEdit->setText(key);
}

void ConnectDialog::setKeyVariable(const QString &name)
{
    m_ui->keyEnvEdit->setText(name);
}

void ConnectDialog::populateSaved()
{
    const QString current = m_ui->savedCombo->currentData().toString();
    m_ui->savedCombo->clear();
    const QList<SavedConnection> saved = SavedConnections::load();
    m_ui->savedCombo->addItem(saved.isEmpty() ? tr("(none yet)") : tr("(choose one)"), QString());
    for (const SavedConnection &connection : saved)
        m_ui->savedCombo->addItem(u"%1 — %2"_s.arg(connection.name, connection.url.toDisplayString()), connection.name);
    m_ui->savedCombo->setCurrentIndex(std::max(0, m_ui->savedCombo->findData(current)));
    m_ui->savedCombo->setEnabled(!saved.isEmpty());
    m_ui->forgetButton->setEnabled(!m_ui->savedCombo->currentData().toString().isEmpty());
}

bool ConnectDialog::chooseSaved(const QString &name)
{
    const int index = m_ui->savedCombo->findData(name);
    if (name.isEmpty() || index < 0)
        return false;
    m_ui->savedCombo->setCurrentIndex(index);
    onSavedChosen();
    return true;
}

void ConnectDialog::onSavedChosen()
{
    const std::optional<SavedConnection> saved = SavedConnections::find(m_ui->savedCombo->currentData().toString());
    m_ui->forgetButton->setEnabled(saved.has_value());
    if (!saved)
        return;
    m_ui->urlCombo->setEditText(saved->url.toString());
    m_ui->keyEnvEdit->setText(saved->keyVariable);
    m_ui->keyEdit->clear();
    updateState();
}

bool ConnectDialog::saveAs(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || !url().isValid())
        return false;
    SavedConnections::save(SavedConnection{trimmed, url(), keyVariable()});
    populateSaved();
    m_ui->savedCombo->setCurrentIndex(std::max(0, m_ui->savedCombo->findData(trimmed)));
    m_ui->forgetButton->setEnabled(true);
    return true;
}

void ConnectDialog::askToSave()
{
    if (!url().isValid())
        return;
    const QString current = m_ui->savedCombo->currentData().toString();
    bool ok = false;
    const QString name = QInputDialog::getText(
        this, tr("Save the connection"), tr("Name for %1 (the key itself is not saved):").arg(url().toDisplayString()),
        QLineEdit::Normal, current.isEmpty() ? url().host() : current, &ok);
    if (ok)
        saveAs(name);
}

void ConnectDialog::forgetSaved()
{
    const QString name = m_ui->savedCombo->currentData().toString();
    if (name.isEmpty())
        return;
    SavedConnections::forget(name);
    populateSaved();
}

void ConnectDialog::updateState()
{
    const bool urlOk = url().isValid();
    static const QRegularExpression variableName(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    const QString variable = keyVariable();
    QString problem;
    if (!urlOk && !m_ui->urlCombo->currentText().isEmpty())
        problem = tr("Enter an http:// or https:// address with a host, e.g. %1").arg(defaultUrl(serverKind()));
    else if (!variable.isEmpty() && !variableName.match(variable).hasMatch())
        problem = tr("%1 is not the name of an environment variable").arg(variable);
    else if (!variable.isEmpty() && m_ui->keyEdit->text().isEmpty() && apiKey().isEmpty())
        problem = tr("The environment variable %1 is not set (or empty) for agentdesk").arg(variable);
    m_ui->errorLabel->setText(problem);
    m_ui->errorLabel->setVisible(!problem.isEmpty());
    m_ui->buttons->button(QDialogButtonBox::Ok)->setEnabled(urlOk && problem.isEmpty());
    m_ui->saveButton->setEnabled(urlOk);
}

void ConnectDialog::accept()
{
    if (!url().isValid() || !m_ui->buttons->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    const QString text = url().toString();
    recent.removeAll(text);
    recent.prepend(text);
    settings.setValue(kRecentKey, recent.mid(0, kRecentCount));
    settings.setValue(kKindKey, serverKind() == ServerKind::Original ? u"original"_s : u"agentdesk"_s);
    QDialog::accept();
}

} // namespace agentdesk
