#!/usr/bin/env python3
"""The triage router, an agentdesk exec: handler (docs/exec-protocol.md).

A Classification arrives; outages and urgent tickets (urgency 8 or more) go to the scorer with the
arithmetic of their paging priority (urgency x 10, plus 20 for a key account), everything else goes to
the outbox as a queued notice.
"""

import os
import sys
import xml.etree.ElementTree as ET

# agentdesk_handler.py (the protocol) is in examples/handlers/ of the source tree, and in
# /usr/share/agentdesk/examples/handlers/ once installed; copy it next to this file to move the example.
HERE = os.path.dirname(os.path.abspath(__file__))
for candidate in (HERE, os.path.join(HERE, "..", "..", "..", "handlers"),
                  "/usr/share/agentdesk/examples/handlers", "/usr/local/share/agentdesk/examples/handlers"):
    if os.path.exists(os.path.join(candidate, "agentdesk_handler.py")):
        sys.path.insert(0, candidate)
        break
try:
    import agentdesk_handler as ah
except ImportError:
    sys.exit("router.py needs agentdesk_handler.py (the exec protocol): copy it next to router.py from "
             "examples/handlers/ of agentdesk's source, or /usr/share/agentdesk/examples/handlers/")

KEY_ACCOUNTS = {"acme", "globex"}


def handle(payload, meta):
    category = ah.text_of(payload, "Category")
    urgency = int(ah.text_of(payload, "Urgency") or "0")
    summary = ah.text_of(payload, "Summary") or ""
    customer = ah.text_of(payload, "Customer") or ""
    if category == "outage" or urgency >= 8:
        bonus = 20 if customer.lower() in KEY_ACCOUNTS else 0
        escalation = ET.Element("Escalation")
        ET.SubElement(escalation, "Expression").text = "%d * 10 + %d" % (urgency, bonus)
        ET.SubElement(escalation, "Customer").text = customer
        ET.SubElement(escalation, "Summary").text = summary
        return [("scorer", escalation)]
    notice = ET.Element("Notice")
    ET.SubElement(notice, "Text").text = "queued for %s (urgency %d): %s" % (category, urgency, summary)
    return [("outbox", notice)]


if __name__ == "__main__":
    raise SystemExit(ah.run(handle))
