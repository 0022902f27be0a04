#pragma once

#include <QString>
#include <QStringList>

namespace agentdesk {

// Where the program of an `exec:` handler is and which script it runs. One lookup for the loader
// (a missing program or script is a load error) and for the exec listener (which starts it).
class ExecCommand
{
public:
    struct Program
    {
        enum class Problem {
            None,
            NoProgram,     // argv is empty
            NoDirectory,   // the working directory does not exist
            NotOnPath,     // a bare name that no PATH entry holds
            NotFound,      // a path (with a /) to nothing
            NotExecutable, // a path to a directory or a file without the x bit
        };
        QString path; // absolute, when found
        Problem problem = Problem::None;
        QString lookedFor; // NotFound / NotExecutable: the absolute path tried
        bool found() const { return problem == Problem::None; }
    };

    // argv[0]: a bare name is looked up on PATH, a path is taken relative to `directory`.
    static Program resolveProgram(const QStringList &argv, const QString &directory);

    // The position in argv of the script an interpreter is told to run (`python3 -u handlers/x.py` → 2),
    // or -1: the program is no interpreter agentdesk knows, or runs no file (`python3 -m pkg`, `sh -c …`).
    static qsizetype scriptIndex(const QStringList &argv);

    // The interpreters scriptIndex() knows, for "did you mean" on a misspelt program.
    static const QStringList &interpreters();
};

} // namespace agentdesk
