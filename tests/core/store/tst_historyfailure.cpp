// A full disk never produces a false acknowledgement or a hung organism: on a small file system (a
// 4 MiB tmpfs mounted for the test) injects are acknowledged only once committed, refused at once
// (HistoryUnavailable) while the history cannot commit, accepted again when space returns; a stop ends
// with the disk full; and a start on a full or read-only disk names the real cause.
//
// Mounting needs root (CAP_SYS_ADMIN); without it every test here is skipped, and says why.

#include "helloworldyaml.h"
#include "organismfixture.h"
#include "organism.h"
#include "store/historystore.h"
#include "organismhistory.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <sys/mount.h>

using namespace Qt::StringLiterals;
using namespace agentdesk;
using agentdesk::test::HelloWorldYaml;
using agentdesk::test::startOrganismFromYaml;

namespace {

const QByteArray kChain = HelloWorldYaml("full-disk").sink("sink").text();

InjectRequest greeting(int n)
{
    InjectRequest request;
    request.to = u"greeter"_s;
    // Large enough that the disk fills after a few hundred messages.
    request.fields.insert(u"name"_s, QString(u"user %1 "_s.arg(n) + QString(2000, u'x')));
    return request;
}

struct Answer
{
    InjectResult result;
    bool storedWhenAnswered = false; // committed when the acknowledgement came
};

} // namespace

class tst_HistoryFailure : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void fullDiskNeverAcknowledgesWhatIsNotCommitted();
    void stopEndsWhileTheDiskIsFull();
    void startOnAFullDiskNamesTheCause();
    void startOnAReadOnlyDiskNamesTheCause();

private:
    bool fill();   // until the file system refuses a write
    void unfill(); // gives the space back
    void injectInto(Organism &organism, int n, QList<Answer> *answers);

    QTemporaryDir m_base;
    QString m_mount;
    bool m_mounted = false;
    QString m_directory; // this test's organism directory, on the small file system
    QObject m_context;
};

void tst_HistoryFailure::initTestCase()
{
    QVERIFY(m_base.isValid());
    m_mount = m_base.filePath(u"small"_s);
    QVERIFY(QDir().mkpath(m_mount));
    if (::mount("tmpfs", QFile::encodeName(m_mount).constData(), "tmpfs", 0, "size=4m") != 0) {
        const QByteArray reason = "needs a 4 MiB tmpfs, and mounting one failed (" + QByteArray(std::strerror(errno))
            + "): run as root (CAP_SYS_ADMIN) to test a full disk";
        QSKIP(reason.constData());
    }
    m_mounted = true;
}

void tst_HistoryFailure::cleanupTestCase()
{
    if (m_mounted)
        ::umount2(QFile::encodeName(m_mount).constData(), MNT_DETACH);
}

void tst_HistoryFailure::init()
{
    m_directory = m_mount + u'/' + QString::fromLatin1(QTest::currentTestFunction());
    QVERIFY(QDir().mkpath(m_directory));
}

void tst_HistoryFailure::cleanup()
{
    unfill();
    QDir(m_directory).removeRecursively();
}

bool tst_HistoryFailure::fill()
{
    QFile filler(m_mount + u"/filler"_s);
    if (!filler.open(QIODevice::Append))
        return false;
    const QByteArray chunk(64 * 1024, 'f');
    while (filler.write(chunk) == chunk.size() && filler.flush()) { }
    // The last pages, smaller than a chunk.
    const QByteArray page(4096, 'f');
    while (filler.write(page) == page.size() && filler.flush()) { }
    return true;
}

void tst_HistoryFailure::unfill()
{
    QFile::remove(m_mount + u"/filler"_s);
}

void tst_HistoryFailure::injectInto(Organism &organism, int n, QList<Answer> *answers)
{
    organism.injectAcknowledged(greeting(n), &m_context, [&organism, answers](const InjectResult &result) {
        const bool stored = result.has_value()
            && test::historyStoreOf(organism)->message(result->messageId).has_value();
        answers->append(Answer{result, stored});
    });
}

void tst_HistoryFailure::fullDiskNeverAcknowledgesWhatIsNotCommitted()
{
    const auto organism = startOrganismFromYaml(kChain, m_directory);
    QVERIFY(organism);
    QList<Answer> answers;
    for (int i = 0; i < 5; ++i)
        injectInto(*organism, i, &answers);
    QTRY_COMPARE(answers.size(), 5);
    QVERIFY(fill());

    // Inject until the history says it cannot commit: from then on, injects are refused at once.
    int sent = 5;
    const auto refusedForHistory = [&] {
        return std::any_of(answers.cbegin(), answers.cend(), [](const Answer &answer) {
            return answer.result.error().kind == InjectError::HistoryUnavailable;
        });
    };
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 injectInto(*organism, sent++, &answers);
                                 return refusedForHistory();
                             }()),
                             60000);
    const QString problem = organism->info().historyProblem;
    QVERIFY2(problem.contains(u"No space left on device (ENOSPC)"_s), qPrintable(problem));
    const auto refusal = std::find_if(answers.cbegin(), answers.cend(), [](const Answer &answer) {
        return answer.result.error().kind == InjectError::HistoryUnavailable;
    });
    QVERIFY2(failureText(refusal->result).startsWith(u"the history cannot store new messages: "_s),
             qPrintable(failureText(refusal->result)));
    // Reads answer from what is committed, without waiting for the writer.
    QVERIFY(organism->threads({}).total >= 5);
    QVERIFY(organism->messages({}).total >= 5);

    // Space returns: the writer recovers by itself, the injects still waiting are acknowledged, new
    // ones are accepted.
    unfill();
    QTRY_VERIFY_WITH_TIMEOUT(organism->info().historyProblem.isEmpty(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(int(answers.size()), sent, 30000);
    int acknowledged = 0;
    for (const Answer &answer : std::as_const(answers)) {
        QVERIFY2(!answer.result.has_value() || answer.storedWhenAnswered, "acknowledged without its commit");
        acknowledged += answer.result.has_value();
    }
    qInfo().noquote() << u"%1 injects around a full disk: %2 acknowledged (each committed first), %3 refused; "
                         "acknowledged without their commit: 0"_s.arg(sent)
                             .arg(acknowledged)
                             .arg(sent - acknowledged);
    answers.clear();
    injectInto(*organism, sent++, &answers);
    QTRY_COMPARE(answers.size(), 1);
    QVERIFY2(answers.first().result.has_value(), qPrintable(failureText(answers.first().result)));
}

void tst_HistoryFailure::stopEndsWhileTheDiskIsFull()
{
    const auto organism = startOrganismFromYaml(kChain, m_directory);
    QVERIFY(organism);
    QList<Answer> answers;
    QVERIFY(fill());
    int sent = 0;
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 injectInto(*organism, sent++, &answers);
                                 return !organism->info().historyProblem.isEmpty();
                             }()),
                             60000);
    QSignalSpy stopped(organism.get(), &Organism::stopped);
    organism->stop(std::chrono::seconds(10));
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 30000);
    // Everything was answered before `stopped`: what was not committed, as not acknowledged.
    QCOMPARE(int(answers.size()), sent);
    int notStored = 0;
    for (const Answer &answer : std::as_const(answers)) {
        QVERIFY(!answer.result.has_value() || answer.storedWhenAnswered);
        notStored += failureText(answer.result).startsWith(u"not stored"_s);
    }
    qInfo().noquote() << u"%1 injects on a full disk: %2 refused at once, %3 not stored when the organism stopped, "
                         "0 acknowledged without their commit"_s.arg(sent)
                             .arg(std::count_if(
                                 answers.cbegin(), answers.cend(),
                                 [](const Answer &answer) {
                                     return failureText(answer.result).startsWith(u"the history cannot"_s);
                                 }))
                             .arg(notStored);
}

void tst_HistoryFailure::startOnAFullDiskNamesTheCause()
{
    // The last process died holding the lock, and the disk is full.
    QProcess gone;
    gone.start(u"true"_s);
    QVERIFY(gone.waitForStarted());
    const qint64 deadPid = gone.processId();
    QVERIFY(gone.waitForFinished());
    QFile lock(m_directory + u"/data/history.lock"_s);
    QVERIFY(QDir().mkpath(m_directory + u"/data"_s));
    QVERIFY(lock.open(QIODevice::WriteOnly));
    lock.write(QByteArray::number(deadPid) + "\nagentdesk\n" + QSysInfo::machineHostName().toUtf8() + "\n");
    lock.close();
    QVERIFY(fill());

    HistoryStore store;
    QString error;
    QVERIFY(!store.open(m_directory + u"/data"_s, {}, &error));
    QVERIFY2(error.contains(u"No space left on device (ENOSPC)"_s), qPrintable(error));
    QVERIFY2(!error.contains(u"in use"_s), qPrintable(error));
}

void tst_HistoryFailure::startOnAReadOnlyDiskNamesTheCause()
{
    {
        HistoryStore store; // a history that exists, then the file system turns read-only
        QString error;
        QVERIFY2(store.open(m_directory, {}, &error), qPrintable(error));
    }
    const QByteArray mount = QFile::encodeName(m_mount);
    QVERIFY2(::mount("tmpfs", mount.constData(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=4m") == 0,
             std::strerror(errno));
    HistoryStore store;
    QString error;
    const bool opened = store.open(m_directory, {}, &error);
    QVERIFY(::mount("tmpfs", mount.constData(), "tmpfs", MS_REMOUNT, "size=4m") == 0);
    QVERIFY(!opened);
    QVERIFY2(error.contains(u"Read-only file system (EROFS)"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_HistoryFailure)
#include "tst_historyfailure.moc"
