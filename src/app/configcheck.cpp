#include "configcheck.h"

#include "llmrouter.h"
#include "schema/schemaregistry.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// True when every backend can be used.
bool checkBackends(const OrganismConfig &config, ConfigCheck::Report *report)
{
    bool usable = true;
    const LlmRouter router(LlmConfig{});
    for (qsizetype i = 0; i < config.llm.backends.size(); ++i) {
        LlmConfig alone = config.llm;
        alone.backends = {config.llm.backends.at(i)};
        QString problem;
        if (!router.check(alone, {}, nullptr, &problem)) {
            problem.remove(u"LLM backends cannot be used: "_s);
            report->errors.append(
                {config.filePath, config.llm.backends.at(i).line, u"llm.backends[%1]"_s.arg(i), problem});
            usable = false;
        }
    }
    return usable;
}

// `backendsUsable`: false when a backend cannot be used; which models it would serve is then unknown.
void checkAgents(const OrganismConfig &config, bool backendsUsable, ConfigCheck::Report *report)
{
    const LlmRouter router(LlmConfig{});
    for (qsizetype i = 0; i < config.listeners.size(); ++i) {
        const ListenerConfig &listener = config.listeners.at(i);
        if (!listener.agent)
            continue;
        const QString key = u"listeners[%1].model"_s.arg(i);
        if (listener.model.isEmpty()) {
            report->errors.append({config.filePath, listener.line, key,
                                   u"an LLM agent needs `model:` (the model to ask the router for, e.g. one listed "
                                   "under a backend's `models:`)"_s});
            continue;
        }
        QStringList unserved;
        QString problem;
        router.check(config.llm, {listener.model}, &unserved, &problem); // backend problems: checkBackends
        if (!unserved.isEmpty() && backendsUsable) {
            QStringList listed;
            for (const LlmBackendConfig &backend : config.llm.backends)
                listed += backend.models;
            report->errors.append({config.filePath, listener.line, key,
                                   config.llm.backends.isEmpty()
                                       ? u"no LLM backend serves model `%1`: configure one under `llm: backends:` "
                                         "(offline: `{provider: demo, models: [%1]}`, or `provider: scripted` for "
                                         "tests)"_s.arg(listener.model)
                                       : u"no LLM backend serves model `%1` (models listed: %2); add it to a "
                                         "backend's `models:`"_s.arg(
                                             listener.model, listed.isEmpty() ? u"none"_s : listed.join(u", "_s))});
        }
    }
}

} // namespace

ConfigCheck::Report ConfigCheck::run(const QString &path)
{
    ConfigLoadResult loaded = ConfigLoader::loadFile(path);
    Report report;
    report.errors = loaded.errors;
    report.warnings = loaded.warnings;
    if (!loaded.ok())
        return report;
    const OrganismConfig &config = *loaded.config;
    checkAgents(config, checkBackends(config, &report), &report);
    QString schemaError;
    if (!SchemaRegistry::build(config.payloads, &schemaError))
        report.errors.append({config.filePath, 0, u"payloads"_s, schemaError});
    const auto byLine = [](const auto &a, const auto &b) { return a.line < b.line; };
    std::stable_sort(report.errors.begin(), report.errors.end(), byLine);
    if (report.errors.isEmpty())
        report.config = std::move(loaded.config);
    return report;
}

QString ConfigCheck::line(const ConfigWarning &diagnostic, bool error)
{
    QString text = diagnostic.file;
    if (diagnostic.line > 0)
        text += u':' + QString::number(diagnostic.line);
    text += error ? u": error: "_s : u": warning: "_s;
    if (!diagnostic.key.isEmpty())
        text += diagnostic.key + u": "_s;
    return text + diagnostic.message;
}

void ConfigCheck::print(const Report &report, FILE *stream)
{
    QList<std::pair<ConfigWarning, bool>> all;
    for (const ConfigError &error : report.errors)
        all.append({ConfigWarning{error.file, error.line, error.key, error.message}, true});
    for (const ConfigWarning &warning : report.warnings)
        all.append({warning, false});
    // File order; on one line the error first (it is what stops the start).
    std::stable_sort(all.begin(), all.end(), [](const auto &a, const auto &b) {
        return a.first.line != b.first.line ? a.first.line < b.first.line : a.second > b.second;
    });
    for (const auto &[diagnostic, error] : std::as_const(all))
        std::fprintf(stream, "%s\n", qPrintable(line(diagnostic, error)));
    std::fflush(stream);
}

} // namespace agentdesk
