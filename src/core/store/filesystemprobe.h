#pragma once

#include <QString>

namespace agentdesk {

// What the operating system says about a directory the history lives in, so that an error names the
// real cause (a full disk, a read-only file system, missing permissions) instead of its symptom.
class FileSystemProbe
{
public:
    // "No space left on device (ENOSPC)"; empty for 0.
    static QString errorText(int errorNumber);
    // Empty when a small file can be created, written, synced and removed in `directory`; otherwise
    // the operating system's reason, e.g. "No space left on device (ENOSPC)".
    static QString writeProblem(const QString &directory);
    // Whether a process with this id exists on this machine (one we may not signal counts too).
    static bool processAlive(qint64 pid);
};

} // namespace agentdesk
