#include "organismhistory.h"

#include "organism/organismprivate.h"
#include "store/historystore.h"

namespace agentdesk::test {

HistoryStore *historyStoreOf(const Organism &organism)
{
    return organism.d->store.get();
}

} // namespace agentdesk::test
