#include "misplacedkeys.h"

#include <QHash>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// The keys that give a section away (not every key: only what a slip is likely to move).
const QList<std::pair<QString, QStringList>> &sectionKeys()
{
    static const QList<std::pair<QString, QStringList>> sections{
        {u"a listener (an entry under `listeners:`)"_s,
         {u"name"_s, u"description"_s, u"payload_class"_s, u"handler"_s, u"agent"_s, u"peers"_s, u"broadcast"_s,
          u"prompt"_s, u"model"_s, u"timeout_seconds"_s, u"options"_s, u"retry"_s, u"require_reply"_s}},
        {u"`organism:`"_s, {u"name"_s, u"port"_s, u"identity"_s, u"description"_s}},
        {u"`llm:`"_s,
         {u"strategy"_s, u"retries"_s, u"retry_base_delay"_s, u"retry_max_delay"_s, u"backends"_s, u"prices"_s}},
        {u"a backend (an entry under `llm: backends:`)"_s,
         {u"provider"_s, u"api_key_env"_s, u"base_url"_s, u"models"_s, u"supported_models"_s, u"rate_limit_tpm"_s}},
        {u"`api:`"_s, {u"bind"_s, u"allowed_hosts"_s, u"cors_origins"_s, u"max_body_bytes"_s, u"max_connections"_s}},
        {u"`history:`"_s, {u"max_messages"_s, u"max_age_days"_s, u"synchronous"_s}},
        {u"`auth:`"_s, {u"protect_reads"_s}},
    };
    return sections;
}

} // namespace

QString MisplacedKeys::atTopLevel(const QString &key)
{
    QStringList owners;
    for (const auto &[section, keys] : sectionKeys()) {
        if (keys.contains(key))
            owners.append(section);
    }
    if (owners.isEmpty())
        return {};
    return u"`%1` is at the top level, where it means nothing (ignored): it is a key of %2 — check its "
           "indentation"_s.arg(key, owners.join(u" or "_s));
}

QString MisplacedKeys::payloadTypeAtTopLevel(const QString &type, int payloadsLine)
{
    const QString where = payloadsLine > 0 ? u"`payloads:` (line %1)"_s.arg(payloadsLine) : u"`payloads:`"_s;
    return u"`%1` looks like a payload type, but it is at the top level, not under `payloads:`, so it is not "
           "declared (ignored): indent it under %2 like the other types"_s.arg(type, where);
}

QString MisplacedKeys::fieldAmongTypes(const QString &field, const QString &fieldType, const QString &previousType,
                                       int previousTypeLine)
{
    QString message = u"`%1: %2` reads like a field, but it is at the level of the payload types, so it would be a "
                      "type named `%1`: "_s.arg(field, fieldType);
    if (previousType.isEmpty())
        return message + u"indent it under the type it belongs to"_s;
    return message
        + u"indent it under `%1` (line %2) to make it one of its fields"_s.arg(previousType).arg(previousTypeLine);
}

} // namespace agentdesk
