#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>

namespace agentdesk {

// Who holds the other end of a TCP connection, as far as this machine can tell. For a remote peer it
// is the peer's address. For a loopback peer every local program shares 127.0.0.1, so on Linux the
// client socket is looked up (sock_diag) and its owning process found in /proc: one local program's
// connections are then counted apart from another's. When the process cannot be seen (another user's,
// or no /proc) the owning user stands in; when not even that is known, the address.
struct PeerOwner
{
    QString key;         // what limits count by: "192.0.2.7", "pid:1234", "uid:1000", "127.0.0.1"
    QString description; // for messages: "192.0.2.7", "process 1234 (python3)", "user 1000"
};

// Finds PeerOwners. For a loopback peer that costs a netlink round trip and a walk over the user's
// processes' open files (milliseconds): meant for long-lived connections such as WebSockets, not
// per request. Processes that owned a connection before are tried first.
class PeerOwnerLookup
{
public:
    PeerOwner of(const QHostAddress &peer, quint16 peerPort, const QHostAddress &local, quint16 localPort);

private:
    QList<QByteArray> m_recentOwners; // pids, most recent first
};

} // namespace agentdesk
