#pragma once

#include "yamlreader.h"

namespace agentdesk {

// A listener's `handler:` in its two forms, `builtin:<name>` and `{exec: [program, args…], cwd: dir}`.
// An exec program or script that is not there is a load error (a reload is refused), not a handler
// that fails every message at run time.
class HandlerReader
{
public:
    // `configDirectory` anchors a relative cwd and is an exec handler's default working directory; empty
    // for a text loaded without a file, whose relative paths stay as written and are not checked.
    HandlerReader(YamlReader &yaml, QString configDirectory)
        : m_yaml(yaml)
        , m_configDirectory(std::move(configDirectory))
    { }

    void read(const YamlReader::Value &value, HandlerSpec *handler);

    static const QStringList &builtinHandlers();

private:
    void readText(const YamlReader::Value &value, HandlerSpec *handler);
    void readExec(const YamlReader::Value &value, HandlerSpec *handler);
    void checkExecFiles(const YamlReader::Value &exec, const HandlerSpec &handler);
    bool checkProgram(const YamlReader::Value &exec, const HandlerSpec &handler);
    void checkScript(const YamlReader::Value &exec, const HandlerSpec &handler);

    YamlReader &m_yaml;
    QString m_configDirectory;
};

} // namespace agentdesk
