"""The killable query helper of the embedded store: a forked child that answers one query at a time over a pipe.

pyoxigraph cannot cancel a query and ignores signals, so embedded queries never run in the worker itself: each
worker forks a helper (lazily, after gunicorn forked the worker) that shares the loaded store copy-on-write and
answers one request at a time, serialising the whole (capped) result before it replies. The worker waits at most
the query timeout; then it SIGKILLs the helper (a fresh one is forked for the next query) and answers 503. So a
runaway query really stops and frees its worker, and no byte of a 200 is sent before the result is complete.
Keeping the helper between queries saves the fork per query (~15-30 ms). Only embedded.py uses this: a remote
store has its own HTTP timeout and needs no helper.
"""

from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from foedus.server import errors

# What the helper runs for each request: the request (JSON-able) in, (meta, body bytes) out.
Handler = Callable[[dict[str, Any]], tuple[dict[str, Any], bytes]]
_HEADER = struct.Struct(">Q")
# One live helper per process: an app made after another (tests make many) stops the previous app's child.
_live: QueryHelper | None = None


@dataclass
class _Child:
    """A forked helper: its pid, the worker's ends of the two pipes, the process that forked it."""

    pid: int
    requests: int
    replies: int
    owner: int


def _read_exact(fd: int, size: int) -> bytes:
    """Read exactly `size` bytes (blocking); b"" when the other end closed first."""
    data = bytearray()
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return b""
        data += chunk
    return bytes(data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _loop(handler: Handler, requests: int, replies: int) -> None:
    """The helper's life: read a request, answer it, until the worker closes the pipe; never returns."""
    status = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        while True:
            header = _read_exact(requests, _HEADER.size)
            if not header:
                status = 0
                break
            meta, body = handler(json.loads(_read_exact(requests, _HEADER.unpack(header)[0])))
            encoded = json.dumps(meta).encode("utf-8")
            _write_all(replies, _HEADER.pack(len(encoded)) + encoded + _HEADER.pack(len(body)) + body)
    finally:
        os._exit(status)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this helper if its worker dies (so a runaway query cannot outlive its worker)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the helper still exits when it next reads its closed pipe
    if os.getppid() != parent:
        os._exit(0)


def _read_before(fd: int, size: int, deadline: float) -> bytes | None:
    """Read exactly `size` bytes unless the deadline passes (None) or the helper dies (b"")."""
    data = bytearray()  # grows in place: a large answer arrives in many 1 MiB chunks
    while len(data) < size:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, min(size - len(data), 1 << 20))
        if not chunk:
            return b""
        data += chunk
    return bytes(data)


class QueryHelper:
    """One worker's helper around a handler; forked on first use, replaced after a timeout, crash or reset."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self._child: _Child | None = None
        self._lock = threading.Lock()  # threaded servers (the Flask dev server) share it one query at a time

    def _spawn(self) -> _Child:
        """Fork a helper from this worker; it keeps only its two pipe ends (no client sockets, no listener)."""
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the helper leaves through os._exit
            _die_with_parent(parent)
            keep = sorted((to_child_r, from_child_w))
            os.closerange(3, keep[0])
            os.closerange(keep[0] + 1, keep[1])
            os.closerange(keep[1] + 1, 65536)
            _loop(self.handler, to_child_r, from_child_w)
        os.close(to_child_r)
        os.close(from_child_w)
        return _Child(pid, to_child_w, from_child_r, os.getpid())

    def reset(self) -> None:
        """Stop this worker's helper (after a timeout, a crash, or an update that made its data stale)."""
        child, self._child = self._child, None
        if child is None or child.owner != os.getpid():
            return  # inherited through fork from the parent process: not ours to stop
        os.close(child.requests)
        os.close(child.replies)
        try:
            os.kill(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(child.pid, 0)

    def _current(self) -> _Child:
        if self._child is not None and self._child.owner != os.getpid():
            self._child = None  # a gunicorn worker inherits the master's helper object: fork its own
        if self._child is None:
            global _live
            if _live is not None and _live is not self:
                _live.reset()
            self._child, _live = self._spawn(), self
        return self._child

    def run(self, request: dict[str, Any], timeout: float) -> tuple[dict[str, Any], bytes]:
        """Send one request and wait at most `timeout` s for (meta, body); 503 after a SIGKILL on timeout."""
        encoded = json.dumps(request).encode("utf-8")
        with self._lock:
            meta, body = self._exchange(encoded, timeout)
        return json.loads(meta), body

    def _exchange(self, encoded: bytes, timeout: float) -> tuple[bytes, bytes]:
        child = self._current()
        try:
            _write_all(child.requests, _HEADER.pack(len(encoded)) + encoded)
        except BrokenPipeError:
            self.reset()
            child = self._current()
            _write_all(child.requests, _HEADER.pack(len(encoded)) + encoded)
        deadline = time.monotonic() + timeout
        parts: list[bytes] = []
        for _ in range(2):
            header = _read_before(child.replies, _HEADER.size, deadline)
            size = _HEADER.unpack(header)[0] if header else 0
            payload = _read_before(child.replies, size, deadline) if header else header
            if header is None or payload is None:
                self.reset()  # SIGKILL: pyoxigraph cannot be interrupted any other way
                raise errors.timeout(timeout)
            if not header or (size and not payload):
                self.reset()
                raise errors.query_failed("the query helper died before it could answer")
            parts.append(payload)
        return parts[0], parts[1]
