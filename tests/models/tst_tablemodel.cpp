// TableModel, the base of the window's table models: a flat table of fixed width, the horizontal header
// from columnTitle() (nothing past the last column, the vertical header left to Qt), and RawValueRole
// named "rawValue" next to the model's own roles.

#include "tablemodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

class FruitModel final : public TableModel
{
public:
    enum Role { RawValueRole = TableModel::RawValueRole, ColourRole };

    FruitModel()
        : TableModel(2)
    { }
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : 3; }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid))
            return {};
        return role == Qt::DisplayRole ? QVariant(u"%1,%2"_s.arg(index.row()).arg(index.column())) : QVariant();
    }

protected:
    QString columnTitle(int column) const override { return column == 0 ? u"Fruit"_s : u"Price"_s; }
    QHash<int, QByteArray> extraRoleNames() const override { return {{ColourRole, "colour"}}; }
};

} // namespace

class TestTableModel : public QObject
{
    Q_OBJECT

private slots:
    void isAFlatTableOfFixedWidth()
    {
        FruitModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(model.columnCount(), 2);
        QCOMPARE(model.columnCount(model.index(0, 0)), 0);
        QCOMPARE(model.rowCount(model.index(0, 0)), 0);
    }

    void headerTitlesComeFromTheModel()
    {
        FruitModel model;
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), u"Fruit"_s);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), u"Price"_s);
        QVERIFY(!model.headerData(2, Qt::Horizontal).isValid());
        QVERIFY(!model.headerData(0, Qt::Horizontal, Qt::ToolTipRole).isValid());
        QCOMPARE(model.headerData(0, Qt::Vertical).toInt(), 1); // Qt's row numbers
    }

    void rawValueIsNamedWithTheModelsRoles()
    {
        FruitModel model;
        const QHash<int, QByteArray> names = model.roleNames();
        QCOMPARE(names.value(TableModel::RawValueRole), QByteArray("rawValue"));
        QCOMPARE(names.value(FruitModel::ColourRole), QByteArray("colour"));
        QCOMPARE(names.value(Qt::DisplayRole), QByteArray("display")); // Qt's own stay
    }
};

QTEST_GUILESS_MAIN(TestTableModel)
#include "tst_tablemodel.moc"
