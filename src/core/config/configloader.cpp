#include "configloader.h"

#include "apireader.h"
#include "budgetsreader.h"
#include "historyconfigreader.h"
#include "listenersreader.h"
#include "llmreader.h"
#include "misplacedkeys.h"
#include "organismreader.h"
#include "payloadsreader.h"
#include "yamlerrortranslator.h"
#include "yamlreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <vector>

// The user-facing reference of every key and message is docs/organism-yaml.md; keep both in step.
// How values are read (lines, paths, types) is YamlReader's; what each key means is its section reader's.
// Handlers have two forms only: `handler: builtin:<name>` and `handler: {exec: [argv…], cwd: dir}` (HandlerReader).

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

const QStringList &topLevelKeys()
{
    static const QStringList known{u"organism"_s,
                                   u"thread_scheduling"_s,
                                   u"max_concurrent_pipelines"_s,
                                   u"max_concurrent_handlers"_s,
                                   u"max_concurrent_per_agent"_s,
                                   u"max_tokens_per_thread"_s,
                                   u"max_queue_depth"_s,
                                   u"max_message_depth"_s,
                                   u"payloads"_s,
                                   u"listeners"_s,
                                   u"llm"_s,
                                   u"auth"_s,
                                   u"api"_s,
                                   u"history"_s,
                                   u"resume_on_start"_s,
                                   u"budgets"_s};
    return known;
}

// The original's top-level keys that mean nothing here, with the reason a user is told.
const YamlReader::Ignored &ignoredTopLevelKeys()
{
    static const YamlReader::Ignored ignored{
        {u"backend"_s, u"agentdesk always keeps shared state in its own process (no Redis backend)"_s},
        {u"oob"_s, u"agentdesk has no out-of-band channel; use the REST API to control the organism"_s},
        {u"peer_tables"_s, u"thread-scoped privilege tiers are not supported; use each listener's `peers`"_s},
        {u"network"_s, u"the port gate is not supported; the API listens on `organism.port` at `api.bind`"_s},
        {u"tools"_s, u"WASM tools are not supported"_s},
        {u"shell"_s, u"the shell tool is not supported"_s},
        {u"compiler"_s, u"the compiler tool is not supported"_s},
        {u"meta"_s, u"documentation only (the original did not enforce it either)"_s},
        {u"gateways"_s, u"documentation only (the original did not enforce it either)"_s},
        {u"process_pool"_s, u"there is no Python process pool; `exec:` handlers already run in their own processes"_s},
        {u"llm_backends"_s, u"this is the CLI loader's schema; write `llm: {backends: [...]}` instead"_s},
        {u"server"_s, u"this is the CLI loader's schema; use `organism.port` and `api.bind` instead"_s},
    };
    return ignored;
}

// The top-level map, each section read in turn, then what refers across sections (field types, peers).
void readDocument(YamlReader &yaml, const YAML::Node &root, const QString &configDirectory, OrganismConfig *config)
{
    int payloadsLine = 0;
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == "payloads")
            payloadsLine = YamlReader::lineOf(it->first);
    }
    QHash<QString, int> strayTypes; // top-level keys that look like payload types → their lines
    const auto misplaced = [&strayTypes, payloadsLine](const QString &key, const YamlReader::Value &value) {
        if (PayloadsReader::looksLikePayloadType(key, value.node)) {
            strayTypes.insert(key, value.line);
            return MisplacedKeys::payloadTypeAtTopLevel(key, payloadsLine);
        }
        return MisplacedKeys::atTopLevel(key);
    };
    const std::optional<YamlReader::MapView> top = yaml.mapOf(YamlReader::document(root), topLevelKeys(),
                                                              ignoredTopLevelKeys(), misplaced);
    if (!top)
        return;
    OrganismReader(yaml).read(*top, config);
    PayloadsReader payloads(yaml);
    payloads.read(*top, config);
    ListenersReader listeners(yaml, configDirectory, payloads.declaredTypes(), strayTypes);
    listeners.read(*top, config);
    LlmReader(yaml, configDirectory).read(*top, listeners.names(), &config->llm);
    BudgetsReader(yaml).read(*top, listeners.names(), &config->budgets);
    ApiReader api(yaml);
    api.readAuth(*top, &config->auth);
    api.readApi(*top, &config->api);
    HistoryConfigReader(yaml).read(*top, &config->history);
    payloads.checkTypes(*config);
    listeners.checkPeers();
}

// One document, and a map: anything else is said before any key is read.
void readDocuments(YamlReader &yaml, const QByteArray &text, const QString &configDirectory, OrganismConfig *config)
{
    const std::vector<YAML::Node> documents = YAML::LoadAll(text.toStdString());
    if (documents.empty() || (documents.size() == 1 && documents.front().IsNull())) {
        yaml.error(0, {},
                   u"the file is empty (or holds only comments); expected a map of keys (organism:, listeners:, …)"_s);
    } else if (documents.size() > 1) {
        yaml.error(
            YamlReader::lineOf(documents.at(1)), {},
            u"the file holds %1 YAML documents (separated by ---); an organism.yaml holds one"_s.arg(documents.size()));
    } else if (!documents.front().IsMap()) {
        yaml.error(YamlReader::lineOf(documents.front()), {},
                   u"the top level must be a map of keys (organism:, listeners:, …), found %1"_s.arg(
                       YamlReader::describe(documents.front())));
    } else {
        readDocument(yaml, documents.front(), configDirectory, config);
    }
}

} // namespace

ConfigLoadResult ConfigLoader::loadFile(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    ConfigLoadResult result;
    const QFileInfo info(absolute);
    QFile file(absolute);
    if (!info.exists())
        result.errors.append({absolute, 0, {}, u"file not found: %1"_s.arg(absolute)});
    else if (info.isDir())
        result.errors.append({absolute, 0, {}, u"%1 is a directory, not an organism.yaml file"_s.arg(absolute)});
    else if (!file.open(QIODevice::ReadOnly))
        result.errors.append({absolute, 0, {}, u"cannot read %1: %2"_s.arg(absolute, file.errorString())});
    else
        return loadText(file.readAll(), absolute);
    return result;
}

PriceListLoadResult ConfigLoader::loadPriceList(const QString &path)
{
    PriceListLoadResult result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.errors.append({path, 0, {}, u"cannot read the price list %1: %2"_s.arg(path, file.errorString())});
        return result;
    }
    return parsePriceList(file.readAll(), path);
}

PriceListLoadResult ConfigLoader::parsePriceList(const QByteArray &yaml, const QString &fileName)
{
    PriceListLoadResult result;
    YamlReader reader(fileName);
    result.list.source = fileName;
    try {
        // A price list names no other file, so it needs no directory to anchor one.
        LlmReader(reader, QString()).readPriceList(YAML::Load(yaml.toStdString()), &result.list);
    } catch (const YAML::Exception &exception) {
        reader.error(exception.mark.line >= 0 ? exception.mark.line + 1 : 0, {},
                     u"invalid YAML: "_s + QString::fromStdString(exception.msg));
    }
    result.errors = reader.errors();
    return result;
}

ConfigLoadResult ConfigLoader::loadText(const QByteArray &yaml, const QString &fileName)
{
    const bool anchored = QDir::isAbsolutePath(fileName);
    YamlReader reader(fileName);
    ConfigLoadResult result;
    OrganismConfig config;
    config.filePath = anchored ? QDir::cleanPath(fileName) : QString();
    try {
        readDocuments(reader, yaml, anchored ? QFileInfo(fileName).absolutePath() : QString(), &config);
    } catch (const YAML::Exception &exception) {
        // yaml-cpp's words at the place it gave up, read back into which key and what to fix.
        const YamlErrorTranslator::Problem problem = YamlErrorTranslator::translate(
            yaml, exception.mark.line, exception.mark.column, QString::fromStdString(exception.msg));
        reader.error(problem.line, problem.key, problem.message);
    }
    // Reported in file order, which is how a user works through them; ties keep the reading order.
    result.errors = reader.errors();
    result.warnings = reader.warnings();
    const auto byLine = [](const auto &a, const auto &b) { return a.line < b.line; };
    std::stable_sort(result.errors.begin(), result.errors.end(), byLine);
    std::stable_sort(result.warnings.begin(), result.warnings.end(), byLine);
    if (result.errors.isEmpty()) {
        config.warnings = result.warnings;
        result.config = std::move(config);
    }
    return result;
}

} // namespace agentdesk
