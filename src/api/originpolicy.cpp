#include "originpolicy.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QRegularExpression originPattern(const QString &pattern)
{
    // "http://localhost:*" allows any port (or none); a '*' elsewhere spans one DNS label run.
    QString regex = QRegularExpression::escape(pattern.trimmed().toLower());
    regex.replace(u"\\:\\*"_s, u"(?::[0-9]{1,5})?"_s);
    regex.replace(u"\\*"_s, u"[a-z0-9.-]*"_s);
    return QRegularExpression(u"^"_s + regex + u"$"_s);
}

QString hostName(const QByteArray &hostHeader)
{
    const QString host = QString::fromLatin1(hostHeader.trimmed()).toLower();
    if (host.startsWith(u'[')) {
        const qsizetype end = host.indexOf(u']');
        return end < 0 ? QString() : host.mid(1, end - 1);
    }
    const qsizetype colon = host.lastIndexOf(u':');
    if (colon >= 0 && host.indexOf(u':') == colon)
        return host.left(colon);
    return host;
}

// application/json, or any application/*+json, with or without parameters (FastAPI's test).
bool isJsonMediaType(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArray type = (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
    return type == "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

} // namespace

OriginPolicy::OriginPolicy(const QStringList &allowedHosts, const QStringList &corsOrigins)
{
    for (const QString &host : allowedHosts)
        m_hosts.append(host.trimmed().toLower());
    QStringList origins{u"http://localhost:*"_s, u"http://127.0.0.1:*"_s};
    origins += corsOrigins;
    for (const QString &origin : std::as_const(origins)) {
        if (origin.trimmed() == u"*")
            m_origins.append(QRegularExpression(u"^.*$"_s));
        else
            m_origins.append(originPattern(origin));
    }
}

bool OriginPolicy::hostAllowed(const QByteArray &hostHeader) const
{
    const auto known = m_hostVerdicts.constFind(hostHeader);
    if (known != m_hostVerdicts.cend())
        return *known;
    const bool allowed = checkHost(hostHeader);
    if (m_hostVerdicts.size() >= 64) // bounded: Host is client-chosen
        m_hostVerdicts.clear();
    m_hostVerdicts.insert(hostHeader, allowed);
    return allowed;
}

bool OriginPolicy::checkHost(const QByteArray &hostHeader) const
{
    if (hostHeader.trimmed().isEmpty())
        return true;
    const QString name = hostName(hostHeader);
    if (name.isEmpty())
        return false;
    if (!QHostAddress(name).isNull())
        return true;
    if (name == u"localhost" || name.endsWith(u".localhost"))
        return true;
    for (const QString &allowed : m_hosts) {
        if (allowed == u"*" || allowed == name || (allowed.startsWith(u'.') && name.endsWith(allowed)))
            return true;
    }
    return false;
}

bool OriginPolicy::originAllowed(const QByteArray &origin) const
{
    const QString text = QString::fromLatin1(origin.trimmed()).toLower();
    if (text.isEmpty())
        return false;
    for (const QRegularExpression &pattern : m_origins) {
        if (pattern.match(text).hasMatch())
            return true;
    }
    return false;
}

std::optional<QString> OriginPolicy::crossSiteRefusal(const StateChange &request) const
{
    const QByteArray origin = request.origin.trimmed();
    const bool sameOrigin = !request.host.isEmpty()
        && origin.compare(QByteArray("http://" + request.host.trimmed()), Qt::CaseInsensitive) == 0;
    const bool allowedOrigin = !request.origin.isNull() && (sameOrigin || originAllowed(origin));
    if (!request.origin.isNull() && !allowedOrigin) {
        return u"Cross-site request refused: origin '%1' is not allowed to change anything here (add it to "
               u"api.cors_origins to allow it)"_s.arg(QString::fromLatin1(origin.left(200)));
    }
    if (request.secFetchSite.trimmed().compare("cross-site", Qt::CaseInsensitive) == 0 && !allowedOrigin)
        return u"Cross-site request refused: Sec-Fetch-Site is cross-site and no allowed Origin was sent"_s;
    if (!request.contentType.isNull() && !isJsonMediaType(request.contentType)) {
        return u"Content-Type must be application/json for POST, PUT and DELETE (got '%1')"_s.arg(
            QString::fromLatin1(request.contentType.left(200)));
    }
    if (request.contentType.isNull() && request.hasBody)
        return u"Content-Type must be application/json for POST, PUT and DELETE (a body was sent without one)"_s;
    return std::nullopt;
}

} // namespace agentdesk
