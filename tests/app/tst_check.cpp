// `agentdesk --check [--config FILE]`, as an editor or CI runs it: every error and warning in file order
// (file:line: error|warning: key: message), exit 0 when the organism could start and 2 when not, and
// nothing started — no history, no port.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QStringList errorLines;
};

} // namespace

class tst_Check : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void aGoodFileExitsZero();
    void everyProblemInFileOrder();
    void deeperChecksNameTheKey();
    void theBundledDemoChecks();
    void notWithConnect();

private:
    Run check(const QByteArray &yaml, const QStringList &extra = {});
    std::optional<QTemporaryDir> m_dir;
};

void tst_Check::init()
{
    QVERIFY(m_dir.emplace().isValid());
}

Run tst_Check::check(const QByteArray &yaml, const QStringList &extra)
{
    Run run;
    QStringList arguments{u"--check"_s};
    if (!yaml.isNull()) {
        QFile file(m_dir->filePath(u"organism.yaml"_s));
        if (!file.open(QIODevice::WriteOnly))
            return run;
        file.write(yaml);
        file.close();
        arguments += {u"--config"_s, file.fileName()};
    }
    arguments += {u"--data-dir"_s, m_dir->filePath(u"history"_s)};
    arguments += extra;
    QProcess process;
    process.start(QStringLiteral(AGENTDESK_PATH), arguments);
    if (!process.waitForFinished(60000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.errorLines = QString::fromUtf8(process.readAllStandardError()).split(u'\n', Qt::SkipEmptyParts);
    return run;
}

void tst_Check::aGoodFileExitsZero()
{
    const Run run = check(
        "organism: {name: checked}\n"
        "payloads: {Greeting: {name: string}}\n"
        "listeners:\n"
        "  - {name: greeter, description: takes greetings, payload_class: Greeting, handler: 'builtin:sink'}\n"
        "colour: blue\n");
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(u"ok: organism 'checked', 1 listener(s), 1 payload type(s), 1 warning(s)"_s),
             qPrintable(run.out));
    QCOMPARE(run.errorLines.size(), 1);
    QVERIFY2(run.errorLines.first().endsWith(
                 u"organism.yaml:5: warning: colour: unknown key, ignored (known keys here: "
                 "organism, thread_scheduling, max_concurrent_pipelines, max_concurrent_handlers, "
                 "max_concurrent_per_agent, max_tokens_per_thread, max_queue_depth, "
                 "max_message_depth, payloads, listeners, llm, auth, api, history, "
                 "resume_on_start, budgets)"_s),
             qPrintable(run.errorLines.first()));
    QVERIFY2(!QDir(m_dir->filePath(u"history"_s)).exists(), "--check opened a history");
}

void tst_Check::everyProblemInFileOrder()
{
    const Run run = check("payloads:\n"
                          "  Ticket: {text: string}\n"
                          "listeners:\n"
                          "  - name: triage\n"
                          "    description: sorts tickets\n"
                          "    payload_class: Tiket\n"
                          "    handler: builtin:sink\n"
                          "    peer: [triage]\n"
                          "  - name: router\n"
                          "    description: routes\n"
                          "    payload_class: Ticket\n"
                          "    handler: {exec: [python3, handlers/route.py]}\n");
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.errorLines.size(), 4);
    const QString file = m_dir->filePath(u"organism.yaml"_s);
    QCOMPARE(run.errorLines.at(0),
             file
                 + u":6: error: listeners[0].payload_class: `Tiket` is not a declared payload "
                   "type (did you mean `Ticket`?); declared types: Ticket"_s);
    QCOMPARE(run.errorLines.at(1),
             file + u":8: warning: listeners[0].peer: unknown key, ignored; did you mean `peers`?"_s);
    QVERIFY2(run.errorLines.at(2).startsWith(file
                                             + u":12: error: listeners[1].handler.exec[1]: script "
                                               "`handlers/route.py` not found"_s),
             qPrintable(run.errorLines.at(2)));
    QCOMPARE(run.errorLines.at(3), u"agentdesk: 2 error(s), 1 warning(s): the organism cannot start"_s);
    QVERIFY(run.out.isEmpty());
}

void tst_Check::deeperChecksNameTheKey()
{
    // What only the LLM router knows: a key that is not in its variable, a model nobody serves.
    const Run run = check("payloads: {Ticket: {text: string}}\n"
                          "listeners:\n"
                          "  - {name: triage, description: d, payload_class: Ticket, agent: true}\n"
                          "  - {name: other, description: d, payload_class: Ticket, agent: true, model: gpt-5}\n"
                          "llm:\n"
                          "  backends:\n"
                          "    - {provider: openai, api_key_env: AGENTDESK_TEST_NO_SUCH_VARIABLE}\n");
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.errorLines.size() == 3, qPrintable(run.errorLines.join(u'\n')));
    QVERIFY2(run.errorLines.at(0).endsWith(u":3: error: listeners[0].model: an LLM agent needs `model:` (the model to "
                                           "ask the router for, e.g. one listed under a backend's `models:`)"_s),
             qPrintable(run.errorLines.at(0)));
    QVERIFY2(run.errorLines.at(1).contains(u":7: error: llm.backends[0]: llm backend \"openai\" (provider openai): the "
                                           "environment variable AGENTDESK_TEST_NO_SUCH_VARIABLE"_s),
             qPrintable(run.errorLines.at(1)));
}

void tst_Check::theBundledDemoChecks()
{
    const Run run = check(QByteArray());
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(u"ok: organism 'hello-world'"_s), qPrintable(run.out));
}

void tst_Check::notWithConnect()
{
    const Run run = check(QByteArray(), {u"--connect"_s, u"http://127.0.0.1:1"_s});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.errorLines.join(u'\n').contains(u"--check checks a configuration file"_s));
}

QTEST_GUILESS_MAIN(tst_Check)
#include "tst_check.moc"
