#pragma once

#include <QList>

class QTableView;

namespace agentdesk {

// Column widths for a table the operator has not arranged yet (saved layouts win), in pixels at the
// default font, scaled to the view's font.
void setDefaultWidths(QTableView *table, const QList<int> &widths);

} // namespace agentdesk
