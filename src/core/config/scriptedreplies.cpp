#include "scriptedreplies.h"

#include "suggestion.h"
#include "yamlerrortranslator.h"

#include <QFile>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

int lineOf(const YAML::Node &node)
{
    return node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
}

QString scalar(const YAML::Node &node)
{
    return QString::fromStdString(node.Scalar()).trimmed();
}

QString describe(const YAML::Node &node)
{
    if (node.IsSequence())
        return u"a list"_s;
    if (node.IsMap())
        return u"a map"_s;
    if (node.IsNull())
        return u"nothing"_s;
    return u"`%1`"_s.arg(scalar(node).left(40));
}

class RepliesReader
{
public:
    explicit RepliesReader(QList<ScriptedRepliesProblem> *problems)
        : m_problems(problems)
    { }

    void problem(const YAML::Node &node, const QString &key, const QString &message)
    {
        m_problems->append({lineOf(node), key, message});
    }

    std::optional<QString> text(const YAML::Node &node, const QString &key)
    {
        if (node.IsScalar())
            return scalar(node);
        problem(node, key, u"expected text, found %1"_s.arg(describe(node)));
        return std::nullopt;
    }

    std::optional<qint64> count(const YAML::Node &node, const QString &key)
    {
        static const QRegularExpression digits(u"^[0-9]+$"_s);
        if (node.IsScalar() && digits.match(scalar(node)).hasMatch())
            return scalar(node).toLongLong();
        problem(node, key, u"expected a whole number ≥ 0, found %1"_s.arg(describe(node)));
        return std::nullopt;
    }

    // Keys of a map, each checked against `known` (an unknown one is a problem, with a "did you mean").
    bool keysOf(const YAML::Node &node, const QString &key, const QStringList &known)
    {
        if (!node.IsMap()) {
            problem(node, key, u"expected a map, found %1"_s.arg(describe(node)));
            return false;
        }
        bool ok = true;
        for (auto it = node.begin(); it != node.end(); ++it) {
            const QString name = scalar(it->first);
            if (!known.contains(name)) {
                problem(it->first, key + u'.' + name,
                        u"unknown key%1; known keys here: %2"_s.arg(Suggestion::didYouMean(name, known),
                                                                    known.join(u", "_s)));
                ok = false;
            }
        }
        return ok;
    }

    void readWhen(const YAML::Node &node, const QString &key, ScriptedEntry *entry)
    {
        if (!keysOf(node, key, {u"contains"_s, u"matches"_s, u"fields"_s, u"from"_s, u"type"_s}))
            return;
        if (node["contains"])
            entry->contains = text(node["contains"], key + u".contains"_s).value_or(QString());
        if (node["from"])
            entry->from = text(node["from"], key + u".from"_s).value_or(QString());
        if (node["type"])
            entry->type = text(node["type"], key + u".type"_s).value_or(QString());
        if (node["matches"]) {
            entry->matches = text(node["matches"], key + u".matches"_s).value_or(QString());
            const QRegularExpression pattern(entry->matches);
            if (!pattern.isValid())
                problem(node["matches"], key + u".matches"_s,
                        u"not a regular expression: %1 (at character %2)"_s.arg(pattern.errorString())
                            .arg(pattern.patternErrorOffset()));
        }
        if (const YAML::Node fields = node["fields"]) {
            if (!fields.IsMap()) {
                problem(fields, key + u".fields"_s, u"expected a map of field: text, found %1"_s.arg(describe(fields)));
            } else {
                for (auto it = fields.begin(); it != fields.end(); ++it) {
                    if (const auto value = text(it->second, key + u".fields."_s + scalar(it->first)))
                        entry->fields.insert(scalar(it->first), *value);
                }
            }
        }
        if (!entry->hasCondition())
            problem(node, key,
                    u"an empty `when` holds always: leave it out, or give contains, matches, fields, from or type"_s);
    }

    std::optional<ScriptedEntry> readEntry(const YAML::Node &node, const QString &key)
    {
        ScriptedEntry entry;
        entry.line = lineOf(node);
        if (node.IsScalar()) {
            entry.reply = scalar(node);
            return entry;
        }
        const qsizetype before = m_problems->size();
        if (!keysOf(node, key, {u"when"_s, u"reply"_s, u"error"_s, u"usage"_s}))
            return std::nullopt;
        if (node["when"])
            readWhen(node["when"], key + u".when"_s, &entry);
        if (node["reply"])
            entry.reply = text(node["reply"], key + u".reply"_s).value_or(QString());
        if (node["error"])
            entry.error = text(node["error"], key + u".error"_s).value_or(QString());
        if (node["reply"] && node["error"])
            problem(node["error"], key + u".error"_s, u"give either `reply` or `error`, not both"_s);
        else if (!node["reply"] && !node["error"])
            problem(node, key, u"needs `reply` (what the model answers) or `error` (the call fails with this)"_s);
        if (const YAML::Node usage = node["usage"];
            usage && keysOf(usage, key + u".usage"_s, {u"prompt_tokens"_s, u"completion_tokens"_s})) {
            if (usage["prompt_tokens"])
                entry.promptTokens = count(usage["prompt_tokens"], key + u".usage.prompt_tokens"_s);
            if (usage["completion_tokens"])
                entry.completionTokens = count(usage["completion_tokens"], key + u".usage.completion_tokens"_s);
        }
        if (m_problems->size() > before)
            return std::nullopt;
        return entry;
    }

    void read(const YAML::Node &root, const QStringList &listeners, ScriptedReplies *out)
    {
        if (!root.IsMap()) {
            problem(root, {}, u"expected a map of agent names to lists of replies, found %1"_s.arg(describe(root)));
            return;
        }
        for (auto it = root.begin(); it != root.end(); ++it) {
            ScriptedAgent agent;
            agent.name = scalar(it->first);
            agent.line = lineOf(it->first);
            if (!listeners.contains(agent.name)) {
                problem(it->first, agent.name,
                        u"no listener is named `%1`%2; listeners: %3"_s.arg(
                            agent.name, Suggestion::didYouMean(agent.name, listeners), listeners.join(u", "_s)));
                continue;
            }
            const YAML::Node list = it->second;
            if (!list.IsSequence() || list.size() == 0) {
                problem(list.IsNull() ? it->first : list, agent.name,
                        u"expected a list of replies (- \"…\") or rules (- {when: …, reply: …}), found %1"_s.arg(
                            describe(list)));
                continue;
            }
            bool anyRule = false;
            for (std::size_t i = 0; i < list.size(); ++i) {
                if (auto entry = readEntry(list[i], u"%1[%2]"_s.arg(agent.name).arg(i))) {
                    anyRule = anyRule || entry->hasCondition();
                    agent.entries.append(std::move(*entry));
                }
            }
            agent.inTurn = !anyRule;
            out->agents.append(std::move(agent));
        }
    }

private:
    QList<ScriptedRepliesProblem> *m_problems;
};

} // namespace

const ScriptedAgent *ScriptedReplies::agent(const QString &name) const
{
    for (const ScriptedAgent &candidate : agents) {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

ScriptedReplies readScriptedReplies(const QString &path, const QStringList &listeners,
                                    QList<ScriptedRepliesProblem> *problems)
{
    ScriptedReplies replies;
    replies.file = path;
    QFile file(path);
    if (!file.exists()) {
        problems->append({0, {}, u"file not found: %1"_s.arg(path)});
        return replies;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        problems->append({0, {}, u"cannot read %1: %2"_s.arg(path, file.errorString())});
        return replies;
    }
    const QByteArray text = file.readAll();
    try {
        RepliesReader(problems).read(YAML::Load(text.toStdString()), listeners, &replies);
    } catch (const YAML::Exception &exception) {
        const YamlErrorTranslator::Problem problem = YamlErrorTranslator::translate(
            text, exception.mark.line, exception.mark.column, QString::fromStdString(exception.msg));
        problems->append({problem.line, problem.key, problem.message});
    }
    return replies;
}

} // namespace agentdesk
