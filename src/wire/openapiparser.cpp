#include "openapiparser.h"

#include "jsonparser.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {
const QStringList &methods()
{
    static const QStringList names{u"get"_s, u"post"_s, u"put"_s, u"delete"_s, u"patch"_s};
    return names;
}

// Returns whether any parameter is marked as an agentdesk extension.
bool readParameters(const QJsonArray &parameters, QSet<QString> *names)
{
    bool extension = false;
    for (const QJsonValue &item : parameters) {
        const QJsonObject parameter = item.toObject();
        if (jsonText(parameter, u"in"_s) == u"query")
            names->insert(jsonText(parameter, u"name"_s));
        extension = extension || jsonBool(parameter, u"x-agentdesk-extension"_s);
    }
    return extension;
}
} // namespace

ApiDescription parseOpenApi(const QJsonObject &document)
{
    ApiDescription description;
    if (!document.value(u"paths"_s).isObject())
        return description;
    description.known = true;
    const QJsonObject paths = jsonObject(document, u"paths"_s);
    for (auto path = paths.constBegin(); path != paths.constEnd(); ++path) {
        const QJsonObject item = path.value().toObject();
        QSet<QString> shared; // parameters declared on the path apply to every operation
        if (readParameters(jsonArray(item, u"parameters"_s), &shared))
            description.agentdesk = true;
        for (const QString &method : methods()) {
            if (!item.value(method).isObject())
                continue;
            const QJsonObject operation = jsonObject(item, method);
            const QString key = ApiDescription::key(method, path.key());
            description.operations.insert(key);
            QSet<QString> names = shared;
            const bool extendedParameters = readParameters(jsonArray(operation, u"parameters"_s), &names);
            description.queryNames.insert(key, names);
            if (extendedParameters || jsonBool(operation, u"x-agentdesk-extension"_s))
                description.agentdesk = true;
        }
    }
    return description;
}

} // namespace agentdesk::wire
