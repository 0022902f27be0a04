#pragma once

#include "domain/result.h"

#include <optional>

namespace agentdesk::test {

// A Result's value as an optional, its failure's reason dropped: for tests that keep "the answer, if
// any" and read the reason apart (failureText).
template <typename T>
std::optional<T> valueOf(const Result<T> &result)
{
    return result ? std::optional<T>(*result) : std::nullopt;
}

} // namespace agentdesk::test
