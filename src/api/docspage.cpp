#include "openapi.h"

#include "jsonwriter.h"

#include <QCborArray>
#include <QMap>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString schemaName(const QCborValue &schemaRef)
{
    return schemaRef.toMap().value(u"$ref"_s).toString().section(u'/', -1);
}

// "string | null", "array of AgentInfo", "AgentInfo", "integer (1..100)"
QString typeText(const QCborMap &schema)
{
    if (schema.contains(u"$ref"_s)) {
        const QString name = schemaName(schema);
        return u"<a href=\"#schema-%1\">%1</a>"_s.arg(esc(name));
    }
    QString text;
    const QCborValue type = schema.value(u"type"_s);
    if (type.isArray()) {
        QStringList names;
        const QCborArray types = type.toArray();
        for (const QCborValue &name : types)
            names.append(name.toString());
        text = names.join(u" | "_s);
    } else if (type.isString()) {
        text = type.toString();
    } else {
        text = u"any"_s;
    }
    if (text.startsWith(u"array"_s) && schema.contains(u"items"_s))
        text = u"array of "_s + typeText(schema.value(u"items"_s).toMap());
    if (schema.contains(u"format"_s))
        text += u" (%1)"_s.arg(esc(schema.value(u"format"_s).toString()));
    if (schema.contains(u"enum"_s)) {
        QStringList values;
        const QCborArray list = schema.value(u"enum"_s).toArray();
        for (const QCborValue &value : list)
            values.append(value.toString());
        text += u": "_s + esc(values.join(u", "_s));
    }
    if (schema.contains(u"const"_s))
        text += u" = \"%1\""_s.arg(esc(schema.value(u"const"_s).toString()));
    return text;
}

QString parametersTable(const QCborArray &parameters)
{
    if (parameters.isEmpty())
        return {};
    QString html = u"<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>Default</th><th>Bounds</th>"
                   u"<th>Description</th></tr>"_s;
    for (const QCborValue &value : parameters) {
        const QCborMap param = value.toMap();
        const QCborMap schema = param.value(u"schema"_s).toMap();
        QString bounds;
        if (schema.contains(u"minimum"_s))
            bounds += u"≥ %1 "_s.arg(schema.value(u"minimum"_s).toInteger());
        if (schema.contains(u"maximum"_s))
            bounds += u"≤ %1"_s.arg(schema.value(u"maximum"_s).toInteger());
        const QString defaultText = schema.contains(u"default"_s)
            ? QString::fromUtf8(wire::writeJson(schema.value(u"default"_s)))
            : QString();
        const bool extension = param.value(u"x-agentdesk-extension"_s).toBool();
        html += u"<tr><td><code>%1</code>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td></tr>"_s.arg(
            esc(param.value(u"name"_s).toString()), extension ? u" <span class=\"ext\">extension</span>"_s : QString(),
            esc(param.value(u"in"_s).toString()), typeText(schema), esc(defaultText), esc(bounds.trimmed()),
            esc(param.value(u"description"_s).toString()));
    }
    return html + u"</table>"_s;
}

QString operationHtml(const QString &path, const QString &method, const QCborMap &op)
{
    QString html = u"<div class=\"op\"><h3><span class=\"method %1\">%2</span> <code>%3</code>"_s.arg(
        method, method.toUpper(), esc(path));
    if (op.contains(u"security"_s))
        html += u" <span class=\"lock\">Bearer key</span>"_s;
    if (op.value(u"x-agentdesk-extension"_s).toBool())
        html += u" <span class=\"ext\">extension</span>"_s;
    html += u"</h3><p>%1</p>"_s.arg(esc(op.value(u"summary"_s).toString()));
    if (op.contains(u"description"_s))
        html += u"<p>%1</p>"_s.arg(esc(op.value(u"description"_s).toString()));
    html += parametersTable(op.value(u"parameters"_s).toArray());
    if (op.contains(u"requestBody"_s)) {
        const QCborMap content = op.value(u"requestBody"_s).toMap().value(u"content"_s).toMap();
        html += u"<p>Body: %1</p>"_s.arg(
            typeText(content.value(u"application/json"_s).toMap().value(u"schema"_s).toMap()));
    }
    QStringList answers;
    const QCborMap responses = op.value(u"responses"_s).toMap();
    for (auto it = responses.constBegin(); it != responses.constEnd(); ++it) {
        const QCborMap response = it.value().toMap();
        const QCborMap schema =
            response.value(u"content"_s).toMap().value(u"application/json"_s).toMap().value(u"schema"_s).toMap();
        answers.append(u"<code>%1</code> %2"_s.arg(it.key().toString(), typeText(schema)));
    }
    html += u"<p>Responses: "_s + answers.join(u", "_s) + u"</p></div>"_s;
    return html;
}

QString schemaHtml(const QString &name, const QCborMap &schema)
{
    QString html = u"<div class=\"schema\" id=\"schema-%1\"><h3>%1</h3><table>"_s.arg(esc(name));
    const QCborMap properties = schema.value(u"properties"_s).toMap();
    for (auto it = properties.constBegin(); it != properties.constEnd(); ++it) {
        const QCborMap property = it.value().toMap();
        QString note = esc(property.value(u"description"_s).toString());
        if (property.value(u"x-agentdesk-extension"_s).toBool())
            note = u"<span class=\"ext\">extension</span> "_s + note;
        html += u"<tr><td><code>%1</code></td><td>%2</td><td>%3</td></tr>"_s.arg(esc(it.key().toString()),
                                                                                 typeText(property), note);
    }
    return html + u"</table></div>"_s;
}

const char kStyle[] = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:1em 2em;color:#222}
h1{margin-bottom:0}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
.op,.schema{border:1px solid #e3e3e3;border-radius:6px;padding:.2em 1em;margin:.8em 0}
h3{font-size:1.05em}code{background:#f4f4f4;padding:0 .25em;border-radius:3px}
.method{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;font-size:.85em;padding:.1em .4em}
.get{background:#2f7dd1}.post{background:#3a9a4b}.put{background:#b07d12}.delete{background:#c0392b}.patch{background:#7d3cb5}
.lock{background:#555;color:#fff;border-radius:4px;font-size:.75em;padding:.1em .4em}
.ext{background:#e8d8ff;color:#4b1f86;border-radius:4px;font-size:.75em;padding:.1em .4em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #e3e3e3;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#fafafa}
)";

} // namespace

QByteArray renderDocsPage(const QCborMap &document)
{
    const QCborMap info = document.value(u"info"_s).toMap();
    QString html =
        u"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%1</title><style>%2</style>"
        u"</head><body><h1>%1</h1><p>Version %3 · <a href=\"/openapi.json\">openapi.json</a></p><p>%4</p>"_s.arg(
            esc(info.value(u"title"_s).toString()), QString::fromUtf8(kStyle), esc(info.value(u"version"_s).toString()),
            esc(info.value(u"description"_s).toString()));

    // Operations grouped by tag, in registration order within a tag.
    QStringList tagOrder;
    QMap<QString, QString> byTag;
    const QCborMap paths = document.value(u"paths"_s).toMap();
    for (auto path = paths.constBegin(); path != paths.constEnd(); ++path) {
        const QCborMap item = path.value().toMap();
        for (auto method = item.constBegin(); method != item.constEnd(); ++method) {
            const QCborMap op = method.value().toMap();
            const QString tag = op.value(u"tags"_s).toArray().at(0).toString();
            if (!tagOrder.contains(tag))
                tagOrder.append(tag);
            byTag[tag] += operationHtml(path.key().toString(), method.key().toString(), op);
        }
    }
    for (const QString &tag : std::as_const(tagOrder))
        html += u"<h2>%1</h2>"_s.arg(esc(tag)) + byTag.value(tag);

    html += u"<h2>websockets</h2>"_s;
    const QCborMap sockets = document.value(u"x-websockets"_s).toMap();
    for (auto it = sockets.constBegin(); it != sockets.constEnd(); ++it) {
        const QCborMap socket = it.value().toMap();
        html +=
            u"<div class=\"op\"><h3><span class=\"method get\">WS</span> <code>%1</code></h3><p>%2</p><p>Commands:</p><ul>"_s
                .arg(esc(it.key().toString()), esc(socket.value(u"summary"_s).toString()));
        const QCborArray commands = socket.value(u"commands"_s).toArray();
        for (const QCborValue &command : commands)
            html += u"<li><code>%1</code></li>"_s.arg(esc(command.toString()));
        QStringList events;
        const QCborArray eventRefs = socket.value(u"events"_s).toArray();
        for (const QCborValue &event : eventRefs)
            events.append(typeText(event.toMap()));
        html += u"</ul><p>Frames: "_s + events.join(u", "_s) + u"</p></div>"_s;
    }

    html += u"<h2>schemas</h2>"_s;
    const QCborMap schemas = document.value(u"components"_s).toMap().value(u"schemas"_s).toMap();
    for (auto it = schemas.constBegin(); it != schemas.constEnd(); ++it)
        html += schemaHtml(it.key().toString(), it.value().toMap());
    html += u"</body></html>"_s;
    return html.toUtf8();
}

} // namespace agentdesk
