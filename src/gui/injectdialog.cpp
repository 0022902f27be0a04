#include "injectdialog.h"
#include "ui_injectdialog.h"

#include "payloadform.h"
#include "session.h"
#include "xmltext.h"

#include <QPushButton>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QString errorKindText(InjectError error)
{
    switch (error) {
    case InjectError::UnknownTarget:
        return InjectDialog::tr("Unknown target");
    case InjectError::InvalidPayload:
        return InjectDialog::tr("Invalid payload");
    case InjectError::QueueFull:
        return InjectDialog::tr("The queue is full");
    case InjectError::HistoryUnavailable:
        return InjectDialog::tr("The history cannot store it");
    case InjectError::NotRunning:
        return InjectDialog::tr("The organism is not running");
    case InjectError::UnknownMessage:
        return InjectDialog::tr("Unknown message");
    }
    return {};
}

} // namespace

InjectDialog::InjectDialog(Session *session, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::InjectDialog>())
    , m_session(session)
{
    m_ui->setupUi(this);
    m_ui->buttons->button(QDialogButtonBox::Ok)->setText(tr("&Send"));
    m_ui->errorLabel->setStyleSheet(u"color: #c0392b;"_s);
    m_ui->errorLabel->hide();
    m_form = new PayloadForm(m_ui->formHost);
    m_form->setObjectName(u"payloadForm"_s);
    m_ui->formHostLayout->insertWidget(1, m_form);

    connect(m_ui->targetCombo, &QComboBox::currentIndexChanged, this, &InjectDialog::onTargetChanged);
    connect(m_form, &PayloadForm::changed, this, &InjectDialog::updateState);
    connect(m_ui->xmlEdit, &QPlainTextEdit::textChanged, this, &InjectDialog::updateState);
    connect(m_ui->modeTabs, &QTabWidget::currentChanged, this, [this] {
        // The raw XML starts from what the form holds, as long as nobody has edited it.
        if (isRawMode() && m_ui->xmlEdit->toPlainText() == m_generatedXml)
            setGeneratedXml(m_form->schema().isValid() ? m_form->schema().toXml(m_form->fields()) : m_exampleXml);
        updateState();
    });
    connect(m_ui->exampleButton, &QPushButton::clicked, this, [this] { m_ui->xmlEdit->setPlainText(m_exampleXml); });
    connect(m_ui->buttons, &QDialogButtonBox::accepted, this, &InjectDialog::send);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &InjectDialog::reject);
    populateTargets();
}

InjectDialog::~InjectDialog() = default;

void InjectDialog::populateTargets()
{
    m_ui->targetCombo->clear();
    if (!m_session)
        return;
    for (const Capability &capability : m_session->capabilities())
        m_ui->targetCombo->addItem(capability.name, capability.name);
    onTargetChanged();
}

void InjectDialog::setTarget(const QString &listener)
{
    const int index = m_ui->targetCombo->findData(listener);
    if (index >= 0)
        m_ui->targetCombo->setCurrentIndex(index);
}

QString InjectDialog::target() const
{
    return m_ui->targetCombo->currentData().toString();
}

void InjectDialog::setThreadId(const QString &threadId)
{
    m_ui->threadEdit->setText(threadId);
}

void InjectDialog::setGeneratedXml(const QString &xml)
{
    m_generatedXml = xml;
    m_ui->xmlEdit->setPlainText(xml);
}

void InjectDialog::setRawXml(const QString &xml)
{
    m_ui->xmlEdit->setPlainText(xml);
    m_ui->modeTabs->setCurrentWidget(m_ui->xmlTab);
}

bool InjectDialog::isRawMode() const
{
    return m_ui->modeTabs->currentWidget() == m_ui->xmlTab;
}

QString InjectDialog::errorText() const
{
    return m_ui->errorLabel->isVisible() ? m_ui->errorLabel->text() : QString();
}

void InjectDialog::onTargetChanged()
{
    Capability capability;
    if (m_session) {
        for (const Capability &candidate : m_session->capabilities()) {
            if (candidate.name == target())
                capability = candidate;
        }
    }
    const QString type = capability.payloadType.isEmpty() ? capability.rootTag : capability.payloadType;
    m_ui->targetInfo->setText(capability.name.isEmpty() ? QString()
                                                        : tr("Takes %1. %2").arg(type, capability.description));
    const wire::PayloadSchema schema = wire::PayloadSchema::fromXsd(capability.schemaXsd);
    // No "..." placeholders to delete before writing: empty elements to fill in.
    m_exampleXml = schema.isValid() ? schema.toXml({})
                                    : xmltext::withoutPlaceholders(xmltext::indented(capability.exampleXml.toUtf8()));
    m_form->setSchema(schema);
    m_ui->formNote->setText(schema.isValid()
                                ? tr("Fields of %1:").arg(schema.rootElement)
                                : tr("No form for this target (%1): write the payload as XML.").arg(schema.error));
    if (m_ui->xmlEdit->toPlainText().trimmed().isEmpty() || !isRawMode()
        || m_ui->xmlEdit->toPlainText() == m_generatedXml)
        setGeneratedXml(m_exampleXml);
    m_ui->errorLabel->hide();
    updateState();
}

void InjectDialog::setBranch(ThreadOriginKind kind, const MessageRecord &message)
{
    BranchRequest branch;
    branch.kind = kind;
    branch.threadId = message.threadId;
    branch.messageId = message.id;
    branch.from = u"operator"_s;
    m_branch = branch;
    if (m_ui->targetCombo->findData(message.to) < 0)
        m_ui->targetCombo->addItem(message.to, message.to);
    setTarget(message.to);
    m_ui->targetCombo->setEnabled(false);
    m_ui->threadEdit->setReadOnly(true);
    const bool fork = kind == ThreadOriginKind::Fork;
    m_ui->threadEdit->setText(
        fork ? tr("new: the history up to this message, then this message from %1").arg(message.from)
             : tr("new: this payload alone, from you"));
    setWindowTitle(fork ? tr("Fork at this message") : tr("Replay this message"));
    m_ui->buttons->button(QDialogButtonBox::Ok)->setText(fork ? tr("&Fork") : tr("&Replay"));
    m_form->setFields(message.fields);
    setGeneratedXml(xmltext::indented(message.xml));
    updateState();
}

BranchRequest InjectDialog::branchRequest() const
{
    BranchRequest branch = m_branch.value_or(BranchRequest{});
    const InjectRequest edited = request();
    branch.fields = edited.fields;
    branch.xml = edited.xml;
    return branch;
}

InjectRequest InjectDialog::request() const
{
    InjectRequest request;
    request.to = target();
    request.threadId = m_ui->threadEdit->text().trimmed();
    request.from = u"operator"_s;
    if (isRawMode())
        request.xml = m_ui->xmlEdit->toPlainText().trimmed().toUtf8();
    else
        request.fields = m_form->fields();
    return request;
}

void InjectDialog::updateState()
{
    QString problem;
    if (target().isEmpty())
        problem = tr("No listener to send to.");
    else if (isRawMode() && m_ui->xmlEdit->toPlainText().trimmed().isEmpty())
        problem = tr("Write the payload XML.");
    else if (isRawMode())
        problem = m_form->schema().problemIn(m_ui->xmlEdit->toPlainText().trimmed().toUtf8());
    else
        problem = m_form->problem();
    QPushButton *sendButton = m_ui->buttons->button(QDialogButtonBox::Ok);
    sendButton->setEnabled(problem.isEmpty() && !m_sending);
    sendButton->setToolTip(problem);
}

void InjectDialog::showError(const QString &text)
{
    m_ui->errorLabel->setText(text);
    m_ui->errorLabel->setVisible(!text.isEmpty());
}

void InjectDialog::send()
{
    if (m_sending || !m_session)
        return;
    const QString problem = isRawMode() ? m_form->schema().problemIn(m_ui->xmlEdit->toPlainText().trimmed().toUtf8())
                                        : m_form->problem();
    if (!problem.isEmpty()) {
        showError(problem);
        return;
    }
    m_sending = true;
    showError({});
    updateState();
    if (m_branch)
        m_session->branch(branchRequest(), this, [this](const InjectResult &result) { onReply(result); });
    else
        m_session->inject(request(), this, [this](const InjectResult &result) { onReply(result); });
}

void InjectDialog::onReply(const InjectResult &result)
{
    m_sending = false;
    updateState();
    if (result) {
        emit injected(*result);
        accept();
        return;
    }
    const InjectFailure &failure = result.error();
    QString text = errorKindText(failure.kind);
    if (failure.kind == InjectError::NotRunning && !failure.message.isEmpty()) {
        // Says why itself — stopped, or a server that did not answer in time — rather than claim the
        // organism is not running.
        text = failure.message;
        text[0] = text.at(0).toUpper();
    } else if (!failure.message.isEmpty()) {
        text += u": "_s + failure.message;
    }
    if (!failure.fieldPath.isEmpty())
        text += u" ("_s + failure.fieldPath.join(u" › "_s) + u')';
    showError(text);
    if (!isRawMode() && !failure.fieldPath.isEmpty())
        m_form->highlight(failure.fieldPath);
}

} // namespace agentdesk
