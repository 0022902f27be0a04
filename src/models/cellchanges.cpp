#include "cellchanges.h"

#include <algorithm>

namespace agentdesk {

void CellChanges::add(int row, int column, const QList<int> &roles)
{
    auto [it, inserted] = m_rows.try_emplace(row, RowChange{column, column, {}});
    RowChange &change = it->second;
    if (!inserted) {
        change.firstColumn = std::min(change.firstColumn, column);
        change.lastColumn = std::max(change.lastColumn, column);
    }
    change.roles.insert(roles.cbegin(), roles.cend());
}

QList<CellChanges::Range> CellChanges::ranges() const
{
    QList<Range> out;
    std::set<int> roles;
    for (const auto &[row, change] : m_rows) {
        if (!out.isEmpty() && out.last().lastRow == row - 1) {
            Range &run = out.last();
            run.lastRow = row;
            run.firstColumn = std::min(run.firstColumn, change.firstColumn);
            run.lastColumn = std::max(run.lastColumn, change.lastColumn);
        } else {
            if (!out.isEmpty())
                out.last().roles = QList<int>(roles.cbegin(), roles.cend());
            roles.clear();
            out.append(Range{row, row, change.firstColumn, change.lastColumn, {}});
        }
        roles.insert(change.roles.cbegin(), change.roles.cend());
    }
    if (!out.isEmpty())
        out.last().roles = QList<int>(roles.cbegin(), roles.cend());
    return out;
}

} // namespace agentdesk
