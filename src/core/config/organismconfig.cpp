#include "organismconfig.h"

namespace agentdesk {

using namespace Qt::StringLiterals;

QString ConfigWarning::toString() const
{
    QString text = file;
    if (line > 0)
        text += u':' + QString::number(line);
    if (!text.isEmpty())
        text += u": "_s;
    if (!key.isEmpty())
        text += key + u": "_s;
    return text + message;
}

const ListenerConfig *OrganismConfig::listener(const QString &name) const
{
    for (const ListenerConfig &candidate : listeners) {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

const PayloadTypeSpec *OrganismConfig::payloadType(const QString &name) const
{
    for (const PayloadTypeSpec &candidate : payloads) {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

} // namespace agentdesk
