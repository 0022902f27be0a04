#include "backendtestutil.h"

#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;

namespace agentdesk {

std::optional<BackendReply> sendAndWait(LlmBackend &backend, const LlmRequest &request)
{
    std::optional<BackendReply> received;
    backend.send(request, [&received](const BackendReply &reply) { received = reply; });
    if (!QTest::qWaitFor([&received] { return received.has_value(); }, 20000))
        return std::nullopt;
    return received;
}

LlmBackendConfig backendConfig(const QString &provider, const QString &baseUrl, const QString &name)
{
    LlmBackendConfig config;
    config.provider = provider;
    config.name = name.isEmpty() ? provider : name;
    config.baseUrl = baseUrl;
    config.timeoutSeconds = 20;
    return config;
}

LlmRequest chatRequest(const QString &model, const QString &system, const QString &user)
{
    LlmRequest request;
    request.model = model;
    if (!system.isEmpty())
        request.messages.append(LlmMessage{u"system"_s, system});
    request.messages.append(LlmMessage{u"user"_s, user});
    return request;
}

quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

} // namespace agentdesk
