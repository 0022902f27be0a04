#include "viewdefaults.h"

#include <QCoreApplication>
#include <QFontMetrics>
#include <QHeaderView>
#include <QMenu>
#include <QStyle>
#include <QTableView>

namespace agentdesk {

void setDefaultWidths(QTableView *table, const QList<int> &widths)
{
    // The widths were chosen for a 9 pt DejaVu Sans, whose 'x' is 7 px wide.
    const double scale = QFontMetrics(table->font()).horizontalAdvance(QLatin1Char('x')) / 7.0;
    for (int column = 0; column < widths.size(); ++column)
        table->setColumnWidth(column, int(widths.at(column) * std::max(scale, 0.5)));
    fitColumnsToHeaders(table);
}

void layOutColumns(QTableView *table, const QByteArray &savedState, const QList<int> &defaultWidths)
{
    if (savedState.isEmpty() || !table->horizontalHeader()->restoreState(savedState))
        setDefaultWidths(table, defaultWidths);
    fitColumnsToHeaders(table);
}

void fitColumnsToHeaders(QTableView *table)
{
    fitColumnsToHeaders(table->horizontalHeader());
}

void fitColumnsToHeaders(QHeaderView *header)
{
    const QAbstractItemModel *model = header->model();
    if (!model)
        return;
    const QFontMetrics metrics(header->font());
    // Margins on both sides plus the sort indicator, as the style draws them.
    const int margin = 2 * header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header)
        + header->style()->pixelMetric(QStyle::PM_HeaderMarkSize, nullptr, header) + 8;
    for (int column = 0; column < model->columnCount(); ++column) {
        if (header->isSectionHidden(column))
            continue;
        const QString text = model->headerData(column, Qt::Horizontal).toString().remove(QLatin1Char('&'));
        const int needed = metrics.horizontalAdvance(text) + margin;
        if (header->sectionSize(column) < needed)
            header->resizeSection(column, needed);
    }
}

void fitColumnToText(QTableView *table, int column, const QString &sample)
{
    // The cell's margins on both sides, as the style draws them, and a little air.
    const int margin = 2 * (table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table) + 1) + 8;
    const int needed = QFontMetrics(table->font()).horizontalAdvance(sample) + margin;
    if (table->columnWidth(column) < needed)
        table->setColumnWidth(column, needed);
}

void offerColumnChoice(QHeaderView *header)
{
    if (header->property("offersColumnChoice").toBool())
        return; // once per header, whatever model it shows next
    header->setProperty("offersColumnChoice", true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(header, &QHeaderView::customContextMenuRequested, header, [header](const QPoint &position) {
        const QAbstractItemModel *model = header->model();
        if (!model)
            return;
        QMenu menu(header);
        menu.addSection(QCoreApplication::translate("agentdesk::ViewDefaults", "Columns"));
        for (int column = 0; column < model->columnCount(); ++column) {
            QAction *action = menu.addAction(model->headerData(column, header->orientation()).toString());
            action->setCheckable(true);
            action->setChecked(!header->isSectionHidden(column));
            // The last column on show stays: a table without columns cannot be right-clicked again.
            action->setEnabled(header->isSectionHidden(column) || header->count() - header->hiddenSectionCount() > 1);
            QObject::connect(action, &QAction::toggled, header, [header, column](bool shown) {
                header->setSectionHidden(column, !shown);
                if (shown)
                    fitColumnsToHeaders(header);
            });
        }
        menu.exec(header->viewport()->mapToGlobal(position));
    });
}

} // namespace agentdesk
