#pragma once

#include "config/yamlreader.h"

#include <QStringList>

namespace agentdesk {

// A reader's errors as "line|key|message", one per error in the order they were found: what the
// config tests compare.
inline QStringList errorLines(const YamlReader &yaml)
{
    QStringList lines;
    for (const ConfigError &error : yaml.errors())
        lines.append(QStringLiteral("%1|%2|%3").arg(error.line).arg(error.key, error.message));
    return lines;
}

} // namespace agentdesk
