#include "handlerreader.h"

#include "execcommand.h"
#include "suggestion.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace agentdesk {

using namespace Qt::StringLiterals;
using Value = YamlReader::Value;
using MapView = YamlReader::MapView;

const QStringList &HandlerReader::builtinHandlers()
{
    static const QStringList names{u"shout"_s, u"echo"_s, u"sink"_s, u"calculate"_s, u"format"_s};
    return names;
}

void HandlerReader::read(const Value &value, HandlerSpec *handler)
{
    handler->line = value.line;
    if (value.node.IsScalar())
        readText(value, handler);
    else if (value.node.IsMap())
        readExec(value, handler);
    else
        m_yaml.typeError(value, u"`builtin:<name>` or a map {exec: [program, args…]}"_s);
}

void HandlerReader::readText(const Value &value, HandlerSpec *handler)
{
    static const QRegularExpression pythonPath(u"^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+$"_s);
    const std::optional<QString> written = m_yaml.text(value);
    if (!written)
        return;
    const QString validList = builtinHandlers().join(u", "_s);
    if (written->startsWith(u"builtin:"_s)) {
        const QString name = written->mid(8).trimmed();
        if (!builtinHandlers().contains(name)) {
            m_yaml.error(value.line, value.path,
                         u"unknown built-in handler `%1`%2; valid built-ins: %3"_s.arg(
                             name, Suggestion::didYouMean(name, builtinHandlers()), validList));
            return;
        }
        handler->kind = HandlerSpec::Kind::Builtin;
        handler->builtin = name;
    } else if (written->startsWith(u"exec:"_s) || written->startsWith(u"exec "_s)) {
        m_yaml.error(value.line, value.path,
                     u"write an exec handler as a map with an argument list: `handler: {exec: [program, args…]}` "
                     "(no shell is involved, so each argument is its own list item)"_s);
    } else if (builtinHandlers().contains(*written)) {
        m_yaml.error(value.line, value.path,
                     u"write built-in handlers with their prefix: `builtin:%1`"_s.arg(*written));
    } else if (pythonPath.match(*written).hasMatch()) {
        m_yaml.error(value.line, value.path,
                     u"`%1` is a Python import path. Python handlers cannot run in agentdesk; use `builtin:<name>` "
                     "or `exec: [python3, path/to/handler.py]` (see docs/exec-protocol.md)"_s.arg(*written));
    } else {
        m_yaml.error(value.line, value.path,
                     u"expected `builtin:<name>` (one of %1) or a map {exec: [program, args…]}, found %2"_s.arg(
                         validList, YamlReader::describe(value.node)));
    }
}

void HandlerReader::readExec(const Value &value, HandlerSpec *handler)
{
    const std::optional<MapView> map = m_yaml.mapOf(value, {u"exec"_s, u"cwd"_s});
    if (!map)
        return;
    const qsizetype errorsBefore = m_yaml.errorCount();
    handler->kind = HandlerSpec::Kind::Exec;
    if (const Value *exec = m_yaml.required(*map, u"exec"_s)) {
        if (exec->node.IsScalar()) {
            m_yaml.error(exec->line, exec->path,
                         u"expected a list [program, args…], found %1 (no shell is involved, so each argument is "
                         "its own list item)"_s.arg(YamlReader::describe(exec->node)));
        } else if (const auto argv = m_yaml.textList(*exec)) {
            if (argv->isEmpty())
                m_yaml.error(exec->line, exec->path, u"needs at least the program to run: [program, args…]"_s);
            handler->argv = *argv;
        }
    }
    QString directory = m_configDirectory;
    if (const Value *cwd = map->given(u"cwd"_s)) {
        if (const auto written = m_yaml.text(*cwd)) {
            directory = QDir::isAbsolutePath(*written) || m_configDirectory.isEmpty()
                ? QDir::cleanPath(*written)
                : QDir::cleanPath(m_configDirectory + u'/' + *written);
            if (QDir::isAbsolutePath(directory) && !QFileInfo(directory).isDir())
                m_yaml.error(cwd->line, cwd->path, u"working directory does not exist: %1"_s.arg(directory));
        }
    }
    handler->workingDirectory = directory;
    if (const Value *exec = map->given(u"exec"_s);
        exec && !handler->argv.isEmpty() && m_yaml.errorCount() == errorsBefore)
        checkExecFiles(*exec, *handler);
}

// A relative path needs a directory: text loaded without one skips the check.
void HandlerReader::checkExecFiles(const Value &exec, const HandlerSpec &handler)
{
    if (checkProgram(exec, handler))
        checkScript(exec, handler);
}

// False when the program is missing (then its script is not looked for).
bool HandlerReader::checkProgram(const Value &exec, const HandlerSpec &handler)
{
    const QString &directory = handler.workingDirectory;
    const bool anchored = QDir::isAbsolutePath(directory);
    const QString &program = handler.argv.first();
    if (!anchored && program.contains(u'/'))
        return true;
    const ExecCommand::Program found = ExecCommand::resolveProgram(handler.argv,
                                                                   anchored ? directory : QDir::currentPath());
    const Value first = YamlReader::element(exec, 0);
    switch (found.problem) {
    case ExecCommand::Program::Problem::None:
    case ExecCommand::Program::Problem::NoProgram:
    case ExecCommand::Program::Problem::NoDirectory: // reported for cwd
        return true;
    case ExecCommand::Program::Problem::NotOnPath:
        m_yaml.error(first.line, first.path,
                     u"program `%1` is not on PATH%2; install it, or give its path (relative to the working "
                     "directory, e.g. ./handlers/run.sh)"_s.arg(
                         program, Suggestion::didYouMean(program, ExecCommand::interpreters())));
        return false;
    case ExecCommand::Program::Problem::NotFound:
        m_yaml.error(first.line, first.path, u"program `%1` not found (looked for %2)"_s.arg(program, found.lookedFor));
        return false;
    case ExecCommand::Program::Problem::NotExecutable:
        m_yaml.error(first.line, first.path,
                     u"%1 is not an executable file: make it one (chmod +x), or run it through its interpreter "
                     "(e.g. `exec: [python3, %2]`)"_s.arg(found.lookedFor, program));
        return false;
    }
    return true;
}

void HandlerReader::checkScript(const Value &exec, const HandlerSpec &handler)
{
    const QString &directory = handler.workingDirectory;
    const qsizetype scriptAt = ExecCommand::scriptIndex(handler.argv);
    if (scriptAt < 0)
        return;
    const QString &script = handler.argv.at(scriptAt);
    if (!QDir::isAbsolutePath(directory) && !QDir::isAbsolutePath(script))
        return;
    const QFileInfo file(QDir(directory), script);
    if (file.isFile())
        return;
    const Value at = YamlReader::element(exec, scriptAt);
    m_yaml.error(at.line, at.path,
                 u"script `%1` not found (looked for %2; a relative path is taken from the working directory: "
                 "`cwd`, else the directory of organism.yaml)"_s.arg(script, QDir::cleanPath(file.absoluteFilePath())));
}

} // namespace agentdesk
