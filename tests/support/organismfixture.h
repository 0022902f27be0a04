#pragma once

#include "organism.h"

#include <QByteArray>
#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace agentdesk {
class LlmClient;
}

namespace agentdesk::test {

// The one way a test runs a real Organism: from organism.yaml text, as the application does. The YAML
// is written to <directory>/organism.yaml and loaded from that file (relative handler paths resolve, a
// reload reads it), the history lives in <directory>/data on the test process's history engine
// (testhistory.h: SQLite, or the private PostgreSQL server of a *_postgresql run), and the organism is
// started. Two layers add a job of their own on top: TestEngine (tests/session/support) runs the
// organism on an engine thread as the application does, ApiFixture (tests/api/support) puts a real
// ApiServer in front of it.
class OrganismFixture
{
public:
    // Works in `directory` (created when missing; it outlives the fixture, so that a restart can start
    // there again), or, when that is empty, in a temporary directory of its own.
    explicit OrganismFixture(const QString &directory = {});
    ~OrganismFixture();
    Q_DISABLE_COPY_MOVE(OrganismFixture)

    // The LLM the organism's agents call (ScriptedLlm, usually). Not owned: it must outlive the
    // organism. Set before start(); without one, an organism with agents does not load.
    void setLlmClient(LlmClient *llm) { m_llm = llm; }

    // Writes `yaml` as organism.yaml (an empty `yaml` keeps the file already there, as a restart
    // does), loads it and starts the organism, after destroying one started before. False, with *error
    // saying why, when the file cannot be written, the config does not load or the organism does not
    // start.
    bool start(const QByteArray &yaml, QString *error = nullptr);
    // Replaces organism.yaml (what a reload reads); false when it cannot be written.
    bool writeConfig(const QByteArray &yaml) const;
    // Hands the organism over to the caller (the fixture has none afterwards).
    std::unique_ptr<Organism> release() { return std::move(m_organism); }
    // Destroys the organism; the directory, its organism.yaml and its history stay.
    void destroyOrganism() { m_organism.reset(); }

    Organism *organism() const { return m_organism.get(); }
    QString directory() const { return m_directory; }

private:
    std::optional<QTemporaryDir> m_temporary;
    QString m_directory;
    LlmClient *m_llm = nullptr;
    std::unique_ptr<Organism> m_organism;
};

// For a test that owns its organism (a restart destroys one and starts the next in the same
// directory): OrganismFixture(directory).start(yaml) with the organism handed over, or null with a
// warning saying why.
std::unique_ptr<Organism> startOrganismFromYaml(const QByteArray &yaml, const QString &directory,
                                                LlmClient *llm = nullptr);

// Threads of the organism with this status, from its history (and memory).
qint64 countThreads(Organism &organism, ThreadStatus status);
// Organism::retryThreadAcknowledged, waited for (at most 30 s; HistoryUnavailable with an empty
// message if it never answers).
RetryResult retryThread(Organism &organism, const QString &threadId);

} // namespace agentdesk::test
