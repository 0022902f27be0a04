#include "branchplan.h"

#include "store/historystore.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

std::optional<BranchPlan> BranchPlan::make(const HistoryStore &store, const BranchRequest &request, InjectResult *error)
{
    const std::optional<MessageRecord> source = store.message(request.messageId);
    if (!store.thread(request.threadId)) {
        error->error = InjectResult::Error::UnknownMessage;
        error->message = u"Thread not found: %1"_s.arg(request.threadId);
        return std::nullopt;
    }
    if (!source || source->threadId != request.threadId) {
        error->error = InjectResult::Error::UnknownMessage;
        error->message = u"Message %1 not found in thread %2"_s.arg(request.messageId, request.threadId);
        return std::nullopt;
    }
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
