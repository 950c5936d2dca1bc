"""The instruments every bench shares: a peak-RSS sampler, bounded repetition, machine facts, JSON output.

Peak memory is sampled from /proc (resident set size) by a thread, because most of the memory that matters
here (pyoxigraph's indexes, Virtuoso) is outside Python's allocator where tracemalloc cannot see it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICKS = os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int | None = None) -> int:
    """Resident set size of a process (this one by default), read from /proc/<pid>/statm."""
    try:
        with open(f"/proc/{pid or 'self'}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return 0


def tree_rss_bytes(pid: int) -> int:
    """RSS of a process and its children (gunicorn master + workers): a forking server measured whole."""
    total = rss_bytes(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (FileNotFoundError, ProcessLookupError):
        return total
    return total + sum(tree_rss_bytes(int(c)) for c in children)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return []


def tree_pss_bytes(pid: int) -> int:
    """Proportional set size of a process and its children (/proc smaps_rollup): shared pages counted once,
    so a preforked server's workers sharing its store copy-on-write are not counted once per worker."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total = int(line.split()[1]) * 1024
                break
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0
    return total + sum(tree_pss_bytes(c) for c in _children(pid))


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process, its reaped children and its live ones (from /proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    own = sum(int(f) for f in fields[11:15]) / _TICKS  # utime, stime, cutime, cstime (fields 14-17 of stat)
    return own + sum(tree_cpu_seconds(c) for c in _children(pid))


class PeakSampler:
    """Samples RSS every `interval` s in a thread; `mark()` returns and resets the peak since last mark."""

    def __init__(self, pid: int | None = None, interval: float = 0.01) -> None:
        self.pid, self.interval = pid, interval
        self._peak = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _sample(self) -> int:
        return tree_rss_bytes(self.pid) if self.pid else rss_bytes()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            value = self._sample()
            with self._lock:
                self._peak = max(self._peak, value)

    def start(self) -> PeakSampler:
        """Start sampling; returns self so `with PeakSampler().start() as s` reads naturally."""
        self._peak = self._sample()
        self._thread.start()
        return self

    def mark(self) -> int:
        """The peak RSS (bytes) since the previous mark (or start), current value included; then reset."""
        now = self._sample()
        with self._lock:
            peak, self._peak = max(self._peak, now), now
        return peak

    def stop(self) -> None:
        """Stop the sampling thread."""
        self._stop.set()
        self._thread.join(timeout=2)

    def __enter__(self) -> PeakSampler:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def max_rss_bytes() -> int:
    """The peak RSS of this process over its whole life (getrusage; Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@dataclass
class Timing:
    """Repeated wall-clock timings of one operation, in seconds."""

    samples: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float | int]:
        """Count, median, mean, min, max and p90 in milliseconds (what the tables print)."""
        if not self.samples:
            return {"n": 0}
        ms = sorted(s * 1000 for s in self.samples)
        return {
            "n": len(ms),
            "median_ms": round(statistics.median(ms), 3),
            "mean_ms": round(statistics.fmean(ms), 3),
            "min_ms": round(ms[0], 3),
            "max_ms": round(ms[-1], 3),
            "p90_ms": round(ms[min(len(ms) - 1, int(0.9 * len(ms)))], 3),
        }


def repeat(fn: Callable[[], object], *, max_runs: int, max_seconds: float, min_runs: int = 1) -> Timing:
    """Time `fn` until max_runs or max_seconds, whichever first (at least min_runs): bounded twice."""
    timing = Timing()
    deadline = time.perf_counter() + max_seconds
    while len(timing.samples) < max_runs:
        start = time.perf_counter()
        fn()
        timing.samples.append(time.perf_counter() - start)
        if len(timing.samples) >= min_runs and time.perf_counter() >= deadline:
            break
    return timing


@contextmanager
def stopwatch() -> Iterator[dict[str, float]]:
    """`with stopwatch() as t:` ... then t["seconds"] is the wall-clock time of the block."""
    box: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield box
    finally:
        box["seconds"] = time.perf_counter() - start


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (servers under test listen on loopback only)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0][:120] if text else "unknown"


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, Any]:
    """What the numbers were measured on: CPU, cores, memory, OS, load, versions of everything compared."""
    os_name = "unknown"
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return {
        "date": dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": round(_mem_total() / 2**30, 1),
        "os": os_name,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "versions": {
            "foedus": _package_version("foedus"),
            "pyoxigraph": _package_version("pyoxigraph"),
            "rdflib": _package_version("rdflib"),
            "rdflib-endpoint": _package_version("rdflib-endpoint"),
            "uvicorn": _package_version("uvicorn"),
            "gunicorn": _package_version("gunicorn"),
            "oxigraph (server)": _package_version("oxigraph"),
            "virtuoso": _version(["virtuoso-t", "-?"]),
            "wrk": _version(["wrk", "--version"]),
        },
    }


def write_json(name: str, data: Any, results_dir: Path = RESULTS_DIR) -> Path:
    """Write one bench's results to bench/results/<name>.json (gitignored) and return the path."""
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return path


def mib(n: int | float) -> float:
    """Bytes to MiB, rounded for tables."""
    return round(n / 2**20, 1)
