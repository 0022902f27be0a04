#include "apireader.h"

#include <QRegularExpression>
#include <QUrl>

namespace agentdesk {

using namespace Qt::StringLiterals;
using Value = YamlReader::Value;
using MapView = YamlReader::MapView;

void ApiReader::readAuth(const MapView &top, AuthConfig *auth)
{
    static const QStringList known{u"api_key_env"_s, u"protect_reads"_s, u"api_key"_s};
    static const YamlReader::Ignored ignored{
        {u"totp_secret_env"_s, u"TOTP belonged to the original's out-of-band channel, which agentdesk does not have"_s},
        {u"totp_required"_s, u"TOTP belonged to the original's out-of-band channel, which agentdesk does not have"_s}};
    const Value *section = top.given(u"auth"_s);
    if (!section)
        return;
    const std::optional<MapView> map = m_yaml.mapOf(*section, known, ignored);
    if (!map)
        return;
    m_yaml.refuseInlineKey(*map, u"api_key"_s);
    if (const Value *env = map->given(u"api_key_env"_s)) {
        if (const auto name = m_yaml.environmentName(*env))
            auth->apiKeyEnv = *name;
    }
    m_yaml.readBoolean(*map, u"protect_reads"_s, &auth->protectReads);
}

void ApiReader::readApi(const MapView &top, ApiConfig *api)
{
    static const QStringList known{u"bind"_s,           u"allowed_hosts"_s,   u"cors_origins"_s,
                                   u"max_body_bytes"_s, u"max_connections"_s, u"idle_timeout_seconds"_s};
    static const YamlReader::Ignored ignored{{u"port"_s, u"the API listens on `organism.port`; set the port there"_s}};
    const Value *section = top.given(u"api"_s);
    if (!section)
        return;
    const std::optional<MapView> map = m_yaml.mapOf(*section, known, ignored);
    if (!map)
        return;
    readBind(*map, api);
    if (const Value *hosts = map->given(u"allowed_hosts"_s))
        readHosts(*hosts, &api->allowedHosts);
    if (const Value *origins = map->given(u"cors_origins"_s))
        readOrigins(*origins, &api->corsOrigins);
    m_yaml.readInteger(*map, u"max_body_bytes"_s, &api->maxBodyBytes, 1);
    m_yaml.readInteger(*map, u"max_connections"_s, &api->maxConnections, 1);
    m_yaml.readInteger(*map, u"idle_timeout_seconds"_s, &api->idleTimeoutSeconds, 1);
}

void ApiReader::readBind(const MapView &map, ApiConfig *api)
{
    const Value *bind = map.given(u"bind"_s);
    if (!bind)
        return;
    const auto address = m_yaml.text(*bind);
    if (!address)
        return;
    if (address->contains(u' ') || address->contains(u'/'))
        m_yaml.error(bind->line, bind->path,
                     u"expected an address to listen on (e.g. 127.0.0.1, 0.0.0.0 or ::1), found %1"_s.arg(
                         YamlReader::describe(bind->node)));
    else
        api->bind = *address;
}

void ApiReader::readHosts(const Value &value, QStringList *hosts)
{
    static const QRegularExpression hostName(u"^[A-Za-z0-9.\\-\\[\\]:]+$"_s);
    if (!m_yaml.expectList(value, u"host names"_s))
        return;
    for (const Value &item : YamlReader::elements(value)) {
        const std::optional<QString> name = m_yaml.text(item);
        if (name && !hostName.match(*name).hasMatch())
            m_yaml.error(item.line, item.path,
                         u"`%1` is not a host name (e.g. agents.example.org or agents.example.org:8765)"_s.arg(*name));
        else if (name)
            hosts->append(*name);
    }
}

void ApiReader::readOrigins(const Value &value, QStringList *origins)
{
    if (!m_yaml.expectList(value, u"origins"_s))
        return;
    for (const Value &item : YamlReader::elements(value)) {
        const std::optional<QString> origin = m_yaml.text(item);
        if (!origin)
            continue;
        const QUrl url(*origin, QUrl::StrictMode);
        if (*origin == u"*"_s)
            m_yaml.error(item.line, item.path,
                         u"`*` is not allowed: list each origin, so that no arbitrary web page can drive the "
                         "organism"_s);
        else if (!url.isValid() || url.host().isEmpty() || !url.path().isEmpty()
                 || (url.scheme() != u"http"_s && url.scheme() != u"https"_s))
            m_yaml.error(item.line, item.path,
                         u"`%1` is not an origin; write scheme://host[:port] without a path, e.g. "
                         "https://dashboard.example.org"_s.arg(*origin));
        else
            origins->append(*origin);
    }
}

} // namespace agentdesk
