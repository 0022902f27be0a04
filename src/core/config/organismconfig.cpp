#include "organismconfig.h"

#include <utility>

namespace agentdesk {

using namespace Qt::StringLiterals;

namespace {

template <typename Enum, std::size_t N>
QString nameIn(const std::pair<Enum, const char *> (&names)[N], Enum value)
{
    for (const auto &[candidate, name] : names) {
        if (candidate == value)
            return QString::fromLatin1(name);
    }
    return {};
}

template <typename Enum, std::size_t N>
bool valueIn(const std::pair<Enum, const char *> (&names)[N], const QString &text, Enum *value)
{
    for (const auto &[candidate, name] : names) {
        if (text == QLatin1StringView(name)) {
            *value = candidate;
            return true;
        }
    }
    return false;
}

const std::pair<LlmToolMode, const char *> kToolModes[] = {
    {LlmToolMode::Auto, "auto"}, {LlmToolMode::Native, "native"}, {LlmToolMode::Xml, "xml"}};

} // namespace

QString toString(LlmToolMode mode)
{
    return nameIn(kToolModes, mode);
}
bool parseLlmToolMode(const QString &text, LlmToolMode *mode)
{
    return valueIn(kToolModes, text, mode);
}

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
