#pragma once

#include "route.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace agentdesk {

// The API key check of spec §10.1 plus agentdesk's protect_reads: Bearer key on Write routes
// whenever a key is configured, on Read routes and WebSocket connects too when protectReads is set.
class ApiAuth
{
public:
    ApiAuth() = default;
    ApiAuth(const QByteArray &key, bool protectReads);

    bool enabled() const { return !m_key.isEmpty(); }
    bool protectReads() const { return enabled() && m_protectReads; }
    bool protects(Access access) const;

    // nullopt = allowed; otherwise the 401/403 response to send.
    std::optional<ApiResponse> check(Access access, const QByteArray &authorizationHeader) const;
    // For WebSocket: the token from a `token` field or query parameter.
    bool acceptsToken(const QString &token) const;

private:
    bool keyMatches(const QByteArray &candidate) const;

    QByteArray m_key;
    bool m_protectReads = false;
};

} // namespace agentdesk
