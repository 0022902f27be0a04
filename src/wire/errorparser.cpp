#include "errorparser.h"

#include "jsonparser.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {
constexpr qsizetype kMaxPlainText = 200; // of a non-JSON body shown as the reason

ValidationIssue issueOf(const QJsonObject &json)
{
    ValidationIssue issue;
    issue.type = jsonText(json, u"type"_s);
    for (const QJsonValue &part : jsonArray(json, u"loc"_s))
        issue.loc.append(part.isString() ? part.toString() : QString::number(part.toInteger()));
    issue.msg = jsonText(json, u"msg"_s);
    issue.reason = jsonText(jsonObject(json, u"ctx"_s), u"error"_s);
    return issue;
}
} // namespace

QString ApiErrorBody::text() const
{
    if (!detail.isEmpty())
        return detail;
    QStringList parts;
    for (const ValidationIssue &issue : issues) {
        QStringList loc = issue.loc;
        if (!loc.isEmpty() && (loc.first() == u"body" || loc.first() == u"query" || loc.first() == u"path"))
            loc.removeFirst();
        parts.append(loc.isEmpty() ? issue.msg : loc.join(u'.') + u": "_s + issue.msg);
    }
    return parts.join(u"; "_s);
}

ApiErrorBody parseErrorBody(const QByteArray &body)
{
    ApiErrorBody error;
    const std::optional<QJsonObject> json = parseJsonObject(body);
    if (!json) {
        error.detail = QString::fromUtf8(body).simplified().left(kMaxPlainText);
        return error;
    }
    const QJsonValue detail = json->value(u"detail"_s);
    if (detail.isString()) {
        error.detail = detail.toString();
    } else if (detail.isArray()) {
        for (const QJsonValue &item : detail.toArray())
            error.issues.append(issueOf(item.toObject()));
    } else if (json->value(u"error"_s).isString()) {
        error.detail = json->value(u"error"_s).toString(); // the original's unused ErrorResponse model
    }
    return error;
}

} // namespace agentdesk::wire
