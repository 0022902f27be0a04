#!/usr/bin/env python3
"""uppercase.py with deliberate faults: try out (and test) how agentdesk copes with a bad handler.

It upper-cases <Text><Body>…</Body></Text> like uppercase.py, unless the body is a command:

    crash            the process kills itself with SIGKILL (agentdesk: "handler process crashed")
    exit N           the process exits with status N
    fail TEXT        answers with <error>TEXT</error>
    flaky N FILE     fails the first N deliveries that name FILE (counted in FILE, so across restarts),
                     then answers like uppercase.py
    slow SECONDS     waits, then answers (even when agentdesk cancelled the call meanwhile)
    hold KEY         waits until a "release KEY" delivery arrives (needs --workers 2 or more)
    release KEY      lets the matching "hold KEY" answer
    print TEXT       print()s TEXT, which lands on stderr, not in the protocol, then answers
    garbage          writes a line that is not a frame to stdout (agentdesk ends the process)
    unknown-id       answers a call that does not exist, then this one
    two-payloads     answers with a <send> that holds two payload elements (an invalid reply)

Cancellations and the shutdown request are logged with <log> frames.

Usage: crashy.py [TARGET] [--workers N] [--ignore-shutdown] [--no-started]
"""

import os
import signal
import threading
import time
import xml.etree.ElementTree as ET

import agentdesk_handler as ah
import uppercase

_holds = {}
_holds_lock = threading.Lock()


def _hold_event(key):
    with _holds_lock:
        return _holds.setdefault(key, threading.Event())


def make_handler(target=None):
    shout = uppercase.make_handler(target)

    def handle(payload, meta):
        command, _, argument = (ah.text_of(payload, "Body") or "").partition(" ")
        if command == "crash":
            os.kill(os.getpid(), signal.SIGKILL)
        elif command == "exit":
            os._exit(int(argument or "1"))
        elif command == "fail":
            raise ah.HandlerError(argument)
        elif command == "flaky":
            failures, _, path = argument.partition(" ")
            with open(path, "a+") as counter:
                counter.seek(0)
                attempt = len(counter.read()) + 1
                counter.write("x")
            if attempt <= int(failures):
                raise ah.HandlerError("flaky: attempt %d fails" % attempt)
            payload.find("Body").text = "flaky: attempt %d" % attempt
        elif command == "slow":
            time.sleep(float(argument or "1"))
        elif command == "hold":
            ah.log("info", "holding %s" % argument)  # after <started>: the call is in this process's hands
            if not _hold_event(argument).wait(timeout=60):
                raise ah.HandlerError("nobody released %s" % argument)
        elif command == "release":
            _hold_event(argument).set()
        elif command == "print":
            print(argument)
        elif command == "garbage":
            os.write(1, b"this is not a frame\n")
            return ah.ANSWERED
        elif command == "unknown-id":
            ah.send_frame(ah.build_reply("999999", []))
        elif command == "two-payloads":
            reply = ah.build_reply(meta["id"], [])
            send = ET.SubElement(reply, "send")
            ET.SubElement(send, "Text")
            ET.SubElement(send, "Text")
            ah.send_frame(reply)
            return ah.ANSWERED
        return shout(payload, meta)

    return handle


def main():
    parser = uppercase.arguments("Upper-cases <Text> payloads and misbehaves on request.")
    parser.add_argument("--ignore-shutdown", action="store_true",
                        help="keep running after <shutdown/> until killed")
    parser.add_argument("--no-started", action="store_true",
                        help="do not announce deliveries with <started> (like a handler written without the library)")
    args = parser.parse_args()

    def on_cancel(meta):
        ah.log("info", "cancel received for %s" % meta["id"])

    def on_shutdown():
        ah.log("info", "shutdown received")
        if args.ignore_shutdown:
            while True:
                time.sleep(3600)

    return ah.run(make_handler(args.target), workers=args.workers, on_cancel=on_cancel, on_shutdown=on_shutdown,
                  announce_starts=not args.no_started)


if __name__ == "__main__":
    raise SystemExit(main())
