// The inject form generated from a payload schema: typed editors that refuse what their type cannot
// hold, nested types as groups (optional ones left out until checked), lists with add and remove rows,
// optional fields left out while empty, and the organism's field paths leading back to an editor.

#include "payloadform.h"
#include "payloadschema.h"

#include <QCheckBox>
#include <QFile>
#include <QGroupBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

wire::PayloadSchema schema(const QString &name)
{
    QFile file(QStringLiteral(AGENTDESK_TEST_DATA_DIR) + u'/' + name);
    return file.open(QIODevice::ReadOnly) ? wire::PayloadSchema::fromXsd(QString::fromUtf8(file.readAll()))
                                          : wire::PayloadSchema();
}

QLineEdit *edit(PayloadForm &form, const QStringList &path)
{
    return qobject_cast<QLineEdit *>(form.editorAt(path));
}

} // namespace

class TestPayloadForm : public QObject
{
    Q_OBJECT

private slots:
    void fillsTheFieldTree()
    {
        PayloadForm form;
        form.setSchema(schema(u"shipment.xsd"_s));
        QVERIFY(form.schema().isValid());
        // A required text must say something, a required number too.
        QCOMPARE(form.problem(), u"Label is required"_s);
        QTest::keyClicks(edit(form, {u"Label"_s}), u"  "_s);
        QCOMPARE(form.problem(), u"Label is required"_s);
        edit(form, {u"Label"_s})->clear();
        QTest::keyClicks(edit(form, {u"Label"_s}), u"Box 1"_s);
        QCOMPARE(form.problem(), u"Address › City is required"_s);
        QTest::keyClicks(edit(form, {u"Address"_s, u"City"_s}), u"Ulm"_s);
        QTest::keyClicks(edit(form, {u"Address"_s, u"Zip"_s}), u"89073"_s);
        QCOMPARE(form.problem(), QString());
        // Optional fields that were not touched are left out: Express (partly checked), Insurance, Weights.
        QCOMPARE(form.fields(),
                 (QVariantMap{{u"Label"_s, u"Box 1"_s},
                              {u"Address"_s, QVariantMap{{u"City"_s, u"Ulm"_s}, {u"Zip"_s, qlonglong(89073)}}}}));

        auto *express = qobject_cast<QCheckBox *>(form.editorAt({u"Express"_s}));
        QVERIFY(express);
        express->setCheckState(Qt::Checked);
        QCOMPARE(form.fields().value(u"Express"_s), QVariant(true));
        express->setCheckState(Qt::Unchecked);
        QCOMPARE(form.fields().value(u"Express"_s), QVariant(false));
    }

    void optionalGroupsAndLists()
    {
        PayloadForm form;
        form.setSchema(schema(u"shipment.xsd"_s));
        auto *insurance = form.findChild<QGroupBox *>(u"Insurance"_s);
        QVERIFY(insurance && insurance->isCheckable() && !insurance->isChecked());
        insurance->setChecked(true);
        QTest::keyClicks(edit(form, {u"Label"_s}), u"Box 1"_s);
        QTest::keyClicks(edit(form, {u"Address"_s, u"City"_s}), u"Ulm"_s);
        QCOMPARE(form.problem(), u"Address › Zip: a whole number is required"_s);
        QTest::keyClicks(edit(form, {u"Address"_s, u"Zip"_s}), u"1"_s);
        QCOMPARE(form.problem(), u"Insurance › Value: a number is required"_s);
        QTest::keyClicks(edit(form, {u"Insurance"_s, u"Value"_s}), u"12.50"_s);
        QCOMPARE(form.fields().value(u"Insurance"_s), QVariant(QVariantMap{{u"Value"_s, 12.5}}));

        auto *add = form.findChild<QPushButton *>(u"add-Weights"_s);
        QVERIFY(add);
        QTest::mouseClick(add, Qt::LeftButton);
        QTest::mouseClick(add, Qt::LeftButton);
        QTest::mouseClick(add, Qt::LeftButton);
        QTest::keyClicks(edit(form, {u"Weights"_s, u"0"_s}), u"1.5"_s);
        QTest::keyClicks(edit(form, {u"Weights"_s, u"1"_s}), u"2"_s);
        QTest::keyClicks(edit(form, {u"Weights"_s, u"2"_s}), u"3.25"_s);
        QCOMPARE(form.fields().value(u"Weights"_s), QVariant(QVariantList{1.5, 2.0, 3.25}));

        // Remove the middle row: the others keep their values and order.
        QWidget *middle = form.editorAt({u"Weights"_s, u"1"_s});
        auto *remove = middle->parentWidget()->parentWidget()->findChild<QToolButton *>();
        QVERIFY(remove);
        QTest::mouseClick(remove, Qt::LeftButton);
        QTRY_COMPARE(form.fields().value(u"Weights"_s), QVariant(QVariantList{1.5, 3.25}));
        QCOMPARE(edit(form, {u"Weights"_s, u"1"_s})->text(), u"3.25"_s);
    }

    void editorsRefuseWhatTheirTypeCannotHold_data()
    {
        QTest::addColumn<QStringList>("path");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("kept");
        QTest::addColumn<QString>("problem");
        QTest::newRow("letters in a whole number")
            << QStringList{u"Address"_s, u"Zip"_s} << u"8a9b"_s << u"89"_s << QString();
        QTest::newRow("a point in a whole number")
            << QStringList{u"Address"_s, u"Zip"_s} << u"1.5"_s << u"15"_s << QString();
        QTest::newRow("a sign alone") << QStringList{u"Address"_s, u"Zip"_s} << u"-"_s << u"-"_s
                                      << u"Address › Zip: enter a whole number"_s;
        QTest::newRow("a negative whole number")
            << QStringList{u"Address"_s, u"Zip"_s} << u"-7"_s << u"-7"_s << QString();
        QTest::newRow("an exponent without digits")
            << QStringList{u"Insurance"_s, u"Value"_s} << u"2e"_s << u"2e"_s << u"Insurance › Value: enter a number"_s;
        QTest::newRow("an exponent") << QStringList{u"Insurance"_s, u"Value"_s} << u"2e3"_s << u"2e3"_s << QString();
        QTest::newRow("a comma") << QStringList{u"Insurance"_s, u"Value"_s} << u"1,5"_s << u"15"_s << QString();
    }
    void editorsRefuseWhatTheirTypeCannotHold()
    {
        QFETCH(QStringList, path);
        QFETCH(QString, typed);
        QFETCH(QString, kept);
        QFETCH(QString, problem);
        PayloadForm form;
        form.setSchema(schema(u"shipment.xsd"_s));
        form.findChild<QGroupBox *>(u"Insurance"_s)->setChecked(true);
        // Everything else valid, so the problem (if any) is the typed field's.
        QTest::keyClicks(edit(form, {u"Label"_s}), u"Box"_s);
        QTest::keyClicks(edit(form, {u"Address"_s, u"City"_s}), u"Ulm"_s);
        QTest::keyClicks(edit(form, {u"Address"_s, u"Zip"_s}), path.first() == u"Address" ? QString() : u"1"_s);
        QTest::keyClicks(edit(form, {u"Insurance"_s, u"Value"_s}), path.first() == u"Insurance" ? QString() : u"1"_s);
        QLineEdit *editor = edit(form, path);
        QTest::keyClicks(editor, typed);
        QCOMPARE(editor->text(), kept);
        QCOMPARE(form.problem(), problem);
        QCOMPARE(editor->property("invalid").toBool(), !problem.isEmpty());
    }

    void leadsBackFromTheOrganismsFieldPath_data()
    {
        QTest::addColumn<QStringList>("path");
        QTest::addColumn<QString>("editor");
        QTest::newRow("snake_case") << QStringList{u"address"_s, u"zip"_s} << u"Zip"_s;
        QTest::newRow("element names") << QStringList{u"Address"_s, u"City"_s} << u"City"_s;
        QTest::newRow("a list item") << QStringList{u"weights"_s, u"0"_s} << u"Weights"_s;
        QTest::newRow("an optional group opens") << QStringList{u"insurance"_s, u"value"_s} << u"Value"_s;
    }
    void leadsBackFromTheOrganismsFieldPath()
    {
        QFETCH(QStringList, path);
        QFETCH(QString, editor);
        PayloadForm form;
        form.setSchema(schema(u"shipment.xsd"_s));
        QTest::mouseClick(form.findChild<QPushButton *>(u"add-Weights"_s), Qt::LeftButton);
        QVERIFY(form.highlight(path));
        QWidget *found = form.editorAt(path);
        QVERIFY(found);
        QCOMPARE(found->objectName(), editor);
        QVERIFY(found->property("invalid").toBool());
        QVERIFY(!form.highlight({u"nowhere"_s}));
        QVERIFY(!form.highlight({u"weights"_s, u"5"_s}));
    }

    void aSchemaItCannotReadLeavesNoForm()
    {
        PayloadForm form;
        QSignalSpy changed(&form, &PayloadForm::changed);
        form.setSchema(wire::PayloadSchema::fromXsd(u"not a schema"_s));
        QVERIFY(!changed.isEmpty());
        QVERIFY(form.fields().isEmpty());
        QVERIFY(!form.problem().isEmpty());
        QCOMPARE(form.editorAt({u"Label"_s}), nullptr);
    }
};

QTEST_MAIN(TestPayloadForm)
#include "tst_payloadform.moc"
