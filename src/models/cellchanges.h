#pragma once

#include <QList>

#include <map>
#include <set>

namespace agentdesk {

// The cells one batch changed, turned into few dataChanged ranges: one per run of consecutive rows,
// spanning the columns changed in that run, with the union of the roles that changed. A view then
// repaints each touched region once instead of once per cell.
class CellChanges
{
public:
    struct Range
    {
        int firstRow = 0;
        int lastRow = 0;
        int firstColumn = 0;
        int lastColumn = 0;
        QList<int> roles; // ascending
    };

    void add(int row, int column, const QList<int> &roles);
    bool isEmpty() const { return m_rows.empty(); }
    QList<Range> ranges() const;

private:
    struct RowChange
    {
        int firstColumn = 0;
        int lastColumn = 0;
        std::set<int> roles;
    };
    std::map<int, RowChange> m_rows;
};

} // namespace agentdesk
