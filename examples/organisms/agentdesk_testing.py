"""Test an agentdesk organism from Python (standard library only; works under unittest and pytest).

    from agentdesk_testing import Organism

    with Organism("organism.yaml") as organism:           # agentdesk --headless on a free port
        thread = organism.inject("greeter", {"name": "Dan"})
        organism.wait(thread)                             # until completed, error or killed
        messages = organism.messages(thread)              # oldest first
        assert messages[-1]["payload"] == {"message": "HELLO, DAN! WELCOME."}

The organism runs as a real process with its own history in a temporary directory, on 127.0.0.1 and a
port the system picks, and is stopped (SIGTERM) at the end. The agentdesk program is $AGENTDESK, else
`agentdesk` on PATH, else build/bin/agentdesk of the source tree. Everything goes through the same REST
API any client uses (docs/api.md); see docs/testing.md.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

FINISHED = ("completed", "error", "killed")


def agentdesk_program():
    """The agentdesk executable to test with."""
    if os.environ.get("AGENTDESK"):
        return os.environ["AGENTDESK"]
    found = shutil.which("agentdesk")
    if found:
        return found
    here = os.path.dirname(os.path.abspath(__file__))
    built = os.path.join(here, "..", "..", "build", "bin", "agentdesk")
    if os.path.exists(built):
        return os.path.abspath(built)
    raise RuntimeError("agentdesk not found: set AGENTDESK, put it on PATH, or build it (scripts/dev.sh)")


def check(config):
    """`agentdesk --check --config CONFIG`: (exit code, stderr lines)."""
    done = subprocess.run([agentdesk_program(), "--check", "--config", config], capture_output=True, text=True,
                          timeout=60)
    return done.returncode, done.stderr.splitlines()


class ApiError(Exception):
    def __init__(self, status, detail):
        super().__init__("HTTP %d: %s" % (status, detail))
        self.status = status
        self.detail = detail


class Organism:
    """An organism running in its own agentdesk process, driven through its REST API."""

    def __init__(self, config, start_timeout=60):
        self.config = os.path.abspath(config)
        self.start_timeout = start_timeout
        self.process = None
        self.url = None
        self.log = []  # what agentdesk wrote (stdout and stderr), for failure messages
        self._data = None
        self._reader = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        self._data = tempfile.mkdtemp(prefix="agentdesk-test-")
        self.process = subprocess.Popen(
            [agentdesk_program(), "--headless", "--config", self.config, "--port", "0", "--data-dir", self._data],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ready = threading.Event()

        def read():
            for line in self.process.stdout:
                self.log.append(line.rstrip("\n"))
                if line.startswith("API: ") and not ready.is_set():
                    self.url = line.split()[1].rsplit("/api/v1", 1)[0]
                    ready.set()
            ready.set()

        self._reader = threading.Thread(target=read, daemon=True)
        self._reader.start()
        if not ready.wait(self.start_timeout) or self.url is None:
            self.stop()
            raise RuntimeError("agentdesk did not start:\n" + "\n".join(self.log))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stdout:
            self._reader.join(10)  # it reads to the end of the output, which came with the exit
            self.process.stdout.close()
        if self._data:
            shutil.rmtree(self._data, ignore_errors=True)
            self._data = None

    # --- the API ----------------------------------------------------------------------------------

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            try:
                detail = json.loads(detail).get("detail", detail)
            except ValueError:
                pass
            raise ApiError(error.code, detail) from None

    def inject(self, to, payload, thread=None):
        """POST /api/v1/inject; the new (or given) thread's id."""
        body = {"to": to, "payload": payload}
        if thread:
            body["thread_id"] = thread
        return self.request("POST", "/api/v1/inject", body)["threadId"]

    def thread(self, thread):
        return self.request("GET", "/api/v1/threads/" + thread)

    def wait(self, thread, timeout=60):
        """Waits until the thread has finished; its final status (completed, error or killed)."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.thread(thread)["status"]
            if status in FINISHED:
                return status
            if time.monotonic() > deadline:
                raise TimeoutError("thread %s still %s after %s s" % (thread, status, timeout))
            time.sleep(0.05)

    def messages(self, thread):
        """The thread's messages, oldest first: dicts with from, to, payloadType and payload (snake_case)."""
        page = self.request("GET", "/api/v1/threads/%s/messages?limit=100" % thread)
        return list(reversed(page["messages"]))

    def hops(self, thread):
        """The thread as "from → to: PayloadType" lines, oldest first: easy to compare whole."""
        return ["%s → %s: %s" % (m["from"], m["to"], m["payloadType"]) for m in self.messages(thread)]

    def retry(self, thread):
        """POST /api/v1/threads/{id}/retry: runs a thread in error again."""
        return self.request("POST", "/api/v1/threads/%s/retry" % thread)
