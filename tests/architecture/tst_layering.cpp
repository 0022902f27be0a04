// The house rules of docs/architecture.md "Layers", read from the source tree: a layer includes only
// the layers it links (app → gui → models → session → api → wire → llm → core, metrics beside wire);
// wire, metrics, api, session, models and gui include of core only domain/ and the facade headers
// below; QtHttpServer only in api, QtCharts only in gui, prometheus-cpp only in metrics. A new include
// that breaks a rule fails here with the file, the line and the rule.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLibraryInfo>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Each layer and the layers it may include (its own and what its CMake target links).
const QHash<QString, QStringList> kMayInclude{
    {u"core"_s, {u"core"_s}},
    {u"llm"_s, {u"llm"_s, u"core"_s}},
    {u"wire"_s, {u"wire"_s, u"core"_s}},
    {u"metrics"_s, {u"metrics"_s, u"core"_s}},
    {u"api"_s, {u"api"_s, u"wire"_s, u"metrics"_s, u"core"_s}},
    {u"session"_s, {u"session"_s, u"wire"_s, u"core"_s}},
    {u"models"_s, {u"models"_s, u"session"_s, u"wire"_s, u"core"_s}},
    {u"gui"_s, {u"gui"_s, u"models"_s, u"session"_s, u"wire"_s, u"core"_s}},
    {u"app"_s, {u"app"_s, u"gui"_s, u"models"_s, u"session"_s, u"api"_s, u"metrics"_s, u"wire"_s, u"llm"_s, u"core"_s}},
};

// Layers that see core through the facade: domain/ and these headers only.
const QStringList kThroughFacade{u"wire"_s, u"metrics"_s, u"api"_s, u"session"_s, u"models"_s, u"gui"_s};

struct Allowed
{
    QString header;
    const char *reason;
};
const Allowed kFacadeHeaders[] = {
    {u"organism.h"_s, "the facade: the only way the API, the session and the window reach the runtime"},
    {u"historyview.h"_s, "the history's reads the facade hands out (Organism::history())"},
    {u"config/organismconfig.h"_s, "what Organism::config() returns (the API's sanitised /organism/config)"},
    {u"schema/schemaregistry.h"_s, "what Organism::schemas() returns (payloads built and validated for /inject)"},
    {u"llm/llmclient.h"_s, "the LLM seam core defines and src/llm implements; /llm shares its value types"},
};

// Includes of core internals that are known and waiting to be moved (file → header), with why.
struct Exception
{
    QString file;
    QString header;
    const char *reason;
};
const Exception kExceptions[] = {
    {u"src/wire/messageparser.cpp"_s, u"schema/canonicalxml.h"_s,
     "canonical XML of a payload, as the store keeps it; belongs beside SchemaRegistry's reads"},
    {u"src/wire/usagejson.cpp"_s, u"store/historycodec.h"_s,
     "Python's round() and isoformat() for usage figures (issue 15 §4: one timestamp formatter)"},
    {u"src/wire/budgetjson.cpp"_s, u"store/historycodec.h"_s, "Python's round() for budget figures (as above)"},
};

// Libraries that belong to one layer: a header name (or a prefix ending in '/') → the layer.
struct ModuleRule
{
    const char *module;
    QString layer;
    QStringList prefixes;  // "QtCharts/", "prometheus/"
    QSet<QString> headers; // the module's class headers (QChart, QLineSeries …)
};

// The module's class headers as installed, plus `known` — the rule must hold where the module's
// development package is not installed (QtHttpServer: the API serves HTTP on its own QTcpServer, so a
// fresh machine set up by scripts/dev.sh has no QtHttpServer headers to list).
QSet<QString> qtModuleHeaders(const QString &module, const QStringList &known = {})
{
    QSet<QString> names(known.cbegin(), known.cend());
    const QDir dir(QLibraryInfo::path(QLibraryInfo::HeadersPath) + u'/' + module);
    for (const QString &name : dir.entryList(QDir::Files))
        names.insert(name);
    return names;
}

struct Include
{
    QString file; // relative to the source tree
    int line = 0;
    QString header;
    bool quoted = true;
};

QList<Include> includesOf(const QString &root, const QString &path)
{
    static const QRegularExpression include(uR"(^\s*#\s*include\s*([<"])([^>"]+)[>"])"_s);
    QList<Include> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return out;
    const QString relative = QDir(root).relativeFilePath(path);
    int number = 0;
    while (!file.atEnd()) {
        const QString text = QString::fromUtf8(file.readLine());
        ++number;
        const QRegularExpressionMatch match = include.match(text);
        if (match.hasMatch())
            out.append(Include{relative, number, match.captured(2), match.captured(1) == u"\""_s});
    }
    return out;
}

QStringList sourcesOf(const QString &directory)
{
    QStringList out;
    QDirIterator it(directory, {u"*.h"_s, u"*.cpp"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(it.next());
    out.sort();
    return out;
}

} // namespace

class TestLayering : public QObject
{
    Q_OBJECT

public:
    // The rules applied to one tree (the real one, or a copy the test breaks on purpose).
    static QStringList violations(const QString &root);

private slots:
    void theSourceTreeKeepsTheRules();
    void aForbiddenIncludeIsCaught_data();
    void aForbiddenIncludeIsCaught();
    void everyFacadeHeaderAndExceptionExists();
};

QStringList TestLayering::violations(const QString &root)
{
    const QString src = root + u"/src"_s;
    const ModuleRule modules[] = {
        {"QtHttpServer",
         u"api"_s,
         {u"QtHttpServer/"_s},
         qtModuleHeaders(u"QtHttpServer"_s,
                         {u"QtHttpServer"_s, u"QAbstractHttpServer"_s, u"QHttpServer"_s, u"QHttpServerRequest"_s,
                          u"QHttpServerResponder"_s, u"QHttpServerResponse"_s, u"QHttpServerRouter"_s,
                          u"QHttpServerRouterRule"_s})},
        {"QtCharts", u"gui"_s, {u"QtCharts/"_s}, qtModuleHeaders(u"QtCharts"_s)},
        {"prometheus-cpp", u"metrics"_s, {u"prometheus/"_s}, {}},
    };
    QStringList out;
    for (auto layer = kMayInclude.cbegin(); layer != kMayInclude.cend(); ++layer) {
        const QString name = layer.key();
        for (const QString &path : sourcesOf(src + u'/' + name)) {
            const QString directory = QFileInfo(path).absolutePath();
            for (const Include &include : includesOf(root, path)) {
                const QString where = u"%1:%2: #include %3"_s.arg(include.file).arg(include.line).arg(include.header);
                if (!include.quoted) {
                    for (const ModuleRule &module : modules) {
                        const bool isModule = module.headers.contains(include.header)
                            || std::any_of(module.prefixes.cbegin(), module.prefixes.cend(),
                                           [&include](const QString &prefix) {
                                               return include.header.startsWith(prefix);
                                           });
                        if (isModule && name != module.layer)
                            out << where
                                    + u" — %1 belongs to src/%2 only"_s.arg(QLatin1StringView(module.module),
                                                                            module.layer);
                    }
                    continue;
                }
                // Resolved as the compiler does: beside the file, in its own layer, then the layers it links.
                if (QFileInfo::exists(directory + u'/' + include.header)
                    || QFileInfo::exists(src + u'/' + name + u'/' + include.header))
                    continue;
                QString owner;
                for (const QString &other : layer.value() + kMayInclude.keys()) {
                    if (owner.isEmpty() && QFileInfo::exists(src + u'/' + other + u'/' + include.header))
                        owner = other;
                }
                if (owner.isEmpty())
                    continue; // generated (ui_*.h, moc) or a library's
                if (!layer.value().contains(owner)) {
                    out << where
                            + u" — src/%1 may not include src/%2 (it links %3)"_s.arg(name, owner,
                                                                                      layer.value().join(u", "));
                    continue;
                }
                if (owner != u"core" || !kThroughFacade.contains(name) || include.header.startsWith(u"domain/"))
                    continue;
                const bool facade = std::any_of(
                    std::cbegin(kFacadeHeaders), std::cend(kFacadeHeaders),
                    [&include](const Allowed &allowed) { return allowed.header == include.header; });
                const bool excepted = std::any_of(
                    std::cbegin(kExceptions), std::cend(kExceptions),
                    [&include](const Exception &e) { return e.file == include.file && e.header == include.header; });
                if (!facade && !excepted)
                    out << where + u" — src/%1 sees core through domain/ and the facade headers only"_s.arg(name);
            }
        }
    }
    return out;
}

void TestLayering::theSourceTreeKeepsTheRules()
{
    const QStringList found = violations(QStringLiteral(AGENTDESK_SOURCE_DIR));
    QVERIFY2(found.isEmpty(), qPrintable(u"\n"_s + found.join(u'\n')));
}

// A copy of one file with one line added: the rule must name it.
void TestLayering::aForbiddenIncludeIsCaught_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("rule");
    QTest::newRow("api reaches into the store")
        << u"src/api/routes/usageroutes.cpp"_s << u"#include \"store/historystore.h\""_s << u"facade headers only"_s;
    QTest::newRow("session includes the api")
        << u"src/session/localsession.cpp"_s << u"#include \"apiserver.h\""_s << u"may not include src/api"_s;
    QTest::newRow("core includes wire") << u"src/core/organism.cpp"_s << u"#include \"jsonwriter.h\""_s
                                        << u"may not include src/wire"_s;
    QTest::newRow("charts outside gui") << u"src/models/agentmodel.cpp"_s << u"#include <QLineSeries>"_s
                                        << u"QtCharts belongs to src/gui only"_s;
    QTest::newRow("QHttpServer outside api") << u"src/session/localsession.cpp"_s << u"#include <QHttpServer>"_s
                                             << u"QtHttpServer belongs to src/api only"_s;
}

void TestLayering::aForbiddenIncludeIsCaught()
{
    QFETCH(QString, file);
    QFETCH(QString, line);
    QFETCH(QString, rule);
    const QString root = QStringLiteral(AGENTDESK_SOURCE_DIR);
    QTemporaryDir copy;
    QVERIFY(copy.isValid());
    // The tree as it is (symbolic links to every layer), but the one file copied with the line added.
    QVERIFY(QDir().mkpath(copy.path() + u"/src"_s));
    const QString layer = file.section(u'/', 1, 1);
    for (const QString &name : kMayInclude.keys()) {
        if (name != layer)
            QVERIFY(QFile::link(root + u"/src/"_s + name, copy.path() + u"/src/"_s + name));
    }
    for (const QString &path : sourcesOf(root + u"/src/"_s + layer)) {
        const QString target = copy.path() + u'/' + QDir(root).relativeFilePath(path);
        QVERIFY(QDir().mkpath(QFileInfo(target).absolutePath()));
        QVERIFY(QFile::copy(path, target));
    }
    QFile broken(copy.path() + u'/' + file);
    QVERIFY(broken.open(QIODevice::Append | QIODevice::Text));
    broken.write(u"\n%1\n"_s.arg(line).toUtf8());
    broken.close();

    const QStringList found = violations(copy.path());
    QCOMPARE(found.size(), 1);
    QVERIFY2(found.first().startsWith(file + u':'), qPrintable(found.first()));
    QVERIFY2(found.first().contains(rule), qPrintable(found.first()));
}

// A facade header or an exception that no longer exists is a rule nobody needs: remove it.
void TestLayering::everyFacadeHeaderAndExceptionExists()
{
    const QString src = QStringLiteral(AGENTDESK_SOURCE_DIR) + u"/src"_s;
    for (const Allowed &allowed : kFacadeHeaders)
        QVERIFY2(QFileInfo::exists(src + u"/core/"_s + allowed.header), qPrintable(allowed.header));
    for (const Exception &exception : kExceptions) {
        const QString path = QStringLiteral(AGENTDESK_SOURCE_DIR) + u'/' + exception.file;
        bool used = false;
        for (const Include &include : includesOf(QStringLiteral(AGENTDESK_SOURCE_DIR), path))
            used = used || include.header == exception.header;
        QVERIFY2(used,
                 qPrintable(exception.file + u" no longer includes "_s + exception.header + u": drop the exception"_s));
    }
}

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
