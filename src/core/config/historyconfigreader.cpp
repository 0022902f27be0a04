#include "historyconfigreader.h"

#include <QRegularExpression>
#include <QUrl>

namespace agentdesk {

using namespace Qt::StringLiterals;
using Value = YamlReader::Value;
using MapView = YamlReader::MapView;

void HistoryConfigReader::read(const MapView &top, HistoryConfig *history)
{
    const Value *section = top.given(u"history"_s);
    if (!section)
        return;
    const std::optional<MapView> map = m_yaml.mapOf(
        *section, {u"max_messages"_s, u"max_age_days"_s, u"synchronous"_s, u"backend"_s, u"url"_s, u"instance"_s});
    if (!map)
        return;
    readRetention(*map, history);
    readSynchronous(*map, history);
    readBackend(*map, history);
}

void HistoryConfigReader::readRetention(const MapView &map, HistoryConfig *history)
{
    if (const Value *maxMessages = map.given(u"max_messages"_s)) {
        // The floor keeps what the original promised: the latest 10,000 messages stay available.
        const auto number = m_yaml.integer(*maxMessages, 0, std::numeric_limits<qint64>::max());
        if (number && *number < 10000)
            m_yaml.error(maxMessages->line, maxMessages->path,
                         u"must be at least 10000, found %1: the API keeps at least the latest 10,000 messages, as "
                         "the original did; use max_age_days to limit history by age"_s.arg(*number));
        else if (number)
            history->maxMessages = *number;
    }
    m_yaml.readInteger(map, u"max_age_days"_s, &history->maxAgeDays, 0);
}

void HistoryConfigReader::readSynchronous(const MapView &map, HistoryConfig *history)
{
    const Value *synchronous = map.given(u"synchronous"_s);
    if (!synchronous)
        return;
    const auto level = m_yaml.text(*synchronous);
    if (!level)
        return;
    if (level->compare(u"normal"_s, Qt::CaseInsensitive) == 0)
        history->synchronous = HistoryDurability::Normal;
    else if (level->compare(u"full"_s, Qt::CaseInsensitive) == 0)
        history->synchronous = HistoryDurability::Full;
    else
        m_yaml.error(synchronous->line, synchronous->path,
                     u"unknown synchronous level `%1`; expected normal (survives a crash of agentdesk) or full "
                     "(also survives a power loss, slower)"_s.arg(*level));
}

void HistoryConfigReader::readBackend(const MapView &map, HistoryConfig *history)
{
    const Value *backend = map.given(u"backend"_s);
    if (backend) {
        if (const auto name = m_yaml.text(*backend)) {
            if (name->compare(u"sqlite"_s, Qt::CaseInsensitive) == 0)
                history->backend = HistoryBackend::Sqlite;
            else if (name->compare(u"postgresql"_s, Qt::CaseInsensitive) == 0)
                history->backend = HistoryBackend::Postgresql;
            else
                m_yaml.error(backend->line, backend->path,
                             u"unknown history backend `%1`; expected sqlite (a file in the history directory, the "
                             "default) or postgresql (a database named by history.url)"_s.arg(*name));
        }
    }
    const Value *url = map.given(u"url"_s);
    const Value *instance = map.given(u"instance"_s);
    if (history->backend != HistoryBackend::Postgresql) {
        for (const Value *key : {url, instance})
            if (key)
                m_yaml.error(key->line, key->path,
                             u"only used with `backend: postgresql`; the sqlite history is the file in the history "
                             "directory"_s);
        return;
    }
    if (!url) {
        m_yaml.error(backend->line, YamlReader::joinKey(map.path(), u"url"_s),
                     u"`backend: postgresql` needs `url: postgresql://user@host:port/database`"_s);
        return;
    }
    readPostgresqlUrl(*url, history);
    if (instance)
        readInstance(*instance, history);
}

void HistoryConfigReader::readPostgresqlUrl(const Value &url, HistoryConfig *history)
{
    const auto given = m_yaml.text(url);
    if (!given)
        return;
    const QUrl parsed(*given, QUrl::StrictMode);
    if (!parsed.isValid() || (parsed.scheme() != u"postgresql"_s && parsed.scheme() != u"postgres"_s)
        || parsed.path().size() < 2)
        m_yaml.error(url.line, url.path,
                     u"`%1` is not a PostgreSQL URL; write postgresql://user@host:port/database"_s.arg(*given));
    else if (!parsed.password().isEmpty())
        m_yaml.error(url.line, url.path,
                     u"a password in the URL would be kept in plain text; give it in PGPASSWORD or ~/.pgpass "
                     "(libpq reads both) and write the URL without it"_s);
    else
        history->url = *given;
}

void HistoryConfigReader::readInstance(const Value &instance, HistoryConfig *history)
{
    static const QRegularExpression allowed(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"_s);
    const auto name = m_yaml.text(instance);
    if (!name)
        return;
    if (!allowed.match(*name).hasMatch())
        m_yaml.error(instance.line, instance.path,
                     u"`%1` is not an instance name; use up to 63 letters, digits, `.`, `_` or `-`"_s.arg(*name));
    else
        history->instance = *name;
}

} // namespace agentdesk
