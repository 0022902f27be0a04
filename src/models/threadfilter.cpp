#include "threadfilter.h"

namespace agentdesk {

bool ThreadFilter::matches(const ThreadInfo &thread) const
{
    if (status && thread.status != *status)
        return false;
    return agent.isEmpty() || thread.participants.contains(agent);
}

} // namespace agentdesk
