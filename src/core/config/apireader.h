#pragma once

#include "yamlreader.h"

namespace agentdesk {

// The REST API's sections: `api:` (bind address, allowed hosts, CORS origins, request and connection
// limits) and `auth:` (the variable holding the API key, whether reads need it).
class ApiReader
{
public:
    explicit ApiReader(YamlReader &yaml)
        : m_yaml(yaml)
    { }

    void readAuth(const YamlReader::MapView &top, AuthConfig *auth);
    void readApi(const YamlReader::MapView &top, ApiConfig *api);

private:
    void readBind(const YamlReader::MapView &map, ApiConfig *api);
    void readHosts(const YamlReader::Value &value, QStringList *hosts);
    void readOrigins(const YamlReader::Value &value, QStringList *origins);

    YamlReader &m_yaml;
};

} // namespace agentdesk
