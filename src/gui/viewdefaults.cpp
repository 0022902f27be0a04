#include "viewdefaults.h"

#include <QFontMetrics>
#include <QHeaderView>
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

} // namespace agentdesk
