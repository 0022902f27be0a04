#include "branchplan.h"

#include "store/historystore.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

Result<BranchPlan, InjectFailure> BranchPlan::make(const HistoryStore &store, const BranchRequest &request)
{
    const std::optional<MessageRecord> source = store.message(request.messageId);
    if (!store.thread(request.threadId))
        return injectRefused(InjectError::UnknownMessage, u"Thread not found: %1"_s.arg(request.threadId));
    if (!source || source->threadId != request.threadId)
        return injectRefused(InjectError::UnknownMessage,
                             u"Message %1 not found in thread %2"_s.arg(request.messageId, request.threadId));
    BranchPlan plan;
    plan.source = *source;
    plan.to = source->to;
    const bool edited = !request.fields.isEmpty() || !request.xml.isEmpty();
    plan.fields = edited ? request.fields : QVariantMap();
    plan.xml = edited ? request.xml : source->xml;
    if (request.kind == ThreadOriginKind::Replay) {
        plan.from = request.from;
        return plan;
    }
    // A fork goes on as the conversation did: the same sender, the same history behind the message.
    plan.from = source->from;
    MessageQuery history;
    history.threadId = request.threadId;
    history.beforeSeq = source->seq;
    history.newestFirst = false;
    history.limit = -1;
    plan.copies = store.messages(history).items;
    return plan;
}

} // namespace agentdesk
