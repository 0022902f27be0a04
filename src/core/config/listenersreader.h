#pragma once

#include "handlerreader.h"
#include "yamlreader.h"

namespace agentdesk {

// The `listeners:` list: each listener's name, payload class, peers, agent settings, retry and handler.
// Peers are checked once every listener is known (checkPeers, after the whole file is read).
class ListenersReader
{
public:
    // `declaredTypes`: the payload types written under `payloads:`; `strayTypes`: type-like top-level keys
    // (name → line), so a payload_class naming one says it is not indented under `payloads:`.
    ListenersReader(YamlReader &yaml, QString configDirectory, const QStringList &declaredTypes,
                    const QHash<QString, int> &strayTypes)
        : m_yaml(yaml)
        , m_handlers(yaml, std::move(configDirectory))
        , m_declaredTypes(declaredTypes)
        , m_strayTypes(strayTypes)
    { }

    void read(const YamlReader::MapView &top, OrganismConfig *config);
    void checkPeers();

    // Every listener name written, also of listeners that failed to read, so one mistake does not
    // cascade into "unknown peer" or "no listener is named" errors elsewhere.
    const QStringList &names() const { return m_names; }

private:
    std::optional<ListenerConfig> readListener(const YamlReader::Value &value);
    void readAgentSettings(const YamlReader::MapView &map, bool kindKnown, ListenerConfig *listener);
    void readName(const YamlReader::Value &value, ListenerConfig *listener);
    void readPayloadClass(const YamlReader::Value &value, ListenerConfig *listener);
    void readPeers(const YamlReader::Value &value, ListenerConfig *listener);
    void readRetry(const YamlReader::Value &value, RetrySpec *retry);
    void readHandler(const YamlReader::MapView &map, ListenerConfig *listener);

    struct PeerReference
    {
        QString peer;
        QString path; // listeners[i].peers[j]
        int line = 0;
    };

    YamlReader &m_yaml;
    HandlerReader m_handlers;
    const QStringList &m_declaredTypes;
    const QHash<QString, int> &m_strayTypes;
    QHash<QString, int> m_lines; // lower-case name → line (routing is case-insensitive)
    QStringList m_names;
    QList<PeerReference> m_peers;
};

} // namespace agentdesk
