#pragma once

#include "fakesession.h"
#include "remoteconnection.h"
#include "remotehttp.h"
#include "remotepingfence.h"

#include <QUrl>

#include <memory>

namespace agentdesk::test {

// The parts every RemoteSession has, for testing one more of them on its own: a FakeSession whose caches
// (and update mode) become the connection's snapshot when it is established, the HTTP client, the
// connection, and a ping fence that delivers answers from the event loop. Without `pings` the fence
// never holds an answer (no WebSocket to ping through); with them it pings over the connection's, and
// the test passes the server's answers to onPong().
class RemoteParts
{
public:
    explicit RemoteParts(const QUrl &url, bool pings = false);
    ~RemoteParts();

    // Opens the connection; true once the session holds the snapshot.
    bool connect();

    std::unique_ptr<FakeSession> session;
    std::unique_ptr<RemoteHttp> http;
    std::unique_ptr<RemoteConnection> connection;
    std::unique_ptr<RemotePingFence> fence;
};

} // namespace agentdesk::test
