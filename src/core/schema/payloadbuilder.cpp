#include "payloadbuilder.h"

#include "canonicalxml.h"
#include "numbertext.h"
#include "schemamodel.h"
#include "schemaregistry.h"

#include <QVarLengthArray>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// libxml2 refuses documents nested deeper than 256 elements; stay below so every payload built here
// can also be parsed back.
constexpr int MaxDepth = 250;

bool isNull(const QVariant &value)
{
    return !value.isValid() || value.typeId() == QMetaType::Nullptr;
}

// Latin-1 copy of a string for the number readers, or false if it holds anything no number has.
bool numberText(const QString &text, QByteArray *latin1)
{
    if (text.size() > 4096)
        return false;
    latin1->resize(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c >= 0x80)
            return false;
        (*latin1)[i] = char(c);
    }
    return true;
}

NumberText::Result parseIntegerText(const QString &text, qint64 *value)
{
    QByteArray latin1;
    return numberText(text, &latin1) ? NumberText::parseInteger(latin1, value) : NumberText::Result::Invalid;
}

NumberText::Result parseDecimalText(const QString &text, double *value)
{
    QByteArray latin1;
    return numberText(text, &latin1) ? NumberText::parseDecimal(latin1, value) : NumberText::Result::Invalid;
}

bool isIntegral(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::Long:
    case QMetaType::Short:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::ULong:
    case QMetaType::UShort:
        return true;
    default:
        return false;
    }
}

bool isUnsigned(const QVariant &value)
{
    const int id = value.typeId();
    return id == QMetaType::UInt || id == QMetaType::ULongLong || id == QMetaType::ULong || id == QMetaType::UShort;
}

QString outOfRangeMessage()
{
    return u"Input should be an integer between %1 and %2"_s.arg(std::numeric_limits<qint64>::min())
        .arg(std::numeric_limits<qint64>::max());
}

class Builder
{
public:
    Builder(const SchemaModel &model, SchemaError *error)
        : m_model(model)
        , m_error(error)
    { }

    CanonicalXml &xml() { return m_xml; }

    template <typename Map>
    bool object(int typeIndex, const Map &in, QVariantMap *out, int depth)
    {
        const SchemaType &type = m_model.type(typeIndex);
        if (depth > MaxDepth)
            return fail("too_deep", u"Input is nested more than %1 levels deep"_s.arg(MaxDepth), QVariant());
        const size_t count = type.fields.size();
        QVarLengthArray<const QVariant *, 16> given(static_cast<qsizetype>(count));
        QVarLengthArray<const QString *, 16> keys(static_cast<qsizetype>(count));
        std::fill(given.begin(), given.end(), nullptr);
        std::fill(keys.begin(), keys.end(), nullptr);
        for (auto it = in.constBegin(); it != in.constEnd(); ++it) {
            const int index = type.fieldIndex(it.key());
            if (index < 0)
                return fail("extra_forbidden", u"Extra inputs are not permitted"_s, it.value(), it.key());
            if (given[index]) {
                return fail("duplicate_field", u"Given twice, as %1 and as %2"_s.arg(*keys[index], it.key()),
                            it.value(), type.fields[size_t(index)].name);
            }
            given[index] = &it.value();
            keys[index] = &it.key();
        }
        for (size_t i = 0; i < count; ++i) {
            const SchemaField &field = type.fields[i];
            const QVariant *value = given[qsizetype(i)];
            if (!value || (isNull(*value) && field.optional)) {
                if (field.list)
                    out->insert(field.name, QVariantList());
                else if (!field.optional)
                    return fail("missing", u"Field required"_s, QVariant(), field.name);
                continue;
            }
            QVariant typed;
            const bool ok = field.list ? list(field, *value, &typed, depth) : item(field, *value, &typed, depth);
            if (!ok) {
                m_error->fieldPath.prepend(field.name);
                return false;
            }
            out->insert(field.name, typed);
        }
        return true;
    }

private:
    bool list(const SchemaField &field, const QVariant &in, QVariant *out, int depth)
    {
        QVariantList items;
        if (in.typeId() == QMetaType::QVariantList) {
            const QVariantList source = in.toList();
            items.reserve(source.size());
            for (qsizetype i = 0; i < source.size(); ++i) {
                if (!listItem(field, source[i], i, depth, &items))
                    return false;
            }
        } else if (in.typeId() == QMetaType::QStringList) {
            const QStringList source = in.toStringList();
            items.reserve(source.size());
            for (qsizetype i = 0; i < source.size(); ++i) {
                if (!listItem(field, QVariant(source[i]), i, depth, &items))
                    return false;
            }
        } else {
            return fail("list_type", u"Input should be a valid list"_s, in);
        }
        *out = items;
        return true;
    }

    bool listItem(const SchemaField &field, const QVariant &in, qsizetype index, int depth, QVariantList *items)
    {
        QVariant typed;
        if (!item(field, in, &typed, depth)) {
            m_error->fieldPath.prepend(QString::number(index));
            return false;
        }
        items->append(typed);
        return true;
    }

    // One element: a scalar or a nested object, written to the XML as it is converted.
    bool item(const SchemaField &field, const QVariant &in, QVariant *out, int depth)
    {
        if (field.kind != FieldKind::Nested) {
            m_xml.tag(field.openTag);
            if (!scalar(field.kind, in, out))
                return false;
            m_xml.tag(field.closeTag);
            return true;
        }
        const SchemaType &nested = m_model.type(field.nested);
        QVariantMap map;
        m_xml.tag(field.openTag);
        bool ok = false;
        if (in.typeId() == QMetaType::QVariantMap)
            ok = object(field.nested, *static_cast<const QVariantMap *>(in.constData()), &map, depth + 1);
        else if (in.typeId() == QMetaType::QVariantHash)
            ok = object(field.nested, *static_cast<const QVariantHash *>(in.constData()), &map, depth + 1);
        else
            return fail("model_type", u"Input should be a valid dictionary or instance of %1"_s.arg(nested.spec.name),
                        in);
        if (!ok)
            return false;
        m_xml.tag(field.closeTag);
        *out = map;
        return true;
    }

    bool scalar(FieldKind kind, const QVariant &in, QVariant *out)
    {
        switch (kind) {
        case FieldKind::String:
            return string(in, out);
        case FieldKind::Integer:
            return integer(in, out);
        case FieldKind::Decimal:
            return decimal(in, out);
        case FieldKind::Boolean:
            return boolean(in, out);
        case FieldKind::Nested:
            break;
        }
        return false;
    }

    bool string(const QVariant &in, QVariant *out)
    {
        if (in.typeId() != QMetaType::QString)
            return fail("string_type", u"Input should be a valid string"_s, in);
        const QString &text = *static_cast<const QString *>(in.constData());
        if (!m_xml.text(text))
            return fail("xml_char", u"Input should not contain %1 (not allowed in XML)"_s.arg(badCharacter(text)), in);
        *out = in;
        return true;
    }

    bool integer(const QVariant &in, QVariant *out)
    {
        qint64 value = 0;
        const int id = in.typeId();
        if (id == QMetaType::Bool) {
            value = in.toBool() ? 1 : 0;
        } else if (isIntegral(in)) {
            if (isUnsigned(in) && in.toULongLong() > quint64(std::numeric_limits<qint64>::max()))
                return fail("int_out_of_range", outOfRangeMessage(), in);
            value = in.toLongLong();
        } else if (id == QMetaType::Double || id == QMetaType::Float) {
            const double d = in.toDouble();
            if (!std::isfinite(d))
                return fail("finite_number", u"Input should be a finite number"_s, in);
            if (d != std::trunc(d))
                return fail("int_from_float", u"Input should be a valid integer, got a number with a fractional part"_s,
                            in);
            // 2^63 is exactly representable; every double below it in magnitude converts safely.
            if (d >= 9223372036854775808.0 || d < -9223372036854775808.0)
                return fail("int_out_of_range", outOfRangeMessage(), in);
            value = qint64(d);
        } else if (id == QMetaType::QString) {
            switch (parseIntegerText(*static_cast<const QString *>(in.constData()), &value)) {
            case NumberText::Result::Ok:
                break;
            case NumberText::Result::OutOfRange:
                return fail("int_out_of_range", outOfRangeMessage(), in);
            case NumberText::Result::Invalid:
                return fail("int_parsing", u"Input should be a valid integer, unable to parse string as an integer"_s,
                            in);
            }
        } else {
            return fail("int_type", u"Input should be a valid integer"_s, in);
        }
        m_xml.integer(value);
        *out = QVariant(qint64(value));
        return true;
    }

    bool decimal(const QVariant &in, QVariant *out)
    {
        double value = 0;
        const int id = in.typeId();
        if (id == QMetaType::Double || id == QMetaType::Float || isIntegral(in) || id == QMetaType::Bool) {
            value = id == QMetaType::Bool ? (in.toBool() ? 1.0 : 0.0) : in.toDouble();
        } else if (id == QMetaType::QString) {
            switch (parseDecimalText(*static_cast<const QString *>(in.constData()), &value)) {
            case NumberText::Result::Ok:
                break;
            case NumberText::Result::OutOfRange:
                return fail("finite_number", u"Input should be a finite number"_s, in);
            case NumberText::Result::Invalid:
                return fail("float_parsing", u"Input should be a valid number, unable to parse string as a number"_s,
                            in);
            }
        } else {
            return fail("float_type", u"Input should be a valid number"_s, in);
        }
        if (!std::isfinite(value))
            return fail("finite_number", u"Input should be a finite number"_s, in);
        if (!m_xml.decimal(&value)) {
            return fail("decimal_max_digits",
                        u"Decimal input should have no more than %1 digits before the decimal point (the xs:decimal "
                        u"limit of libxml2)"_s.arg(CanonicalXml::MaxDecimalDigits),
                        in);
        }
        *out = QVariant(value);
        return true;
    }

    bool boolean(const QVariant &in, QVariant *out)
    {
        static const QStringList truthy = {u"1"_s, u"on"_s, u"t"_s, u"true"_s, u"y"_s, u"yes"_s};
        static const QStringList falsy = {u"0"_s, u"off"_s, u"f"_s, u"false"_s, u"n"_s, u"no"_s};
        bool value = false;
        const int id = in.typeId();
        if (id == QMetaType::Bool) {
            value = in.toBool();
        } else if (isIntegral(in) || id == QMetaType::Double || id == QMetaType::Float) {
            const double d = in.toDouble();
            if (d != 0.0 && d != 1.0)
                return fail("bool_parsing", u"Input should be a valid boolean, unable to interpret input"_s, in);
            value = d == 1.0;
        } else if (id == QMetaType::QString) {
            const QString &text = *static_cast<const QString *>(in.constData());
            if (truthy.contains(text, Qt::CaseInsensitive))
                value = true;
            else if (!falsy.contains(text, Qt::CaseInsensitive))
                return fail("bool_parsing", u"Input should be a valid boolean, unable to interpret input"_s, in);
        } else {
            return fail("bool_type", u"Input should be a valid boolean"_s, in);
        }
        m_xml.boolean(value);
        *out = QVariant(value);
        return true;
    }

    static QString badCharacter(const QString &text)
    {
        for (qsizetype i = 0; i < text.size(); ++i) {
            CanonicalXml probe;
            // A surrogate pair is checked as one character.
            const qsizetype length = text[i].isHighSurrogate() && i + 1 < text.size() ? 2 : 1;
            if (!probe.text(QStringView(text).mid(i, length)))
                return u"U+"_s + QString::number(text[i].unicode(), 16).toUpper().rightJustified(4, u'0');
            i += length - 1;
        }
        return {};
    }

    bool fail(const char *kind, const QString &message, const QVariant &input, const QString &key = QString())
    {
        m_error->kind = QString::fromLatin1(kind);
        m_error->message = message;
        m_error->input = input;
        m_error->fieldPath.clear();
        if (!key.isEmpty())
            m_error->fieldPath.append(key);
        return false;
    }

    const SchemaModel &m_model;
    SchemaError *m_error;
    CanonicalXml m_xml;
};

} // namespace

bool PayloadBuilder::build(int typeIndex, const QVariantMap &fields, Payload *out, SchemaError *error) const
{
    const SchemaType &type = m_model.type(typeIndex);
    Builder builder(m_model, error);
    QVariantMap typed;
    builder.xml().tag(type.openTag);
    if (!builder.object(typeIndex, fields, &typed, 0)) {
        const QString path = error->fieldPath.join(u'.');
        error->line = 0;
        if (!path.isEmpty())
            error->message = path + u": "_s + error->message;
        return false;
    }
    builder.xml().tag(type.closeTag);
    out->type = type.spec.name;
    out->fields = std::move(typed);
    out->xml = builder.xml().toByteArray();
    return true;
}

} // namespace agentdesk
