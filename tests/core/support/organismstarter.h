#pragma once

#include "organism.h"

#include <QByteArray>
#include <QString>

#include <memory>

// Loads and starts an Organism from `yaml` with its history in `directory`/data. The YAML is written
// to `directory`/organism.yaml unless that file exists already (a restart keeps the first config).
// Null, with a warning saying why, when the file cannot be written or the config does not load.
std::unique_ptr<agentdesk::Organism> startOrganismFromYaml(const QByteArray &yaml, const QString &directory);

// greeter (builtin:format) → shouter (builtin:shout) → sink: the built-in hello-world chain, under the
// organism name `name`, with `extra` top-level lines (limits, resume_on_start …).
QByteArray greetingChainYaml(const QByteArray &name, const QByteArray &extra = {});
// Threads of the organism with this status, from its history (and memory).
qint64 countThreads(agentdesk::Organism &organism, agentdesk::ThreadStatus status);
// Organism::retryThreadAcknowledged, waited for (at most 30 s; a refusal with an empty message if it
// never answers).
agentdesk::RetryResult retryThread(agentdesk::Organism &organism, const QString &threadId);
