#pragma once

#include "config/configloader.h"

#include <QString>

#include <cstdio>
#include <optional>

namespace agentdesk {

// Everything a start checks of an organism.yaml before it runs anything: the loader's errors and
// warnings, then what only the rest of agentdesk can tell — a backend that cannot be used (no key in
// its variable, no base_url), an agent without a model or with one no backend serves, payload types
// that do not compile. `agentdesk --check` prints this and exits; a normal start prints the same
// before it starts, so a person sees every problem at once, whatever the command.
class ConfigCheck
{
public:
    struct Report
    {
        std::optional<OrganismConfig> config; // when there are no errors
        QList<ConfigError> errors;
        QList<ConfigWarning> warnings;
        bool ok() const { return config.has_value() && errors.isEmpty(); }
    };

    static Report run(const QString &path);
    // Errors and warnings in file order, one a line ("file:line: error: key: message", as compilers
    // write them, so editors and CI can jump to the place).
    static void print(const Report &report, FILE *stream);
    static QString line(const ConfigWarning &diagnostic, bool error);
};

} // namespace agentdesk
