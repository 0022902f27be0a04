#pragma once

#include "configerror.h"
#include "organismconfig.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <yaml-cpp/yaml.h>

#include <functional>
#include <limits>
#include <optional>
#include <utility>

namespace agentdesk {

// The generic half of reading a YAML configuration file: values with the place they came from (line
// and key path, e.g. `listeners[0].timeout_seconds`), typed readers whose messages say what was
// expected and what was found, and the diagnostics collected on the way. It knows no organism key;
// the section readers (OrganismReader, ListenersReader, …) say what each key means.
//
// Conventions:
// - An error about a key's value points at the line of the key (yaml-cpp marks an empty value on the
//   following line, and a block value on its first nested line). An error about a list element
//   points at the element.
// - A key written with no value (`prompt:`) counts as not given, so defaults apply.
// - Quoted scalars are strings: `port: "8765"` is refused where a number is wanted, because YAML
//   itself makes it a string and silently converting would hide a typo elsewhere.
class YamlReader
{
public:
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
        MapView(QString path, int line)
            : m_path(std::move(path))
            , m_line(line)
        { }

        const QString &path() const { return m_path; }
        int line() const { return m_line; }
        void add(const QString &key, Value value) { m_entries.append({key, std::move(value)}); }
        const Value *entry(const QString &key) const;
        // The value when the key is present with a non-empty value.
        const Value *given(const QString &key) const;
        const QList<std::pair<QString, Value>> &entries() const { return m_entries; }

    private:
        QString m_path;
        int m_line;
        QList<std::pair<QString, Value>> m_entries;
    };

    using Ignored = QHash<QString, QString>; // key → why it has no effect here
    // Where an unknown key most likely belongs ("" when it is just unknown): said instead of "unknown key".
    using Misplaced = std::function<QString(const QString &key, const Value &value)>;

    explicit YamlReader(QString fileName)
        : m_fileName(std::move(fileName))
    { }

    // --- places ---
    static int lineOf(const YAML::Node &node);                       // 1-based, 0 when the node has no mark
    static QString joinKey(const QString &path, const QString &key); // a.b
    static QString indexKey(const QString &path, qsizetype index);   // a[2]
    static Value document(const YAML::Node &root) { return Value{root, QString(), lineOf(root)}; }
    static Value element(const Value &list, qsizetype index); // a sequence's element with its path and line
    static QList<Value> elements(const Value &list);          // every element of a sequence
    static QString scalarText(const YAML::Node &node) { return QString::fromStdString(node.Scalar()); }
    static bool isQuoted(const YAML::Node &node); // a quoted or block scalar, which YAML makes text
    // What a user wrote, for "found …": `5`, the quoted text "5", a list, a map, nothing.
    static QString describe(const YAML::Node &node);

    // --- diagnostics ---
    const QString &fileName() const { return m_fileName; }
    void error(int line, const QString &key, const QString &message);
    // A problem of another file the configuration names (e.g. a replies file), told with its own place.
    void errorIn(const QString &file, int line, const QString &key, const QString &message);
    void warn(int line, const QString &key, const QString &message);
    qsizetype errorCount() const { return m_errors.size(); }
    const QList<ConfigError> &errors() const { return m_errors; }
    const QList<ConfigWarning> &warnings() const { return m_warnings; }

    // --- structure ---
    // A map whose keys are checked against `known` (empty: any key): duplicates are errors, unknown
    // keys warnings with a suggestion, `ignored` keys warnings saying why.
    std::optional<MapView> mapOf(const Value &value, const QStringList &known, const Ignored &ignored = {},
                                 const Misplaced &misplaced = {});
    bool expectList(const Value &value, const QString &whatElements);
    const Value *required(const MapView &map, const QString &key);
    void typeError(const Value &value, const QString &expected);

    // --- scalars (each reports its own error and returns nothing when the value does not fit) ---
    std::optional<QString> text(const Value &value, bool allowEmpty = false); // trimmed
    std::optional<qint64> integer(const Value &value, qint64 min, qint64 max);
    std::optional<double> decimal(const Value &value, double min, bool minExclusive);
    std::optional<bool> boolean(const Value &value);    // true/yes/on, false/no/off (YAML 1.1, as PyYAML)
    std::optional<double> duration(const Value &value); // seconds: 500ms, 2s, 1.5m, 1h, or a plain number
    std::optional<QStringList> textList(const Value &value);
    std::optional<QString> environmentName(const Value &value); // never echoes a pasted secret
    // Free-form data (e.g. a listener's options) in YAML 1.2 core types: `no` stays text.
    QVariant variant(const Value &value);

    // --- a key of a map, stored in *out only when given and valid ---
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
    // One of `names`, case-insensitive, through the enum's own parser.
    template <typename Enum>
    void readChoice(const MapView &map, const QString &key, Enum *out, bool (*parse)(const QString &, Enum *),
                    const QStringList &names)
    {
        const Value *value = map.given(key);
        if (!value)
            return;
        const std::optional<QString> written = text(*value);
        if (written && !parse(written->toLower(), out))
            unknownChoice(*value, *written, names);
    }
    // Secrets come only from the environment: a key that would hold one in the file is an error.
    void refuseInlineKey(const MapView &map, const QString &key);

private:
    void unknownChoice(const Value &value, const QString &written, const QStringList &names);

    QString m_fileName;
    QList<ConfigError> m_errors;
    QList<ConfigWarning> m_warnings;
};

} // namespace agentdesk
