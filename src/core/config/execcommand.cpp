#include "execcommand.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// python, python3, python3.11, pypy3 …: the interpreter family by its name.
QString familyOf(const QString &program)
{
    static const QRegularExpression version(u"[0-9.]+$"_s);
    QString name = QFileInfo(program).fileName();
    name.remove(version);
    if (name == u"pypy"_s)
        return u"python"_s;
    if (name == u"nodejs"_s)
        return u"node"_s;
    if (name == u"dash"_s || name == u"zsh"_s || name == u"ksh"_s)
        return u"sh"_s;
    return name;
}

struct Interpreter
{
    QStringList runsNoFile; // options after which the code is not a file: -m module, -c code
    QStringList takesValue; // options whose value is the next argument
};

const QHash<QString, Interpreter> &knownInterpreters()
{
    static const QHash<QString, Interpreter> table{
        {u"python"_s, {{u"-m"_s, u"-c"_s}, {u"-W"_s, u"-X"_s}}},
        {u"node"_s,
         {{u"-e"_s, u"-p"_s, u"--eval"_s, u"--print"_s}, {u"-r"_s, u"--require"_s, u"--import"_s, u"--loader"_s}}},
        {u"ruby"_s, {{u"-e"_s}, {u"-I"_s, u"-r"_s}}},
        {u"perl"_s, {{u"-e"_s, u"-E"_s}, {u"-I"_s, u"-M"_s}}},
        {u"php"_s, {{u"-r"_s}, {u"-d"_s, u"-c"_s}}},
        {u"bash"_s, {{u"-c"_s}, {u"-o"_s, u"-O"_s}}},
        {u"sh"_s, {{u"-c"_s}, {u"-o"_s}}},
        {u"lua"_s, {{u"-e"_s}, {u"-l"_s}}},
        {u"Rscript"_s, {{u"-e"_s}, {}}},
        {u"tclsh"_s, {{}, {}}},
    };
    return table;
}

} // namespace

const QStringList &ExecCommand::interpreters()
{
    static const QStringList names{u"python3"_s, u"python"_s, u"pypy3"_s, u"node"_s, u"ruby"_s,   u"perl"_s,
                                   u"php"_s,     u"bash"_s,   u"sh"_s,    u"lua"_s,  u"Rscript"_s};
    return names;
}

ExecCommand::Program ExecCommand::resolveProgram(const QStringList &argv, const QString &directory)
{
    Program program;
    if (argv.isEmpty() || argv.first().isEmpty()) {
        program.problem = Program::Problem::NoProgram;
        return program;
    }
    if (!QFileInfo(directory).isDir()) {
        program.problem = Program::Problem::NoDirectory;
        return program;
    }
    const QString &name = argv.first();
    if (!name.contains(u'/')) {
        program.path = QStandardPaths::findExecutable(name);
        if (program.path.isEmpty())
            program.problem = Program::Problem::NotOnPath;
        return program;
    }
    const QFileInfo file(QDir(directory), name);
    program.lookedFor = QDir::cleanPath(file.absoluteFilePath());
    if (!file.exists())
        program.problem = Program::Problem::NotFound;
    else if (!file.isFile() || !file.isExecutable())
        program.problem = Program::Problem::NotExecutable;
    else
        program.path = program.lookedFor;
    return program;
}

qsizetype ExecCommand::scriptIndex(const QStringList &argv)
{
    if (argv.isEmpty())
        return -1;
    const auto interpreter = knownInterpreters().constFind(familyOf(argv.first()));
    if (interpreter == knownInterpreters().cend())
        return -1;
    for (qsizetype i = 1; i < argv.size(); ++i) {
        const QString &argument = argv.at(i);
        if (argument == u"--"_s)
            return i + 1 < argv.size() ? i + 1 : -1;
        if (!argument.startsWith(u'-') || argument == u"-"_s)
            return argument == u"-"_s ? -1 : i; // `-` reads the program from stdin
        // `-m pkg`, and a short option with its value attached (`-mpkg`, `-c'print(1)'`).
        const bool runsNoFile = std::any_of(
            interpreter->runsNoFile.cbegin(), interpreter->runsNoFile.cend(), [&argument](const QString &option) {
                return argument == option || (option.size() == 2 && argument.startsWith(option));
            });
        if (runsNoFile)
            return -1;
        if (interpreter->takesValue.contains(argument))
            ++i;
    }
    return -1;
}

} // namespace agentdesk
