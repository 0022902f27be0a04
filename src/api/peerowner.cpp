#include "peerowner.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>

#include <optional>

#ifdef Q_OS_LINUX
#include <arpa/inet.h>
#include <dirent.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#endif

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QHostAddress unmapped(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

#ifdef Q_OS_LINUX

struct SocketOwner
{
    uid_t uid = 0;
    quint64 inode = 0;
};

void copyAddress(const QHostAddress &address, __be32 *out)
{
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        out[0] = htonl(address.toIPv4Address());
    } else {
        const Q_IPV6ADDR v6 = address.toIPv6Address();
        std::memcpy(out, v6.c, sizeof v6.c);
    }
}

// The client's end of the connection, as the kernel's socket table knows it: sock_diag looks up
// the TCP socket whose local end is (peer, peerPort) and whose remote end is (local, localPort).
std::optional<SocketOwner> clientSocket(const QHostAddress &peer, quint16 peerPort, const QHostAddress &local,
                                        quint16 localPort)
{
    if (peer.protocol() != local.protocol())
        return std::nullopt;
    const int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0)
        return std::nullopt;
    const timeval timeout{0, 200 * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

    struct
    {
        nlmsghdr header;
        inet_diag_req_v2 request;
    } message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST;
    message.request.sdiag_family = peer.protocol() == QAbstractSocket::IPv4Protocol ? AF_INET : AF_INET6;
    message.request.sdiag_protocol = IPPROTO_TCP;
    message.request.idiag_states = ~0u;
    message.request.id.idiag_sport = htons(peerPort);
    message.request.id.idiag_dport = htons(localPort);
    copyAddress(peer, message.request.id.idiag_src);
    copyAddress(local, message.request.id.idiag_dst);
    message.request.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
    message.request.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;

    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    std::optional<SocketOwner> result;
    if (::sendto(fd, &message, sizeof message, 0, reinterpret_cast<sockaddr *>(&kernel), sizeof kernel) >= 0) {
        alignas(nlmsghdr) char buffer[8192];
        const ssize_t length = ::recv(fd, buffer, sizeof buffer, 0);
        const auto *reply = reinterpret_cast<const nlmsghdr *>(buffer);
        if (length > 0 && NLMSG_OK(reply, static_cast<unsigned>(length)) && reply->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
            const auto *socketInfo = static_cast<const inet_diag_msg *>(NLMSG_DATA(reply));
            result = SocketOwner{socketInfo->idiag_uid, socketInfo->idiag_inode};
        }
    }
    ::close(fd);
    return result;
}

bool processHoldsSocket(const QByteArray &pid, const QByteArray &link)
{
    const QByteArray fdDir = "/proc/" + pid + "/fd";
    DIR *dir = ::opendir(fdDir.constData());
    if (!dir)
        return false;
    bool found = false;
    char target[64];
    while (dirent *entry = ::readdir(dir)) {
        if (entry->d_name[0] == '.')
            continue;
        const QByteArray path = fdDir + '/' + entry->d_name;
        const ssize_t size = ::readlink(path.constData(), target, sizeof target);
        if (size == link.size() && std::memcmp(target, link.constData(), size_t(size)) == 0) {
            found = true;
            break;
        }
    }
    ::closedir(dir);
    return found;
}

// The process among `uid`'s that holds the socket `inode` open. Processes that owned a connection
// before are tried first: a program that opened one usually opens the next.
std::optional<QByteArray> processOf(uid_t uid, quint64 inode, QList<QByteArray> &recentOwners)
{
    const QByteArray link = "socket:[" + QByteArray::number(inode) + ']';
    const auto remember = [&recentOwners](QByteArray pid) { // a copy: pid may point into the list
        recentOwners.removeAll(pid);
        recentOwners.prepend(pid);
        if (recentOwners.size() > 16)
            recentOwners.removeLast();
        return pid;
    };
    for (const QByteArray &pid : std::as_const(recentOwners)) {
        if (processHoldsSocket(pid, link))
            return remember(pid);
    }
    DIR *proc = ::opendir("/proc");
    if (!proc)
        return std::nullopt;
    std::optional<QByteArray> owner;
    while (dirent *entry = ::readdir(proc)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        const QByteArray pid(entry->d_name);
        struct stat info
        { };
        if (recentOwners.contains(pid) || ::stat(QByteArray("/proc/" + pid).constData(), &info) != 0
            || info.st_uid != uid)
            continue;
        if (processHoldsSocket(pid, link)) {
            owner = remember(pid);
            break;
        }
    }
    ::closedir(proc);
    return owner;
}

#endif

} // namespace

PeerOwner PeerOwnerLookup::of(const QHostAddress &peer, quint16 peerPort, const QHostAddress &local, quint16 localPort)
{
    const QHostAddress address = unmapped(peer);
    PeerOwner byAddress{address.toString(), address.toString()};
    if (!address.isLoopback())
        return byAddress;
#ifdef Q_OS_LINUX
    const auto socket = clientSocket(address, peerPort, unmapped(local), localPort);
    if (!socket)
        return byAddress;
    if (const auto pid = processOf(socket->uid, socket->inode, m_recentOwners)) {
        QFile comm(u"/proc/%1/comm"_s.arg(QString::fromLatin1(*pid)));
        const QString name = comm.open(QIODevice::ReadOnly) ? QString::fromUtf8(comm.readAll().trimmed()) : QString();
        const QString process = QString::fromLatin1(*pid);
        return {u"pid:"_s + process,
                name.isEmpty() ? u"process %1"_s.arg(process) : u"process %1 (%2)"_s.arg(process, name)};
    }
    return {u"uid:%1"_s.arg(socket->uid), u"user %1"_s.arg(socket->uid)};
#else
    Q_UNUSED(peerPort);
    Q_UNUSED(local);
    Q_UNUSED(localPort);
    return byAddress;
#endif
}

} // namespace agentdesk
