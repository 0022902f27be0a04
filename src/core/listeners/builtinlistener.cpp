#include "builtinlistener.h"

#include "schema/schemaregistry.h"

#include <QRegularExpression>

#include <muParser.h>

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QVariant upperCased(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QString:
        return value.toString().toUpper();
    case QMetaType::QVariantMap: {
        QVariantMap map = value.toMap();
        for (auto it = map.begin(); it != map.end(); ++it)
            *it = upperCased(*it);
        return map;
    }
    case QMetaType::QVariantList: {
        QVariantList list = value.toList();
        for (QVariant &item : list)
            item = upperCased(item);
        return list;
    }
    default:
        return value;
    }
}

QString renderTemplate(const QString &pattern, const QVariantMap &fields, const MessageRecord &incoming)
{
    static const QRegularExpression placeholder(u"\\{([A-Za-z_][A-Za-z0-9_]*)\\}"_s);
    QString out;
    qsizetype last = 0;
    auto match = placeholder.globalMatch(pattern);
    while (match.hasNext()) {
        const auto m = match.next();
        out += QStringView(pattern).mid(last, m.capturedStart() - last);
        const QString key = m.captured(1);
        if (key == u"from")
            out += incoming.from;
        else if (key == u"to")
            out += incoming.to;
        else if (key == u"thread")
            out += incoming.threadId;
        else if (fields.contains(key))
            out += fields.value(key).toString();
        else
            out += m.captured(0);
        last = m.capturedEnd();
    }
    out += QStringView(pattern).mid(last);
    return out;
}

class ShoutListener final : public BuiltinListener
{
public:
    using BuiltinListener::BuiltinListener;
    QString transform(const MessageRecord &, QVariantMap *fields) const override
    {
        *fields = upperCased(*fields).toMap();
        return {};
    }
};

class EchoListener final : public BuiltinListener
{
public:
    using BuiltinListener::BuiltinListener;
    QString transform(const MessageRecord &, QVariantMap *) const override { return {}; }
};

class FormatListener final : public BuiltinListener
{
public:
    using BuiltinListener::BuiltinListener;
    QString transform(const MessageRecord &, QVariantMap *) const override { return {}; }
};

class SinkListener final : public BuiltinListener
{
public:
    using BuiltinListener::BuiltinListener;
    QString transform(const MessageRecord &, QVariantMap *) const override { return {}; }
    bool sendsReplies() const override { return false; }
};

class CalculateListener final : public BuiltinListener
{
public:
    using BuiltinListener::BuiltinListener;

    QString transform(const MessageRecord &, QVariantMap *fields) const override
    {
        const QString field = config().options.value(u"field"_s, u"expression"_s).toString();
        const QString expression = fields->value(field).toString();
        if (expression.trimmed().isEmpty())
            return u"calculate: the payload has no '%1' to evaluate"_s.arg(field);
        if (expression.size() > kMaxExpressionLength)
            return u"calculate: the expression is longer than %1 characters"_s.arg(kMaxExpressionLength);
        try {
            mu::Parser parser;
            parser.SetExpr(expression.toStdString());
            const double value = parser.Eval();
            if (!std::isfinite(value))
                return u"calculate: %1 has no finite value (division by zero?)"_s.arg(expression);
            fields->insert(u"result"_s, value);
        } catch (const mu::Parser::exception_type &e) {
            return u"calculate: cannot evaluate '%1': %2"_s.arg(expression, QString::fromStdString(e.GetMsg()));
        }
        return {};
    }

private:
    static constexpr qsizetype kMaxExpressionLength = 4096;
};

} // namespace

QStringList BuiltinListener::names()
{
    return {u"shout"_s, u"echo"_s, u"sink"_s, u"calculate"_s, u"format"_s};
}

std::unique_ptr<BuiltinListener> BuiltinListener::create(const ListenerConfig &config,
                                                         const ListenerEnvironment &environment, QString *error)
{
    const QString &kind = config.handler.builtin;
    std::unique_ptr<BuiltinListener> listener;
    if (kind == u"shout")
        listener.reset(new ShoutListener(config, environment));
    else if (kind == u"echo")
        listener.reset(new EchoListener(config, environment));
    else if (kind == u"sink")
        listener.reset(new SinkListener(config, environment));
    else if (kind == u"calculate")
        listener.reset(new CalculateListener(config, environment));
    else if (kind == u"format")
        listener.reset(new FormatListener(config, environment));
    else if (error)
        *error = u"unknown built-in handler '%1' (built-ins: %2)"_s.arg(kind, names().join(u", "));
    return listener;
}

BuiltinListener::BuiltinListener(ListenerConfig config, ListenerEnvironment environment)
    : Listener(std::move(config), std::move(environment))
{ }

void BuiltinListener::handle(const HandlerCallPtr &call)
{
    const MessageRecord &incoming = call->message();
    QVariantMap fields = incoming.fields;
    QString error = transform(incoming, &fields);
    if (!error.isEmpty()) {
        call->fail(error);
        return;
    }
    if (!sendsReplies()) {
        call->finish();
        return;
    }
    QList<OutgoingMessage> replies = address(incoming, fields, &error);
    if (!error.isEmpty())
        call->fail(error);
    else
        call->finish(std::move(replies));
}

QStringList BuiltinListener::targetsFor(const MessageRecord &incoming) const
{
    if (!config().peers.isEmpty())
        return config().peers;
    // No peers: answer the sender, when the sender is a listener that can receive something.
    if (environment().payloadTypeOf && !environment().payloadTypeOf(incoming.from).isEmpty())
        return {incoming.from};
    return {};
}

QList<OutgoingMessage> BuiltinListener::address(const MessageRecord &incoming, const QVariantMap &fields,
                                                QString *error) const
{
    QList<OutgoingMessage> replies;
    const QVariantMap &options = config().options;
    for (const QString &target : targetsFor(incoming)) {
        const QString type = environment().payloadTypeOf(target);
        const SchemaRegistry *schemas = environment().schemas ? environment().schemas() : nullptr;
        const PayloadTypeSpec *spec = schemas ? schemas->spec(type) : nullptr;
        if (!spec) {
            *error = u"%1 cannot address %2: its payload type '%3' is unknown"_s.arg(name(), target, type);
            return {};
        }
        QVariantMap mapped;
        for (const FieldSpec &field : spec->fields) {
            const QVariant pattern = options.value(field.name);
            if (pattern.typeId() == QMetaType::QString)
                mapped.insert(field.name, renderTemplate(pattern.toString(), fields, incoming));
            else if (fields.contains(field.name))
                mapped.insert(field.name, fields.value(field.name));
        }
        OutgoingMessage reply;
        reply.to = target;
        reply.payload.type = type;
        reply.payload.fields = std::move(mapped);
        replies.append(std::move(reply));
    }
    return replies;
}

} // namespace agentdesk
