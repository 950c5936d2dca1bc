"""Run one function in a forked child with a deadline, for work on untrusted input (an upload to /validate).

The child inherits the worker's memory (the parsed shapes, the ontology) copy-on-write, runs the function and
pickles its return value back over a pipe. At the deadline the worker SIGKILLs it: a parser or pySHACL cannot be
interrupted otherwise, and a crash or a blown-up memory in the child never takes the web worker with it.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class ChildTimeout(Exception):
    """The child did not answer before the deadline; it has been killed."""


class ChildDied(Exception):
    """The child exited without an answer (an uncaught error, a crash, or the kernel killed it)."""


def call(fn: Callable[[], T], timeout: float) -> T:
    """fn() computed in a forked child; ChildTimeout after `timeout` seconds, ChildDied if it gave no answer."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child leaves through os._exit
        _child(fn, read_end, write_end)
    os.close(write_end)
    try:
        data = _read_until_eof(read_end, time.monotonic() + timeout)
    finally:
        os.close(read_end)
        try:
            os.kill(pid, signal.SIGKILL)  # at once on a timeout; a no-op for a child that already exited
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    if data is None:
        raise ChildTimeout(f"no answer within {timeout:g} s")
    if not data:
        raise ChildDied("the child exited without an answer")
    result: T = pickle.loads(data)
    return result


def _child(fn: Callable[[], object], read_end: int, write_end: int) -> None:
    """The child's life: keep only the pipe (no client sockets, no listener), answer once, exit."""
    status = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.close(read_end)
        os.closerange(3, write_end)
        os.closerange(write_end + 1, 65536)
        data = pickle.dumps(fn())
        view = memoryview(data)
        while view:
            view = view[os.write(write_end, view) :]
        status = 0
    finally:
        os._exit(status)


def _read_until_eof(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes until it closes the pipe; None when the deadline passes first."""
    data = bytearray()
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return bytes(data)
        data += chunk
