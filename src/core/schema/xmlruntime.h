#pragma once

#include <QString>

struct _xmlError;
struct _xmlNode;

namespace agentdesk {

// Keeps the first libxml2 error of one operation. Installed per context (parser, schema parser,
// validator), never as a global handler, so concurrent operations never see each other's errors.
struct XmlErrorCollector
{
    bool failed = false;
    QString message;
    int line = 0;
    const _xmlNode *node = nullptr;

    void record(const _xmlError *error);
};

class XmlRuntime
{
public:
    // libxml2's one-time set-up (parser globals and the XSD built-in types), done once whichever
    // thread comes first.
    static void ensureInitialised();
};

} // namespace agentdesk
