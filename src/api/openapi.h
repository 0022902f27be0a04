#pragma once

#include "routetable.h"

#include <QByteArray>
#include <QCborMap>
#include <QString>

namespace agentdesk {

class ApiAuth;

// /openapi.json (OpenAPI 3.1) generated from the route table that also drives QHttpServer, so the
// document cannot describe a route that is not served or miss one that is. Component schemas of
// the wire shapes live in openapischemas.cpp; the API tests check real responses against them.
struct OpenApiOptions
{
    QString title = QStringLiteral("AgentServer API");
    QString version = QStringLiteral("1.0.0");
    bool authEnabled = false;
    bool protectReads = false;
};

QCborMap buildOpenApi(const RouteTable &routes, const OpenApiOptions &options);
// The component schemas by name (JSON Schema 2020-12, as OpenAPI 3.1 embeds it).
QCborMap openApiSchemas();
// /docs: a self-contained HTML rendering of the document (no scripts, no CDN).
QByteArray renderDocsPage(const QCborMap &document);

} // namespace agentdesk
