#pragma once

#include <QByteArray>
#include <QList>

class QHeaderView;
class QTableView;

namespace agentdesk {

// Column widths for a table the operator has not arranged yet (saved layouts win), in pixels at the
// default font, scaled to the view's font.
void setDefaultWidths(QTableView *table, const QList<int> &widths);
// The operator's saved layout (QHeaderView::saveState) when there is one that fits the table, else the
// default widths; either way no header is left cut off (fitColumnsToHeaders).
void layOutColumns(QTableView *table, const QByteArray &savedState, const QList<int> &defaultWidths);
// Widens every column that is narrower than its header text (with room for the sort arrow), so a
// translated header ("Warteschlange") is never cut off, whatever layout was saved in another language.
void fitColumnsToHeaders(QTableView *table);
void fitColumnsToHeaders(QHeaderView *header); // a tree's, say
// Widens a column that is narrower than `sample` (a typical value: a timestamp, "12,345 tokens"), so
// its values are not elided, whatever the language and the font.
void fitColumnToText(QTableView *table, int column, const QString &sample);
// A right click on the header lists the columns with a check box each: the operator shows the ones
// hidden by default and hides the ones they do not need (the header's saved state keeps the choice).
void offerColumnChoice(QHeaderView *header);

} // namespace agentdesk
