#pragma once

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace agentdesk::test {

// A private PostgreSQL server for one test process (or one benchmark): initdb into a temporary
// directory, pg_ctl on a free port of 127.0.0.1, stopped and deleted with the object. It uses
// Debian's `postgresql` package (scripts/dev.sh installs it); as root the server runs as the
// `postgres` user, as PostgreSQL refuses to run as root. The superuser `agentdesk` is trusted on
// 127.0.0.1, so URLs carry no password.
class PostgresTestServer
{
public:
    struct Options
    {
        // Tests run without fsync (a crash of the machine is not what they test); benchmarks with it.
        bool fsync = false;
    };

    PostgresTestServer();
    ~PostgresTestServer(); // stop()

    bool start(QString *error) { return start(Options{}, error); }
    bool start(const Options &options, QString *error);
    void stop();
    bool isStarted() const { return m_directory != nullptr; } // started (and perhaps paused), not stopped

    // postgresql://agentdesk@127.0.0.1:<port>/<database>
    QString url(const QString &database = QStringLiteral("postgres")) const;
    // Runs SQL as the superuser through psql (e.g. CREATE DATABASE); false and *error on failure.
    bool psql(const QString &sql, QString *error, const QString &database = QStringLiteral("postgres")) const;
    // Stops and starts the server again on the same port (a database that goes away and comes back).
    bool restart(QString *error);
    bool pause(QString *error); // pg_ctl stop: connections fail until resume()
    bool resume(QString *error);

    // Where Debian puts PostgreSQL's server programs (/usr/lib/postgresql/<version>/bin), or "" if the
    // server package is not installed.
    static QString binDirectory();

private:
    bool run(const QString &program, const QStringList &arguments, QString *error) const;
    bool resumeOnPort(int port, QString *error);
    void watchOwner() const;

    std::unique_ptr<QTemporaryDir> m_directory;
    QString m_dataDirectory;
    QString m_bin;
    Options m_options;
    int m_port = 0;
    int m_pausedPort = 0;
};

} // namespace agentdesk::test
