#!/usr/bin/env python3
"""Overload figures: floods a running agentdesk with injects and reports what became of them.

    overload_flood.py [--url http://127.0.0.1:8765] [--rate 300] [--seconds 30] [--to greeter]
                      [--drain-timeout 600]

Sends `rate` injects a second for `seconds` (Greeting {name}), counts the answers (200, 503 with its
Retry-After and detail, anything else), then waits until no thread is active and prints how many of
the admitted threads completed and how many ended in error ("threads lost"). Standard library only;
prints figures, asserts nothing.
"""

import argparse
import collections
import concurrent.futures
import http.client
import json
import threading
import time
import urllib.parse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    parser.add_argument("--rate", type=float, default=300)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--to", default="greeter")
    parser.add_argument("--drain-timeout", type=float, default=600)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    local = threading.local()

    def connection():
        if getattr(local, "conn", None) is None:
            local.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        return local.conn

    def request(method, path, body=None):
        for _ in range(2):
            try:
                conn = connection()
                headers = {"Content-Type": "application/json"} if body is not None else {}
                conn.request(method, path, body=body, headers=headers)
                reply = conn.getresponse()
                return reply.status, reply.getheader("Retry-After"), reply.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                local.conn = None
        return 0, None, b""

    counts = collections.Counter()
    admitted = []
    details = collections.Counter()
    lock = threading.Lock()

    def inject(n):
        body = json.dumps({"to": args.to, "payload": {"name": "user %d" % n}})
        status, retry_after, payload = request("POST", "/api/v1/inject", body)
        with lock:
            counts[status] += 1
            if status == 200:
                admitted.append(json.loads(payload)["threadId"])
            elif status == 503:
                detail = json.loads(payload).get("detail", "")
                details[detail.split(" (")[0]] += 1
                counts["retry-after " + str(retry_after)] += 1

    total = int(args.rate * args.seconds)
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        for n in range(total):
            delay = start + n / args.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(inject, n)
    sent_for = time.monotonic() - start
    _, _, info = request("GET", "/api/v1/organism")
    saturation = json.loads(info).get("saturation", {})
    print("sent %d injects in %.1f s (%.0f/s)" % (total, sent_for, total / sent_for))
    print("answers: %s" % ", ".join("%s: %d" % (k, v) for k, v in sorted(counts.items(), key=str)))
    for detail, count in details.most_common(3):
        print("  503 detail (%d×): %s" % (count, detail))
    print("saturation at the end of the flood: %s" % json.dumps(saturation))

    deadline = time.monotonic() + args.drain_timeout
    while time.monotonic() < deadline:
        _, _, info = request("GET", "/api/v1/organism")
        if json.loads(info).get("activeThreads", 1) == 0:
            break
        time.sleep(1)
    statuses = collections.Counter()
    for i in range(0, len(admitted), 1):
        _, _, thread = request("GET", "/api/v1/threads/" + admitted[i])
        statuses[json.loads(thread).get("status", "missing")] += 1
    print("admitted threads: %d; by status: %s" % (len(admitted), dict(statuses)))
    print("threads lost under overload (admitted and ended in error or missing): %d"
          % (statuses["error"] + statuses["missing"]))


if __name__ == "__main__":
    main()
