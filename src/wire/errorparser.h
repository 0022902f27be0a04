#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace agentdesk::wire {

// One entry of a FastAPI 422 body: {"type", "loc", "msg", "input"[, "ctx"]}.
struct ValidationIssue
{
    QString type;
    QStringList loc; // integers (list indexes, character offsets) as their decimal text
    QString msg;
    QString reason; // ctx.error when present (agentdesk's value_error carries the bare reason there)
};

// An error answer: {"detail": "<text>"}, {"detail": [issues]} (422), or a body that is not JSON
// (the original's plain-text 500 "Internal Server Error").
struct ApiErrorBody
{
    QString detail;
    QList<ValidationIssue> issues;
    // The detail, or the issues as "payload.name: Field required; limit: …" (the leading
    // body/query/path of each loc dropped); empty when the body said nothing.
    QString text() const;
};
ApiErrorBody parseErrorBody(const QByteArray &body);

} // namespace agentdesk::wire
