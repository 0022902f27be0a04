#include "yamlreader.h"

#include "suggestion.h"

#include <QRegularExpression>
#include <QVariantList>
#include <QVariantMap>

#include <algorithm>
#include <cmath>

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

std::optional<qint64> parseInteger(const QString &text)
{
    static const QRegularExpression pattern(u"^[-+]?[0-9]+(_[0-9]+)*$"_s);
    if (!pattern.match(text).hasMatch())
        return std::nullopt;
    bool ok = false;
    const qint64 value = QString(text).remove(u'_').toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

std::optional<double> parseDecimal(const QString &text)
{
    static const QRegularExpression pattern(u"^[-+]?([0-9][0-9_]*)?(\\.[0-9_]*)?([eE][-+]?[0-9]+)?$"_s);
    if (!pattern.match(text).hasMatch() || !text.contains(QRegularExpression(u"[0-9]"_s)))
        return std::nullopt;
    bool ok = false;
    const double value = QString(text).remove(u'_').toDouble(&ok);
    return ok && std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

// `500ms`, `2s`, `1.5m`, `1h`, or a plain number of seconds.
std::optional<double> parseDuration(const QString &text)
{
    static const QRegularExpression pattern(u"^([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h)?$"_s);
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    static const QHash<QString, double> unit{
        {u"ms"_s, 0.001}, {u"s"_s, 1}, {u"m"_s, 60}, {u"h"_s, 3600}, {QString(), 1}};
    return match.captured(1).toDouble() * unit.value(match.captured(2));
}

std::optional<bool> parseBoolean(const QString &text)
{
    // PyYAML (YAML 1.1) reads all of these as booleans; accept what the original accepted.
    static const QStringList yes{u"true"_s, u"yes"_s, u"on"_s};
    static const QStringList no{u"false"_s, u"no"_s, u"off"_s};
    const bool exactCase = text == text.toLower() || text == text.toUpper()
        || (text.size() > 1 && text.at(0).isUpper() && text.mid(1) == text.mid(1).toLower());
    if (!exactCase)
        return std::nullopt;
    if (yes.contains(text.toLower()))
        return true;
    if (no.contains(text.toLower()))
        return false;
    return std::nullopt;
}

// A plain (unquoted) scalar's text, or nothing for a quoted one or a non-scalar: numbers and booleans
// are never read from quoted text.
std::optional<QString> plainScalar(const YAML::Node &node)
{
    if (!node.IsScalar() || YamlReader::isQuoted(node))
        return std::nullopt;
    return YamlReader::scalarText(node);
}

} // namespace

// --- MapView ---------------------------------------------------------------------------------------

const YamlReader::Value *YamlReader::MapView::entry(const QString &key) const
{
    const auto found = std::find_if(m_entries.cbegin(), m_entries.cend(),
                                    [&key](const auto &candidate) { return candidate.first == key; });
    return found == m_entries.cend() ? nullptr : &found->second;
}

const YamlReader::Value *YamlReader::MapView::given(const QString &key) const
{
    const Value *value = entry(key);
    return value && !value->isNull() ? value : nullptr;
}

// --- places ----------------------------------------------------------------------------------------

int YamlReader::lineOf(const YAML::Node &node)
{
    const YAML::Mark mark = node.Mark();
    return mark.line >= 0 ? mark.line + 1 : 0;
}

QString YamlReader::joinKey(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

QString YamlReader::indexKey(const QString &path, qsizetype index)
{
    return path + u'[' + QString::number(index) + u']';
}

YamlReader::Value YamlReader::element(const Value &list, qsizetype index)
{
    const YAML::Node node = list.node[static_cast<std::size_t>(index)];
    return Value{node, indexKey(list.path, index), lineOf(node)};
}

QList<YamlReader::Value> YamlReader::elements(const Value &list)
{
    QList<Value> result;
    qsizetype index = 0;
    for (const YAML::Node &node : list.node)
        result.append(Value{node, indexKey(list.path, index++), lineOf(node)});
    return result;
}

bool YamlReader::isQuoted(const YAML::Node &node)
{
    // yaml-cpp tags a plain scalar "?" and a quoted or block scalar "!".
    return node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str";
}

QString YamlReader::describe(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Null:
        return u"nothing"_s;
    case YAML::NodeType::Sequence:
        return u"a list"_s;
    case YAML::NodeType::Map:
        return u"a map"_s;
    case YAML::NodeType::Scalar: {
        QString text = scalarText(node);
        const qsizetype newline = text.indexOf(u'\n');
        if (newline >= 0 || text.size() > 40)
            text = text.left(std::min<qsizetype>(newline >= 0 ? newline : 40, 40)) + u'…';
        return isQuoted(node) ? u"the quoted text \"%1\""_s.arg(text) : u"`%1`"_s.arg(text);
    }
    case YAML::NodeType::Undefined:
        break;
    }
    return u"an undefined value"_s;
}

// --- diagnostics -----------------------------------------------------------------------------------

void YamlReader::error(int line, const QString &key, const QString &message)
{
    m_errors.append({m_fileName, line, key, message});
}

void YamlReader::errorIn(const QString &file, int line, const QString &key, const QString &message)
{
    m_errors.append({file, line, key, message});
}

void YamlReader::warn(int line, const QString &key, const QString &message)
{
    m_warnings.append({m_fileName, line, key, message});
}

// --- structure -------------------------------------------------------------------------------------

std::optional<YamlReader::MapView> YamlReader::mapOf(const Value &value, const QStringList &known,
                                                     const Ignored &ignored, const Misplaced &misplaced)
{
    if (!value.node.IsMap()) {
        typeError(value, u"a map"_s);
        return std::nullopt;
    }
    MapView view(value.path, value.line);
    QHash<QString, int> firstLines;
    for (auto it = value.node.begin(); it != value.node.end(); ++it) {
        const YAML::Node keyNode = it->first; // a copy: `it->first` lives in a temporary proxy
        const int keyLine = lineOf(keyNode);
        if (!keyNode.IsScalar()) {
            error(keyLine, value.path, u"keys must be plain names, found %1 as a key"_s.arg(describe(keyNode)));
            continue;
        }
        const QString key = scalarText(keyNode);
        const QString path = joinKey(value.path, key);
        if (firstLines.contains(key)) {
            error(keyLine, path,
                  u"duplicate key (first given on line %1); give each key once"_s.arg(firstLines.value(key)));
            continue;
        }
        firstLines.insert(key, keyLine);
        view.add(key, Value{it->second, path, keyLine});
        if (ignored.contains(key)) {
            warn(keyLine, path, u"ignored: "_s + ignored.value(key));
        } else if (!known.isEmpty() && !known.contains(key)) {
            const QString guess = Suggestion::closest(key, known);
            const QString elsewhere = guess.isEmpty() && misplaced ? misplaced(key, view.entries().constLast().second)
                                                                   : QString();
            if (!elsewhere.isEmpty())
                warn(keyLine, path, elsewhere);
            else
                warn(keyLine, path,
                     guess.isEmpty() ? u"unknown key, ignored (known keys here: %1)"_s.arg(known.join(u", "_s))
                                     : u"unknown key, ignored; did you mean `%1`?"_s.arg(guess));
        }
    }
    return view;
}

bool YamlReader::expectList(const Value &value, const QString &whatElements)
{
    if (value.node.IsSequence())
        return true;
    typeError(value, u"a list of "_s + whatElements);
    return false;
}

const YamlReader::Value *YamlReader::required(const MapView &map, const QString &key)
{
    const Value *value = map.entry(key);
    if (!value)
        error(map.line(), joinKey(map.path(), key), u"is required but missing"_s);
    else if (value->isNull())
        error(value->line, value->path, u"is required but has no value"_s);
    else
        return value;
    return nullptr;
}

void YamlReader::typeError(const Value &value, const QString &expected)
{
    error(value.line, value.path, u"expected %1, found %2"_s.arg(expected, describe(value.node)));
}

// --- scalars ---------------------------------------------------------------------------------------

std::optional<QString> YamlReader::text(const Value &value, bool allowEmpty)
{
    if (!value.node.IsScalar()) {
        typeError(value, u"a text value"_s);
        return std::nullopt;
    }
    const QString result = scalarText(value.node).trimmed();
    if (result.isEmpty() && !allowEmpty) {
        error(value.line, value.path, u"must not be empty"_s);
        return std::nullopt;
    }
    return result;
}

std::optional<qint64> YamlReader::integer(const Value &value, qint64 min, qint64 max)
{
    const std::optional<QString> plain = plainScalar(value.node);
    const std::optional<qint64> number = plain ? parseInteger(*plain) : std::nullopt;
    if (!number) {
        const bool quotedNumber = value.node.IsScalar() && isQuoted(value.node)
            && parseInteger(scalarText(value.node).trimmed());
        typeError(value, u"a whole number"_s);
        if (quotedNumber)
            m_errors.last().message += u" (write numbers without quotes)"_s;
        return std::nullopt;
    }
    if (*number < min || *number > max) {
        // An upper bound that is only the storage type's limit is not a rule worth stating unless hit.
        const bool typeLimit = max == std::numeric_limits<int>::max() || max == std::numeric_limits<qint64>::max();
        QString rule;
        if (typeLimit && *number > max)
            rule = u"is too large (at most %1)"_s.arg(max);
        else if (typeLimit)
            rule = min == 1 ? u"must be a positive whole number"_s : u"must be at least %1"_s.arg(min);
        else
            rule = u"must be between %1 and %2"_s.arg(min).arg(max);
        error(value.line, value.path, u"%1, found %2"_s.arg(rule).arg(*number));
        return std::nullopt;
    }
    return number;
}

std::optional<double> YamlReader::decimal(const Value &value, double min, bool minExclusive)
{
    const std::optional<QString> plain = plainScalar(value.node);
    const std::optional<double> number = plain ? parseDecimal(*plain) : std::nullopt;
    if (!number) {
        typeError(value, u"a number"_s);
        if (value.node.IsScalar() && isQuoted(value.node) && parseDecimal(scalarText(value.node).trimmed()))
            m_errors.last().message += u" (write numbers without quotes)"_s;
        return std::nullopt;
    }
    if (minExclusive ? *number <= min : *number < min) {
        const QString rule = minExclusive ? u"must be greater than %1"_s : u"must be at least %1"_s;
        error(value.line, value.path, u"%1, found %2"_s.arg(rule.arg(min), QString::number(*number)));
        return std::nullopt;
    }
    return number;
}

std::optional<bool> YamlReader::boolean(const Value &value)
{
    const std::optional<QString> plain = plainScalar(value.node);
    const std::optional<bool> result = plain ? parseBoolean(*plain) : std::nullopt;
    if (!result)
        typeError(value, u"true or false"_s);
    return result;
}

std::optional<double> YamlReader::duration(const Value &value)
{
    const std::optional<QString> plain = plainScalar(value.node);
    const std::optional<double> seconds = plain ? parseDuration(plain->trimmed()) : std::nullopt;
    if (!seconds)
        typeError(value, u"a duration (e.g. 500ms, 2s, 1m, or a number of seconds)"_s);
    return seconds;
}

std::optional<QStringList> YamlReader::textList(const Value &value)
{
    if (!expectList(value, u"text values"_s))
        return std::nullopt;
    QStringList result;
    bool ok = true;
    for (const Value &item : elements(value)) {
        if (const auto itemText = text(item))
            result.append(*itemText);
        else
            ok = false;
    }
    return ok ? std::optional<QStringList>(result) : std::nullopt;
}

std::optional<QString> YamlReader::environmentName(const Value &value)
{
    const std::optional<QString> name = text(value);
    if (!name)
        return std::nullopt;
    static const QRegularExpression pattern(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    if (!pattern.match(*name).hasMatch()) {
        // Never echo the value: a user may have pasted the key itself here.
        error(value.line, value.path,
              u"must be the name of an environment variable (letters, digits and _, e.g. XAI_API_KEY), "
              "not the key itself"_s);
        return std::nullopt;
    }
    return name;
}

QVariant YamlReader::variant(const Value &value)
{
    const YAML::Node &node = value.node;
    if (node.IsSequence()) {
        QVariantList list;
        for (const Value &item : elements(value))
            list.append(variant(item));
        return list;
    }
    if (node.IsMap()) {
        QVariantMap map;
        if (const auto view = mapOf(value, {})) {
            for (const auto &[key, entry] : view->entries())
                map.insert(key, variant(entry));
        }
        return map;
    }
    if (!node.IsScalar())
        return {};
    const QString scalar = scalarText(node);
    if (isQuoted(node))
        return scalar;
    // YAML 1.2 core types only: a template option such as `no` must stay text.
    if (scalar == u"true"_s || scalar == u"false"_s)
        return scalar == u"true"_s;
    if (const auto number = parseInteger(scalar))
        return *number;
    if (const auto number = parseDecimal(scalar))
        return *number;
    return scalar;
}

// --- keys of a map ---------------------------------------------------------------------------------

void YamlReader::readDecimal(const MapView &map, const QString &key, double *out, double min, bool minExclusive)
{
    if (const Value *value = map.given(key)) {
        if (const auto number = decimal(*value, min, minExclusive))
            *out = *number;
    }
}

void YamlReader::readText(const MapView &map, const QString &key, QString *out, bool allowEmpty)
{
    if (const Value *value = map.given(key)) {
        if (const auto result = text(*value, allowEmpty))
            *out = *result;
    }
}

void YamlReader::readBoolean(const MapView &map, const QString &key, bool *out)
{
    if (const Value *value = map.given(key)) {
        if (const auto result = boolean(*value))
            *out = *result;
    }
}

void YamlReader::readTextList(const MapView &map, const QString &key, QStringList *out)
{
    if (const Value *value = map.given(key)) {
        if (const auto result = textList(*value))
            *out = *result;
    }
}

void YamlReader::unknownChoice(const Value &value, const QString &written, const QStringList &names)
{
    error(value.line, value.path, u"unknown value `%1`; valid values: %2"_s.arg(written, names.join(u", "_s)));
}

void YamlReader::refuseInlineKey(const MapView &map, const QString &key)
{
    if (const Value *value = map.entry(key)) {
        error(value->line, value->path,
              u"API keys are read only from the environment, never from the file: remove `%1` and set "
              "`api_key_env` to the name of the variable that holds the key"_s.arg(key));
    }
}

} // namespace agentdesk
