#include "apiauth.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace agentdesk {

ApiAuth::ApiAuth(const QByteArray &key, bool protectReads)
    : m_key(key)
    , m_protectReads(protectReads)
{ }

bool ApiAuth::protects(Access access) const
{
    switch (access) {
    case Access::Open:
        return false;
    case Access::Read:
        return protectReads();
    case Access::Write:
        return enabled();
    }
    return true;
}

bool ApiAuth::keyMatches(const QByteArray &candidate) const
{
    // Compare digests so the loop does not depend on the candidate's length or content.
    const QByteArray a = QCryptographicHash::hash(candidate, QCryptographicHash::Sha256);
    const QByteArray b = QCryptographicHash::hash(m_key, QCryptographicHash::Sha256);
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

std::optional<ApiResponse> ApiAuth::check(Access access, const QByteArray &authorizationHeader) const
{
    if (!protects(access))
        return std::nullopt;
    const QByteArray header = authorizationHeader.trimmed();
    const qsizetype space = header.indexOf(' ');
    const QByteArray scheme = space < 0 ? header : header.left(space);
    const QByteArray credentials = space < 0 ? QByteArray() : header.mid(space + 1).trimmed();
    if (scheme.compare("bearer", Qt::CaseInsensitive) != 0 || credentials.isEmpty())
        return ApiResponse::detail(401, u"Authentication required"_s).withHeader("WWW-Authenticate", "Bearer");
    if (!keyMatches(credentials))
        return ApiResponse::detail(403, u"Invalid API key"_s);
    return std::nullopt;
}

bool ApiAuth::acceptsToken(const QString &token) const
{
    return !enabled() || (!token.isEmpty() && keyMatches(token.toUtf8()));
}

} // namespace agentdesk
