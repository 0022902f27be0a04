// The window speaks the system locale's language: agentdesk's own translation is built in (German here)
// and Qt's qtbase translation is loaded beside it, so standard buttons match; English gets its plural
// forms; a language without a translation (or the C locale) falls back to English.

#include "fakesession.h"
#include "mainwindow.h"
#include "threadmodel.h"
#include "threadspage.h"
#include "threadtimelineview.h"
#include "translations.h"

#include <QAction>
#include <QHeaderView>
#include <QTableView>
#include <QCoreApplication>
#include <QFile>
#include <QLibraryInfo>
#include <QScrollBar>
#include <QTabWidget>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace agentdesk;

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { translations::install(QLocale(QLocale::C)); }

    void german()
    {
        QCOMPARE(translations::install(QLocale(QLocale::German, QLocale::Germany)), u"de"_s);
        MainWindow window;
        const auto *tabs = window.findChild<QTabWidget *>(u"pageTabs"_s);
        QStringList titles;
        for (int i = 0; i < tabs->count(); ++i)
            titles << tabs->tabText(i);
        QCOMPARE(titles,
                 (QStringList{u"A&genten"_s, u"&Threads"_s, u"&Nachrichten"_s, u"&Verbrauch"_s, u"&Fähigkeiten"_s,
                              u"A&uslastung"_s, u"Alle &Organismen"_s}));
        QCOMPARE(window.findChild<QAction *>(u"actionInject"_s)->text(), u"Nachricht &einspeisen…"_s);
        QCOMPARE(window.bannerText(), u"Kein Organismus läuft."_s);
        // Strings of the models' layer are in the same catalogue.
        QCOMPARE(QCoreApplication::translate("agentdesk::modelformat", "paused"), u"angehalten"_s);
        QCOMPARE(QCoreApplication::translate("agentdesk::ThreadsPage", "%n thread(s) in the history", nullptr, 3),
                 u"3 Threads im Verlauf"_s);
        QCOMPARE(QCoreApplication::translate("agentdesk::ThreadsPage", "%n thread(s) in the history", nullptr, 1),
                 u"1 Thread im Verlauf"_s);
        // Qt's own strings come from qtbase_de beside ours (when the system has Qt's translations).
        if (QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath) + u"/qtbase_de.qm"_s))
            QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Abbrechen"_s);
        // Kill is not Cancel ("Abbrechen"), and the log follows ("Folgt"), it is no "Folge".
        QCOMPARE(QCoreApplication::translate("ThreadsPage", "&Kill"), u"&Terminieren"_s);
        QCOMPARE(QCoreApplication::translate("agentdesk::ThreadsPage", "Kill thread %1?"), u"Thread %1 terminieren?"_s);
        QCOMPARE(QCoreApplication::translate("agentdesk::modelformat", "killed"), u"terminiert"_s);
        QCOMPARE(QCoreApplication::translate("agentdesk::MessagesPage", "&Following"), u"&Folgt"_s);
    }

    // Every column at least as wide as its translated header: "Warteschlange", not "rteschla".
    void germanHeadersAreNotCutOff()
    {
        translations::install(QLocale(QLocale::German, QLocale::Germany));
        test::FakeSession session;
        AgentInfo agent;
        agent.name = u"greeter"_s;
        session.snapshot.agents = {agent};
        session.open();
        MainWindow window;
        window.setLocalSession(&session, {});
        window.show();
        const QList<QTableView *> tables = window.findChildren<QTableView *>();
        QVERIFY(tables.size() >= 5);
        for (QTableView *table : tables) {
            if (!table->model())
                continue;
            QHeaderView *header = table->horizontalHeader();
            const QFontMetrics metrics(header->font());
            for (int column = 0; column < table->model()->columnCount(); ++column) {
                if (header->isSectionHidden(column))
                    continue; // not on show (the Threads page's secondary columns, a right click away)
                const QString text = table->model()->headerData(column, Qt::Horizontal).toString();
                QVERIFY2(
                    header->sectionSize(column) > metrics.horizontalAdvance(text),
                    qPrintable(u"%1: %2 (%3 px)"_s.arg(table->objectName(), text).arg(header->sectionSize(column))));
            }
        }
    }

    // Issue 12: at 1600×1000 the German Threads table was wider than its pane ("Budget verbraucht" cut
    // off, "wartet auf angehaltenen shouter" elided) and so was the timeline ("Ergebnis" cut off). Every
    // column on show now fits beside the detail pane, each as wide as its header, and the status column
    // takes a paused agent's wait whole.
    void germanThreadsAndTimelineFitAt1600()
    {
        translations::install(QLocale(QLocale::German, QLocale::Germany));
        test::FakeSession session;
        AgentInfo agent;
        agent.name = u"shouter"_s;
        session.snapshot.agents = {agent};
        session.open();
        MainWindow window;
        window.setLocalSession(&session, {});
        window.resize(1600, 1000);
        window.show();
        window.showPage(MainWindow::Page::Threads);
        window.threadsPage()->showTimeline();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QTableView *table = window.threadsPage()->table();
        QTreeView *timeline = window.threadsPage()->timelineView()->tree();
        QTRY_COMPARE(table->horizontalScrollBar()->maximum(), 0);
        QTRY_COMPARE(timeline->horizontalScrollBar()->maximum(), 0);
        for (QHeaderView *header : {table->horizontalHeader(), timeline->header()}) {
            const QFontMetrics metrics(header->font());
            for (int column = 0; column < header->count(); ++column) {
                if (header->isSectionHidden(column))
                    continue;
                const QString text = header->model()->headerData(column, Qt::Horizontal).toString();
                QVERIFY2(header->sectionSize(column) > metrics.horizontalAdvance(text), qPrintable(text));
            }
        }
        const QString waiting =
            QCoreApplication::translate("agentdesk::ThreadModel", "waiting on paused %1").arg(u"shouter"_s);
        QCOMPARE(waiting, u"wartet auf angehaltenen shouter"_s);
        const int statusIcon = table->fontMetrics().height() + 8; // the status dot and the cell's margins
        QVERIFY2(table->columnWidth(ThreadModel::StatusColumn)
                     >= table->fontMetrics().horizontalAdvance(waiting) + statusIcon,
                 qPrintable(QString::number(table->columnWidth(ThreadModel::StatusColumn))));
    }

    void englishPlurals()
    {
        QCOMPARE(translations::install(QLocale(QLocale::English, QLocale::UnitedStates)), u"en"_s);
        QCOMPARE(QCoreApplication::translate("agentdesk::ThreadsPage", "%n thread(s) in the history", nullptr, 1),
                 u"1 thread in the history"_s);
        QCOMPARE(QCoreApplication::translate("agentdesk::ThreadsPage", "%n thread(s) in the history", nullptr, 2),
                 u"2 threads in the history"_s);
        QCOMPARE(QCoreApplication::translate("agentdesk::modelformat", "paused"), u"paused"_s);
    }

    void otherLanguagesFallBackToEnglish()
    {
        QCOMPARE(translations::install(QLocale(QLocale::Japanese, QLocale::Japan)), u"en"_s);
        MainWindow window;
        QCOMPARE(window.findChild<QAction *>(u"actionInject"_s)->text(), u"&Inject message…"_s);
        QCOMPARE(QCoreApplication::translate("agentdesk::ThreadsPage", "%n thread(s) in the history", nullptr, 2),
                 u"2 threads in the history"_s);
        QCOMPARE(translations::install(QLocale(QLocale::C)), u"en"_s); // a POSIX locale too
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
