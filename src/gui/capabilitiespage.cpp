#include "capabilitiespage.h"
#include "ui_capabilitiespage.h"

#include "capabilitymodel.h"
#include "session.h"
#include "viewdefaults.h"
#include "xmltext.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace agentdesk {

CapabilitiesPage::CapabilitiesPage(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::CapabilitiesPage>())
{
    m_ui->setupUi(this);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui->schemaText->setFont(mono);
    m_ui->exampleText->setFont(mono);
    QFont title = m_ui->titleLabel->font();
    title.setBold(true);
    title.setPointSizeF(title.pointSizeF() * 1.2);
    m_ui->titleLabel->setFont(title);
    m_ui->capabilityTable->horizontalHeader()->setSectionsMovable(true);
    m_ui->capabilityTable->setWordWrap(true);
    m_ui->capabilityTable->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_ui->splitter->setStretchFactor(0, 1);
    m_ui->splitter->setStretchFactor(1, 1);
    connect(m_ui->injectButton, &QPushButton::clicked, this, [this] {
        emit injectRequested(selectedListener(), xmltext::withoutPlaceholders(m_ui->exampleText->toPlainText()));
    });
    updateDetail();
}

CapabilitiesPage::~CapabilitiesPage() = default;

QTableView *CapabilitiesPage::table() const
{
    return m_ui->capabilityTable;
}

QString CapabilitiesPage::schemaText() const
{
    return m_ui->schemaText->toPlainText();
}

QString CapabilitiesPage::exampleText() const
{
    return m_ui->exampleText->toPlainText();
}

void CapabilitiesPage::setSession(Session *session)
{
    if (m_ui->capabilityTable->model())
        m_header = m_ui->capabilityTable->horizontalHeader()->saveState(); // widths survive a change of session
    const QString selected = selectedListener();
    m_ui->capabilityTable->setModel(nullptr);
    m_scope = std::make_unique<QObject>();
    m_session = session;
    m_model = nullptr;
    if (session) {
        m_model = new CapabilityModel(session, m_scope.get());
        m_ui->capabilityTable->setModel(m_model);
        layOutColumns(m_ui->capabilityTable, m_header, {130, 70, 140, 140, 200});
        fitColumns();
        connect(m_ui->capabilityTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                &CapabilitiesPage::updateDetail);
        connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
            if (m_model->rowCount() > 0 && !m_ui->capabilityTable->currentIndex().isValid())
                m_ui->capabilityTable->selectRow(0);
            updateDetail();
        });
        if (!selectListener(selected) && m_model->rowCount() > 0)
            m_ui->capabilityTable->selectRow(0);
    }
    updateDetail();
}

QString CapabilitiesPage::selectedListener() const
{
    const QModelIndex current = m_ui->capabilityTable->currentIndex();
    return current.isValid() ? current.data(CapabilityModel::NameRole).toString() : QString();
}

bool CapabilitiesPage::selectListener(const QString &name)
{
    if (!m_model || name.isEmpty())
        return false;
    const int row = m_model->rowOf(name);
    if (row < 0)
        return false;
    m_ui->capabilityTable->selectRow(row);
    return true;
}

// A handful of rows: every column as wide as its widest cell (peers are never cut off), and the
// description takes the rest, wrapped, so nothing needs a horizontal scroll bar.
void CapabilitiesPage::fitColumns()
{
    QHeaderView *header = m_ui->capabilityTable->horizontalHeader();
    for (int column = 0; column < CapabilityModel::DescriptionColumn; ++column)
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(CapabilityModel::DescriptionColumn, QHeaderView::Stretch);
    m_ui->capabilityTable->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

void CapabilitiesPage::updateDetail()
{
    const QModelIndex current = m_ui->capabilityTable->currentIndex();
    const bool shown = m_model && current.isValid();
    m_ui->detailPane->setEnabled(shown);
    if (!shown) {
        m_ui->titleLabel->setText(tr("No listener selected"));
        m_ui->infoLabel->clear();
        m_ui->schemaText->clear();
        m_ui->exampleText->clear();
        m_ui->injectButton->setEnabled(false);
        return;
    }
    const Capability capability = m_model->capability(current.row());
    m_ui->titleLabel->setText(u"%1 — <%2>"_s.arg(capability.name, CapabilityModel::sentElement(capability)));
    m_ui->titleLabel->setToolTip(capability.rootTag.isEmpty() ? QString()
                                                              : tr("Routing key: %1").arg(capability.rootTag));
    QStringList facts;
    facts << (capability.isAgent ? tr("LLM agent") : tr("Handler"));
    facts << tr("payload type %1").arg(capability.payloadType);
    if (!capability.payloadClass.isEmpty() && capability.payloadClass != capability.payloadType)
        facts << tr("declared as %1").arg(capability.payloadClass);
    facts << (capability.peers.isEmpty() ? tr("no peers") : tr("peers: %1").arg(capability.peers.join(u", "_s)));
    m_ui->infoLabel->setText(capability.description + u"\n"_s + facts.join(u"; "_s));
    m_ui->schemaText->setPlainText(capability.schemaXsd);
    m_ui->exampleText->setPlainText(xmltext::indented(capability.exampleXml.toUtf8()));
    m_ui->injectButton->setEnabled(m_commandsEnabled);
}

void CapabilitiesPage::setCommandsEnabled(bool enabled)
{
    m_commandsEnabled = enabled;
    updateDetail();
}

void CapabilitiesPage::saveState(QSettings &settings) const
{
    settings.setValue(u"capabilities/header"_s,
                      m_ui->capabilityTable->model() ? m_ui->capabilityTable->horizontalHeader()->saveState()
                                                     : m_header);
    settings.setValue(u"capabilities/splitter"_s, m_ui->splitter->saveState());
}

void CapabilitiesPage::restoreState(const QSettings &settings)
{
    // Applied once the table has a model: a header without its columns cannot take the state.
    m_header = settings.value(u"capabilities/header"_s).toByteArray();
    if (m_ui->capabilityTable->model()) {
        layOutColumns(m_ui->capabilityTable, m_header, {});
        fitColumns();
    }
    m_ui->splitter->restoreState(settings.value(u"capabilities/splitter"_s).toByteArray());
}

} // namespace agentdesk
