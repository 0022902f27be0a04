#include "budgetgate.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {
const QString kThreadScope = QStringLiteral("thread");
}

BudgetGate::BudgetGate(BudgetRegistry &threads, ScopeBudgets &scopes)
    : m_threads(threads)
    , m_scopes(scopes)
{ }

ReservationState *BudgetGate::stateOf(const Reservation &reservation, const Part &part)
{
    if (part.scope == kThreadScope)
        return m_threads.contains(reservation.estimate.threadId)
            ? &m_threads.reservations(reservation.estimate.threadId)
            : nullptr;
    return m_scopes.contains(part.scope) ? &m_scopes.reservations(part.scope) : nullptr;
}

BudgetGate::Admission BudgetGate::admit(const Estimate &estimate)
{
    Reservation reservation;
    reservation.estimate = estimate;
    Admission admission;
    const auto consider = [&](const QString &scope, double used, double limit, bool cost, double prompt,
                              double optimistic, double conservative) {
        Part part{scope, cost, 0, 0, false};
        const ReservationVerdict verdict = reservationVerdict(used, limit, *stateOf(reservation, part), prompt,
                                                              optimistic, conservative);
        switch (verdict) {
        case ReservationVerdict::Exhausted:
            if (admission.kind != Admission::Kind::Held) {
                admission.kind = Admission::Kind::Held;
                admission.scope = scope;
                admission.reason = scope == kThreadScope ? m_threads.refusal(estimate.threadId)
                                                         : m_scopes.refusal(scope);
            }
            return;
        case ReservationVerdict::Wait:
            if (admission.kind == Admission::Kind::Granted)
                admission.kind = Admission::Kind::Wait;
            return;
        case ReservationVerdict::Optimistic:
        case ReservationVerdict::Conservative:
            part.optimistic = verdict == ReservationVerdict::Optimistic;
            part.amount = part.remaining = part.optimistic ? optimistic : conservative;
            reservation.parts.append(part);
            return;
        }
    };

    m_threads.reservations(estimate.threadId); // the thread's budget starts with its first call
    const ThreadBudget thread = *m_threads.budget(estimate.threadId);
    consider(kThreadScope, double(thread.totalTokens()), double(thread.maxTokens), false, double(estimate.promptTokens),
             double(estimate.optimisticTokens), double(estimate.conservativeTokens));
    // The budget shows a held call as exhausted even when nothing is spent yet: the next call does not fit.
    m_threads.noteHeldCall(estimate.threadId, admission.kind == Admission::Kind::Held ? estimate.promptTokens : 0);
    for (const QString &scope : m_scopes.scopesOf(estimate.agent)) {
        const ScopeBudget budget = *m_scopes.budget(scope);
        if (budget.isCost())
            consider(scope, budget.used(), budget.limit(), true, estimate.promptCost.value_or(0),
                     estimate.optimisticCost.value_or(0), estimate.conservativeCost.value_or(0)); // unpriced: free here
        else
            consider(scope, budget.used(), budget.limit(), false, double(estimate.promptTokens),
                     double(estimate.optimisticTokens), double(estimate.conservativeTokens));
    }
    if (admission.kind != Admission::Kind::Granted)
        return admission;
    for (const Part &part : std::as_const(reservation.parts)) {
        ReservationState *state = stateOf(reservation, part);
        state->reserved += part.amount;
        state->optimisticInFlight += part.optimistic ? 1 : 0;
    }
    admission.reservation = ++m_next;
    m_reservations.insert(admission.reservation, reservation);
    return admission;
}

void BudgetGate::charge(quint64 reservationId, qint64 tokens, std::optional<double> cost)
{
    auto it = m_reservations.find(reservationId);
    if (it == m_reservations.end())
        return;
    for (Part &part : it->parts) {
        const double spent = std::min(part.remaining, part.cost ? cost.value_or(0) : double(tokens));
        part.remaining -= spent;
        if (ReservationState *state = stateOf(*it, part))
            state->reserved -= spent;
    }
}

bool BudgetGate::renew(quint64 reservationId)
{
    auto it = m_reservations.find(reservationId);
    if (it == m_reservations.end())
        return false;
    // Room for the whole estimate again, beside everything else in flight (this call's remainder
    // included, which is topped up rather than added).
    for (const Part &part : std::as_const(it->parts)) {
        const ReservationState *state = stateOf(*it, part);
        if (!state)
            return false;
        double used = 0;
        double limit = 0;
        if (part.scope == kThreadScope) {
            const ThreadBudget thread = *m_threads.budget(it->estimate.threadId);
            used = double(thread.totalTokens());
            limit = double(thread.maxTokens);
        } else {
            const ScopeBudget budget = *m_scopes.budget(part.scope);
            used = budget.used();
            limit = budget.limit();
        }
        if (used + state->reserved - part.remaining + part.amount > limit)
            return false;
    }
    for (Part &part : it->parts) {
        stateOf(*it, part)->reserved += part.amount - part.remaining;
        part.remaining = part.amount;
    }
    return true;
}

void BudgetGate::release(quint64 reservationId)
{
    const auto it = m_reservations.find(reservationId);
    if (it == m_reservations.end())
        return;
    for (const Part &part : std::as_const(it->parts)) {
        if (ReservationState *state = stateOf(*it, part)) {
            state->reserved = std::max(0.0, state->reserved - part.remaining);
            state->optimisticInFlight -= part.optimistic ? 1 : 0;
        }
    }
    m_reservations.erase(it);
}

} // namespace agentdesk
