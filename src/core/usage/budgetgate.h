#pragma once

#include "budgetregistry.h"
#include "scopebudgets.h"

#include <QHash>
#include <QString>

#include <optional>

namespace agentdesk {

// Admits LLM calls against every budget they spend from — the thread's, the agent's, the
// organism's — by reserving before the call and settling after it (reservation.h has the rule).
class BudgetGate
{
public:
    // A call about to be made: its estimates in tokens and (when the model has a price) in USD.
    struct Estimate
    {
        QString agent;
        QString threadId;
        // What must fit or the budget counts as exhausted and holds the call: characters / 4 of the
        // prompt, plus max_tokens when the call declares it.
        qint64 promptTokens = 0;
        std::optional<double> promptCost;
        qint64 optimisticTokens = 0;   // characters / 4 of the prompt + max_tokens
        qint64 conservativeTokens = 0; // UTF-8 bytes of the prompt + max_tokens: an upper bound
        std::optional<double> optimisticCost;
        std::optional<double> conservativeCost;
    };
    struct Admission
    {
        enum class Kind { Granted, Wait, Held };
        Kind kind = Kind::Granted;
        quint64 reservation = 0; // Granted
        QString reason;          // Held: why (the exhausted budget's words)
        QString scope;           // Held: "thread", "agent:NAME" or "organism"
    };

    BudgetGate(BudgetRegistry &threads, ScopeBudgets &scopes);

    Admission admit(const Estimate &estimate);
    // An attempt of the call was metered: that much of the reservation is spent.
    void charge(quint64 reservation, qint64 tokens, std::optional<double> cost);
    // Before a retry: reserve the estimate again. False: some budget has no room for it.
    bool renew(quint64 reservation);
    // The call ended: what is left of its reservation is free again.
    void release(quint64 reservation);
    int activeReservations() const { return int(m_reservations.size()); }

private:
    // One budget's share of a reservation.
    struct Part
    {
        QString scope; // "thread" for the thread's budget
        bool cost = false;
        double amount = 0;    // reserved at admission (and at each renewal)
        double remaining = 0; // still reserved
        bool optimistic = false;
    };
    struct Reservation
    {
        Estimate estimate;
        QList<Part> parts;
    };
    // nullptr once the budget is gone (the thread ended, the scope was configured away).
    ReservationState *stateOf(const Reservation &reservation, const Part &part);

    BudgetRegistry &m_threads;
    ScopeBudgets &m_scopes;
    QHash<quint64, Reservation> m_reservations;
    quint64 m_next = 0;
};

} // namespace agentdesk
