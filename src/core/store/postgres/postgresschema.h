#pragma once

#include <QString>

namespace agentdesk {

class PostgresConnection;

// The history's tables on PostgreSQL. One database holds many organisms and instances: a registry
// (schema `agentdesk`, table `instances`) names each organism.name + instance once and gives it a
// schema of its own (agentdesk_i<N>) with the same tables as the SQLite file, so that two
// instances never see or touch each other's threads, queues or budgets, while usage can still be
// added up across them. Versions follow the SQLite schema's (HistorySchema::Version); the first
// PostgreSQL version is 4, with what SQLite's versions 1–4 built.
class PostgresSchema
{
public:
    static constexpr int Version = 4;
    // The advisory lock class of agentdesk ('agdt'): (class, 0) guards the registry's creation,
    // (class, instance id) is held by the process that writes the instance.
    static constexpr int LockClass = 0x61676474;

    struct Instance
    {
        int id = 0;
        QString schema;
        bool wasRunning = false; // the registry says a process had it and did not release it
    };

    // Creates the registry if needed and the organism's instance's row; on false *error says why.
    static bool registerInstance(PostgresConnection &connection, const QString &organism, const QString &instance,
                                 Instance *out, QString *error);
    // Creates or upgrades the instance's tables (search_path must name its schema). Refuses a schema
    // written by a newer agentdesk.
    static bool prepare(PostgresConnection &connection, const Instance &instance, QString *error);
};

} // namespace agentdesk
