#include "apiresponse.h"

#include "jsonwriter.h"

namespace agentdesk {

ApiResponse ApiResponse::json(const QCborMap &body, int status)
{
    ApiResponse response;
    response.status = status;
    response.body = wire::writeJson(body);
    return response;
}

ApiResponse ApiResponse::detail(int status, const QString &detail)
{
    return json(wire::detailJson(detail), status);
}

ApiResponse ApiResponse::validation(const QList<wire::ValidationError> &errors)
{
    return json(wire::validationJson(errors), 422);
}

ApiResponse ApiResponse::text(const QByteArray &body, const QByteArray &contentType, int status)
{
    ApiResponse response;
    response.status = status;
    response.body = body;
    response.contentType = contentType;
    return response;
}

ApiResponse &ApiResponse::withHeader(const QByteArray &name, const QByteArray &value)
{
    headers.append({name, value});
    return *this;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 307:
        return "Temporary Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 417:
        return "Expectation Failed";
    case 421:
        return "Misdirected Request";
    case 422:
        return "Unprocessable Entity";
    case 426:
        return "Upgrade Required";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    case 507:
        return "Insufficient Storage";
    default:
        return "Unknown";
    }
}

} // namespace agentdesk
