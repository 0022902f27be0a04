#pragma once

#include <QString>

#include <tl/expected.hpp>

#include <optional>
#include <utility>

namespace agentdesk {

// Why something was not done, worded for the operator (on the API it becomes the answer's `detail`).
struct Failure
{
    QString message;
    bool operator==(const Failure &other) const = default;
};

// The one way the facade (Organism) and the window's Session say "it failed, because": the value (or
// nothing, Result<>) or why not. E is Failure unless callers act on the kind of failure, as the API does
// on an inject's (InjectFailure: each kind is its own status).
//
// tl::expected (libexpected-dev) until std::expected (C++23): the same interface, so the switch is a rename.
template <typename T = void, typename E = Failure>
using Result = tl::expected<T, E>;

// `return fail(tr("…"));` from a function returning Result<T>.
inline tl::unexpected<Failure> fail(QString message)
{
    return tl::unexpected<Failure>(Failure{std::move(message)});
}

// An optional's value, or a failure saying why there is none (`Thread not found: …`).
template <typename T>
Result<T> orFailure(std::optional<T> value, const QString &whyMissing)
{
    if (value)
        return std::move(*value);
    return fail(whyMissing);
}

// The text of a Result's failure, empty when it succeeded (for logs and labels). Every failure type has
// a `message`.
template <typename T, typename E>
QString failureText(const tl::expected<T, E> &result)
{
    return result ? QString() : result.error().message;
}

} // namespace agentdesk
