#pragma once

#include <QString>
#include <QStringList>

namespace agentdesk {

// "Did you mean …?" for a name that is not one of the names it could be (a key, a type, a peer, a
// built-in): the candidate within two edits (insertions, deletions, substitutions), compared ignoring
// case; the closest wins, the first of equally close ones. A word of one or two letters only matches
// a candidate that differs from it by case alone, so that `a` does not suggest `b`.
class Suggestion
{
public:
    static constexpr int kMaxEdits = 2;

    // The closest candidate, or empty when none is close enough (or `word` is one of them).
    static QString closest(const QString &word, const QStringList &candidates);
    // " (did you mean `<closest>`?)" with its leading space, or empty: goes right after the unknown name.
    static QString didYouMean(const QString &word, const QStringList &candidates);
    // Levenshtein distance.
    static int editDistance(const QString &a, const QString &b);
};

} // namespace agentdesk
