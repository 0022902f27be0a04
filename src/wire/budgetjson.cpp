#include "budgetjson.h"

#include "injectjson.h"
#include "jsonparser.h"
#include "jsonwriter.h"
#include "timestamps.h"

#include "store/historycodec.h"

#include <QCborArray>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {

QCborValue optionalInteger(const std::optional<qint64> &value)
{
    return value ? QCborValue(*value) : QCborValue(nullptr);
}

QCborValue optionalNumber(const std::optional<double> &value)
{
    return value ? QCborValue(*value) : QCborValue(nullptr);
}

QCborArray bodyLoc(const QString &field)
{
    return QCborArray{u"body"_s, field};
}

const QStringList &periodNames()
{
    static const QStringList names{u"day"_s, u"month"_s, u"total"_s};
    return names;
}

// A key given in either spelling; the camelCase one wins when both are present.
QString keyOf(const QJsonObject &object, const QString &camel, const QString &snake)
{
    return object.contains(snake) && !object.contains(camel) ? snake : camel;
}

} // namespace

QCborMap scopeBudgetJson(const ScopeBudget &budget)
{
    QCborMap json;
    json[u"scope"_s] = budget.scope;
    json[u"agent"_s] = budget.agent.isEmpty() ? QCborValue(nullptr) : QCborValue(budget.agent);
    json[u"period"_s] = toString(budget.period);
    json[u"unit"_s] = budget.isCost() ? u"cost"_s : u"tokens"_s;
    json[u"maxTokens"_s] = optionalInteger(budget.maxTokens);
    json[u"maxCost"_s] = optionalNumber(budget.maxCost);
    json[u"usedTokens"_s] = budget.usedTokens;
    json[u"usedCost"_s] = HistoryCodec::roundTo(budget.usedCost, 6);
    json[u"remaining"_s] = budget.isCost() ? QCborValue(HistoryCodec::roundTo(budget.remaining(), 6))
                                           : QCborValue(qint64(budget.remaining()));
    json[u"percentUsed"_s] = HistoryCodec::roundTo(budget.percentUsed(), 1);
    json[u"isExhausted"_s] = budget.isExhausted();
    json[u"reserved"_s] = budget.isCost() ? QCborValue(HistoryCodec::roundTo(budget.reserved, 6))
                                          : QCborValue(qint64(std::llround(budget.reserved)));
    json[u"heldThreads"_s] = budget.heldThreads;
    json[u"unpricedRequests"_s] = budget.unpricedRequests;
    json[u"periodStart"_s] = timestampValue(budget.periodStart);
    json[u"periodEnd"_s] = timestampValue(budget.periodEnd);
    return json;
}

QCborMap scopeBudgetListJson(const QList<ScopeBudget> &budgets)
{
    QCborArray list;
    for (const ScopeBudget &budget : budgets)
        list.append(scopeBudgetJson(budget));
    return QCborMap{{u"budgets"_s, list}, {u"count"_s, budgets.size()}};
}

std::optional<ScopeBudget> parseScopeBudget(const QJsonObject &json)
{
    if (!json.value(u"scope"_s).isString())
        return std::nullopt;
    ScopeBudget budget;
    budget.scope = jsonText(json, u"scope"_s);
    budget.agent = jsonText(json, u"agent"_s);
    parseBudgetPeriod(jsonText(json, u"period"_s), &budget.period);
    budget.maxTokens = jsonOptionalInteger(json, u"maxTokens"_s);
    budget.maxCost = jsonOptionalNumber(json, u"maxCost"_s);
    budget.usedTokens = jsonInteger(json, u"usedTokens"_s);
    budget.usedCost = jsonNumber(json, u"usedCost"_s);
    budget.reserved = jsonNumber(json, u"reserved"_s);
    budget.heldThreads = int(jsonInteger(json, u"heldThreads"_s));
    budget.unpricedRequests = jsonInteger(json, u"unpricedRequests"_s);
    budget.periodStart = jsonTimestamp(json, u"periodStart"_s);
    budget.periodEnd = jsonTimestamp(json, u"periodEnd"_s);
    return budget;
}

std::optional<QList<ScopeBudget>> parseScopeBudgetList(const QJsonObject &json)
{
    if (!json.value(u"budgets"_s).isArray())
        return std::nullopt;
    QList<ScopeBudget> budgets;
    for (const QJsonValue &item : json.value(u"budgets"_s).toArray()) {
        if (auto budget = parseScopeBudget(item.toObject()))
            budgets.append(*budget);
    }
    return budgets;
}

ScopeBudgetUpdateParse parseScopeBudgetUpdate(const QByteArray &body)
{
    ScopeBudgetUpdateParse parse;
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (body.trimmed().isEmpty()) {
        parse.errors.append(ValidationError::missing(QCborArray{u"body"_s}, QCborValue(nullptr)));
        return parse;
    }
    if (error.error != QJsonParseError::NoError) {
        parse.errors.append(jsonDecodeError(body));
        return parse;
    }
    if (!document.isObject()) {
        parse.errors.append(ValidationError::modelAttributesType(QCborValue::fromJsonValue(document.array())));
        return parse;
    }
    const QJsonObject object = document.object();
    const QString tokensKey = keyOf(object, u"maxTokens"_s, u"max_tokens"_s);
    const QString costKey = keyOf(object, u"maxCost"_s, u"max_cost"_s);
    if (object.contains(tokensKey) && object.contains(costKey)) {
        parse.errors.append(ValidationError::valueError(bodyLoc(costKey),
                                                        QCborValue::fromJsonValue(object.value(costKey)),
                                                        u"give either maxTokens or maxCost, not both"_s));
        return parse;
    }
    if (object.contains(tokensKey)) {
        const QJsonValue value = object.value(tokensKey);
        const double number = value.toDouble(-1);
        if (!value.isDouble() || number != std::trunc(number))
            parse.errors.append(ValidationError{u"int_type"_s,
                                                bodyLoc(tokensKey),
                                                u"Input should be a valid integer"_s,
                                                QCborValue::fromJsonValue(value),
                                                {}});
        else if (number < 1)
            parse.errors.append(
                ValidationError::greaterThanEqual(bodyLoc(tokensKey), QCborValue::fromJsonValue(value), 1));
        else
            parse.change.maxTokens = qint64(number);
    }
    if (object.contains(costKey)) {
        const QJsonValue value = object.value(costKey);
        if (!value.isDouble() || !(value.toDouble() > 0) || !std::isfinite(value.toDouble()))
            parse.errors.append(ValidationError{u"greater_than"_s, bodyLoc(costKey),
                                                u"Input should be a number greater than 0"_s,
                                                QCborValue::fromJsonValue(value), QCborMap{{u"gt"_s, 0}}});
        else
            parse.change.maxCost = value.toDouble();
    }
    if (object.contains(u"period"_s)) {
        BudgetPeriod period = BudgetPeriod::Total;
        const QJsonValue value = object.value(u"period"_s);
        if (!parseBudgetPeriod(value.toString(), &period))
            parse.errors.append(
                ValidationError::literalError(bodyLoc(u"period"_s), QCborValue::fromJsonValue(value), periodNames()));
        else
            parse.change.period = period;
    }
    if (object.contains(u"reset"_s)) {
        const QJsonValue value = object.value(u"reset"_s);
        if (!value.isBool())
            parse.errors.append(ValidationError{u"bool_type"_s,
                                                bodyLoc(u"reset"_s),
                                                u"Input should be a valid boolean"_s,
                                                QCborValue::fromJsonValue(value),
                                                {}});
        else
            parse.change.reset = value.toBool();
    }
    if (parse.errors.isEmpty() && !parse.change.maxTokens && !parse.change.maxCost && !parse.change.period
        && !parse.change.reset)
        parse.errors.append(ValidationError::missing(bodyLoc(u"maxTokens"_s), QCborValue::fromJsonValue(object)));
    return parse;
}

QByteArray scopeBudgetUpdateJson(const ScopeBudgetChange &change)
{
    QCborMap json;
    if (change.maxTokens)
        json[u"maxTokens"_s] = *change.maxTokens;
    if (change.maxCost)
        json[u"maxCost"_s] = *change.maxCost;
    if (change.period)
        json[u"period"_s] = toString(*change.period);
    if (change.reset)
        json[u"reset"_s] = true;
    return writeJson(json);
}

void appendBudgetScope(QCborMap &json, const BudgetEvent &event)
{
    json[u"scope"_s] = event.scope;
    const std::optional<ScopeBudget> &budget = event.scopeBudget;
    json[u"period"_s] = budget ? QCborValue(toString(budget->period)) : QCborValue(nullptr);
    json[u"maxCost"_s] = budget ? optionalNumber(budget->maxCost) : QCborValue(nullptr);
    json[u"costUsed"_s] = budget && budget->isCost() ? QCborValue(HistoryCodec::roundTo(budget->usedCost, 6))
                                                     : QCborValue(nullptr);
}

void readBudgetScope(const QJsonObject &json, BudgetEvent *event)
{
    const QString scope = jsonText(json, u"scope"_s);
    if (scope.isEmpty() || scope == u"thread")
        return;
    event->scope = scope;
    ScopeBudget budget;
    budget.scope = scope;
    budget.agent = scope.startsWith(u"agent:"_s) ? scope.mid(6) : QString();
    parseBudgetPeriod(jsonText(json, u"period"_s), &budget.period);
    budget.maxCost = jsonOptionalNumber(json, u"maxCost"_s);
    if (!budget.maxCost)
        budget.maxTokens = jsonOptionalInteger(json, u"maxTokens"_s);
    budget.usedTokens = jsonInteger(json, u"tokensUsed"_s);
    budget.usedCost = jsonNumber(json, u"costUsed"_s);
    event->scopeBudget = budget;
}

} // namespace agentdesk::wire
