#include "organismfixture.h"

#include "testhistory.h"

#include "config/configloader.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDebug>
#include <QDir>
#include <QFile>

using namespace Qt::StringLiterals;

namespace agentdesk::test {

OrganismFixture::OrganismFixture(const QString &directory)
{
    if (directory.isEmpty())
        m_directory = m_temporary.emplace().path(); // empty when no temporary directory could be made
    else
        m_directory = directory;
}

OrganismFixture::~OrganismFixture() = default;

bool OrganismFixture::writeConfig(const QByteArray &yaml) const
{
    QFile file(QDir(m_directory).filePath(u"organism.yaml"_s));
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(yaml) == yaml.size();
}

bool OrganismFixture::start(const QByteArray &yaml, QString *error)
{
    QString ignored;
    QString &why = error ? *error : ignored;
    m_organism.reset();
    const QString path = QDir(m_directory).filePath(u"organism.yaml"_s);
    if (m_directory.isEmpty() || !QDir().mkpath(m_directory)) {
        why = u"no directory for the organism"_s;
        return false;
    }
    if (!yaml.isEmpty() && !writeConfig(yaml)) {
        why = u"cannot write "_s + path;
        return false;
    }
    const ConfigLoadResult loaded = ConfigLoader::loadFile(path);
    if (!loaded.ok()) {
        why = loaded.errors.isEmpty() ? u"the configuration does not load"_s : loaded.errors.first().toString();
        return false;
    }
    OrganismConfig config = *loaded.config;
    useTestHistory(&config.history, m_directory); // SQLite, or the test process's PostgreSQL server
    auto organism = std::make_unique<Organism>();
    if (m_llm)
        organism->setLlmClient(m_llm);
    const Result<> started = organism->load(config, QDir(m_directory).filePath(u"data"_s)).and_then([&organism] {
        return organism->start();
    });
    if (!started) {
        why = started.error().message;
        return false;
    }
    m_organism = std::move(organism);
    return true;
}

std::unique_ptr<Organism> startOrganismFromYaml(const QByteArray &yaml, const QString &directory, LlmClient *llm)
{
    OrganismFixture fixture(directory);
    fixture.setLlmClient(llm);
    QString error;
    if (!fixture.start(yaml, &error)) {
        qWarning().noquote() << error;
        return nullptr;
    }
    return fixture.release();
}

qint64 countThreads(Organism &organism, ThreadStatus status)
{
    ThreadQuery query;
    query.status = status;
    query.limit = 0;
    return organism.threads(query).total;
}

RetryResult retryThread(Organism &organism, const QString &threadId)
{
    std::optional<RetryResult> answer;
    QObject context;
    organism.retryThreadAcknowledged(threadId, &context, [&answer](const RetryResult &result) { answer = result; });
    QDeadlineTimer deadline(30000);
    while (!answer && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!answer) {
        return retryRefused(RetryError::HistoryUnavailable, {});
    }
    return *answer;
}

} // namespace agentdesk::test
