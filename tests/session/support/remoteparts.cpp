#include "remoteparts.h"

#include <QCoreApplication>
#include <QTest>

namespace agentdesk::test {

RemoteParts::RemoteParts(const QUrl &url, bool pings)
    : session(std::make_unique<FakeSession>())
    , http(std::make_unique<RemoteHttp>(url, QByteArray()))
    , connection(std::make_unique<RemoteConnection>(http.get(), url, QByteArray()))
{
    RemotePingFence::Channel channel{[] { return false; }, [](const QString &) {}};
    if (pings)
        channel = {[this] { return connection->hasSocket(); }, [this](const QString &text) { connection->send(text); }};
    fence = std::make_unique<RemotePingFence>(channel, [](QObject *, std::function<void()> call) {
        QMetaObject::invokeMethod(qApp, std::move(call), Qt::QueuedConnection);
    });
    QObject::connect(connection.get(), &RemoteConnection::established, session.get(),
                     [this](const Session::Snapshot &snapshot, const QList<ThreadInfo> &, UpdateMode mode) {
                         session->snapshot = snapshot;
                         session->open();
                         session->setUpdateMode(mode);
                         fence->restart(mode == UpdateMode::Push);
                     });
}

RemoteParts::~RemoteParts()
{
    connection->close();
}

bool RemoteParts::connect()
{
    connection->open();
    return QTest::qWaitFor([this] { return session->isConnected(); }, 15000);
}

} // namespace agentdesk::test
