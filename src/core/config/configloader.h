#pragma once

#include "configerror.h"
#include "organismconfig.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace agentdesk {

struct ConfigLoadResult
{
    std::optional<OrganismConfig> config; // set only when there are no errors
    QList<ConfigError> errors;
    // Warnings also when loading failed, so a user fixing errors sees every complaint at once.
    // On success they are the same as config->warnings.
    QList<ConfigWarning> warnings;
    bool ok() const { return config.has_value() && errors.isEmpty(); }
};

struct PriceListLoadResult
{
    PriceList list;
    QList<ConfigError> errors;
};

// Reads and validates organism.yaml (spec §9 plus agentdesk's payloads:, handler forms, api:,
// history:). Every problem is collected (not just the first) and names file, line and key.
// docs/organism-yaml.md is the user-facing reference of every key and message.
// This class is the driver: it checks the top level and hands each section to its reader
// (OrganismReader, PayloadsReader, ListenersReader, LlmReader, BudgetsReader, ApiReader, HistoryConfigReader),
// which read through the one YamlReader that collects the diagnostics.
class ConfigLoader
{
public:
    // Reads the file at `path` (made absolute). A relative `handler.cwd` resolves against the file's
    // directory, and an exec handler without cwd runs there.
    static ConfigLoadResult loadFile(const QString &path);
    // Parses text as if read from `fileName`, which names the file in diagnostics. When fileName is an
    // absolute path it also becomes config.filePath and anchors relative working directories, as in
    // loadFile; otherwise filePath stays empty and relative directories are kept as written.
    static ConfigLoadResult loadText(const QByteArray &yaml, const QString &fileName);
    // A price list: `date: YYYY-MM-DD`, optional `source:`, and `prices:` keyed by model prefix with
    // the keys of llm.prices (prompt, completion, cached_prompt, cache_write; USD per million tokens).
    static PriceListLoadResult loadPriceList(const QString &path);
    static PriceListLoadResult parsePriceList(const QByteArray &yaml, const QString &fileName);
};

} // namespace agentdesk
