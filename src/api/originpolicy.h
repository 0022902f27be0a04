#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <optional>

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

    // What a state-changing request (POST, PUT, DELETE) carries that a browser would send for a page
    // on another site; headers not sent are null.
    struct StateChange
    {
        QByteArray origin;
        QByteArray host;
        QByteArray secFetchSite;
        QByteArray contentType;
        bool hasBody = false;
    };
    // Why the request must be refused as cross-site (the 403 detail), or nullopt (decision 15): an
    // Origin that is neither ours nor allowed; `Sec-Fetch-Site: cross-site` without an allowed Origin;
    // a Content-Type other than JSON (a form or text/plain, which a page may send without a
    // preflight), or none with a body. Clients without a browser send none of these and pass.
    std::optional<QString> crossSiteRefusal(const StateChange &request) const;

private:
    bool checkHost(const QByteArray &hostHeader) const;

    QStringList m_hosts;                            // lower case; ".example.com" allows every subdomain; "*" all
    mutable QHash<QByteArray, bool> m_hostVerdicts; // a client sends the same Host on every request
    QList<QRegularExpression> m_origins;
};

} // namespace agentdesk
