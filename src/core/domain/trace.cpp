#include "trace.h"

using namespace Qt::StringLiterals;

namespace agentdesk {

QString toString(ThreadOriginKind kind)
{
    return kind == ThreadOriginKind::Fork ? u"fork"_s : u"replay"_s;
}

bool parseThreadOriginKind(const QString &text, ThreadOriginKind *kind)
{
    if (text == u"fork")
        *kind = ThreadOriginKind::Fork;
    else if (text == u"replay")
        *kind = ThreadOriginKind::Replay;
    else
        return false;
    return true;
}

} // namespace agentdesk
