#include "viewdefaults.h"

#include <QFontMetrics>
#include <QTableView>

namespace agentdesk {

void setDefaultWidths(QTableView *table, const QList<int> &widths)
{
    // The widths were chosen for a 9 pt DejaVu Sans, whose 'x' is 7 px wide.
    const double scale = QFontMetrics(table->font()).horizontalAdvance(QLatin1Char('x')) / 7.0;
    for (int column = 0; column < widths.size(); ++column)
        table->setColumnWidth(column, int(widths.at(column) * std::max(scale, 0.5)));
}

} // namespace agentdesk
