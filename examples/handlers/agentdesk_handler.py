"""Write agentdesk ``exec:`` handlers in Python (standard library only).

agentdesk starts the handler once and keeps it running. It sends one framed XML message per delivery
on the handler's stdin and reads framed answers from its stdout (docs/exec-protocol.md). This module
does the framing and the bookkeeping; a handler only supplies a function::

    import agentdesk_handler as ah

    def handle(payload, meta):
        # payload: xml.etree.ElementTree.Element, the root of the delivered payload
        # meta: dict with id, thread, from, to, message, type, listener and a "cancelled" Event
        return [(meta["from"], "<Text><Body>hi</Body></Text>")]

    ah.run(handle)

``handle`` returns a list of ``(to, payload)`` pairs; ``to`` may be None to let agentdesk route by
payload type, ``payload`` is an XML string, bytes or an Element. Raising ``HandlerError`` (or any other
exception) answers the delivery with an error that agentdesk reports for the thread.

stdout belongs to the protocol: ``run`` points ``sys.stdout`` at stderr, so a stray ``print`` ends up in
agentdesk's log instead of corrupting a frame. Use ``log()`` or stderr for diagnostics.
"""

import concurrent.futures
import sys
import threading
import traceback
import xml.etree.ElementTree as ET

PROTOCOL = 1
MAX_FRAME = 16 * 1024 * 1024
MAX_HEADER_LINE = 8 * 1024


# Return this from handle() when the handler has already answered the call itself with send_frame().
ANSWERED = object()


class HandlerError(Exception):
    """Raise from ``handle`` to answer the delivery with ``<error>`` carrying this text."""


class ProtocolError(Exception):
    """agentdesk sent something this module cannot read as a frame."""


def read_frame(stream):
    """Read one frame body from a binary stream; None at a clean end of stream."""
    length = None
    first = True
    while True:
        line = stream.readline(MAX_HEADER_LINE)
        if not line:
            if first:
                return None
            raise ProtocolError("stream ended inside a frame header")
        first = False
        if not line.endswith(b"\r\n"):
            raise ProtocolError("frame header line without CRLF: %r" % line[:60])
        if line == b"\r\n":
            break
        name, sep, value = line[:-2].partition(b":")
        if not sep:
            raise ProtocolError("malformed frame header line: %r" % line[:60])
        if name.strip().lower() == b"content-length":
            value = value.strip()
            if not value.isdigit():
                raise ProtocolError("bad Content-Length: %r" % value)
            length = int(value)
    if length is None:
        raise ProtocolError("frame header without Content-Length")
    if length > MAX_FRAME:
        raise ProtocolError("frame of %d bytes exceeds the 16 MiB limit" % length)
    body = stream.read(length)
    if len(body) != length:
        raise ProtocolError("stream ended inside a frame body")
    return body


def encode_frame(body):
    """The bytes of one frame carrying ``body`` (bytes)."""
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Channel:
    """Writes frames to agentdesk; safe to use from several threads."""

    def __init__(self, stream):
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, element):
        self.send_raw(ET.tostring(element, encoding="unicode").encode("utf-8"))

    def send_raw(self, body):
        with self._lock:
            self._stream.write(encode_frame(body))
            self._stream.flush()


_channel = None


def log(level, text):
    """Send a ``<log>`` frame (level: debug, info, warn or error); falls back to stderr before run()."""
    if _channel is None:
        print("[%s] %s" % (level, text), file=sys.stderr, flush=True)
        return
    element = ET.Element("log", level=level)
    element.text = str(text)
    _channel.send(element)


def send_frame(element):
    """Send any frame element, e.g. a reply built with build_reply() outside of handle()."""
    if _channel is None:
        raise RuntimeError("send_frame() needs run() to be active")
    _channel.send(element)


def _as_element(payload):
    if isinstance(payload, ET.Element):
        return payload
    if isinstance(payload, (bytes, str)):
        try:
            return ET.fromstring(payload)
        except ET.ParseError as error:
            raise HandlerError("handler produced a payload that is not XML: %s" % error) from None
    raise HandlerError("handler produced a payload of type %s; expected str, bytes or Element"
                       % type(payload).__name__)


def build_reply(call_id, sends):
    """The ``<reply>`` element for a list of (to, payload) pairs."""
    reply = ET.Element("reply", id=call_id)
    for to, payload in sends or []:
        send = ET.SubElement(reply, "send")
        if to:
            send.set("to", to)
        send.append(_as_element(payload))
    return reply


def build_error(call_id, text):
    element = ET.Element("error", id=call_id)
    element.text = text
    return element


class _Handler:
    def __init__(self, handle, channel, workers, on_cancel, announce_starts=True):
        self.handle = handle
        self.announce_starts = announce_starts
        self.channel = channel
        self.on_cancel = on_cancel
        self.listener = ""
        self.pending = {}  # call id -> meta of deliveries not yet answered
        self.lock = threading.Lock()
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)

    def dispatch(self, frame):
        if frame.tag == "hello":
            self.listener = frame.get("listener", "")
            if frame.get("protocol") != str(PROTOCOL):
                log("warn", "agentdesk speaks protocol %s, this module %d" % (frame.get("protocol"), PROTOCOL))
            self.channel.send(ET.Element("ready", protocol=str(PROTOCOL)))
        elif frame.tag == "deliver":
            self.deliver(frame)
        elif frame.tag == "cancel":
            with self.lock:
                meta = self.pending.get(frame.get("id"))
            if meta is not None:
                meta["cancelled"].set()
                if self.on_cancel:
                    self.on_cancel(meta)
        else:
            log("warn", "ignoring unknown frame <%s>" % frame.tag)

    def deliver(self, frame):
        call_id = frame.get("id")
        children = list(frame)
        meta = {key: frame.get(key, "") for key in ("id", "thread", "from", "to", "message", "type")}
        meta["listener"] = self.listener
        meta["cancelled"] = threading.Event()
        if len(children) != 1:
            self.channel.send(build_error(call_id, "delivery holds %d payload elements" % len(children)))
            return
        with self.lock:
            self.pending[call_id] = meta
        self.pool.submit(self.call, children[0], meta)

    def call(self, payload, meta):
        call_id = meta["id"]
        if self.announce_starts:
            # If this process dies now, agentdesk fails only the deliveries it began and hands the
            # others, which still wait in the pool's queue, to the restarted process.
            self.channel.send(ET.Element("started", id=call_id))
        try:
            result = self.handle(payload, meta)
            answer = None if result is ANSWERED else build_reply(call_id, result)
        except HandlerError as error:
            answer = build_error(call_id, str(error))
        except Exception as error:  # a bug in the handler must not end the process
            traceback.print_exc(file=sys.stderr)
            answer = build_error(call_id, "%s: %s" % (type(error).__name__, error))
        with self.lock:
            self.pending.pop(call_id, None)
        if answer is not None:
            self.channel.send(answer)


def run(handle, workers=1, on_cancel=None, on_shutdown=None, announce_starts=True):
    """Serve deliveries until agentdesk sends <shutdown/> or closes stdin; returns the exit status.

    workers > 1 runs that many deliveries at once (handle must then be thread-safe); replies may
    leave in any order, agentdesk matches them by id. on_cancel(meta) runs when agentdesk gives up on
    a delivery (meta["cancelled"] is set as well); on_shutdown() runs before the remaining work is
    finished and the function returns. announce_starts=False leaves out the <started> frames (agentdesk
    then takes the oldest unanswered delivery for the one a crash interrupted).
    """
    global _channel
    out = sys.stdout.buffer
    sys.stdout = sys.stderr
    _channel = Channel(out)
    handler = _Handler(handle, _channel, workers, on_cancel, announce_starts)
    status = 0
    try:
        while True:
            body = read_frame(sys.stdin.buffer)
            if body is None:
                break
            try:
                frame = ET.fromstring(body)
            except ET.ParseError as error:
                raise ProtocolError("frame is not XML: %s" % error) from None
            if frame.tag == "shutdown":
                break
            handler.dispatch(frame)
    except ProtocolError as error:
        print("agentdesk_handler: %s" % error, file=sys.stderr, flush=True)
        status = 2
    if on_shutdown:
        on_shutdown()
    handler.pool.shutdown(wait=True)
    return status


def text_of(element, path, default=None):
    """The text of the child at ``path`` (ElementTree path syntax), or ``default``."""
    found = element.find(path)
    return default if found is None else (found.text or "")
