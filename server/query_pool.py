"""Killable query helpers, a few per worker, with admission: a bounded queue and a per-client cap.

pyoxigraph cannot cancel a query and ignores signals, so queries never run in the web worker itself: a helper
is a child forked from the worker (lazily, after gunicorn forked the worker) that shares the loaded store
copy-on-write and answers one query at a time over a pipe, serialising the whole (capped) result before it
replies. The worker waits at most query_timeout, then SIGKILLs the helper (a fresh one is forked on demand).

Each worker keeps up to `query_helpers` of them, so one runaway query occupies one helper and the others go on
answering. A query that finds every helper busy waits in a queue of at most `query_queue` places per worker;
when the queue is full, or a helper did not come free within query_timeout, it gets 503 with Retry-After. The
queue is served fairly, not first come: the next query is the one whose client used the helpers least lately
(helper seconds, halved every 10 s), so a client asking cheap questions is not stuck behind the queue of
clients asking expensive ones. A
client (by address) may have at most `client_query_limit` queries running or queued at once per worker (WDQS
allows five); above it, 429 with Retry-After. Every limit is per worker process: `workers = 1` makes them
global.
"""

from __future__ import annotations

import ctypes
import json
import os
import queue
import select
import signal
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from foedus.logs import logger
from foedus.server import errors
from foedus.server.backend import Admission

_HEADER = struct.Struct(">Q")
log = logger(__name__)
USAGE_HALF_LIFE = 10.0  # seconds: how fast a client's past use of the helpers stops counting against it
# Runs one decoded request inside a helper: (backend, request) -> (meta, body). query_exec provides it.
Answer = Callable[[Any, dict[str, Any]], tuple[dict[str, Any], bytes]]


@dataclass
class _Helper:
    """One forked helper: its pid, the two pipe ends the worker keeps, and the backend it was forked with."""

    pid: int
    requests: int
    replies: int
    backend: Any


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


def _helper_loop(backend: Any, answer: Answer, requests: int, replies: int) -> None:
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
            meta, body = answer(backend, json.loads(_read_exact(requests, _HEADER.unpack(header)[0])))
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


def _spawn(backend: Any, answer: Answer) -> _Helper:
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
        _helper_loop(backend, answer, to_child_r, from_child_w)
    os.close(to_child_r)
    os.close(from_child_w)
    return _Helper(pid, to_child_w, from_child_r, backend)


class _Spawner:
    """Forks every helper of this process from one long-lived thread.

    Linux sends the parent-death signal (PR_SET_PDEATHSIG) when the *thread* that forked the child exits, so a
    helper forked by a request thread would be killed when that thread ends; this thread lives as long as the
    worker does.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner = 0
        self._jobs: queue.SimpleQueue[tuple[Any, Answer, Future[_Helper]]] = queue.SimpleQueue()

    def spawn(self, backend: Any, answer: Answer) -> _Helper:
        """A new helper, forked by this process's spawner thread (started on first use, and again after a fork)."""
        with self._lock:
            if self._owner != os.getpid():
                self._owner, self._jobs = os.getpid(), queue.SimpleQueue()
                threading.Thread(target=self._run, args=(self._jobs,), name="query-helper-spawner",
                                 daemon=True).start()
            jobs = self._jobs
        done: Future[_Helper] = Future()
        jobs.put((backend, answer, done))
        return done.result()

    @staticmethod
    def _run(jobs: queue.SimpleQueue[tuple[Any, Answer, Future[_Helper]]]) -> None:
        while True:
            backend, answer, done = jobs.get()
            try:
                done.set_result(_spawn(backend, answer))
            except BaseException as exc:  # handed to the waiting request thread
                done.set_exception(exc)


_spawner = _Spawner()


def _kill(helper: _Helper) -> None:
    """SIGKILL and reap a helper: pyoxigraph cannot be interrupted any other way."""
    os.close(helper.requests)
    os.close(helper.replies)
    try:
        os.kill(helper.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(helper.pid, 0)


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


def _exchange(helper: _Helper, encoded: bytes, timeout: float) -> list[bytes] | None:
    """Send one request and read its two replies (meta, body); None at the deadline; [] if the helper died."""
    try:
        _write_all(helper.requests, _HEADER.pack(len(encoded)) + encoded)
    except BrokenPipeError:
        return []
    deadline = time.monotonic() + timeout
    parts: list[bytes] = []
    for _ in range(2):
        header = _read_before(helper.replies, _HEADER.size, deadline)
        size = _HEADER.unpack(header)[0] if header else 0
        payload = _read_before(helper.replies, size, deadline) if header else header
        if header is None or payload is None:
            return None
        if not header or (size and not payload):
            return []
        parts.append(payload)
    return parts


class HelperPool:
    """The helpers of one worker process and the admission of queries to them (thread-safe)."""

    def __init__(self, admission: Admission) -> None:
        self.admission = admission
        self._owner = os.getpid()
        self._cond = threading.Condition()
        self._idle: list[_Helper] = []
        self._live = 0  # helpers forked and not killed: idle + running
        self._tickets: dict[int, str] = {}  # waiting queries: ticket -> client, tickets in arrival order
        self._next_ticket = 0
        self._clients: Counter[str] = Counter()  # queries running or waiting, by client
        self._usage: dict[str, tuple[float, float]] = {}  # client -> (helper seconds, decayed as of monotonic t)
        self._generation = 0

    def _adopt(self) -> None:
        """After a fork the pool is the parent's: its helpers are not ours to use or kill; start empty."""
        if self._owner != os.getpid():
            self._owner, self._idle, self._live, self._tickets = os.getpid(), [], 0, {}
            self._clients, self._usage = Counter(), {}
            self._cond = threading.Condition()

    def _cost(self, client: str, now: float) -> float:
        """Helper seconds this client used lately (halved every USAGE_HALF_LIFE s): who waits least goes first."""
        used, when = self._usage.get(client, (0.0, now))
        return used * 0.5 ** ((now - when) / USAGE_HALF_LIFE)

    def _charge(self, client: str, seconds: float) -> None:
        now = time.monotonic()
        self._usage[client] = (self._cost(client, now) + seconds, now)
        if len(self._usage) > 10_000:  # forget clients that have been quiet for long
            self._usage = {c: u for c, u in self._usage.items() if self._cost(c, now) > 0.001}

    def _next(self) -> int:
        """The waiting ticket to serve next: the client with the least recent helper time, then the oldest."""
        now = time.monotonic()
        return min(self._tickets, key=lambda t: (self._cost(self._tickets[t], now), t))

    def _free(self) -> bool:
        return bool(self._idle) or self._live < self.admission.helpers

    def _admit(self, client: str, timeout: float) -> tuple[int, _Helper | None]:
        """Wait for a helper: an idle one, or None = fork one (counted already); with the generation granted in.

        Waiting queries are served by least recent use of the helpers per client, so a cheap client is not
        stuck behind a heavy one's queue. 429 or 503 (with Retry-After) when the client is at its cap, the
        queue is full, or no helper came free within `timeout`.
        """
        limit = self.admission.per_client
        with self._cond:
            if client and limit and self._clients[client] >= limit:
                raise errors.too_many_queries(limit, self.admission.retry_after)
            if not (self._free() and not self._tickets):
                if len(self._tickets) >= self.admission.queue:
                    raise errors.busy(self.admission.retry_after)
                ticket, self._next_ticket = self._next_ticket, self._next_ticket + 1
                self._tickets[ticket] = client
                self._clients[client] += 1
                try:
                    granted = self._cond.wait_for(lambda: self._free() and self._next() == ticket, timeout)
                finally:
                    del self._tickets[ticket]
                    self._clients[client] -= 1
                    self._cond.notify_all()  # the next ticket in line may go now, or the head changed
                if not granted:
                    raise errors.busy(self.admission.retry_after)
            self._clients[client] += 1
            if self._idle:
                return self._generation, self._idle.pop()
            self._live += 1  # the caller forks it, outside the lock
            return self._generation, None

    def _forget(self, client: str) -> None:
        self._clients[client] -= 1
        if self._clients[client] <= 0:
            del self._clients[client]

    def run(self, backend: Any, answer: Answer, encoded: bytes, timeout: float,
            client: str | None) -> list[bytes]:
        """Answer one encoded request in a helper within `timeout`: the replies (meta, body) or an ApiError."""
        client = client or ""
        with self._cond:
            self._adopt()
        generation, helper = self._admit(client, timeout)
        started = time.monotonic()
        stale = helper is not None and helper.backend is not backend
        if helper is None or stale:
            if stale:
                _kill(helper)  # type: ignore[arg-type]
            try:
                helper = _spawner.spawn(backend, answer)
            except OSError:
                self._release(None, client, generation, 0.0)
                raise
        parts = _exchange(helper, encoded, timeout)
        used = time.monotonic() - started
        if not parts:
            _kill(helper)
            self._release(None, client, generation, used)
            if parts is None:
                log.warning("query stopped after %s s: its helper was killed", timeout)
                raise errors.timeout(timeout)
            raise errors.query_failed("the query helper died before it could answer")
        self._release(helper, client, generation, used)
        return parts

    def _release(self, helper: _Helper | None, client: str, generation: int, used: float) -> None:
        """Give a helper back (None: it was killed), or kill it if an update made its data stale meanwhile."""
        with self._cond:
            self._forget(client)
            self._charge(client, used)
            if helper is not None and generation == self._generation:
                self._idle.append(helper)
            else:
                self._live -= 1
                if helper is not None:
                    _kill(helper)
            self._cond.notify_all()

    @property
    def running(self) -> int:
        """Queries of this worker in a helper right now."""
        with self._cond:
            return self._live - len(self._idle) if self._owner == os.getpid() else 0

    @property
    def waiting(self) -> int:
        """Queries of this worker waiting for a helper right now."""
        with self._cond:
            return len(self._tickets) if self._owner == os.getpid() else 0

    def reset(self) -> None:
        """Stop every idle helper of this worker; running ones are stopped when they finish (after an update)."""
        with self._cond:
            self._adopt()
            idle, self._idle = self._idle, []
            self._live -= len(idle)
            self._generation += 1
            self._cond.notify_all()
        for helper in idle:
            _kill(helper)


# One pool of helpers per process and admission policy (tests build apps with different settings in one
# process). After gunicorn forks a worker, the pool it inherited from the master starts afresh (_adopt).
_pools: dict[Admission, HelperPool] = {}
_pools_lock = threading.Lock()


def pool_for(admission: Admission) -> HelperPool:
    """This process's helper pool for an admission policy."""
    with _pools_lock:
        return _pools.setdefault(admission, HelperPool(admission))


def reset_pools() -> None:
    """Stop this worker's query helpers (after an update made their copy of the store stale)."""
    with _pools_lock:
        pools = list(_pools.values())
    for pool in pools:
        pool.reset()
