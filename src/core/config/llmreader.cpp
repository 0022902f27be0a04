#include "llmreader.h"

#include "configloader.h"
#include "suggestion.h"

#include <QDate>
#include <QDir>
#include <QUrl>

namespace agentdesk {

using namespace Qt::StringLiterals;
using Value = YamlReader::Value;
using MapView = YamlReader::MapView;

namespace {

const QStringList &llmProviders()
{
    // vllm, llamacpp and lmstudio are OpenAI-compatible servers; the router interprets the alias.
    // scripted: canned replies from a file, for tests (docs/testing.md).
    static const QStringList names{u"openai"_s,   u"xai"_s,      u"anthropic"_s,         u"ollama"_s,
                                   u"demo"_s,     u"scripted"_s, u"openai-compatible"_s, u"vllm"_s,
                                   u"llamacpp"_s, u"lmstudio"_s};
    return names;
}

} // namespace

void LlmReader::read(const MapView &top, const QStringList &listenerNames, LlmConfig *llm)
{
    static const QStringList known{u"strategy"_s, u"retries"_s, u"retry_base_delay"_s, u"retry_max_delay"_s,
                                   u"backends"_s, u"prices"_s,  u"prices_file"_s};
    const Value *section = top.given(u"llm"_s);
    if (!section)
        return;
    const std::optional<MapView> map = m_yaml.mapOf(*section, known);
    if (!map)
        return;
    readStrategy(*map, llm);
    m_yaml.readInteger(*map, u"retries"_s, &llm->retries, 0);
    readRetryDelays(*map, llm);
    if (const Value *backends = map->given(u"backends"_s); backends && m_yaml.expectList(*backends, u"backends"_s))
        readBackends(*backends, listenerNames, llm);
    if (const Value *prices = map->given(u"prices"_s))
        readPrices(*prices, &llm->prices);
    if (const Value *file = map->given(u"prices_file"_s))
        readPricesFile(*file, llm);
}

void LlmReader::readStrategy(const MapView &map, LlmConfig *llm)
{
    const Value *strategy = map.given(u"strategy"_s);
    if (!strategy)
        return;
    const auto written = m_yaml.text(*strategy);
    if (!written)
        return;
    const QString normalized = written->toLower().replace(u'_', u'-');
    static const QStringList strategies{u"failover"_s, u"round-robin"_s, u"least-loaded"_s};
    if (strategies.contains(normalized))
        llm->strategy = normalized;
    else
        m_yaml.error(strategy->line, strategy->path,
                     u"unknown strategy `%1`%2; valid strategies: %3"_s.arg(
                         *written, Suggestion::didYouMean(normalized, strategies), strategies.join(u", "_s)));
}

void LlmReader::readRetryDelays(const MapView &map, LlmConfig *llm)
{
    m_yaml.readDecimal(map, u"retry_base_delay"_s, &llm->retryBaseDelay, 0, true);
    m_yaml.readDecimal(map, u"retry_max_delay"_s, &llm->retryMaxDelay, 0, true);
    if (llm->retryBaseDelay > llm->retryMaxDelay) {
        const Value *base = map.given(u"retry_base_delay"_s);
        m_yaml.warn(base ? base->line : map.line(), YamlReader::joinKey(map.path(), u"retry_base_delay"_s),
                    u"is larger than retry_max_delay (%1 > %2): every retry waits retry_max_delay"_s.arg(
                        QString::number(llm->retryBaseDelay), QString::number(llm->retryMaxDelay)));
    }
}

void LlmReader::readBackends(const Value &value, const QStringList &listenerNames, LlmConfig *llm)
{
    QHash<QString, int> lines;
    for (const Value &element : YamlReader::elements(value)) {
        std::optional<LlmBackendConfig> backend = readBackend(element, listenerNames);
        if (!backend)
            continue;
        if (lines.contains(backend->name)) {
            m_yaml.error(
                backend->line, YamlReader::joinKey(element.path, u"name"_s),
                u"duplicate backend name `%1` (first on line %2); give each backend its own name"_s.arg(backend->name)
                    .arg(lines.value(backend->name)));
            continue;
        }
        lines.insert(backend->name, backend->line);
        llm->backends.append(std::move(*backend));
    }
}

std::optional<LlmBackendConfig> LlmReader::readBackend(const Value &value, const QStringList &listenerNames)
{
    static const QStringList known{u"provider"_s,       u"name"_s,           u"api_key_env"_s,      u"api_key"_s,
                                   u"base_url"_s,       u"models"_s,         u"supported_models"_s, u"priority"_s,
                                   u"rate_limit_tpm"_s, u"max_concurrent"_s, u"timeout"_s,          u"idle_timeout"_s,
                                   u"stream"_s,         u"tool_mode"_s,      u"replies"_s};
    const std::optional<MapView> map = m_yaml.mapOf(value, known);
    if (!map)
        return std::nullopt;
    const qsizetype errorsBefore = m_yaml.errorCount();
    LlmBackendConfig backend;
    backend.line = value.line;
    if (const Value *provider = m_yaml.required(*map, u"provider"_s)) {
        if (const auto written = m_yaml.text(*provider)) {
            if (llmProviders().contains(written->toLower()))
                backend.provider = written->toLower();
            else
                m_yaml.error(
                    provider->line, provider->path,
                    u"unknown provider `%1`%2; valid providers: %3"_s.arg(
                        *written, Suggestion::didYouMean(*written, llmProviders()), llmProviders().join(u", "_s)));
        }
    }
    backend.name = backend.provider;
    m_yaml.readText(*map, u"name"_s, &backend.name);
    m_yaml.refuseInlineKey(*map, u"api_key"_s);
    if (const Value *env = map->given(u"api_key_env"_s)) {
        if (const auto name = m_yaml.environmentName(*env))
            backend.apiKeyEnv = *name;
    }
    readBaseUrl(*map, &backend);
    const Value *models = map->given(u"models"_s);
    const Value *supported = map->given(u"supported_models"_s);
    if (models && supported)
        m_yaml.error(supported->line, supported->path,
                     u"give either models or supported_models (the same list), not both"_s);
    else
        m_yaml.readTextList(*map, models ? u"models"_s : u"supported_models"_s, &backend.models);
    m_yaml.readInteger(*map, u"priority"_s, &backend.priority, std::numeric_limits<int>::min());
    m_yaml.readInteger(*map, u"rate_limit_tpm"_s, &backend.rateLimitTpm, 1);
    m_yaml.readInteger(*map, u"max_concurrent"_s, &backend.maxConcurrent, 1);
    m_yaml.readDecimal(*map, u"timeout"_s, &backend.timeoutSeconds, 0, true);
    m_yaml.readDecimal(*map, u"idle_timeout"_s, &backend.idleTimeoutSeconds, 0, true);
    // Cloud providers stream by default (time to first token, live text, idle timeouts); local
    // servers and the demo answer in one piece unless told otherwise.
    static const QStringList streamingByDefault{u"openai"_s, u"xai"_s, u"anthropic"_s};
    backend.stream = streamingByDefault.contains(backend.provider);
    m_yaml.readBoolean(*map, u"stream"_s, &backend.stream);
    m_yaml.readChoice(*map, u"tool_mode"_s, &backend.toolMode, &parseLlmToolMode, {u"auto"_s, u"native"_s, u"xml"_s});
    readScriptedReplies(*map, listenerNames, &backend);
    if (m_yaml.errorCount() > errorsBefore)
        return std::nullopt;
    return backend;
}

void LlmReader::readBaseUrl(const MapView &map, LlmBackendConfig *backend)
{
    const Value *baseUrl = map.given(u"base_url"_s);
    if (!baseUrl)
        return;
    const auto written = m_yaml.text(*baseUrl);
    if (!written)
        return;
    const QUrl url(*written, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s))
        m_yaml.error(baseUrl->line, baseUrl->path,
                     u"expected an http:// or https:// URL, found %1"_s.arg(YamlReader::describe(baseUrl->node)));
    else
        backend->baseUrl = *written;
}

// provider scripted needs `replies: FILE` (relative to organism.yaml); no other provider takes it. The
// file is read now, so its mistakes are reported with its own name, line and key, and a reload reads it again.
void LlmReader::readScriptedReplies(const MapView &map, const QStringList &listenerNames, LlmBackendConfig *backend)
{
    const Value *replies = map.given(u"replies"_s);
    if (backend->provider != u"scripted"_s) {
        if (replies)
            m_yaml.error(replies->line, replies->path, u"only `provider: scripted` reads replies from a file"_s);
        return;
    }
    if (!(replies = m_yaml.required(map, u"replies"_s)))
        return;
    const std::optional<QString> written = m_yaml.text(*replies);
    if (!written)
        return;
    QList<ScriptedRepliesProblem> problems;
    backend->scripted = agentdesk::readScriptedReplies(QDir::cleanPath(besideConfig(*written)), listenerNames,
                                                       &problems);
    for (const ScriptedRepliesProblem &problem : std::as_const(problems)) {
        if (problem.line == 0)
            m_yaml.error(replies->line, replies->path, problem.message); // the file itself: said where it is named
        else
            m_yaml.errorIn(backend->scripted.file, problem.line, problem.key, problem.message);
    }
}

void LlmReader::readPrices(const Value &value, QMap<QString, ModelPrice> *out)
{
    const std::optional<MapView> prices = m_yaml.mapOf(value, {});
    if (!prices)
        return;
    static const QStringList known{u"prompt"_s, u"completion"_s, u"cached_prompt"_s, u"cache_write"_s};
    for (const auto &[prefix, entry] : prices->entries()) {
        const std::optional<MapView> price = m_yaml.mapOf(entry, known);
        if (!price)
            continue;
        ModelPrice parsed;
        const Value *prompt = m_yaml.required(*price, u"prompt"_s);
        const Value *completion = m_yaml.required(*price, u"completion"_s);
        const auto promptValue = prompt ? m_yaml.decimal(*prompt, 0, false) : std::nullopt;
        const auto completionValue = completion ? m_yaml.decimal(*completion, 0, false) : std::nullopt;
        if (!promptValue || !completionValue)
            continue;
        parsed.promptPerMillion = *promptValue;
        parsed.completionPerMillion = *completionValue;
        bool complete = true;
        const auto optionalPrice = [&](const QString &key, std::optional<double> *target) {
            if (const Value *given = price->given(key)) {
                *target = m_yaml.decimal(*given, 0, false);
                complete = complete && target->has_value();
            }
        };
        optionalPrice(u"cached_prompt"_s, &parsed.cachedPromptPerMillion);
        optionalPrice(u"cache_write"_s, &parsed.cacheWritePerMillion);
        if (!complete)
            continue;
        // Models are matched in lower case (spec §8.3), so the prefixes are stored that way too.
        out->insert(prefix.toLower(), parsed);
    }
}

// llm.prices_file: an operator's price list, relative to organism.yaml; read now, so that a reload
// picks up its changes and its mistakes are reported like the file's own.
void LlmReader::readPricesFile(const Value &value, LlmConfig *llm)
{
    const std::optional<QString> written = m_yaml.text(value);
    if (!written)
        return;
    const QString path = besideConfig(*written);
    const PriceListLoadResult loaded = ConfigLoader::loadPriceList(path);
    for (const ConfigError &problem : loaded.errors)
        m_yaml.error(value.line, value.path, problem.toString());
    if (loaded.errors.isEmpty()) {
        llm->pricesFile = path;
        llm->filePrices = loaded.list;
    }
}

void LlmReader::readPriceList(const YAML::Node &root, PriceList *list)
{
    const std::optional<MapView> top = m_yaml.mapOf(YamlReader::document(root), {u"date"_s, u"source"_s, u"prices"_s});
    if (!top)
        return;
    if (const Value *date = m_yaml.required(*top, u"date"_s)) {
        const std::optional<QString> written = date->node.IsScalar()
            ? std::optional<QString>(YamlReader::scalarText(date->node))
            : std::nullopt;
        if (!written || !QDate::fromString(*written, Qt::ISODate).isValid())
            m_yaml.error(date->line, date->path,
                         u"expected the date the prices were taken, as YYYY-MM-DD, found %1"_s.arg(
                             YamlReader::describe(date->node)));
        else
            list->date = *written;
    }
    m_yaml.readText(*top, u"source"_s, &list->source, true);
    if (const Value *prices = m_yaml.required(*top, u"prices"_s))
        readPrices(*prices, &list->prices);
}

QString LlmReader::besideConfig(const QString &written) const
{
    return QDir(m_configDirectory.isEmpty() ? QDir::currentPath() : m_configDirectory).absoluteFilePath(written);
}

} // namespace agentdesk
