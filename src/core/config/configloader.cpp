#include "configloader.h"

#include <QDate>
#include "execcommand.h"
#include "misplacedkeys.h"
#include "suggestion.h"
#include "yamlerrortranslator.h"
#include "domain/textlimits.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>
#include <QVariantList>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

// The user-facing reference of every key and message is docs/organism-yaml.md; keep both in step.
//
// Conventions of this reader:
// - An error about a key's value points at the line of the key (yaml-cpp marks an empty value on the
//   following line, and a block value on its first nested line). An error about a list element
//   points at the element.
// - A key written with no value (`prompt:`) counts as not given, so defaults apply.
// - Quoted scalars are strings: `port: "8765"` is refused where a number is wanted, because YAML
//   itself makes it a string and silently converting would hide a typo elsewhere.
// - Handlers have two forms only: `handler: builtin:<name>` and `handler: {exec: [argv…], cwd: dir}`.
//   `exec:` written directly on the listener is refused with a pointer to the map form, so there is
//   exactly one way to write an exec handler.

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

QString fromStd(const std::string &text) { return QString::fromStdString(text); }

int lineOf(const YAML::Node &node)
{
    const YAML::Mark mark = node.Mark();
    return mark.line >= 0 ? mark.line + 1 : 0;
}

QString joinKey(const QString &path, const QString &key) { return path.isEmpty() ? key : path + u'.' + key; }

QString indexKey(const QString &path, qsizetype index) { return path + u'[' + QString::number(index) + u']'; }

bool isQuoted(const YAML::Node &node)
{
    // yaml-cpp tags a plain scalar "?" and a quoted or block scalar "!".
    return node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str";
}

QString describe(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Null:
        return u"nothing"_s;
    case YAML::NodeType::Sequence:
        return u"a list"_s;
    case YAML::NodeType::Map:
        return u"a map"_s;
    case YAML::NodeType::Scalar: {
        QString text = fromStd(node.Scalar());
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
    static const QHash<QString, double> unit{{u"ms"_s, 0.001}, {u"s"_s, 1}, {u"m"_s, 60}, {u"h"_s, 3600}, {QString(), 1}};
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

// The XML element name of a field: its snake_case name in PascalCase (spec §9.4).
QString elementName(const QString &field)
{
    QString element;
    for (const QString &part : field.split(u'_', Qt::SkipEmptyParts))
        element += part.at(0).toUpper() + part.mid(1);
    return element;
}

const QStringList &builtinHandlers()
{
    static const QStringList names{u"shout"_s, u"echo"_s, u"sink"_s, u"calculate"_s, u"format"_s};
    return names;
}

const QStringList &scalarFieldTypes()
{
    static const QStringList names{u"string"_s, u"integer"_s, u"decimal"_s, u"boolean"_s};
    return names;
}

const QStringList &llmProviders()
{
    // vllm, llamacpp and lmstudio are OpenAI-compatible servers; the router interprets the alias.
    // scripted: canned replies from a file, for tests (docs/testing.md).
    static const QStringList names{u"openai"_s, u"xai"_s,  u"anthropic"_s, u"ollama"_s,   u"demo"_s, u"scripted"_s,
                                   u"openai-compatible"_s,  u"vllm"_s,      u"llamacpp"_s, u"lmstudio"_s};
    return names;
}

using Ignored = QHash<QString, QString>; // key → why it has no effect here

// `Verdict: {label: string}`: a type-like name whose value is a map of fields to type names.
bool looksLikePayloadType(const QString &name, const YAML::Node &node)
{
    static const QRegularExpression typeName(u"^[A-Z][A-Za-z0-9_]*$"_s);
    static const QRegularExpression fieldName(u"^[a-z][a-z0-9_]*$"_s);
    if (!typeName.match(name).hasMatch() || !node.IsMap() || node.size() == 0)
        return false;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar() || !fieldName.match(fromStd(it->first.Scalar())).hasMatch() || !it->second.IsScalar())
            return false;
    }
    return true;
}

// `score: integer` among the payload types: a field name with a type name as its value.
bool looksLikeField(const QString &name, const YAML::Node &node)
{
    static const QRegularExpression fieldName(u"^[a-z][a-z0-9_]*$"_s);
    static const QRegularExpression typeText(u"^[A-Za-z][A-Za-z0-9_]*(\\[\\])?\\??$"_s);
    return fieldName.match(name).hasMatch() && node.IsScalar() && typeText.match(fromStd(node.Scalar()).trimmed()).hasMatch();
}

// One value in the document with the place it came from.
struct Value
{
    YAML::Node node;
    QString path;
    int line = 0; // the key's line for a map entry, the element's line for a list element

    bool isNull() const { return node.IsNull(); }
};

// The entries of one YAML map, read once so duplicate and unknown keys are reported exactly once.
class MapView
{
public:
    MapView(QString path, int line) : m_path(std::move(path)), m_line(line) {}

    const QString &path() const { return m_path; }
    int line() const { return m_line; }
    void add(const QString &key, Value value) { m_entries.append({key, std::move(value)}); }

    const Value *entry(const QString &key) const
    {
        const auto found = std::find_if(m_entries.cbegin(), m_entries.cend(),
                                        [&key](const auto &candidate) { return candidate.first == key; });
        return found == m_entries.cend() ? nullptr : &found->second;
    }
    // The value when the key is present with a non-empty value.
    const Value *given(const QString &key) const
    {
        const Value *value = entry(key);
        return value && !value->isNull() ? value : nullptr;
    }
    const QList<std::pair<QString, Value>> &entries() const { return m_entries; }

private:
    QString m_path;
    int m_line;
    QList<std::pair<QString, Value>> m_entries;
};

class Reader
{
public:
    Reader(QString fileName, QString configDirectory)
        : m_fileName(std::move(fileName)), m_configDirectory(std::move(configDirectory))
    {
    }

    void read(const YAML::Node &root, OrganismConfig *config);
    void readPriceList(const YAML::Node &root, PriceList *list);
    void error(int line, const QString &key, const QString &message)
    {
        m_errors.append({m_fileName, line, key, message});
    }
    void warn(int line, const QString &key, const QString &message)
    {
        m_warnings.append({m_fileName, line, key, message});
    }
    const QList<ConfigError> &errors() const { return m_errors; }
    const QList<ConfigWarning> &warnings() const { return m_warnings; }

private:
    // --- structure ---
    // Where an unknown key most likely belongs ("" when it is just unknown): said instead of "unknown key".
    using Misplaced = std::function<QString(const QString &key, const Value &value)>;
    std::optional<MapView> mapOf(const Value &value, const QStringList &known, const Ignored &ignored = {},
                                 const Misplaced &misplaced = {});
    bool expectList(const Value &value, const QString &whatElements);
    const Value *required(const MapView &map, const QString &key);
    void typeError(const Value &value, const QString &expected);

    // --- scalars ---
    std::optional<QString> text(const Value &value, bool allowEmpty = false);
    std::optional<qint64> integer(const Value &value, qint64 min, qint64 max);
    std::optional<double> decimal(const Value &value, double min, bool minExclusive);
    std::optional<bool> boolean(const Value &value);
    std::optional<QStringList> textList(const Value &value);
    std::optional<QString> environmentName(const Value &value);
    QVariant variant(const Value &value);

    template <typename Int>
    void readInteger(const MapView &map, const QString &key, Int *out, qint64 min,
                     qint64 max = std::numeric_limits<Int>::max())
    {
        if (const Value *value = map.given(key)) {
            if (const auto number = integer(*value, min, max))
                *out = static_cast<Int>(*number);
        }
    }
    void readDecimal(const MapView &map, const QString &key, double *out, double min, bool minExclusive);
    void readText(const MapView &map, const QString &key, QString *out, bool allowEmpty = false);
    void readBoolean(const MapView &map, const QString &key, bool *out);
    void readTextList(const MapView &map, const QString &key, QStringList *out);
    void refuseInlineKey(const MapView &map, const QString &key);

    // --- sections ---
    void readOrganism(const MapView &top, OrganismConfig *config);
    void readLimits(const MapView &top, OrganismConfig *config);
    void readPayloads(const MapView &top, OrganismConfig *config);
    std::optional<PayloadTypeSpec> readPayloadType(const QString &name, const Value &value);
    std::optional<FieldSpec> readField(const QString &name, const Value &value);
    void readListeners(const MapView &top, OrganismConfig *config);
    std::optional<ListenerConfig> readListener(const Value &value);
    void readListenerName(const Value &value, ListenerConfig *listener);
    void readPayloadClass(const Value &value, ListenerConfig *listener);
    void readPeers(const Value &value, ListenerConfig *listener);
    void readListenerHandler(const MapView &map, ListenerConfig *listener);
    void readRetry(const Value &value, RetrySpec *retry);
    void readHandler(const Value &value, HandlerSpec *handler);
    void readHandlerText(const Value &value, HandlerSpec *handler);
    void readExec(const Value &value, HandlerSpec *handler);
    void checkExecFiles(const Value &exec, const HandlerSpec &handler);
    void readLlm(const MapView &top, LlmConfig *llm);
    std::optional<LlmBackendConfig> readBackend(const Value &value);
    void readPrices(const Value &value, QMap<QString, ModelPrice> *prices);
    void readPricesFile(const Value &value, LlmConfig *llm);
    void readBudgets(const MapView &top, BudgetsConfig *budgets);
    std::optional<ScopeBudgetConfig> readScopeBudget(const Value &value);
    template <typename Enum>
    void readChoice(const MapView &map, const QString &key, Enum *out, bool (*parse)(const QString &, Enum *),
                    const QStringList &names);
    void readScriptedReplies(const MapView &map, LlmBackendConfig *backend);
    void readAuth(const MapView &top, AuthConfig *auth);
    void readApi(const MapView &top, ApiConfig *api);
    void readHosts(const Value &value, QStringList *hosts);
    void readOrigins(const Value &value, QStringList *origins);
    void readHistory(const MapView &top, HistoryConfig *history);
    void readHistoryBackend(const MapView &map, HistoryConfig *history);

    // --- cross-references, once everything is read ---
    void checkFieldTypes(const OrganismConfig &config);
    void checkRecursion(const OrganismConfig &config);
    void checkPeers();

    QString m_fileName;
    QString m_configDirectory;
    QList<ConfigError> m_errors;
    QList<ConfigWarning> m_warnings;
    struct PeerReference
    {
        QString peer;
        QString path; // listeners[i].peers[j]
        int line = 0;
    };
    // Every name written, also of entries that failed to read, so one mistake does not cascade into
    // "unknown type" or "unknown peer" errors elsewhere.
    QStringList m_declaredTypes;
    QHash<QString, QString> m_payloadTypePaths; // type name → key path, for error messages
    QHash<QString, int> m_listenerLines;         // lower-case name → line (routing is case-insensitive)
    QStringList m_listenerNames;
    QList<PeerReference> m_peers;
    QHash<QString, int> m_strayTypes; // top-level keys that look like payload types → their lines
};

// --- structure -------------------------------------------------------------------------------------

std::optional<MapView> Reader::mapOf(const Value &value, const QStringList &known, const Ignored &ignored,
                                     const Misplaced &misplaced)
{
    if (!value.node.IsMap()) {
        typeError(value, u"a map"_s);
        return std::nullopt;
    }
    MapView view(value.path, value.line);
    QHash<QString, int> firstLines;
    for (auto it = value.node.begin(); it != value.node.end(); ++it) {
        const YAML::Node &keyNode = it->first;
        const int keyLine = lineOf(keyNode);
        if (!keyNode.IsScalar()) {
            error(keyLine, value.path, u"keys must be plain names, found %1 as a key"_s.arg(describe(keyNode)));
            continue;
        }
        const QString key = fromStd(keyNode.Scalar());
        const QString path = joinKey(value.path, key);
        if (firstLines.contains(key)) {
            error(keyLine, path, u"duplicate key (first given on line %1); give each key once"_s.arg(firstLines.value(key)));
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

bool Reader::expectList(const Value &value, const QString &whatElements)
{
    if (value.node.IsSequence())
        return true;
    typeError(value, u"a list of "_s + whatElements);
    return false;
}

const Value *Reader::required(const MapView &map, const QString &key)
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

void Reader::typeError(const Value &value, const QString &expected)
{
    error(value.line, value.path, u"expected %1, found %2"_s.arg(expected, describe(value.node)));
}

// --- scalars ---------------------------------------------------------------------------------------

std::optional<QString> Reader::text(const Value &value, bool allowEmpty)
{
    if (!value.node.IsScalar()) {
        typeError(value, u"a text value"_s);
        return std::nullopt;
    }
    const QString result = fromStd(value.node.Scalar()).trimmed();
    if (result.isEmpty() && !allowEmpty) {
        error(value.line, value.path, u"must not be empty"_s);
        return std::nullopt;
    }
    return result;
}

std::optional<qint64> Reader::integer(const Value &value, qint64 min, qint64 max)
{
    const std::optional<qint64> number =
        value.node.IsScalar() && !isQuoted(value.node) ? parseInteger(fromStd(value.node.Scalar())) : std::nullopt;
    if (!number) {
        const bool quotedNumber = value.node.IsScalar() && isQuoted(value.node)
                                  && parseInteger(fromStd(value.node.Scalar()).trimmed());
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

std::optional<double> Reader::decimal(const Value &value, double min, bool minExclusive)
{
    const std::optional<double> number =
        value.node.IsScalar() && !isQuoted(value.node) ? parseDecimal(fromStd(value.node.Scalar())) : std::nullopt;
    if (!number) {
        typeError(value, u"a number"_s);
        if (value.node.IsScalar() && isQuoted(value.node) && parseDecimal(fromStd(value.node.Scalar()).trimmed()))
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

std::optional<bool> Reader::boolean(const Value &value)
{
    const std::optional<bool> result =
        value.node.IsScalar() && !isQuoted(value.node) ? parseBoolean(fromStd(value.node.Scalar())) : std::nullopt;
    if (!result)
        typeError(value, u"true or false"_s);
    return result;
}

std::optional<QStringList> Reader::textList(const Value &value)
{
    if (!expectList(value, u"text values"_s))
        return std::nullopt;
    QStringList result;
    bool ok = true;
    qsizetype index = 0;
    for (const YAML::Node &element : value.node) {
        const Value item{element, indexKey(value.path, index++), lineOf(element)};
        if (const auto itemText = text(item))
            result.append(*itemText);
        else
            ok = false;
    }
    return ok ? std::optional<QStringList>(result) : std::nullopt;
}

std::optional<QString> Reader::environmentName(const Value &value)
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

QVariant Reader::variant(const Value &value)
{
    const YAML::Node &node = value.node;
    if (node.IsSequence()) {
        QVariantList list;
        qsizetype index = 0;
        for (const YAML::Node &element : node)
            list.append(variant(Value{element, indexKey(value.path, index++), lineOf(element)}));
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
    const QString scalar = fromStd(node.Scalar());
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

void Reader::readDecimal(const MapView &map, const QString &key, double *out, double min, bool minExclusive)
{
    if (const Value *value = map.given(key)) {
        if (const auto number = decimal(*value, min, minExclusive))
            *out = *number;
    }
}

void Reader::readText(const MapView &map, const QString &key, QString *out, bool allowEmpty)
{
    if (const Value *value = map.given(key)) {
        if (const auto result = text(*value, allowEmpty))
            *out = *result;
    }
}

void Reader::readBoolean(const MapView &map, const QString &key, bool *out)
{
    if (const Value *value = map.given(key)) {
        if (const auto result = boolean(*value))
            *out = *result;
    }
}

void Reader::readTextList(const MapView &map, const QString &key, QStringList *out)
{
    if (const Value *value = map.given(key)) {
        if (const auto result = textList(*value))
            *out = *result;
    }
}

void Reader::refuseInlineKey(const MapView &map, const QString &key)
{
    if (const Value *value = map.entry(key)) {
        error(value->line, value->path,
              u"API keys are read only from the environment, never from the file: remove `%1` and set "
              "`api_key_env` to the name of the variable that holds the key"_s.arg(key));
    }
}

// --- top level -------------------------------------------------------------------------------------

void Reader::read(const YAML::Node &root, OrganismConfig *config)
{
    static const QStringList known{
        u"organism"_s,        u"thread_scheduling"_s,        u"max_concurrent_pipelines"_s,
        u"max_concurrent_handlers"_s, u"max_concurrent_per_agent"_s, u"max_tokens_per_thread"_s,
        u"max_queue_depth"_s, u"max_message_depth"_s,        u"payloads"_s,
        u"listeners"_s,       u"llm"_s,                      u"auth"_s,
        u"api"_s,             u"history"_s,                  u"resume_on_start"_s,
        u"budgets"_s};
    static const Ignored ignored{
        {u"backend"_s, u"agentdesk always keeps shared state in its own process (no Redis backend)"_s},
        {u"oob"_s, u"agentdesk has no out-of-band channel; use the REST API to control the organism"_s},
        {u"peer_tables"_s, u"thread-scoped privilege tiers are not supported; use each listener's `peers`"_s},
        {u"network"_s, u"the port gate is not supported; the API listens on `organism.port` at `api.bind`"_s},
        {u"tools"_s, u"WASM tools are not supported"_s},
        {u"shell"_s, u"the shell tool is not supported"_s},
        {u"compiler"_s, u"the compiler tool is not supported"_s},
        {u"meta"_s, u"documentation only (the original did not enforce it either)"_s},
        {u"gateways"_s, u"documentation only (the original did not enforce it either)"_s},
        {u"process_pool"_s, u"there is no Python process pool; `exec:` handlers already run in their own processes"_s},
        {u"llm_backends"_s, u"this is the CLI loader's schema; write `llm: {backends: [...]}` instead"_s},
        {u"server"_s, u"this is the CLI loader's schema; use `organism.port` and `api.bind` instead"_s},
    };
    int payloadsLine = 0;
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == "payloads")
            payloadsLine = lineOf(it->first);
    }
    const std::optional<MapView> top =
        mapOf(Value{root, QString(), lineOf(root)}, known, ignored, [this, payloadsLine](const QString &key, const Value &value) {
            if (looksLikePayloadType(key, value.node)) {
                m_strayTypes.insert(key, value.line);
                return MisplacedKeys::payloadTypeAtTopLevel(key, payloadsLine);
            }
            return MisplacedKeys::atTopLevel(key);
        });
    if (!top)
        return;
    readLimits(*top, config);
    readOrganism(*top, config);
    readPayloads(*top, config);
    readListeners(*top, config);
    readLlm(*top, &config->llm);
    readBudgets(*top, &config->budgets);
    readAuth(*top, &config->auth);
    readApi(*top, &config->api);
    readHistory(*top, &config->history);
    checkFieldTypes(*config);
    checkRecursion(*config);
    checkPeers();
}

void Reader::readOrganism(const MapView &top, OrganismConfig *config)
{
    static const QStringList known{u"name"_s, u"port"_s, u"identity"_s, u"description"_s,
                                   u"max_tokens_per_thread"_s};
    static const Ignored ignored{
        {u"tls"_s, u"agentdesk serves plain HTTP and WebSocket; put a TLS-terminating reverse proxy in front"_s}};
    const Value *section = top.given(u"organism"_s);
    if (!section)
        return;
    const std::optional<MapView> organism = mapOf(*section, known, ignored);
    if (!organism)
        return;
    readText(*organism, u"name"_s, &config->name);
    readText(*organism, u"identity"_s, &config->identity, true);
    readText(*organism, u"description"_s, &config->description, true);
    readInteger(*organism, u"port"_s, &config->api.port, 1, 65535);

    // Documented under organism: but only honoured at the top level by the original (§11 #19).
    const Value *misplaced = organism->given(u"max_tokens_per_thread"_s);
    if (!misplaced)
        return;
    if (const Value *topLevel = top.given(u"max_tokens_per_thread"_s)) {
        warn(misplaced->line, misplaced->path,
             u"ignored: the top-level max_tokens_per_thread (line %1) takes precedence; remove this one"_s
                 .arg(topLevel->line));
        integer(*misplaced, 1, std::numeric_limits<qint64>::max()); // still report a wrong value
        return;
    }
    if (const auto number = integer(*misplaced, 1, std::numeric_limits<qint64>::max())) {
        config->maxTokensPerThread = *number;
        warn(misplaced->line, misplaced->path,
             u"deprecated placement: move max_tokens_per_thread to the top level (used here because the "
             "top level does not set it)"_s);
    }
}

void Reader::readLimits(const MapView &top, OrganismConfig *config)
{
    if (const Value *value = top.given(u"thread_scheduling"_s)) {
        if (const auto policy = text(*value)) {
            const QString normalized = policy->toLower().replace(u'_', u'-');
            if (normalized == u"breadth-first"_s)
                config->scheduling = SchedulingPolicy::BreadthFirst;
            else if (normalized == u"depth-first"_s)
                config->scheduling = SchedulingPolicy::DepthFirst;
            else
                error(value->line, value->path,
                      u"unknown scheduling `%1`; expected breadth-first or depth-first"_s.arg(*policy));
        }
    }
    readInteger(top, u"max_concurrent_pipelines"_s, &config->maxConcurrentPipelines, 1);
    readInteger(top, u"max_concurrent_handlers"_s, &config->maxConcurrentHandlers, 1);
    readInteger(top, u"max_concurrent_per_agent"_s, &config->maxConcurrentPerAgent, 1);
    readInteger(top, u"max_tokens_per_thread"_s, &config->maxTokensPerThread, 1);
    readInteger(top, u"max_queue_depth"_s, &config->maxQueueDepth, 1);
    readInteger(top, u"max_message_depth"_s, &config->maxMessageDepth, 1);
    readBoolean(top, u"resume_on_start"_s, &config->resumeOnStart);
}

// --- payloads --------------------------------------------------------------------------------------

void Reader::readPayloads(const MapView &top, OrganismConfig *config)
{
    const Value *section = top.given(u"payloads"_s);
    if (!section)
        return;
    const std::optional<MapView> types = mapOf(*section, {});
    if (!types)
        return;
    for (const auto &[name, value] : types->entries()) {
        if (!looksLikeField(name, value.node))
            m_declaredTypes.append(name);
    }
    QString previousType;
    int previousLine = 0;
    for (const auto &[name, value] : types->entries()) {
        if (looksLikeField(name, value.node)) {
            error(value.line, value.path,
                  MisplacedKeys::fieldAmongTypes(name, fromStd(value.node.Scalar()).trimmed(), previousType, previousLine));
            continue;
        }
        if (auto type = readPayloadType(name, value)) {
            m_payloadTypePaths.insert(type->name, value.path);
            config->payloads.append(std::move(*type));
        }
        previousType = name;
        previousLine = value.line;
    }
}

std::optional<PayloadTypeSpec> Reader::readPayloadType(const QString &name, const Value &value)
{
    static const QRegularExpression typeName(u"^[A-Z][A-Za-z0-9_]*$"_s);
    bool ok = true;
    if (!typeName.match(name).hasMatch()) {
        error(value.line, value.path,
              u"`%1` is not a valid type name: use letters, digits and _, starting with an upper-case letter "
              "(e.g. Greeting)"_s.arg(name));
        ok = false;
    }
    if (value.isNull()) {
        error(value.line, value.path, u"a payload type needs at least one field, e.g. `%1: {name: string}`"_s.arg(name));
        return std::nullopt;
    }
    const std::optional<MapView> fields = mapOf(value, {});
    if (!fields)
        return std::nullopt;
    if (fields->entries().isEmpty()) {
        error(value.line, value.path, u"a payload type needs at least one field, e.g. `%1: {name: string}`"_s.arg(name));
        return std::nullopt;
    }
    PayloadTypeSpec type{name, {}, value.line};
    QHash<QString, QString> elements; // element name → field, to catch two fields that share one element
    for (const auto &[fieldName, fieldValue] : fields->entries()) {
        std::optional<FieldSpec> field = readField(fieldName, fieldValue);
        if (!field) {
            ok = false;
            continue;
        }
        const QString element = elementName(field->name);
        if (elements.contains(element)) {
            error(fieldValue.line, fieldValue.path,
                  u"fields `%1` and `%2` would both be the XML element <%3>; rename one"_s.arg(
                      elements.value(element), field->name, element));
            ok = false;
        }
        elements.insert(element, field->name);
        type.fields.append(std::move(*field));
    }
    return ok ? std::optional<PayloadTypeSpec>(std::move(type)) : std::nullopt;
}

std::optional<FieldSpec> Reader::readField(const QString &name, const Value &value)
{
    static const QRegularExpression fieldName(u"^[a-z][a-z0-9_]*$"_s);
    static const QRegularExpression baseName(u"^[A-Za-z][A-Za-z0-9_]*$"_s);
    bool ok = true;
    if (!fieldName.match(name).hasMatch()) {
        error(value.line, value.path,
              u"`%1` is not a valid field name: use snake_case (lower-case letters, digits and _, starting "
              "with a letter)"_s.arg(name));
        ok = false;
    }
    if (value.isNull()) {
        error(value.line, value.path, u"needs a type: string, integer, decimal, boolean or a declared type"_s);
        return std::nullopt;
    }
    const std::optional<QString> written = text(value);
    if (!written)
        return std::nullopt;
    FieldSpec field{name, *written, false, false, value.line};
    if (field.type.endsWith(u'?')) {
        field.optional = true;
        field.type.chop(1);
    }
    if (field.type.endsWith(u"[]"_s)) {
        field.list = true;
        field.type.chop(2);
    }
    field.type = field.type.trimmed();
    if (!baseName.match(field.type).hasMatch()) {
        const bool misordered = written->contains(u'?') || written->contains(u"[]"_s);
        error(value.line, value.path,
              misordered ? u"cannot read type `%1`: write a type name, then [] for a list, then ? for optional "
                           "(e.g. string[]?)"_s.arg(*written)
                         : u"cannot read type `%1`: expected string, integer, decimal, boolean or a declared "
                           "type name"_s.arg(*written));
        return std::nullopt;
    }
    return ok ? std::optional<FieldSpec>(std::move(field)) : std::nullopt;
}

void Reader::checkFieldTypes(const OrganismConfig &config)
{
    static const QHash<QString, QString> aliases{
        {u"str"_s, u"string"_s},     {u"text"_s, u"string"_s},     {u"int"_s, u"integer"_s},
        {u"float"_s, u"decimal"_s},  {u"double"_s, u"decimal"_s},  {u"number"_s, u"decimal"_s},
        {u"bool"_s, u"boolean"_s}};
    const QStringList &declared = m_declaredTypes;
    for (const PayloadTypeSpec &type : config.payloads) {
        for (const FieldSpec &field : type.fields) {
            if (scalarFieldTypes().contains(field.type) || declared.contains(field.type))
                continue;
            const QString path = joinKey(m_payloadTypePaths.value(type.name), field.name);
            QString message = u"unknown type `%1`; "_s.arg(field.type);
            const QString guess = aliases.contains(field.type.toLower())
                                      ? aliases.value(field.type.toLower())
                                      : Suggestion::closest(field.type, scalarFieldTypes() + declared);
            if (!guess.isEmpty())
                message += u"did you mean `%1`? "_s.arg(guess);
            message += u"use string, integer, decimal, boolean or a declared type"_s;
            message += declared.isEmpty() ? u" (none declared)"_s
                                          : u" (declared: %1)"_s.arg(declared.join(u", "_s));
            error(field.line, path, message);
        }
    }
}

void Reader::checkRecursion(const OrganismConfig &config)
{
    // Depth-first search over "type A has a field of type B"; every back edge closes a cycle. A
    // recursive type has no finite XML instance the schema could demand, so it is refused outright,
    // also through lists and optional fields.
    enum class Mark { New, Open, Done };
    QHash<QString, Mark> marks;
    QStringList stack;
    std::function<void(const PayloadTypeSpec &)> visit = [&](const PayloadTypeSpec &type) {
        marks.insert(type.name, Mark::Open);
        stack.append(type.name);
        for (const FieldSpec &field : type.fields) {
            const PayloadTypeSpec *target = config.payloadType(field.type);
            if (!target)
                continue;
            const Mark mark = marks.value(target->name, Mark::New);
            if (mark == Mark::Open) {
                QStringList cycle = stack.mid(stack.indexOf(target->name));
                cycle.append(target->name);
                error(field.line, joinKey(m_payloadTypePaths.value(type.name), field.name),
                      u"type `%1` contains itself (%2); recursive payload types are not supported"_s.arg(
                          target->name, cycle.join(u" → "_s)));
            } else if (mark == Mark::New) {
                visit(*target);
            }
        }
        stack.removeLast();
        marks.insert(type.name, Mark::Done);
    };
    for (const PayloadTypeSpec &type : config.payloads) {
        if (marks.value(type.name, Mark::New) == Mark::New)
            visit(type);
    }
}

// --- listeners -------------------------------------------------------------------------------------

void Reader::readListeners(const MapView &top, OrganismConfig *config)
{
    const Value *section = top.given(u"listeners"_s);
    if (!section)
        return;
    if (section->node.IsMap() && (section->node["directory"] || section->node["include"])) {
        error(section->line, section->path,
              u"split listener files (listeners: {directory, include}) are not supported; write the listeners "
              "here as a list"_s);
        return;
    }
    if (!expectList(*section, u"listener entries (- name: …)"_s))
        return;
    qsizetype index = 0;
    for (const YAML::Node &element : section->node) {
        const Value value{element, indexKey(section->path, index++), lineOf(element)};
        if (std::optional<ListenerConfig> listener = readListener(value))
            config->listeners.append(std::move(*listener));
    }
}

std::optional<ListenerConfig> Reader::readListener(const Value &value)
{
    static const QStringList known{u"name"_s,   u"description"_s, u"payload_class"_s, u"handler"_s,
                                   u"agent"_s,  u"peers"_s,       u"broadcast"_s,     u"prompt"_s,
                                   u"model"_s,  u"timeout_seconds"_s, u"options"_s,   u"exec"_s,
                                   u"cwd"_s,    u"max_tokens"_s,  u"temperature"_s,   u"tool_mode"_s,
                                   u"max_tool_retries"_s, u"retry"_s, u"require_reply"_s};
    static const Ignored ignored{
        {u"trusted"_s, u"exec handlers always run in their own process and built-ins are part of agentdesk"_s},
        {u"handler_sha256"_s, u"there is no Python module to verify; an exec handler runs the program as configured"_s},
        {u"cpu_bound"_s, u"only meant for the original's Python process pool"_s}};

    if (value.isNull()) {
        error(value.line, value.path, u"empty listener entry; expected a map with name, description, "
                                      "payload_class and handler"_s);
        return std::nullopt;
    }
    const std::optional<MapView> map = mapOf(value, known, ignored);
    if (!map)
        return std::nullopt;
    const qsizetype errorsBefore = m_errors.size();
    ListenerConfig listener;
    listener.line = value.line;

    if (const Value *name = required(*map, u"name"_s))
        readListenerName(*name, &listener);
    if (const Value *description = required(*map, u"description"_s)) {
        if (const auto descriptionText = text(*description))
            listener.description = *descriptionText;
    }
    if (const Value *payloadClass = required(*map, u"payload_class"_s))
        readPayloadClass(*payloadClass, &listener);
    const qsizetype errorsBeforeAgent = m_errors.size();
    readBoolean(*map, u"agent"_s, &listener.agent);
    // With an unreadable `agent` it is unknown whether a handler is needed: do not guess.
    const bool kindKnown = m_errors.size() == errorsBeforeAgent;
    readBoolean(*map, u"broadcast"_s, &listener.broadcast);
    if (const Value *peers = map->given(u"peers"_s))
        readPeers(*peers, &listener);
    readText(*map, u"prompt"_s, &listener.prompt, true);
    readText(*map, u"model"_s, &listener.model);
    if (const Value *maxTokens = map->given(u"max_tokens"_s)) {
        if (const auto number = integer(*maxTokens, 1, std::numeric_limits<int>::max()))
            listener.maxTokens = int(*number);
    }
    if (const Value *temperature = map->given(u"temperature"_s)) {
        if (const auto number = decimal(*temperature, 0, false))
            listener.temperature = *number;
    }
    readChoice(*map, u"tool_mode"_s, &listener.toolMode, &parseLlmToolMode, {u"auto"_s, u"native"_s, u"xml"_s});
    readInteger(*map, u"max_tool_retries"_s, &listener.maxToolRetries, 0, 10);
    readBoolean(*map, u"require_reply"_s, &listener.requireReply);
    if (const Value *requireReply = map->given(u"require_reply"_s); requireReply && kindKnown && !listener.agent)
        warn(requireReply->line, requireReply->path,
             u"ignored: only an LLM agent (`agent: true`) replies in prose; other handlers always say what they "
             "send"_s);
    readDecimal(*map, u"timeout_seconds"_s, &listener.timeoutSeconds, 0, true);
    if (const Value *retry = map->given(u"retry"_s))
        readRetry(*retry, &listener.retry);
    if (const Value *options = map->given(u"options"_s)) {
        if (options->node.IsMap())
            listener.options = variant(*options).toMap();
        else
            typeError(*options, u"a map of options"_s);
    }
    for (const QString &inlineKey : {u"exec"_s, u"cwd"_s}) {
        if (const Value *misplaced = map->entry(inlineKey))
            error(misplaced->line, misplaced->path,
                  u"`%1` belongs under handler: write `handler: {exec: [program, args…], cwd: dir}`"_s.arg(inlineKey));
    }

    if (kindKnown)
        readListenerHandler(*map, &listener);
    if (m_errors.size() > errorsBefore)
        return std::nullopt;
    return listener;
}

// retry: {attempts: 3, backoff: 2s}
void Reader::readRetry(const Value &value, RetrySpec *retry)
{
    const std::optional<MapView> map = mapOf(value, {u"attempts"_s, u"backoff"_s});
    if (!map)
        return;
    retry->line = value.line;
    if (const Value *attempts = required(*map, u"attempts"_s)) {
        if (const auto number = integer(*attempts, 1, 100))
            retry->attempts = int(*number);
    }
    const Value *backoff = map->given(u"backoff"_s);
    if (!backoff)
        return;
    const std::optional<double> seconds =
        backoff->node.IsScalar() && !isQuoted(backoff->node) ? parseDuration(fromStd(backoff->node.Scalar()).trimmed())
                                                            : std::nullopt;
    if (!seconds)
        typeError(*backoff, u"a duration (e.g. 500ms, 2s, 1m, or a number of seconds)"_s);
    else if (*seconds <= 0 || *seconds > 3600)
        error(backoff->line, backoff->path,
              u"must be more than 0 and at most an hour, found %1 s"_s.arg(QString::number(*seconds)));
    else
        retry->backoffSeconds = *seconds;
}

void Reader::readPeers(const Value &value, ListenerConfig *listener)
{
    const std::optional<QStringList> names = textList(value);
    if (!names)
        return;
    listener->peers = *names;
    // Checked once every listener is known; remember where each was written.
    for (qsizetype i = 0; i < names->size(); ++i)
        m_peers.append({names->at(i), indexKey(value.path, i), lineOf(value.node[static_cast<std::size_t>(i)])});
}

void Reader::readListenerHandler(const MapView &map, ListenerConfig *listener)
{
    const Value *handler = map.given(u"handler"_s);
    if (listener->agent) {
        listener->handler.kind = HandlerSpec::Kind::Agent;
        listener->handler.line = map.line();
        if (handler)
            warn(handler->line, handler->path,
                 u"ignored: an agent's handler is the LLM (its prompt and model); remove `handler`"_s);
    } else if (handler) {
        readHandler(*handler, &listener->handler);
    } else {
        const Value *empty = map.entry(u"handler"_s);
        error(empty ? empty->line : map.line(), joinKey(map.path(), u"handler"_s),
              u"is required: `builtin:<name>`, `{exec: [program, args…]}`, or set `agent: true` for an LLM agent"_s);
    }
}

void Reader::readListenerName(const Value &value, ListenerConfig *listener)
{
    static const QRegularExpression pattern(u"^[A-Za-z][A-Za-z0-9_]*([.-][A-Za-z0-9_]+)*$"_s);
    const std::optional<QString> name = text(value);
    if (!name)
        return;
    listener->name = *name;
    const QString folded = name->toLower();
    if (m_listenerLines.contains(folded)) {
        error(value.line, value.path,
              u"duplicate listener name `%1` (first on line %2; names are compared ignoring case)"_s.arg(*name).arg(
                  m_listenerLines.value(folded)));
        return;
    }
    m_listenerLines.insert(folded, value.line);
    m_listenerNames.append(*name);
    if (characterCount(*name) > kMaxClientTextLength) {
        // Names travel in URLs, filters and every message; the API refuses longer ones from clients.
        error(value.line, value.path,
              u"is too long (%1 characters, at most %2): shorten the listener's name"_s.arg(characterCount(*name))
                  .arg(kMaxClientTextLength));
    } else if (!pattern.match(*name).hasMatch()) {
        error(value.line, value.path,
              u"`%1` is not a valid listener name: use letters, digits and _, separated by single dots or "
              "dashes, starting with a letter (e.g. calculator.add, response-handler)"_s.arg(*name));
    } else if (folded == u"system"_s || folded.startsWith(u"system."_s)) {
        error(value.line, value.path,
              u"`%1`: names starting with system. are reserved for the organism's own listeners"_s.arg(*name));
    }
}

void Reader::readPayloadClass(const Value &value, ListenerConfig *listener)
{
    static const QRegularExpression dotted(u"^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$"_s);
    const std::optional<QString> written = text(value);
    if (!written)
        return;
    listener->payloadClass = *written;
    if (!dotted.match(*written).hasMatch()) {
        error(value.line, value.path,
              u"`%1` is not a type name (e.g. Greeting) or a dotted path ending in one "
              "(e.g. handlers.hello.Greeting)"_s.arg(*written));
        return;
    }
    // The original named a Python class by import path; only its class name carries over.
    listener->payloadType = written->section(u'.', -1);
    if (m_declaredTypes.contains(listener->payloadType))
        return;
    if (m_strayTypes.contains(listener->payloadType)) {
        error(value.line, value.path,
              u"`%1` is not a declared payload type: the `%1` on line %2 is at the top level, not under `payloads:`; "
              "indent it under `payloads:`"_s.arg(listener->payloadType).arg(m_strayTypes.value(listener->payloadType)));
        return;
    }
    const QString hint = m_declaredTypes.isEmpty()
                             ? u"no payload types are declared: add them under `payloads:`, e.g. "
                               "`payloads: {%1: {name: string}}`"_s.arg(listener->payloadType)
                             : u"declared types: %1"_s.arg(m_declaredTypes.join(u", "_s));
    const QString guess = Suggestion::didYouMean(listener->payloadType, m_declaredTypes);
    error(value.line, value.path,
          written->contains(u'.') ? u"`%1` names no declared payload type `%2`%3; %4"_s.arg(*written, listener->payloadType, guess, hint)
                                  : u"`%1` is not a declared payload type%2; %3"_s.arg(*written, guess, hint));
}

void Reader::readHandler(const Value &value, HandlerSpec *handler)
{
    handler->line = value.line;
    if (value.node.IsScalar())
        readHandlerText(value, handler);
    else if (value.node.IsMap())
        readExec(value, handler);
    else
        typeError(value, u"`builtin:<name>` or a map {exec: [program, args…]}"_s);
}

void Reader::readHandlerText(const Value &value, HandlerSpec *handler)
{
    static const QRegularExpression pythonPath(u"^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+$"_s);
    const std::optional<QString> written = text(value);
    if (!written)
        return;
    const QString validList = builtinHandlers().join(u", "_s);
    if (written->startsWith(u"builtin:"_s)) {
        const QString name = written->mid(8).trimmed();
        if (!builtinHandlers().contains(name)) {
            error(value.line, value.path,
                  u"unknown built-in handler `%1`%2; valid built-ins: %3"_s.arg(
                      name, Suggestion::didYouMean(name, builtinHandlers()), validList));
            return;
        }
        handler->kind = HandlerSpec::Kind::Builtin;
        handler->builtin = name;
    } else if (written->startsWith(u"exec:"_s) || written->startsWith(u"exec "_s)) {
        error(value.line, value.path,
              u"write an exec handler as a map with an argument list: `handler: {exec: [program, args…]}` "
              "(no shell is involved, so each argument is its own list item)"_s);
    } else if (builtinHandlers().contains(*written)) {
        error(value.line, value.path, u"write built-in handlers with their prefix: `builtin:%1`"_s.arg(*written));
    } else if (pythonPath.match(*written).hasMatch()) {
        error(value.line, value.path,
              u"`%1` is a Python import path. Python handlers cannot run in agentdesk; use `builtin:<name>` or "
              "`exec: [python3, path/to/handler.py]` (see docs/exec-protocol.md)"_s.arg(*written));
    } else {
        error(value.line, value.path,
              u"expected `builtin:<name>` (one of %1) or a map {exec: [program, args…]}, found %2"_s.arg(
                  validList, describe(value.node)));
    }
}

void Reader::readExec(const Value &value, HandlerSpec *handler)
{
    const std::optional<MapView> map = mapOf(value, {u"exec"_s, u"cwd"_s});
    if (!map)
        return;
    const qsizetype errorsBefore = m_errors.size();
    handler->kind = HandlerSpec::Kind::Exec;
    if (const Value *exec = required(*map, u"exec"_s)) {
        if (exec->node.IsScalar()) {
            error(exec->line, exec->path,
                  u"expected a list [program, args…], found %1 (no shell is involved, so each argument is its "
                  "own list item)"_s.arg(describe(exec->node)));
        } else if (const auto argv = textList(*exec)) {
            if (argv->isEmpty())
                error(exec->line, exec->path, u"needs at least the program to run: [program, args…]"_s);
            handler->argv = *argv;
        }
    }
    QString directory = m_configDirectory;
    if (const Value *cwd = map->given(u"cwd"_s)) {
        if (const auto written = text(*cwd)) {
            directory = QDir::isAbsolutePath(*written) || m_configDirectory.isEmpty()
                            ? QDir::cleanPath(*written)
                            : QDir::cleanPath(m_configDirectory + u'/' + *written);
            if (QDir::isAbsolutePath(directory) && !QFileInfo(directory).isDir())
                error(cwd->line, cwd->path, u"working directory does not exist: %1"_s.arg(directory));
        }
    }
    handler->workingDirectory = directory;
    if (const Value *exec = map->given(u"exec"_s); exec && !handler->argv.isEmpty() && m_errors.size() == errorsBefore)
        checkExecFiles(*exec, *handler);
}

// A program or script that is not there is a load error (a reload is refused), not a handler that
// fails every message at run time. A relative path needs a directory: text loaded without one skips it.
void Reader::checkExecFiles(const Value &exec, const HandlerSpec &handler)
{
    const QString &directory = handler.workingDirectory;
    const bool anchored = QDir::isAbsolutePath(directory);
    const QString &program = handler.argv.first();
    const auto element = [&exec](qsizetype index) {
        return Value{exec.node[static_cast<std::size_t>(index)], indexKey(exec.path, index),
                     lineOf(exec.node[static_cast<std::size_t>(index)])};
    };
    if (anchored || !program.contains(u'/')) {
        const ExecCommand::Program found =
            ExecCommand::resolveProgram(handler.argv, anchored ? directory : QDir::currentPath());
        const Value first = element(0);
        switch (found.problem) {
        case ExecCommand::Program::Problem::None:
        case ExecCommand::Program::Problem::NoProgram:
        case ExecCommand::Program::Problem::NoDirectory: // reported for cwd
            break;
        case ExecCommand::Program::Problem::NotOnPath:
            error(first.line, first.path,
                  u"program `%1` is not on PATH%2; install it, or give its path (relative to the working "
                  "directory, e.g. ./handlers/run.sh)"_s.arg(program, Suggestion::didYouMean(program, ExecCommand::interpreters())));
            return;
        case ExecCommand::Program::Problem::NotFound:
            error(first.line, first.path, u"program `%1` not found (looked for %2)"_s.arg(program, found.lookedFor));
            return;
        case ExecCommand::Program::Problem::NotExecutable:
            error(first.line, first.path,
                  u"%1 is not an executable file: make it one (chmod +x), or run it through its interpreter "
                  "(e.g. `exec: [python3, %2]`)"_s.arg(found.lookedFor, program));
            return;
        }
    }
    const qsizetype scriptAt = ExecCommand::scriptIndex(handler.argv);
    if (scriptAt < 0)
        return;
    const QString &script = handler.argv.at(scriptAt);
    if (!anchored && !QDir::isAbsolutePath(script))
        return;
    const QFileInfo file(QDir(directory), script);
    if (file.isFile())
        return;
    const Value at = element(scriptAt);
    error(at.line, at.path,
          u"script `%1` not found (looked for %2; a relative path is taken from the working directory: `cwd`, "
          "else the directory of organism.yaml)"_s.arg(script, QDir::cleanPath(file.absoluteFilePath())));
}

void Reader::checkPeers()
{
    for (const PeerReference &reference : std::as_const(m_peers)) {
        if (!m_listenerNames.contains(reference.peer))
            error(reference.line, reference.path,
                  u"peer `%1` is not a listener in this file%2; listeners: %3"_s.arg(
                      reference.peer, Suggestion::didYouMean(reference.peer, m_listenerNames),
                      m_listenerNames.join(u", "_s)));
    }
}

// --- llm, auth, api, history -----------------------------------------------------------------------

void Reader::readLlm(const MapView &top, LlmConfig *llm)
{
    static const QStringList known{u"strategy"_s,        u"retries"_s,  u"retry_base_delay"_s,
                                   u"retry_max_delay"_s, u"backends"_s, u"prices"_s,
                                   u"prices_file"_s};
    const Value *section = top.given(u"llm"_s);
    if (!section)
        return;
    const std::optional<MapView> map = mapOf(*section, known);
    if (!map)
        return;
    if (const Value *strategy = map->given(u"strategy"_s)) {
        if (const auto written = text(*strategy)) {
            const QString normalized = written->toLower().replace(u'_', u'-');
            static const QStringList strategies{u"failover"_s, u"round-robin"_s, u"least-loaded"_s};
            if (strategies.contains(normalized))
                llm->strategy = normalized;
            else
                error(strategy->line, strategy->path,
                      u"unknown strategy `%1`%2; valid strategies: %3"_s.arg(
                          *written, Suggestion::didYouMean(normalized, strategies), strategies.join(u", "_s)));
        }
    }
    readInteger(*map, u"retries"_s, &llm->retries, 0);
    readDecimal(*map, u"retry_base_delay"_s, &llm->retryBaseDelay, 0, true);
    readDecimal(*map, u"retry_max_delay"_s, &llm->retryMaxDelay, 0, true);
    if (llm->retryBaseDelay > llm->retryMaxDelay) {
        const Value *base = map->given(u"retry_base_delay"_s);
        warn(base ? base->line : map->line(), joinKey(map->path(), u"retry_base_delay"_s),
             u"is larger than retry_max_delay (%1 > %2): every retry waits retry_max_delay"_s.arg(
                 QString::number(llm->retryBaseDelay), QString::number(llm->retryMaxDelay)));
    }
    if (const Value *backends = map->given(u"backends"_s); backends && expectList(*backends, u"backends"_s)) {
        QHash<QString, int> lines;
        qsizetype index = 0;
        for (const YAML::Node &element : backends->node) {
            const Value value{element, indexKey(backends->path, index++), lineOf(element)};
            std::optional<LlmBackendConfig> backend = readBackend(value);
            if (!backend)
                continue;
            if (lines.contains(backend->name)) {
                error(backend->line, joinKey(value.path, u"name"_s),
                      u"duplicate backend name `%1` (first on line %2); give each backend its own name"_s.arg(
                          backend->name)
                          .arg(lines.value(backend->name)));
                continue;
            }
            lines.insert(backend->name, backend->line);
            llm->backends.append(std::move(*backend));
        }
    }
    if (const Value *prices = map->given(u"prices"_s))
        readPrices(*prices, &llm->prices);
    if (const Value *file = map->given(u"prices_file"_s))
        readPricesFile(*file, llm);
}

std::optional<LlmBackendConfig> Reader::readBackend(const Value &value)
{
    static const QStringList known{u"provider"_s,       u"name"_s,      u"api_key_env"_s,    u"api_key"_s,
                                   u"base_url"_s,       u"models"_s,    u"supported_models"_s, u"priority"_s,
                                   u"rate_limit_tpm"_s, u"max_concurrent"_s, u"timeout"_s,
                                   u"idle_timeout"_s,   u"stream"_s,    u"tool_mode"_s,    u"replies"_s};
    const std::optional<MapView> map = mapOf(value, known);
    if (!map)
        return std::nullopt;
    const int errorsBefore = static_cast<int>(m_errors.size());
    LlmBackendConfig backend;
    backend.line = value.line;
    if (const Value *provider = required(*map, u"provider"_s)) {
        if (const auto written = text(*provider)) {
            if (llmProviders().contains(written->toLower()))
                backend.provider = written->toLower();
            else
                error(provider->line, provider->path,
                      u"unknown provider `%1`%2; valid providers: %3"_s.arg(
                          *written, Suggestion::didYouMean(*written, llmProviders()), llmProviders().join(u", "_s)));
        }
    }
    backend.name = backend.provider;
    readText(*map, u"name"_s, &backend.name);
    refuseInlineKey(*map, u"api_key"_s);
    if (const Value *env = map->given(u"api_key_env"_s)) {
        if (const auto name = environmentName(*env))
            backend.apiKeyEnv = *name;
    }
    if (const Value *baseUrl = map->given(u"base_url"_s)) {
        if (const auto written = text(*baseUrl)) {
            const QUrl url(*written, QUrl::StrictMode);
            if (!url.isValid() || url.host().isEmpty()
                || (url.scheme() != u"http"_s && url.scheme() != u"https"_s))
                error(baseUrl->line, baseUrl->path,
                      u"expected an http:// or https:// URL, found %1"_s.arg(describe(baseUrl->node)));
            else
                backend.baseUrl = *written;
        }
    }
    const Value *models = map->given(u"models"_s);
    const Value *supported = map->given(u"supported_models"_s);
    if (models && supported)
        error(supported->line, supported->path,
              u"give either models or supported_models (the same list), not both"_s);
    else
        readTextList(*map, models ? u"models"_s : u"supported_models"_s, &backend.models);
    readInteger(*map, u"priority"_s, &backend.priority, std::numeric_limits<int>::min());
    readInteger(*map, u"rate_limit_tpm"_s, &backend.rateLimitTpm, 1);
    readInteger(*map, u"max_concurrent"_s, &backend.maxConcurrent, 1);
    readDecimal(*map, u"timeout"_s, &backend.timeoutSeconds, 0, true);
    readDecimal(*map, u"idle_timeout"_s, &backend.idleTimeoutSeconds, 0, true);
    // Cloud providers stream by default (time to first token, live text, idle timeouts); local
    // servers and the demo answer in one piece unless told otherwise.
    static const QStringList streamingByDefault{u"openai"_s, u"xai"_s, u"anthropic"_s};
    backend.stream = streamingByDefault.contains(backend.provider);
    readBoolean(*map, u"stream"_s, &backend.stream);
    readChoice(*map, u"tool_mode"_s, &backend.toolMode, &parseLlmToolMode, {u"auto"_s, u"native"_s, u"xml"_s});
    readScriptedReplies(*map, &backend);
    if (m_errors.size() > errorsBefore)
        return std::nullopt;
    return backend;
}

// provider scripted needs `replies: FILE` (relative to organism.yaml); no other provider takes it. The
// file is read now, so its mistakes are reported with its own name, line and key, and a reload reads it again.
void Reader::readScriptedReplies(const MapView &map, LlmBackendConfig *backend)
{
    const Value *replies = map.given(u"replies"_s);
    if (backend->provider != u"scripted"_s) {
        if (replies)
            error(replies->line, replies->path, u"only `provider: scripted` reads replies from a file"_s);
        return;
    }
    if (!(replies = required(map, u"replies"_s)))
        return;
    const std::optional<QString> written = text(*replies);
    if (!written)
        return;
    const QString path = QDir(m_configDirectory.isEmpty() ? QDir::currentPath() : m_configDirectory).absoluteFilePath(*written);
    QList<ScriptedRepliesProblem> problems;
    backend->scripted = agentdesk::readScriptedReplies(QDir::cleanPath(path), m_listenerNames, &problems);
    for (const ScriptedRepliesProblem &problem : std::as_const(problems)) {
        if (problem.line == 0)
            error(replies->line, replies->path, problem.message); // the file itself: said where it is named
        else
            m_errors.append({backend->scripted.file, problem.line, problem.key, problem.message});
    }
}

void Reader::readPrices(const Value &value, QMap<QString, ModelPrice> *out)
{
    const std::optional<MapView> prices = mapOf(value, {});
    if (!prices)
        return;
    static const QStringList known{u"prompt"_s, u"completion"_s, u"cached_prompt"_s, u"cache_write"_s};
    for (const auto &[prefix, entry] : prices->entries()) {
        const std::optional<MapView> price = mapOf(entry, known);
        if (!price)
            continue;
        ModelPrice parsed;
        const Value *prompt = required(*price, u"prompt"_s);
        const Value *completion = required(*price, u"completion"_s);
        const auto promptValue = prompt ? decimal(*prompt, 0, false) : std::nullopt;
        const auto completionValue = completion ? decimal(*completion, 0, false) : std::nullopt;
        if (!promptValue || !completionValue)
            continue;
        parsed.promptPerMillion = *promptValue;
        parsed.completionPerMillion = *completionValue;
        bool complete = true;
        const auto optionalPrice = [&](const QString &key, std::optional<double> *target) {
            if (const Value *given = price->given(key)) {
                *target = decimal(*given, 0, false);
                complete = complete && target->has_value();
            }
        };
        optionalPrice(u"cached_prompt"_s, &parsed.cachedPromptPerMillion);
        optionalPrice(u"cache_write"_s, &parsed.cacheWritePerMillion);
        if (!complete)
            continue;
        // Models are matched in lower case (spec §8.3), so the prefixes are stored that way too.
        out->insert(prefix.toLower(), parsed);
    }
}

// llm.prices_file: an operator's price list, relative to organism.yaml; read now, so that a reload
// picks up its changes and its mistakes are reported like the file's own.
void Reader::readPricesFile(const Value &value, LlmConfig *llm)
{
    const std::optional<QString> written = text(value);
    if (!written)
        return;
    const QString path = QDir(m_configDirectory.isEmpty() ? QDir::currentPath() : m_configDirectory).absoluteFilePath(*written);
    const PriceListLoadResult loaded = ConfigLoader::loadPriceList(path);
    for (const ConfigError &problem : loaded.errors)
        error(value.line, value.path, problem.toString());
    if (loaded.errors.isEmpty()) {
        llm->pricesFile = path;
        llm->filePrices = loaded.list;
    }
}

void Reader::readPriceList(const YAML::Node &root, PriceList *list)
{
    const std::optional<MapView> top = mapOf(Value{root, QString(), lineOf(root)}, {u"date"_s, u"source"_s, u"prices"_s});
    if (!top)
        return;
    if (const Value *date = required(*top, u"date"_s)) {
        const std::optional<QString> written = date->node.IsScalar() ? std::optional<QString>(fromStd(date->node.Scalar()))
                                                                    : std::nullopt;
        if (!written || !QDate::fromString(*written, Qt::ISODate).isValid())
            error(date->line, date->path, u"expected the date the prices were taken, as YYYY-MM-DD, found %1"_s.arg(
                                              describe(date->node)));
        else
            list->date = *written;
    }
    readText(*top, u"source"_s, &list->source, true);
    if (const Value *prices = required(*top, u"prices"_s))
        readPrices(*prices, &list->prices);
}

template <typename Enum>
void Reader::readChoice(const MapView &map, const QString &key, Enum *out, bool (*parse)(const QString &, Enum *),
                        const QStringList &names)
{
    const Value *value = map.given(key);
    if (!value)
        return;
    const std::optional<QString> written = text(*value);
    if (written && !parse(written->toLower(), out))
        error(value->line, value->path, u"unknown value `%1`; valid values: %2"_s.arg(*written, names.join(u", "_s)));
}

// budgets: {agents: {NAME: {max_tokens|max_cost, period}}, organism: {max_tokens|max_cost, period}}
void Reader::readBudgets(const MapView &top, BudgetsConfig *budgets)
{
    const Value *section = top.given(u"budgets"_s);
    if (!section)
        return;
    const std::optional<MapView> map = mapOf(*section, {u"agents"_s, u"organism"_s});
    if (!map)
        return;
    if (const Value *organism = map->given(u"organism"_s))
        budgets->organism = readScopeBudget(*organism);
    if (const Value *agents = map->given(u"agents"_s)) {
        const std::optional<MapView> byName = mapOf(*agents, {});
        if (!byName)
            return;
        for (const auto &[name, entry] : byName->entries()) {
            if (!m_listenerNames.contains(name))
                error(entry.line, entry.path,
                      u"no listener is named `%1`; a budget belongs to one of: %2"_s.arg(name, m_listenerNames.join(u", "_s)));
            else if (std::optional<ScopeBudgetConfig> budget = readScopeBudget(entry))
                budgets->agents.insert(name, *budget);
        }
    }
}

std::optional<ScopeBudgetConfig> Reader::readScopeBudget(const Value &value)
{
    const std::optional<MapView> map = mapOf(value, {u"max_tokens"_s, u"max_cost"_s, u"period"_s});
    if (!map)
        return std::nullopt;
    const qsizetype errorsBefore = m_errors.size();
    ScopeBudgetConfig budget;
    budget.line = value.line;
    const Value *tokens = map->given(u"max_tokens"_s);
    const Value *cost = map->given(u"max_cost"_s);
    if (tokens && cost) {
        error(cost->line, cost->path, u"give either max_tokens or max_cost, not both"_s);
    } else if (!tokens && !cost) {
        error(value.line, value.path, u"needs max_tokens (tokens) or max_cost (USD)"_s);
    } else if (tokens) {
        budget.maxTokens = integer(*tokens, 1, std::numeric_limits<qint64>::max());
    } else if (const auto amount = decimal(*cost, 0, true)) {
        budget.maxCost = *amount;
    }
    readChoice(*map, u"period"_s, &budget.period, &parseBudgetPeriod, {u"day"_s, u"month"_s, u"total"_s});
    if (m_errors.size() > errorsBefore)
        return std::nullopt;
    return budget;
}

void Reader::readAuth(const MapView &top, AuthConfig *auth)
{
    static const QStringList known{u"api_key_env"_s, u"protect_reads"_s, u"api_key"_s};
    static const Ignored ignored{
        {u"totp_secret_env"_s, u"TOTP belonged to the original's out-of-band channel, which agentdesk does not have"_s},
        {u"totp_required"_s, u"TOTP belonged to the original's out-of-band channel, which agentdesk does not have"_s}};
    const Value *section = top.given(u"auth"_s);
    if (!section)
        return;
    const std::optional<MapView> map = mapOf(*section, known, ignored);
    if (!map)
        return;
    refuseInlineKey(*map, u"api_key"_s);
    if (const Value *env = map->given(u"api_key_env"_s)) {
        if (const auto name = environmentName(*env))
            auth->apiKeyEnv = *name;
    }
    readBoolean(*map, u"protect_reads"_s, &auth->protectReads);
}

void Reader::readApi(const MapView &top, ApiConfig *api)
{
    static const QStringList known{u"bind"_s,          u"allowed_hosts"_s,   u"cors_origins"_s,
                                   u"max_body_bytes"_s, u"max_connections"_s, u"idle_timeout_seconds"_s};
    static const Ignored ignored{{u"port"_s, u"the API listens on `organism.port`; set the port there"_s}};
    const Value *section = top.given(u"api"_s);
    if (!section)
        return;
    const std::optional<MapView> map = mapOf(*section, known, ignored);
    if (!map)
        return;
    if (const Value *bind = map->given(u"bind"_s)) {
        if (const auto address = text(*bind)) {
            if (address->contains(u' ') || address->contains(u'/'))
                error(bind->line, bind->path,
                      u"expected an address to listen on (e.g. 127.0.0.1, 0.0.0.0 or ::1), found %1"_s.arg(
                          describe(bind->node)));
            else
                api->bind = *address;
        }
    }
    if (const Value *hosts = map->given(u"allowed_hosts"_s))
        readHosts(*hosts, &api->allowedHosts);
    if (const Value *origins = map->given(u"cors_origins"_s))
        readOrigins(*origins, &api->corsOrigins);
    readInteger(*map, u"max_body_bytes"_s, &api->maxBodyBytes, 1);
    readInteger(*map, u"max_connections"_s, &api->maxConnections, 1);
    readInteger(*map, u"idle_timeout_seconds"_s, &api->idleTimeoutSeconds, 1);
}

void Reader::readHosts(const Value &value, QStringList *hosts)
{
    static const QRegularExpression hostName(u"^[A-Za-z0-9.\\-\\[\\]:]+$"_s);
    if (!expectList(value, u"host names"_s))
        return;
    qsizetype index = 0;
    for (const YAML::Node &element : value.node) {
        const Value item{element, indexKey(value.path, index++), lineOf(element)};
        const std::optional<QString> name = text(item);
        if (name && !hostName.match(*name).hasMatch())
            error(item.line, item.path,
                  u"`%1` is not a host name (e.g. agents.example.org or agents.example.org:8765)"_s.arg(*name));
        else if (name)
            hosts->append(*name);
    }
}

void Reader::readOrigins(const Value &value, QStringList *origins)
{
    if (!expectList(value, u"origins"_s))
        return;
    qsizetype index = 0;
    for (const YAML::Node &element : value.node) {
        const Value item{element, indexKey(value.path, index++), lineOf(element)};
        const std::optional<QString> origin = text(item);
        if (!origin)
            continue;
        const QUrl url(*origin, QUrl::StrictMode);
        if (*origin == u"*"_s)
            error(item.line, item.path,
                  u"`*` is not allowed: list each origin, so that no arbitrary web page can drive the organism"_s);
        else if (!url.isValid() || url.host().isEmpty() || !url.path().isEmpty()
                 || (url.scheme() != u"http"_s && url.scheme() != u"https"_s))
            error(item.line, item.path,
                  u"`%1` is not an origin; write scheme://host[:port] without a path, e.g. "
                  "https://dashboard.example.org"_s.arg(*origin));
        else
            origins->append(*origin);
    }
}

void Reader::readHistory(const MapView &top, HistoryConfig *history)
{
    const Value *section = top.given(u"history"_s);
    if (!section)
        return;
    const std::optional<MapView> map = mapOf(*section, {u"max_messages"_s, u"max_age_days"_s, u"synchronous"_s, u"backend"_s, u"url"_s, u"instance"_s});
    if (!map)
        return;
    if (const Value *maxMessages = map->given(u"max_messages"_s)) {
        // The floor keeps what the original promised: the latest 10,000 messages stay available.
        const auto number = integer(*maxMessages, 0, std::numeric_limits<qint64>::max());
        if (number && *number < 10000)
            error(maxMessages->line, maxMessages->path,
                  u"must be at least 10000, found %1: the API keeps at least the latest 10,000 messages, as the "
                  "original did; use max_age_days to limit history by age"_s.arg(*number));
        else if (number)
            history->maxMessages = *number;
    }
    readInteger(*map, u"max_age_days"_s, &history->maxAgeDays, 0);
    if (const Value *synchronous = map->given(u"synchronous"_s)) {
        if (const auto level = text(*synchronous)) {
            if (level->compare(u"normal"_s, Qt::CaseInsensitive) == 0)
                history->synchronous = HistoryDurability::Normal;
            else if (level->compare(u"full"_s, Qt::CaseInsensitive) == 0)
                history->synchronous = HistoryDurability::Full;
            else
                error(synchronous->line, synchronous->path,
                      u"unknown synchronous level `%1`; expected normal (survives a crash of agentdesk) or full "
                      "(also survives a power loss, slower)"_s.arg(*level));
        }
    }
    readHistoryBackend(*map, history);
}

void Reader::readHistoryBackend(const MapView &map, HistoryConfig *history)
{
    const Value *backend = map.given(u"backend"_s);
    if (backend) {
        if (const auto name = text(*backend)) {
            if (name->compare(u"sqlite"_s, Qt::CaseInsensitive) == 0)
                history->backend = HistoryBackend::Sqlite;
            else if (name->compare(u"postgresql"_s, Qt::CaseInsensitive) == 0)
                history->backend = HistoryBackend::Postgresql;
            else
                error(backend->line, backend->path,
                      u"unknown history backend `%1`; expected sqlite (a file in the history directory, the "
                      "default) or postgresql (a database named by history.url)"_s.arg(*name));
        }
    }
    const Value *url = map.given(u"url"_s);
    const Value *instance = map.given(u"instance"_s);
    if (history->backend != HistoryBackend::Postgresql) {
        for (const Value *key : {url, instance})
            if (key)
                error(key->line, key->path, u"only used with `backend: postgresql`; the sqlite history is the file "
                                            "in the history directory"_s);
        return;
    }
    if (!url) {
        error(backend->line, backend->path.section(u'.', 0, -2) + u".url"_s,
              u"`backend: postgresql` needs `url: postgresql://user@host:port/database`"_s);
        return;
    }
    if (const auto given = text(*url)) {
        const QUrl parsed(*given, QUrl::StrictMode);
        if (!parsed.isValid() || (parsed.scheme() != u"postgresql"_s && parsed.scheme() != u"postgres"_s)
            || parsed.path().size() < 2)
            error(url->line, url->path,
                  u"`%1` is not a PostgreSQL URL; write postgresql://user@host:port/database"_s.arg(*given));
        else if (!parsed.password().isEmpty())
            error(url->line, url->path,
                  u"a password in the URL would be kept in plain text; give it in PGPASSWORD or ~/.pgpass "
                  "(libpq reads both) and write the URL without it"_s);
        else
            history->url = *given;
    }
    if (instance) {
        static const QRegularExpression allowed(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"_s);
        if (const auto name = text(*instance)) {
            if (!allowed.match(*name).hasMatch())
                error(instance->line, instance->path,
                      u"`%1` is not an instance name; use up to 63 letters, digits, `.`, `_` or `-`"_s.arg(*name));
            else
                history->instance = *name;
        }
    }
}

} // namespace

QString ConfigError::toString() const
{
    return ConfigWarning{file, line, key, message}.toString(); // one format for both
}

ConfigLoadResult ConfigLoader::loadFile(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    ConfigLoadResult result;
    const QFileInfo info(absolute);
    QFile file(absolute);
    if (!info.exists())
        result.errors.append({absolute, 0, {}, u"file not found: %1"_s.arg(absolute)});
    else if (info.isDir())
        result.errors.append({absolute, 0, {}, u"%1 is a directory, not an organism.yaml file"_s.arg(absolute)});
    else if (!file.open(QIODevice::ReadOnly))
        result.errors.append({absolute, 0, {}, u"cannot read %1: %2"_s.arg(absolute, file.errorString())});
    else
        return loadText(file.readAll(), absolute);
    return result;
}

PriceListLoadResult ConfigLoader::loadPriceList(const QString &path)
{
    PriceListLoadResult result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.errors.append({path, 0, {}, u"cannot read the price list %1: %2"_s.arg(path, file.errorString())});
        return result;
    }
    return parsePriceList(file.readAll(), path);
}

PriceListLoadResult ConfigLoader::parsePriceList(const QByteArray &yaml, const QString &fileName)
{
    PriceListLoadResult result;
    Reader reader(fileName, QFileInfo(fileName).absolutePath());
    result.list.source = fileName;
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        reader.readPriceList(root, &result.list);
    } catch (const YAML::Exception &exception) {
        reader.error(exception.mark.line >= 0 ? exception.mark.line + 1 : 0, {}, u"invalid YAML: "_s + fromStd(exception.msg));
    }
    result.errors = reader.errors();
    return result;
}

ConfigLoadResult ConfigLoader::loadText(const QByteArray &yaml, const QString &fileName)
{
    const bool anchored = QDir::isAbsolutePath(fileName);
    Reader reader(fileName, anchored ? QFileInfo(fileName).absolutePath() : QString());
    ConfigLoadResult result;
    OrganismConfig config;
    config.filePath = anchored ? QDir::cleanPath(fileName) : QString();
    try {
        const std::vector<YAML::Node> documents = YAML::LoadAll(yaml.toStdString());
        if (documents.empty() || (documents.size() == 1 && documents.front().IsNull())) {
            reader.error(0, {}, u"the file is empty (or holds only comments); expected a map of keys (organism:, listeners:, …)"_s);
        } else if (documents.size() > 1) {
            reader.error(lineOf(documents.at(1)), {},
                         u"the file holds %1 YAML documents (separated by ---); an organism.yaml holds one"_s.arg(
                             documents.size()));
        } else if (!documents.front().IsMap()) {
            reader.error(lineOf(documents.front()), {},
                         u"the top level must be a map of keys (organism:, listeners:, …), found %1"_s.arg(
                             describe(documents.front())));
        } else {
            reader.read(documents.front(), &config);
        }
    } catch (const YAML::Exception &exception) {
        // yaml-cpp's words at the place it gave up, read back into which key and what to fix.
        const YamlErrorTranslator::Problem problem =
            YamlErrorTranslator::translate(yaml, exception.mark.line, exception.mark.column, fromStd(exception.msg));
        reader.error(problem.line, problem.key, problem.message);
    }
    // Reported in file order, which is how a user works through them; ties keep the reading order.
    result.errors = reader.errors();
    result.warnings = reader.warnings();
    const auto byLine = [](const auto &a, const auto &b) { return a.line < b.line; };
    std::stable_sort(result.errors.begin(), result.errors.end(), byLine);
    std::stable_sort(result.warnings.begin(), result.warnings.end(), byLine);
    if (result.errors.isEmpty()) {
        config.warnings = result.warnings;
        result.config = std::move(config);
    }
    return result;
}

} // namespace agentdesk
