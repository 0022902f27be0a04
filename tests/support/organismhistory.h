#pragma once

#include "organism.h"

namespace agentdesk {

class HistoryStore;

namespace test {

// The organism's history store, for tests and tools that look beneath the facade (undelivered
// messages, the database file, closing it under a running organism). Outer layers read the history
// through Organism::history() instead. nullptr before load().
HistoryStore *historyStoreOf(const Organism &organism);

} // namespace test
} // namespace agentdesk
