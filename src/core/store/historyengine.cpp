#include "historyengine.h"

#include "postgres/postgreshistoryengine.h"
#include "sqlitehistoryengine.h"

namespace agentdesk {

std::unique_ptr<HistoryEngine> HistoryEngine::create(const QString &directory, const HistoryConfig &config,
                                                     const QString &organism)
{
    switch (config.backend) {
    case HistoryBackend::Postgresql:
        return std::make_unique<PostgresHistoryEngine>(directory, config, organism);
    case HistoryBackend::Sqlite:
        break;
    }
    return std::make_unique<SqliteHistoryEngine>(directory, organism);
}

} // namespace agentdesk
