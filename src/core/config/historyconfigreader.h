#pragma once

#include "yamlreader.h"

namespace agentdesk {

// The `history:` section: retention (max_messages, max_age_days), durability (synchronous) and where
// the history lives (backend: sqlite | postgresql, with url and instance for postgresql).
class HistoryConfigReader
{
public:
    explicit HistoryConfigReader(YamlReader &yaml)
        : m_yaml(yaml)
    { }

    void read(const YamlReader::MapView &top, HistoryConfig *history);

private:
    void readRetention(const YamlReader::MapView &map, HistoryConfig *history);
    void readSynchronous(const YamlReader::MapView &map, HistoryConfig *history);
    void readBackend(const YamlReader::MapView &map, HistoryConfig *history);
    void readPostgresqlUrl(const YamlReader::Value &url, HistoryConfig *history);
    void readInstance(const YamlReader::Value &instance, HistoryConfig *history);

    YamlReader &m_yaml;
};

} // namespace agentdesk
