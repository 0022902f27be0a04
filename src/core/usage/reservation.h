#pragma once

namespace agentdesk {

// Reserve before a call, settle after (issue 11 §4). What one budget has promised to the calls in
// flight, and the rule that admits a new call:
//  - a budget whose spending plus the call's prompt estimate passes its limit is exhausted (spec §8.4):
//    the call is held (only spending moves it, and spending only grows);
//  - one call at a time may hold an optimistic reservation (the usual estimate: characters / 4 plus
//    max_tokens) — and a call alone always may, even when that is more than is left; every other call
//    in flight must fit with a conservative one (an upper bound: the prompt's UTF-8 bytes plus
//    max_tokens). So whatever the concurrency, the budget can be overrun only by what the one
//    optimistic call spends beyond its estimate;
//  - a call that does not fit beside the others waits for one of them to settle.
struct ReservationState
{
    double reserved = 0;        // promised to calls in flight, in the budget's unit (tokens or USD)
    int optimisticInFlight = 0; // calls holding an optimistic reservation (at most one is admitted)
};

enum class ReservationVerdict { Optimistic, Conservative, Wait, Exhausted };

inline ReservationVerdict reservationVerdict(double used, double limit, const ReservationState &state, double prompt,
                                             double optimistic, double conservative)
{
    if (used >= limit || used + prompt > limit)
        return ReservationVerdict::Exhausted;
    if (state.optimisticInFlight == 0 && (state.reserved <= 0 || used + state.reserved + optimistic <= limit))
        return ReservationVerdict::Optimistic;
    if (used + state.reserved + conservative <= limit)
        return ReservationVerdict::Conservative;
    return ReservationVerdict::Wait;
}

} // namespace agentdesk
