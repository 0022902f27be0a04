#!/usr/bin/env python3
"""An agentdesk exec handler that shouts: <Text><Body>hello</Body></Text> -> <Text><Body>HELLO</Body></Text>.

The answer goes back to the sender, or to the listener named on the command line.

organism.yaml:

    payloads:
      Text: {body: string}
    listeners:
      - name: shouter
        payload_class: Text
        handler: {exec: [python3, handlers/uppercase.py]}
        peers: [printer]

Usage: uppercase.py [TARGET] [--workers N]
"""

import argparse
import xml.etree.ElementTree as ET

import agentdesk_handler as ah


def make_handler(target=None):
    def handle(payload, meta):
        if payload.tag != "Text":
            raise ah.HandlerError("expected a <Text> payload, got <%s>" % payload.tag)
        body = ah.text_of(payload, "Body")
        if body is None:
            raise ah.HandlerError("<Text> payload without <Body>")
        answer = ET.Element("Text")
        ET.SubElement(answer, "Body").text = body.upper()
        return [(target or meta["from"], answer)]

    return handle


def arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("target", nargs="?", help="listener to send the answer to (default: the sender)")
    parser.add_argument("--workers", type=int, default=1, help="deliveries handled at once (default 1)")
    return parser


def main():
    args = arguments("Upper-cases <Text> payloads.").parse_args()
    return ah.run(make_handler(args.target), workers=args.workers)


if __name__ == "__main__":
    raise SystemExit(main())
