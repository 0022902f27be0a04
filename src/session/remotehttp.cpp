#include "remotehttp.h"

#include "jsonparser.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// A request that gets no answer in this time is reported as a failure (the server's own limit for a
// whole request is 30 s).
constexpr int kTransferTimeoutMs = 30000;

QString tr(const char *text)
{
    return QCoreApplication::translate("agentdesk::RemoteHttp", text);
}

QString networkErrorText(QNetworkReply *reply)
{
    const QUrl url = reply->url();
    const QString host = url.host() + u':' + QString::number(url.port(url.scheme() == u"https" ? 443 : 80));
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return tr("Connection refused by %1 (is the server running?)").arg(host);
    case QNetworkReply::HostNotFoundError:
        return tr("Host not found: %1").arg(url.host());
    case QNetworkReply::RemoteHostClosedError:
        return tr("%1 closed the connection before answering").arg(host);
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // the transfer time-out cancels the request
        return tr("%1 did not answer in time").arg(host);
    case QNetworkReply::SslHandshakeFailedError:
        return tr("TLS handshake with %1 failed: %2").arg(host, reply->errorString());
    default:
        return reply->errorString();
    }
}

} // namespace

QString RemoteHttp::Response::errorText() const
{
    if (!networkError.isEmpty())
        return networkError;
    if (ok())
        return {};
    const QString detail = error.text();
    return detail.isEmpty() ? u"HTTP %1"_s.arg(status) : u"HTTP %1: %2"_s.arg(status).arg(detail);
}

QString RemoteHttp::Response::detailText() const
{
    const QString detail = error.text();
    return networkError.isEmpty() && !detail.isEmpty() ? detail : errorText();
}

RemoteHttp::RemoteHttp(const QUrl &baseUrl, const QByteArray &apiKey, QObject *parent)
    : QObject(parent)
    , m_baseUrl(baseUrl)
    , m_apiKey(apiKey)
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

RemoteHttp::~RemoteHttp()
{
    abortAll();
}

QString RemoteHttp::pathSegment(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

QUrl RemoteHttp::url(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_baseUrl;
    QString base = url.path(QUrl::FullyEncoded);
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path, QUrl::TolerantMode);
    url.setQuery(query);
    url.setFragment({});
    return url;
}

QUrl RemoteHttp::webSocketUrl(const QString &path) const
{
    QUrl ws = url(path);
    ws.setScheme(m_baseUrl.scheme() == u"https" ? u"wss"_s : u"ws"_s);
    return ws;
}

QByteArray RemoteHttp::authorization() const
{
    return m_apiKey.isEmpty() ? QByteArray() : "Bearer " + m_apiKey;
}

void RemoteHttp::get(const QString &path, const QUrlQuery &query, Handler handler)
{
    send("GET", path, query, {}, std::move(handler));
}

void RemoteHttp::post(const QString &path, const QByteArray &json, Handler handler)
{
    send("POST", path, {}, json, std::move(handler));
}

void RemoteHttp::put(const QString &path, const QByteArray &json, Handler handler)
{
    send("PUT", path, {}, json, std::move(handler));
}

void RemoteHttp::send(const QByteArray &verb, const QString &path, const QUrlQuery &query, const QByteArray &body,
                      Handler handler)
{
    QNetworkRequest request(url(path, query));
    request.setTransferTimeout(kTransferTimeoutMs);
    request.setRawHeader("Accept", "application/json");
    if (!m_apiKey.isEmpty())
        request.setRawHeader("Authorization", authorization());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = verb == "GET" ? m_network->get(request) : m_network->sendCustomRequest(request, verb, body);
    ++m_inFlight;
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, handler = std::move(handler), generation = m_generation] {
                --m_inFlight;
                reply->deleteLater();
                if (generation == m_generation)
                    finish(reply, handler);
            });
}

void RemoteHttp::finish(QNetworkReply *reply, const Handler &handler)
{
    Response response;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.body = reply->readAll();
    if (response.status == 0)
        response.networkError = networkErrorText(reply);
    response.json = wire::parseJsonObject(response.body);
    if (!response.ok())
        response.error = wire::parseErrorBody(response.body);
    handler(response);
}

void RemoteHttp::abortAll()
{
    ++m_generation;
    const QList<QNetworkReply *> replies = findChildren<QNetworkReply *>();
    for (QNetworkReply *reply : replies) {
        if (reply->isRunning())
            reply->abort();
    }
}

} // namespace agentdesk
