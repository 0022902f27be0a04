// The inject dialog over a hand-driven session: a required field left empty keeps Send off and says
// which; the raw XML tab starts from the form (empty elements to fill in, no "..." placeholders) and is
// checked the same way; a refusal keeps the dialog open with its reason — a server that did not answer
// in time says so, not "the organism is not running"; the window's injects come from the operator.

#include "fakesession.h"
#include "injectdialog.h"
#include "payloadform.h"

#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

// (No raw string literal here: moc's tokenizer loses its way in one.)
const QString kGreetingXsd =
    u"<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" id=\"Greeting\" elementFormDefault=\"qualified\">"
    "<xs:complexType name=\"Greeting\"><xs:sequence>"
    "<xs:element name=\"Name\" type=\"xs:string\"/>"
    "<xs:element name=\"Mood\" type=\"xs:string\" minOccurs=\"0\"/>"
    "</xs:sequence></xs:complexType>"
    "<xs:element name=\"Greeting\" type=\"Greeting\"/></xs:schema>"_s;

} // namespace

class TestInjectDialog : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        session.emplace();
        Capability greeter;
        greeter.name = u"greeter"_s;
        greeter.payloadType = u"Greeting"_s;
        greeter.rootTag = u"greeter.greeting"_s;
        greeter.schemaXsd = kGreetingXsd;
        greeter.exampleXml = u"<Greeting><Name>...</Name><Mood>...</Mood></Greeting>"_s;
        session->snapshot.capabilities = {greeter};
        session->open();
        dialog.emplace(&*session);
        dialog->setTarget(u"greeter"_s);
        dialog->show();
    }
    void cleanup()
    {
        dialog.reset();
        session.reset();
    }

    void anEmptyRequiredFieldIsRefused()
    {
        QPushButton *send = dialog->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok);
        QVERIFY(!send->isEnabled());
        QCOMPARE(send->toolTip(), u"Name is required"_s);
        dialog->send();
        QCOMPARE(dialog->errorText(), u"Name is required"_s);
        QVERIFY(!session->lastInject);
        QTest::keyClicks(qobject_cast<QLineEdit *>(dialog->form()->editorAt({u"Name"_s})), u"Ada"_s);
        QVERIFY(send->isEnabled());
    }

    void rawXmlStartsFromTheFormWithoutPlaceholders()
    {
        auto *xml = dialog->findChild<QPlainTextEdit *>(u"xmlEdit"_s);
        QCOMPARE(xml->toPlainText(), u"<Greeting>\n  <Name></Name>\n</Greeting>"_s);
        QTest::keyClicks(qobject_cast<QLineEdit *>(dialog->form()->editorAt({u"Name"_s})), u"Ada"_s);
        auto *tabs = dialog->findChild<QTabWidget *>(u"modeTabs"_s);
        tabs->setCurrentIndex(1); // Raw XML
        QVERIFY(dialog->isRawMode());
        QCOMPARE(xml->toPlainText(), u"<Greeting>\n  <Name>Ada</Name>\n</Greeting>"_s);
        // Written by hand, it is checked against the schema before it goes.
        xml->setPlainText(u"<Greeting><Name> </Name></Greeting>"_s);
        dialog->send();
        QCOMPARE(dialog->errorText(), u"Name is required"_s);
        QVERIFY(!session->lastInject);
        xml->setPlainText(u"<Greeting><Name>Grace</Name></Greeting>"_s);
        dialog->send();
        QTRY_VERIFY(session->lastInject.has_value());
        QCOMPARE(QString::fromUtf8(session->lastInject->xml), u"<Greeting><Name>Grace</Name></Greeting>"_s);
    }

    void refusalsSayWhy()
    {
        QTest::keyClicks(qobject_cast<QLineEdit *>(dialog->form()->editorAt({u"Name"_s})), u"Ada"_s);
        session->injectAnswer = injectRefused(InjectError::NotRunning, u"10.0.0.7:8080 did not answer in time"_s);
        dialog->send();
        QTRY_VERIFY(!dialog->errorText().isEmpty());
        QCOMPARE(dialog->errorText(), u"10.0.0.7:8080 did not answer in time"_s);
        QVERIFY(dialog->isVisible() || !dialog->result()); // still open: nothing was sent anywhere
        QCOMPARE(session->lastInject->from, u"operator"_s);

        session->injectAnswer = injectRefused(InjectError::QueueFull, u"the queue holds 10000 messages"_s);
        dialog->send();
        QTRY_COMPARE(dialog->errorText(), u"The queue is full: the queue holds 10000 messages"_s);
    }

private:
    std::optional<test::FakeSession> session;
    std::optional<InjectDialog> dialog;
};

QTEST_MAIN(TestInjectDialog)
#include "tst_injectdialog.moc"
