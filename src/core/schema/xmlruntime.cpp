#include "xmlruntime.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemastypes.h>

#include <mutex>

namespace agentdesk {

void XmlErrorCollector::record(const _xmlError *error)
{
    // Warnings do not fail a document; the first error explains the failure best.
    if (failed || !error || error->level < XML_ERR_ERROR)
        return;
    failed = true;
    message = QString::fromUtf8(error->message ? error->message : "unknown XML error").trimmed();
    line = error->line;
    if (error->node && static_cast<const xmlNode *>(error->node)->type == XML_ELEMENT_NODE) {
        node = static_cast<const xmlNode *>(error->node);
        const long nodeLine = xmlGetLineNo(static_cast<const xmlNode *>(error->node));
        if (nodeLine > 0)
            line = int(nodeLine);
    }
}

void XmlRuntime::ensureInitialised()
{
    static std::once_flag once;
    std::call_once(once, [] {
        xmlInitParser();
        xmlSchemaInitTypes();
    });
}

} // namespace agentdesk
