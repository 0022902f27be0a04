#include "combinedusagepage.h"

#include "combinedusagemodel.h"
#include "costdisplayproxy.h"
#include "csvwriter.h"
#include "viewdefaults.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace agentdesk {

using wire::CsvWriter;

namespace {

const QString kHeaderKey = u"combinedUsage/header"_s;
const QList<int> kDefaultWidths = {150, 210, 75, 75, 75, 70, 70, 70, 70, 80, 80};

} // namespace

CombinedUsagePage::CombinedUsagePage(OrganismDirectoryModel *directory, QWidget *parent)
    : QWidget(parent)
    , m_model(new CombinedUsageModel(directory, this))
    , m_display(new CostDisplayProxy(CombinedUsageModel::CountersRole, CombinedUsageModel::CostColumn, this))
    , m_table(new QTableView(this))
    , m_note(new QLabel(this))
{
    m_display->setSourceModel(m_model);
    m_table->setObjectName(u"combinedUsageTable"_s);
    m_table->setModel(m_display);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_note->setObjectName(u"combinedUsageNote"_s);
    m_note->setWordWrap(true);
    m_note->setText(tr("Organisms this window is connected to show their live counters (since their last reset). "
                       "Organisms found only in a shared history show what the history holds (everything they "
                       "recorded, read every 10 s through the session that shares it); the history's sums have "
                       "no cache or reasoning split."));

    auto *refresh = new QPushButton(tr("&Refresh"), this);
    refresh->setObjectName(u"combinedRefreshButton"_s);
    connect(refresh, &QPushButton::clicked, m_model, &CombinedUsageModel::refreshBilling);
    auto *exportButton = new QPushButton(tr("&Export CSV…"), this);
    exportButton->setObjectName(u"combinedExportButton"_s);
    connect(exportButton, &QPushButton::clicked, this, &CombinedUsagePage::chooseExport);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_note, 1);
    actions->addWidget(refresh);
    actions->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(actions);
    layout->addWidget(m_table, 1);
    m_table->setWordWrap(false);
    layOutColumns(m_table, {}, kDefaultWidths);
    fitSourceColumn();
}

// The source words are the row's caveat: never elided, in any language.
void CombinedUsagePage::fitSourceColumn()
{
    for (const QString &sample : {CombinedUsageModel::tr("live, since its last reset"),
                                  CombinedUsageModel::tr("history, read at %1").arg(u"2026-12-05 08:00:00"_s)})
        fitColumnToText(m_table, CombinedUsageModel::SourceColumn, sample);
}

QString CombinedUsagePage::exportCsv(const QString &path) const
{
    return CsvWriter::save(path, CsvWriter::fromModel(*m_display, CombinedUsageModel::RawValueRole));
}

void CombinedUsagePage::chooseExport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"), u"usage-by-organism.csv"_s,
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    const QString error = exportCsv(path);
    if (error.isEmpty())
        emit statusMessage(tr("Exported %1").arg(path));
    else
        emit commandFailed(tr("Export CSV"), error);
}

void CombinedUsagePage::saveState(QSettings &settings) const
{
    settings.setValue(kHeaderKey, m_table->horizontalHeader()->saveState());
}

void CombinedUsagePage::restoreState(const QSettings &settings)
{
    layOutColumns(m_table, settings.value(kHeaderKey).toByteArray(), kDefaultWidths);
    fitSourceColumn();
}

} // namespace agentdesk
