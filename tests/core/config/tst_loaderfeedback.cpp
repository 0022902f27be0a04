// The mistakes a newcomer makes in organism.yaml, and what the loader says about each: the place
// (line and key) and the fix. One mistake, one message — never silence, never a cascade.

#include "config/configloader.h"
#include "config/suggestion.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace agentdesk;

namespace {

template <typename Diagnostic>
QString dump(const QList<Diagnostic> &diagnostics)
{
    QStringList lines;
    for (const Diagnostic &diagnostic : diagnostics)
        lines.append(u"  "_s + diagnostic.toString());
    return lines.isEmpty() ? u"  (none)"_s : lines.join(u'\n');
}

// Payload types and a sink to send to; a case adds listeners from line 4 on.
QByteArray organism(const QByteArray &listeners)
{
    return "payloads: {Ticket: {text: string}, Verdict: {label: string}}\n"
           "listeners:\n"
           "  - {name: sink, description: ends it, payload_class: Verdict, handler: 'builtin:sink'}\n"
        + listeners;
}

bool writeFile(const QString &path, const QByteArray &content, bool executable = false)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return false;
    file.close();
    return !executable || file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
}

} // namespace

class tst_LoaderFeedback : public QObject
{
    Q_OBJECT
private slots:
    void suggestions_data();
    void suggestions();
    void didYouMean_data();
    void didYouMean();
    void misplacedKeysSayWhereTheyBelong_data();
    void misplacedKeysSayWhereTheyBelong();
    void outdentedPayloadTypeIsNamedWhereItIs();
    void warningsComeWithErrors();
    void listenerNamesAreCapped();
    void execFiles_data();
    void execFiles();
    void execFilesNeedADirectoryToBeJudged();
    void retryKey_data();
    void retryKey();
};

void tst_LoaderFeedback::suggestions_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<QStringList>("candidates");
    QTest::addColumn<QString>("expected");
    const QStringList keys{u"peers"_s, u"prompt"_s, u"payload_class"_s, u"description"_s};
    QTest::newRow("one letter missing") << u"peer"_s << keys << u"peers"_s;
    QTest::newRow("two letters swapped") << u"promtp"_s << keys << u"prompt"_s;
    QTest::newRow("case") << u"Description"_s << keys << u"description"_s;
    QTest::newRow("too far") << u"listeners"_s << keys << QString();
    QTest::newRow("short words are not typos of each other") << u"to"_s << QStringList{u"id"_s} << QString();
    QTest::newRow("the name itself") << u"peers"_s << keys << QString();
    QTest::newRow("closest wins") << u"shouterr"_s << QStringList{u"shout"_s, u"shouter"_s} << u"shouter"_s;
    QTest::newRow("equally close: the first") << u"shoutr"_s << QStringList{u"shout"_s, u"shouter"_s} << u"shout"_s;
}

void tst_LoaderFeedback::suggestions()
{
    QFETCH(QString, word);
    QFETCH(QStringList, candidates);
    QFETCH(QString, expected);
    QCOMPARE(Suggestion::closest(word, candidates), expected);
    QCOMPARE(Suggestion::didYouMean(word, candidates),
             expected.isEmpty() ? QString() : u" (did you mean `%1`?)"_s.arg(expected));
}

void tst_LoaderFeedback::didYouMean_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("message");

    QTest::newRow("field type") << QByteArray("payloads: {Ticket: {text: strng}}\n") << 1 << u"payloads.Ticket.text"_s
                                << u"unknown type `strng`; did you mean `string`?"_s;
    QTest::newRow("field type naming a declared type")
        << QByteArray("payloads:\n  Ticket: {text: string}\n  Batch: {items: Tickets}\n") << 3
        << u"payloads.Batch.items"_s << u"unknown type `Tickets`; did you mean `Ticket`?"_s;
    QTest::newRow("payload_class")
        << organism("  - {name: a, description: d, payload_class: Tiket, handler: 'builtin:sink'}\n") << 4
        << u"listeners[1].payload_class"_s
        << u"`Tiket` is not a declared payload type (did you mean `Ticket`?); declared types: Ticket, Verdict"_s;
    QTest::newRow("peer") << organism("  - {name: a, description: d, payload_class: Ticket, agent: true, model: m,"
                                      " peers: [snik]}\n")
                          << 4 << u"listeners[1].peers[0]"_s
                          << u"peer `snik` is not a listener in this file (did you mean `sink`?); listeners: sink, a"_s;
    QTest::newRow("built-in") << organism(
        "  - {name: a, description: d, payload_class: Ticket, handler: 'builtin:fromat'}\n")
                              << 4 << u"listeners[1].handler"_s
                              << u"unknown built-in handler `fromat` (did you mean `format`?); valid built-ins:"_s;
    QTest::newRow("provider") << QByteArray("llm:\n  backends:\n    - {provider: antropic}\n") << 3
                              << u"llm.backends[0].provider"_s
                              << u"unknown provider `antropic` (did you mean `anthropic`?); valid providers:"_s;
    QTest::newRow("strategy") << QByteArray("llm: {strategy: failvoer}\n") << 1 << u"llm.strategy"_s
                              << u"unknown strategy `failvoer` (did you mean `failover`?)"_s;
}

void tst_LoaderFeedback::didYouMean()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(QString, key);
    QFETCH(QString, message);
    const ConfigLoadResult result = ConfigLoader::loadText(yaml, u"organism.yaml"_s);
    QVERIFY2(result.errors.size() == 1, qPrintable(dump(result.errors)));
    QCOMPARE(result.errors.first().line, line);
    QCOMPARE(result.errors.first().key, key);
    QVERIFY2(result.errors.first().message.contains(message), qPrintable(result.errors.first().toString()));
}

void tst_LoaderFeedback::misplacedKeysSayWhereTheyBelong_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("message");

    const QByteArray listener = organism("  - name: a\n    description: d\n    payload_class: Ticket\n"
                                         "    handler: builtin:sink\n");
    QTest::newRow("listener key outdented to the top level")
        << listener + "peers: [sink]\n"
        << 8 << u"peers"_s
        << u"`peers` is at the top level, where it means nothing (ignored): it is a key of a listener (an entry under "
           "`listeners:`) — check its indentation"_s;
    QTest::newRow("organism key outdented")
        << QByteArray("organism:\n  name: x\nport: 9000\n") << 3 << u"port"_s << u"it is a key of `organism:`"_s;
    QTest::newRow("ambiguous key") << QByteArray("description: x\n") << 1 << u"description"_s
                                   << u"it is a key of a listener (an entry under `listeners:`) or `organism:`"_s;
    QTest::newRow("misspelt key on a listener")
        << organism("  - name: a\n    description: d\n    payload_class: Ticket\n    handler: builtin:sink\n"
                    "    peer: [sink]\n")
        << 8 << u"listeners[1].peer"_s << u"unknown key, ignored; did you mean `peers`?"_s;
    QTest::newRow("misspelt require_reply")
        << organism("  - {name: a, description: d, payload_class: Ticket, agent: true, model: m, peers: [sink],\n"
                    "     required_reply: true}\n")
        << 5 << u"listeners[1].required_reply"_s << u"unknown key, ignored; did you mean `require_reply`?"_s;
    QTest::newRow("require_reply on a built-in")
        << organism(
               "  - {name: a, description: d, payload_class: Ticket, handler: 'builtin:sink', require_reply: true}\n")
        << 4 << u"listeners[1].require_reply"_s
        << u"ignored: only an LLM agent (`agent: true`) replies in prose; other handlers always say what they send"_s;
}

void tst_LoaderFeedback::misplacedKeysSayWhereTheyBelong()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(QString, key);
    QFETCH(QString, message);
    const ConfigLoadResult result = ConfigLoader::loadText(yaml, u"organism.yaml"_s);
    QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
    QVERIFY2(result.warnings.size() == 1, qPrintable(dump(result.warnings)));
    QCOMPARE(result.warnings.first().line, line);
    QCOMPARE(result.warnings.first().key, key);
    QVERIFY2(result.warnings.first().message.contains(message), qPrintable(result.warnings.first().toString()));
}

void tst_LoaderFeedback::outdentedPayloadTypeIsNamedWhereItIs()
{
    // The type slipped out of payloads: a warning where it is, and its use names that line.
    const QByteArray typeOutside = "payloads:\n"
                                   "  Ticket: {text: string}\n"
                                   "Verdict:\n"
                                   "  label: string\n"
                                   "listeners:\n"
                                   "  - {name: a, description: d, payload_class: Verdict, handler: 'builtin:sink'}\n";
    ConfigLoadResult result = ConfigLoader::loadText(typeOutside, u"organism.yaml"_s);
    QCOMPARE(result.warnings.size(), 1);
    QCOMPARE(result.warnings.first().line, 3);
    QCOMPARE(result.warnings.first().key, u"Verdict"_s);
    QVERIFY2(result.warnings.first().message.contains(
                 u"`Verdict` looks like a payload type, but it is at the top level, not under `payloads:`, so it is "
                 "not declared (ignored): indent it under `payloads:` (line 1)"_s),
             qPrintable(result.warnings.first().toString()));
    QCOMPARE(result.errors.size(), 1);
    QCOMPARE(result.errors.first().line, 6);
    QVERIFY2(result.errors.first().message.contains(
                 u"`Verdict` is not a declared payload type: the `Verdict` on line 3 is at the top level"_s),
             qPrintable(result.errors.first().toString()));

    // A field slipped out of its type: one error naming the type it belongs to, not two about a bad type.
    const QByteArray fieldOutside = "payloads:\n"
                                    "  Verdict:\n"
                                    "    label: string\n"
                                    "  score: integer\n";
    result = ConfigLoader::loadText(fieldOutside, u"organism.yaml"_s);
    QVERIFY2(result.errors.size() == 1, qPrintable(dump(result.errors)));
    QCOMPARE(result.errors.first().line, 4);
    QCOMPARE(result.errors.first().key, u"payloads.score"_s);
    QVERIFY2(
        result.errors.first().message.contains(u"indent it under `Verdict` (line 2) to make it one of its fields"_s),
        qPrintable(result.errors.first().toString()));
}

void tst_LoaderFeedback::warningsComeWithErrors()
{
    const ConfigLoadResult result = ConfigLoader::loadText(
        organism("  - name: a\n    description: d\n    payload_class: Ticket\n"
                 "    handler: builtin:shuot\n    peer: [sink]\n"),
        u"organism.yaml"_s);
    QVERIFY(!result.ok());
    QCOMPARE(result.errors.size(), 1);
    QCOMPARE(result.warnings.size(), 1);
    QCOMPARE(result.warnings.first().key, u"listeners[1].peer"_s);
}

void tst_LoaderFeedback::listenerNamesAreCapped()
{
    const QByteArray longest(128, 'a');
    const ConfigLoadResult fits = ConfigLoader::loadText(
        organism("  - {name: " + longest + ", description: d, payload_class: Ticket, handler: 'builtin:sink'}\n"),
        u"organism.yaml"_s);
    QVERIFY2(fits.ok(), qPrintable(dump(fits.errors)));
    const ConfigLoadResult tooLong = ConfigLoader::loadText(
        organism("  - {name: " + longest + "b, description: d, payload_class: Ticket, handler: 'builtin:sink'}\n"),
        u"organism.yaml"_s);
    QCOMPARE(tooLong.errors.size(), 1);
    QCOMPARE(tooLong.errors.first().key, u"listeners[1].name"_s);
    QCOMPARE(tooLong.errors.first().message,
             u"is too long (129 characters, at most 128): shorten the listener's name"_s);
}

void tst_LoaderFeedback::execFiles_data()
{
    QTest::addColumn<QByteArray>("handler");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("message"); // empty: loads

    QTest::newRow("script there") << QByteArray("{exec: [python3, handlers/route.py]}") << QString() << QString();
    QTest::newRow("script missing")
        << QByteArray("{exec: [python3, handlers/rout.py]}") << u"listeners[1].handler.exec[1]"_s
        << u"script `handlers/rout.py` not found (looked for DIR/handlers/rout.py; a relative path is taken from the "
           "working directory: `cwd`, else the directory of organism.yaml)"_s;
    QTest::newRow("script relative to cwd")
        << QByteArray("{exec: [python3, route.py], cwd: handlers}") << QString() << QString();
    QTest::newRow("script missing under cwd")
        << QByteArray("{exec: [python3, handlers/route.py], cwd: handlers}") << u"listeners[1].handler.exec[1]"_s
        << u"looked for DIR/handlers/handlers/route.py"_s;
    QTest::newRow("interpreter options before the script")
        << QByteArray("{exec: [python3, -u, -X, dev, handlers/nowhere.py]}") << u"listeners[1].handler.exec[4]"_s
        << u"script `handlers/nowhere.py` not found"_s;
    QTest::newRow("a module is no file") << QByteArray("{exec: [python3, -m, some.module]}") << QString() << QString();
    QTest::newRow("shell code is no file") << QByteArray("{exec: [sh, -c, 'cat']}") << QString() << QString();
    QTest::newRow("program misspelt")
        << QByteArray("{exec: [pyhton3, handlers/route.py]}") << u"listeners[1].handler.exec[0]"_s
        << u"program `pyhton3` is not on PATH (did you mean `python3`?); install it, or give its path"_s;
    QTest::newRow("program path missing")
        << QByteArray("{exec: [./handlers/run.sh]}") << u"listeners[1].handler.exec[0]"_s
        << u"program `./handlers/run.sh` not found (looked for DIR/handlers/run.sh)"_s;
    QTest::newRow("program not executable")
        << QByteArray("{exec: [./handlers/route.py]}") << u"listeners[1].handler.exec[0]"_s
        << u"DIR/handlers/route.py is not an executable file: make it one (chmod +x), or run it through its "
           "interpreter (e.g. `exec: [python3, ./handlers/route.py]`)"_s;
    QTest::newRow("program executable") << QByteArray("{exec: [./handlers/tool]}") << QString() << QString();
}

void tst_LoaderFeedback::execFiles()
{
    QFETCH(QByteArray, handler);
    QFETCH(QString, key);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(u"handlers"_s));
    QVERIFY(writeFile(dir.filePath(u"handlers/route.py"_s), "print('x')\n"));
    QVERIFY(writeFile(dir.filePath(u"handlers/tool"_s), "#!/bin/sh\n", true));
    const QString path = dir.filePath(u"organism.yaml"_s);
    QVERIFY(writeFile(path,
                      organism("  - name: router\n    description: routes\n    payload_class: Ticket\n"
                               "    handler: "
                               + handler + "\n")));

    const ConfigLoadResult result = ConfigLoader::loadFile(path);
    if (message.isEmpty()) {
        QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
        return;
    }
    QVERIFY2(result.errors.size() == 1, qPrintable(dump(result.errors)));
    QCOMPARE(result.errors.first().line, 7);
    QCOMPARE(result.errors.first().key, key);
    const QString expected = QString(message).replace(u"DIR"_s, QDir(dir.path()).canonicalPath());
    const QString got = QString(result.errors.first().message).replace(dir.path(), QDir(dir.path()).canonicalPath());
    QVERIFY2(got.contains(expected), qPrintable(result.errors.first().toString()));
}

void tst_LoaderFeedback::execFilesNeedADirectoryToBeJudged()
{
    // Text without a file has no directory: relative scripts are not judged, a bare program still is.
    const QByteArray relative = organism("  - {name: r, description: d, payload_class: Ticket,"
                                         " handler: {exec: [python3, handlers/nowhere.py]}}\n");
    QVERIFY2(ConfigLoader::loadText(relative, u"organism.yaml"_s).ok(), "relative script judged without a directory");
    const ConfigLoadResult missing = ConfigLoader::loadText(
        organism(
            "  - {name: r, description: d, payload_class: Ticket, handler: {exec: [agentdesk-no-such-program]}}\n"),
        u"organism.yaml"_s);
    QCOMPARE(missing.errors.size(), 1);
    QVERIFY(missing.errors.first().message.startsWith(u"program `agentdesk-no-such-program` is not on PATH"_s));
}

void tst_LoaderFeedback::retryKey_data()
{
    QTest::addColumn<QByteArray>("retry");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<double>("backoff");
    QTest::addColumn<QString>("error"); // empty: loads

    QTest::newRow("not given") << QByteArray() << 1 << 1.0 << QString();
    QTest::newRow("seconds") << QByteArray("{attempts: 3, backoff: 2s}") << 3 << 2.0 << QString();
    QTest::newRow("milliseconds") << QByteArray("{attempts: 2, backoff: 250ms}") << 2 << 0.25 << QString();
    QTest::newRow("minutes") << QByteArray("{attempts: 5, backoff: 1.5m}") << 5 << 90.0 << QString();
    QTest::newRow("a plain number is seconds") << QByteArray("{attempts: 2, backoff: 3}") << 2 << 3.0 << QString();
    QTest::newRow("backoff defaults to a second") << QByteArray("{attempts: 4}") << 4 << 1.0 << QString();
    QTest::newRow("attempts missing") << QByteArray("{backoff: 1s}") << 0 << 0.0
                                      << u"listeners[1].retry.attempts: is required but missing"_s;
    QTest::newRow("no attempt at all") << QByteArray("{attempts: 0}") << 0 << 0.0
                                       << u"listeners[1].retry.attempts: must be between 1 and 100, found 0"_s;
    QTest::newRow("not a duration") << QByteArray("{attempts: 2, backoff: soon}") << 0 << 0.0
                                    << u"listeners[1].retry.backoff: expected a duration (e.g. 500ms, 2s, 1m, or a "
                                       "number of seconds), found `soon`"_s;
    QTest::newRow("too long a wait")
        << QByteArray("{attempts: 2, backoff: 2h}") << 0 << 0.0
        << u"listeners[1].retry.backoff: must be more than 0 and at most an hour, found 7200 s"_s;
    QTest::newRow("misspelt key") << QByteArray("{attempts: 2, backof: 1s}") << 2 << 1.0 << QString();
}

void tst_LoaderFeedback::retryKey()
{
    QFETCH(QByteArray, retry);
    QFETCH(int, attempts);
    QFETCH(double, backoff);
    QFETCH(QString, error);
    QByteArray listener = "  - name: a\n    description: d\n    payload_class: Ticket\n    handler: builtin:sink\n";
    if (!retry.isEmpty())
        listener += "    retry: " + retry + "\n";
    const ConfigLoadResult result = ConfigLoader::loadText(organism(listener), u"organism.yaml"_s);
    if (!error.isEmpty()) {
        QVERIFY2(result.errors.size() == 1, qPrintable(dump(result.errors)));
        QCOMPARE(result.errors.first().key + u": "_s + result.errors.first().message, error);
        return;
    }
    QVERIFY2(result.ok(), qPrintable(dump(result.errors)));
    QCOMPARE(result.config->listener(u"a"_s)->retry.attempts, attempts);
    QCOMPARE(result.config->listener(u"a"_s)->retry.backoffSeconds, backoff);
}

QTEST_GUILESS_MAIN(tst_LoaderFeedback)
#include "tst_loaderfeedback.moc"
