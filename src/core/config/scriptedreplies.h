#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <optional>

namespace agentdesk {

// What `provider: scripted` answers (llm.backends[].replies: FILE): per agent, canned replies or rules
// matched on the incoming payload, so an organism can be tested offline and deterministically. The file
// is YAML (or JSON, which YAML reads too); docs/testing.md describes it.
//
//   triage:                       # an agent (listener) name
//     - when: {contains: refund}  # a rule: the first whose `when` holds answers
//       reply: "<Verdict><Label>billing</Label></Verdict>"
//     - reply: "<Verdict><Label>general</Label></Verdict>"   # no `when`: always holds
//   greeter:                      # no `when` anywhere: replies given in turn, then from the first again
//     - "Hello! <GreetingResponse><Message>Hello, {name}!</Message></GreetingResponse>"

struct ScriptedEntry
{
    // `when`: every condition given must hold.
    QString contains;   // the incoming payload's XML holds this text (any letter case)
    QString matches;    // a regular expression the incoming payload's XML matches
    QVariantMap fields; // field (snake_case) → the text it must have
    QString from;       // the sender
    QString type;       // the payload type (root element)
    bool hasCondition() const
    {
        return !contains.isEmpty() || !matches.isEmpty() || !fields.isEmpty() || !from.isEmpty() || !type.isEmpty();
    }

    // What it answers: a reply ({field}, {from} and {thread} filled from the incoming message), or an error
    // (the call fails with this text, as a provider's error would).
    QString reply;
    QString error;
    std::optional<qint64> promptTokens; // usage to report; unset: estimated from the text
    std::optional<qint64> completionTokens;
    int line = 0;

    bool operator==(const ScriptedEntry &other) const = default;
};

struct ScriptedAgent
{
    QString name;
    QList<ScriptedEntry> entries;
    bool inTurn = false; // no entry has a `when`: one reply per call, in order, then from the first again
    int line = 0;
    bool operator==(const ScriptedAgent &other) const = default;
};

struct ScriptedReplies
{
    QString file; // absolute path
    QList<ScriptedAgent> agents;
    const ScriptedAgent *agent(const QString &name) const;
    bool operator==(const ScriptedReplies &other) const = default;
};

struct ScriptedRepliesProblem
{
    int line = 0;
    QString key; // `triage[1].when.fields`
    QString message;
};

// Reads the file; every problem with its line and key (`problems` empty: usable). `listeners` are the
// organism's listener names: an agent name that is none of them is a problem, with a "did you mean".
ScriptedReplies readScriptedReplies(const QString &path, const QStringList &listeners,
                                    QList<ScriptedRepliesProblem> *problems);

} // namespace agentdesk
