#include "suggestion.h"

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace agentdesk {

int Suggestion::editDistance(const QString &a, const QString &b)
{
    std::vector<int> row(static_cast<size_t>(b.size()) + 1);
    for (size_t j = 0; j < row.size(); ++j)
        row[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[static_cast<size_t>(j)];
            const int cost = a.at(i - 1) == b.at(j - 1) ? 0 : 1;
            row[static_cast<size_t>(j)] = std::min({above + 1, row[static_cast<size_t>(j - 1)] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row.back();
}

QString Suggestion::closest(const QString &word, const QStringList &candidates)
{
    if (word.isEmpty() || candidates.contains(word))
        return {};
    const QString folded = word.toLower();
    QString best;
    int bestDistance = kMaxEdits + 1; // more than two edits away is a different word, not a typo
    for (const QString &candidate : candidates) {
        const int distance = editDistance(folded, candidate.toLower());
        // Never more edits than the word has letters: `id` is not a typo of `to`.
        if (distance < bestDistance && (distance < word.size() || distance == 0)) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

QString Suggestion::didYouMean(const QString &word, const QStringList &candidates)
{
    const QString guess = closest(word, candidates);
    return guess.isEmpty() ? QString() : u" (did you mean `%1`?)"_s.arg(guess);
}

} // namespace agentdesk
