#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace agentdesk {

// Which Host headers and browser Origins the API answers. The Host check defeats DNS rebinding:
// a page on evil.example that rebinds its name to 127.0.0.1 still sends `Host: evil.example`.
// IP literals and localhost names are always fine (a browser only sends them when the user
// typed them); other names must be listed in api.allowed_hosts. CORS answers only configured
// origins; http://localhost:* and http://127.0.0.1:* are always allowed.
class OriginPolicy
{
public:
    OriginPolicy(const QStringList &allowedHosts, const QStringList &corsOrigins);

    // `hostHeader` as sent ("name", "name:port", "[::1]:8765"); empty = absent (HTTP/1.0).
    bool hostAllowed(const QByteArray &hostHeader) const;
    bool originAllowed(const QByteArray &origin) const;

private:
    bool checkHost(const QByteArray &hostHeader) const;

    QStringList m_hosts;
    mutable QHash<QByteArray, bool> m_hostVerdicts; // a client sends the same Host on every request          // lower case; ".example.com" allows every subdomain; "*" all
    QList<QRegularExpression> m_origins;
};

} // namespace agentdesk
