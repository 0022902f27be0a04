#pragma once

#include "yamlreader.h"

namespace agentdesk {

// The organism's own settings: the `organism:` section (name, port, identity, description) and the
// organism-wide limits written at the top level (thread_scheduling, max_concurrent_*, max_tokens_per_thread,
// max_queue_depth, max_message_depth, resume_on_start).
class OrganismReader
{
public:
    explicit OrganismReader(YamlReader &yaml)
        : m_yaml(yaml)
    { }

    void read(const YamlReader::MapView &top, OrganismConfig *config);

private:
    void readLimits(const YamlReader::MapView &top, OrganismConfig *config);
    void readSection(const YamlReader::MapView &top, OrganismConfig *config);
    void readMisplacedTokenLimit(const YamlReader::MapView &top, const YamlReader::Value &misplaced,
                                 OrganismConfig *config);

    YamlReader &m_yaml;
};

} // namespace agentdesk
