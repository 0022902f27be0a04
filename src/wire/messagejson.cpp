#include "messagejson.h"

#include "timestamps.h"

#include <QCborArray>
#include <QVariantList>

using namespace Qt::StringLiterals;

namespace agentdesk::wire {

namespace {

QCborValue fieldValue(const QVariant &value);

QCborArray listValue(const QVariantList &items)
{
    QCborArray array;
    for (const QVariant &item : items)
        array.append(fieldValue(item));
    return array;
}

// Written out rather than QCborValue::fromVariant so that every scalar type a payload can hold
// maps to a JSON scalar (a QDateTime would otherwise become a CBOR tag, a QByteArray binary).
QCborValue fieldValue(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool();
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
        return value.toLongLong();
    case QMetaType::Double:
    case QMetaType::Float:
        return value.toDouble();
    case QMetaType::QString:
        return value.toString();
    case QMetaType::QByteArray:
        return QString::fromUtf8(value.toByteArray());
    case QMetaType::QDateTime:
        return timestampValue(value.toDateTime());
    case QMetaType::QVariantMap:
        return payloadJson(value.toMap());
    case QMetaType::QVariantList:
        return listValue(value.toList());
    case QMetaType::QStringList:
        return QCborArray::fromStringList(value.toStringList());
    case QMetaType::Nullptr:
    case QMetaType::UnknownType:
        return QCborValue(nullptr);
    default:
        if (value.canConvert<QVariantMap>())
            return payloadJson(value.toMap());
        if (value.canConvert<QVariantList>())
            return listValue(value.toList());
        return value.toString();
    }
}

} // namespace

QCborMap payloadJson(const QVariantMap &fields)
{
    QCborMap json;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it)
        json[it.key()] = fieldValue(it.value());
    return json;
}

QCborMap messageInfoJson(const MessageRecord &message)
{
    QCborMap json;
    json[u"id"_s] = message.id;
    json[u"threadId"_s] = message.threadId;
    json[u"from"_s] = message.from;
    json[u"to"_s] = message.to;
    json[u"payloadType"_s] = message.payloadType;
    json[u"payload"_s] = payloadJson(message.fields);
    json[u"timestamp"_s] = timestampValue(message.timestamp);
    json[u"slotIndex"_s] = message.seq;
    return json;
}

QCborMap messagePageJson(const MessagePage &page)
{
    QCborArray list;
    for (const MessageRecord &message : page.items)
        list.append(messageInfoJson(message));
    QCborMap json;
    json[u"messages"_s] = list;
    json[u"count"_s] = page.items.size();
    json[u"total"_s] = page.total;
    json[u"offset"_s] = page.offset;
    json[u"limit"_s] = page.limit;
    return json;
}

} // namespace agentdesk::wire
