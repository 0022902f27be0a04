#pragma once

#include "yamlreader.h"

namespace agentdesk {

// The `llm:` section: routing strategy and retries, the backends (provider, key variable, URL, models,
// limits, a scripted backend's replies file) and prices, written inline or in a price list file.
class LlmReader
{
public:
    // `configDirectory` anchors the replies file and prices_file (empty: the current directory).
    LlmReader(YamlReader &yaml, QString configDirectory)
        : m_yaml(yaml)
        , m_configDirectory(std::move(configDirectory))
    { }

    // `listenerNames`: the listeners a scripted replies file may name.
    void read(const YamlReader::MapView &top, const QStringList &listenerNames, LlmConfig *llm);

    // A price list file: `date: YYYY-MM-DD`, optional `source:`, and `prices:` as in llm.prices.
    void readPriceList(const YAML::Node &root, PriceList *list);

private:
    void readStrategy(const YamlReader::MapView &map, LlmConfig *llm);
    void readRetryDelays(const YamlReader::MapView &map, LlmConfig *llm);
    void readBackends(const YamlReader::Value &value, const QStringList &listenerNames, LlmConfig *llm);
    std::optional<LlmBackendConfig> readBackend(const YamlReader::Value &value, const QStringList &listenerNames);
    void readBaseUrl(const YamlReader::MapView &map, LlmBackendConfig *backend);
    void readScriptedReplies(const YamlReader::MapView &map, const QStringList &listenerNames,
                             LlmBackendConfig *backend);
    // `prices:` keyed by model prefix: {prompt, completion, cached_prompt, cache_write} in USD per million
    // tokens.
    void readPrices(const YamlReader::Value &value, QMap<QString, ModelPrice> *prices);
    void readPricesFile(const YamlReader::Value &value, LlmConfig *llm);
    QString besideConfig(const QString &written) const; // a path as written, relative to organism.yaml

    YamlReader &m_yaml;
    QString m_configDirectory;
};

} // namespace agentdesk
