#include "filesystemprobe.h"

#include <QByteArray>
#include <QDir>
#include <QFile>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kProbeBytes = 4096; // one page: what a file system needs free to take a commit

} // namespace

QString FileSystemProbe::errorText(int errorNumber)
{
    if (errorNumber == 0)
        return {};
    const char *name = strerrorname_np(errorNumber);
    const QString text = QString::fromLocal8Bit(std::strerror(errorNumber));
    return name ? u"%1 (%2)"_s.arg(text, QString::fromLatin1(name)) : text;
}

QString FileSystemProbe::writeProblem(const QString &directory)
{
    const QByteArray path = QFile::encodeName(
        QDir(directory).absoluteFilePath(u".agentdesk-probe-%1"_s.arg(::getpid())));
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return errorText(errno);
    const QByteArray page(kProbeBytes, '\0');
    int failure = 0;
    if (::write(fd, page.constData(), size_t(page.size())) != page.size())
        failure = errno == 0 ? ENOSPC : errno; // a short write means the device is full
    else if (::fsync(fd) != 0)
        failure = errno;
    ::close(fd);
    ::unlink(path.constData());
    return errorText(failure);
}

bool FileSystemProbe::processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

} // namespace agentdesk
