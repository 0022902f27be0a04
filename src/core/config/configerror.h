#pragma once

#include "organismconfig.h"

#include <QString>

namespace agentdesk {

// One reason an organism.yaml cannot be used. `line` is 1-based (0 when no line applies, e.g. a
// missing file); `key` is the dotted/indexed path of the offending key (`listeners[2].handler`).
struct ConfigError
{
    QString file;
    int line = 0;
    QString key;
    QString message;
    // "file:line: key: message" (parts that are empty or 0 are left out): one format for both.
    QString toString() const { return ConfigWarning{file, line, key, message}.toString(); }
};

} // namespace agentdesk
