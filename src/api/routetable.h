#pragma once

#include "route.h"

#include <QList>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

namespace agentdesk {

// The API's routes in registration order, with the matching that QHttpServer 6.4 does not offer:
// percent-decoding per path segment (so a thread id may contain "/" as %2F), the set of methods
// allowed on a path (405 + Allow), and FastAPI-compatible query validation (422).
class RouteTable
{
public:
    void add(Route route);
    const QList<Route> &routes() const { return m_routes; }
    const Route &at(int index) const { return m_routes.at(index); }

    struct Match
    {
        int index = -1;
        QStringList args;
        bool found() const { return index >= 0; }
    };
    // `encodedPath` is the request path as sent (percent-encoded).
    Match match(HttpMethod method, const QString &encodedPath) const;
    bool matches(int index, HttpMethod method, const QString &encodedPath) const;
    QList<HttpMethod> methodsFor(const QString &encodedPath) const;

    static std::optional<QStringList> matchPath(const QString &pattern, const QString &encodedPath);
    static QStringList pathParameters(const QString &pattern);

    // Validates and types the query against route.query; fills `values`, returns the 422 entries.
    static QList<wire::ValidationError> validateQuery(const Route &route, const QUrlQuery &query,
                                                      QHash<QString, QVariant> *values);
    // The bounds on the decoded path arguments (see Route), as 422 entries.
    static QList<wire::ValidationError> validatePath(const Route &route, const QStringList &args);

private:
    static std::optional<QStringList> matchSegments(const QStringList &pattern, const QList<QStringView> &path);

    QList<Route> m_routes;
    QList<QStringList> m_segments; // each route's pattern, split once
};

} // namespace agentdesk
