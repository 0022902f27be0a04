#include "postgrestestserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>

#include <unistd.h>

namespace agentdesk::test {

using namespace Qt::StringLiterals;

namespace {

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

PostgresTestServer::PostgresTestServer() = default;

PostgresTestServer::~PostgresTestServer()
{
    stop();
}

QString PostgresTestServer::binDirectory()
{
    const QDir versions(u"/usr/lib/postgresql"_s);
    QStringList found = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    std::sort(found.begin(), found.end(), [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &version : std::as_const(found)) {
        const QString bin = versions.filePath(version + u"/bin"_s);
        if (QFile::exists(bin + u"/initdb"_s) && QFile::exists(bin + u"/pg_ctl"_s))
            return bin;
    }
    return {};
}

bool PostgresTestServer::run(const QString &program, const QStringList &arguments, QString *error) const
{
    QProcess process;
    // PostgreSQL refuses to run as root: the server and its tools run as the `postgres` user then.
    if (runningAsRoot())
        process.start(u"runuser"_s, QStringList{u"-u"_s, u"postgres"_s, u"--"_s, program} + arguments);
    else
        process.start(program, arguments);
    if (!process.waitForFinished(120000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = u"%1 failed: %2 %3"_s.arg(QFileInfo(program).fileName(),
                                           QString::fromLocal8Bit(process.readAllStandardError()).trimmed(),
                                           process.errorString());
        return false;
    }
    return true;
}

bool PostgresTestServer::start(const Options &options, QString *error)
{
    m_bin = binDirectory();
    if (m_bin.isEmpty()) {
        *error = u"PostgreSQL's server is not installed (Debian package postgresql; scripts/dev.sh installs it)"_s;
        return false;
    }
    m_options = options;
    m_directory = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/agentdesk-pg-XXXXXX"_s);
    if (!m_directory->isValid()) {
        *error = u"cannot create a temporary directory: "_s + m_directory->errorString();
        return false;
    }
    m_dataDirectory = m_directory->filePath(u"data"_s);
    QDir().mkpath(m_dataDirectory);
    if (runningAsRoot()) {
        QFile::setPermissions(m_directory->path(),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                  | QFileDevice::ReadOther | QFileDevice::ExeOther);
        if (QProcess::execute(u"chown"_s, {u"-R"_s, u"postgres:postgres"_s, m_dataDirectory}) != 0) {
            *error = u"cannot give the data directory to the postgres user"_s;
            return false;
        }
    }
    if (!run(m_bin + u"/initdb"_s,
             {u"-D"_s, m_dataDirectory, u"-U"_s, u"agentdesk"_s, u"--auth=trust"_s, u"-E"_s, u"UTF8"_s,
              u"--locale=C.UTF-8"_s, u"--no-sync"_s},
             error))
        return false;
    // A port probed free can be taken before the server binds it (by another test's connection): then
    // the server does not start, and another port is tried.
    for (int attempt = 1;; ++attempt) {
        if (resumeOnPort(freePort(), error) || attempt == 3)
            return m_port != 0;
    }
}

bool PostgresTestServer::resumeOnPort(int port, QString *error)
{
    if (port == 0) {
        *error = u"no free port on 127.0.0.1"_s;
        return false;
    }
    const QString settings = u"-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=%3 -c max_connections=200"_s.arg(port)
                                 .arg(m_dataDirectory)
                                 .arg(m_options.fsync ? u"on"_s : u"off"_s);
    if (!run(m_bin + u"/pg_ctl"_s,
             {u"-D"_s, m_dataDirectory, u"-l"_s, m_dataDirectory + u"/server.log"_s, u"-w"_s, u"-t"_s, u"60"_s, u"-o"_s,
              settings, u"start"_s},
             error))
        return false;
    m_port = port;
    watchOwner();
    return true;
}

// A test killed by a time-out (SIGKILL) cannot stop its server: a detached watchdog stops it and
// removes its directory once this process is gone, so that no server outlives its test.
void PostgresTestServer::watchOwner() const
{
    const QString stop = runningAsRoot() ? u"runuser -u postgres -- "_s : QString();
    const QString script = u"while kill -0 %1 2>/dev/null; do sleep 1; done; %2'%3/pg_ctl' -D '%4' -m immediate stop"
                           " >/dev/null 2>&1; rm -rf '%5'"_s.arg(QCoreApplication::applicationPid())
                               .arg(stop, m_bin, m_dataDirectory, m_directory->path());
    QProcess::startDetached(u"sh"_s, {u"-c"_s, script});
}

bool PostgresTestServer::pause(QString *error)
{
    if (!run(m_bin + u"/pg_ctl"_s, {u"-D"_s, m_dataDirectory, u"-m"_s, u"fast"_s, u"-w"_s, u"stop"_s}, error))
        return false;
    m_pausedPort = m_port;
    m_port = 0;
    return true;
}

bool PostgresTestServer::resume(QString *error)
{
    return resumeOnPort(m_pausedPort, error);
}

bool PostgresTestServer::restart(QString *error)
{
    return pause(error) && resume(error);
}

void PostgresTestServer::stop()
{
    if (m_port != 0 || m_pausedPort != 0) {
        QString ignored;
        run(m_bin + u"/pg_ctl"_s, {u"-D"_s, m_dataDirectory, u"-m"_s, u"immediate"_s, u"-w"_s, u"stop"_s}, &ignored);
        m_port = 0;
        m_pausedPort = 0;
    }
    m_directory.reset();
}

QString PostgresTestServer::url(const QString &database) const
{
    return u"postgresql://agentdesk@127.0.0.1:%1/%2"_s.arg(m_port).arg(database);
}

bool PostgresTestServer::psql(const QString &sql, QString *error, const QString &database) const
{
    QProcess process;
    process.start(u"psql"_s, {u"-X"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-q"_s, u"-d"_s, url(database), u"-c"_s, sql});
    if (!process.waitForFinished(60000) || process.exitCode() != 0) {
        *error = u"psql: "_s + QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
        return false;
    }
    return true;
}

} // namespace agentdesk::test
