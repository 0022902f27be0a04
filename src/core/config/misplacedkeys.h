#pragma once

#include <QString>

namespace agentdesk {

// A key known somewhere in organism.yaml but found where it means nothing is, most of the time, an
// indentation slip: a listener's `peers:` outdented to the top level, a payload type written beside
// `payloads:` instead of under it, a field beside its type. These say where such a key belongs, in place
// of a bare "unknown key".
class MisplacedKeys
{
public:
    // For an unknown top-level key: where it belongs, or empty when it is no key of a section.
    static QString atTopLevel(const QString &key);
    // A top-level key that reads like a payload type (`Verdict: {label: string}`).
    static QString payloadTypeAtTopLevel(const QString &type, int payloadsLine);
    // An entry of `payloads:` that reads like a field (`score: integer`) after the type `previousType`.
    static QString fieldAmongTypes(const QString &field, const QString &fieldType, const QString &previousType,
                                   int previousTypeLine);
};

} // namespace agentdesk
