// CellChanges: the cells of a batch become one range per run of consecutive rows, spanning the changed
// columns, with the union of the roles in ascending order.

#include "cellchanges.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

struct Cell
{
    int row;
    int column;
    QList<int> roles;
};

QStringList text(const QList<CellChanges::Range> &ranges)
{
    QStringList out;
    for (const CellChanges::Range &range : ranges) {
        QStringList roles;
        for (const int role : range.roles)
            roles << QString::number(role);
        out << u"%1,%2-%3,%4 [%5]"_s.arg(range.firstRow)
                   .arg(range.firstColumn)
                   .arg(range.lastRow)
                   .arg(range.lastColumn)
                   .arg(roles.join(u' '));
    }
    return out;
}

} // namespace

Q_DECLARE_METATYPE(QList<Cell>)

class TestCellChanges : public QObject
{
    Q_OBJECT

private slots:
    void ranges_data()
    {
        QTest::addColumn<QList<Cell>>("cells");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("nothing") << QList<Cell>{} << QStringList();
        QTest::newRow("one cell") << QList<Cell>{{3, 2, {0, 256}}} << QStringList{u"3,2-3,2 [0 256]"_s};
        QTest::newRow("one row, two columns, roles merged")
            << QList<Cell>{{1, 4, {256, 0}}, {1, 1, {3}}} << QStringList{u"1,1-1,4 [0 3 256]"_s};
        QTest::newRow("neighbouring rows share a range")
            << QList<Cell>{{2, 1, {0}}, {3, 5, {0}}, {4, 2, {1}}} << QStringList{u"2,1-4,5 [0 1]"_s};
        QTest::newRow("a gap splits") << QList<Cell>{{0, 0, {0}}, {2, 0, {0}}}
                                      << QStringList{u"0,0-0,0 [0]"_s, u"2,0-2,0 [0]"_s};
        QTest::newRow("order of adding does not matter")
            << QList<Cell>{{5, 0, {7}}, {4, 1, {0}}, {0, 3, {0}}} << QStringList{u"0,3-0,3 [0]"_s, u"4,0-5,1 [0 7]"_s};
        QTest::newRow("roles of one run do not leak into the next")
            << QList<Cell>{{0, 0, {1}}, {9, 0, {2}}} << QStringList{u"0,0-0,0 [1]"_s, u"9,0-9,0 [2]"_s};
    }
    void ranges()
    {
        QFETCH(QList<Cell>, cells);
        QFETCH(QStringList, expected);
        CellChanges changes;
        for (const Cell &cell : cells)
            changes.add(cell.row, cell.column, cell.roles);
        QCOMPARE(changes.isEmpty(), cells.isEmpty());
        QCOMPARE(text(changes.ranges()), expected);
    }
};

QTEST_APPLESS_MAIN(TestCellChanges)
#include "tst_cellchanges.moc"
