#pragma once

#include "errorjson.h"

#include <QByteArray>
#include <QCborMap>
#include <QList>
#include <QPair>
#include <QString>

namespace agentdesk {

// What a route handler returns; ApiServer's single writer turns it into bytes on the socket and
// adds the headers every response carries (CORS, content type, length, no-sniff).
struct ApiResponse
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QList<QPair<QByteArray, QByteArray>> headers;

    static ApiResponse json(const QCborMap &body, int status = 200);
    static ApiResponse detail(int status, const QString &detail);              // {"detail": "<text>"}
    static ApiResponse validation(const QList<wire::ValidationError> &errors); // 422
    static ApiResponse text(const QByteArray &body, const QByteArray &contentType, int status = 200);

    ApiResponse &withHeader(const QByteArray &name, const QByteArray &value);
};

QByteArray reasonPhrase(int status);

} // namespace agentdesk
