"""Load bench: does a cheap lookup stay fast while other clients load `foedus serve`?

One probe client (source address 127.0.0.1) POSTs the cheap `lookup-by-iri` query again and again, one at a
time, and we report its p50/p95 in four phases: idle; with 64 clients on the request mix; while one client runs
a runaway query (stopped only by query_timeout); and with 100 slow-header clients connected (each sends a
header line every second and never finishes its request). The other clients run in a separate process, each
from its own loopback address (127.0.1.x, 127.0.2.x, 127.0.3.x), so that per-client limits see them as the
distinct clients they stand for. Everything is on 127.0.0.0/8; every phase is bounded in time and requests, and
the server is stopped at the end. Run once per worker model (`worker_model` setting) to compare them:

    python -m bench.load_bench --release releases/latest --models sync,asgi
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

MIX_DIR = Path(__file__).resolve().parent / "mix"
PROBE = (MIX_DIR / "lookup-by-iri.rq").read_text(encoding="utf-8")
# The mix without optional-not-exists: that one runs 30 s in pyoxigraph 0.5.13, a runaway of its own.
MIX = [p.read_text(encoding="utf-8") for p in sorted(MIX_DIR.glob("*.rq")) if p.stem != "optional-not-exists"]
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }")
PHASES = ("idle", "mix", "runaway", "slow")
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


def _post(conn: http.client.HTTPConnection, query: str) -> int:
    """POST one query as a form on a kept-alive connection; its status (the body is read and dropped)."""
    conn.request("POST", "/sparql", urllib.parse.urlencode({"query": query}),
                 {"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT})
    response = conn.getresponse()
    response.read()
    return response.status


def _client(port: int, source: str, timeout: float) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))


def _loop(port: int, source: str, queries: list[str], deadline: float, statuses: Counter[str],
          lock: threading.Lock, timeout: float) -> None:
    """Send `queries` round-robin from `source` until the deadline; count the answers' statuses."""
    conn, i = _client(port, source, timeout), 0
    while time.monotonic() < deadline:
        try:
            status = str(_post(conn, queries[i % len(queries)]))
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
            conn = _client(port, source, timeout)
        with lock:
            statuses[status] += 1
        i += 1
    conn.close()


def _slow(port: int, source: str, deadline: float) -> None:
    """A slow-header client: a request line, then one header line a second, never the blank line."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0)) as sock:
            sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            n = 0
            while time.monotonic() < deadline:
                time.sleep(1.0)
                sock.sendall(f"X-Slow-{n}: {'a' * 8}\r\n".encode())
                n += 1
    except OSError:
        pass


def _load(kind: str, port: int, count: int, seconds: float, out: Any) -> None:
    """In a child process: `count` clients of one kind for `seconds`; put their status counts on `out`."""
    deadline = time.monotonic() + seconds
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    threads = []
    for i in range(count):
        if kind == "mix":
            target: Any = _loop
            args: tuple[Any, ...] = (port, f"127.0.1.{i + 1}", MIX[i % len(MIX):] + MIX[:i % len(MIX)], deadline,
                                     statuses, lock, seconds + 30)
        elif kind == "runaway":
            target, args = _loop, (port, f"127.0.2.{i + 1}", [RUNAWAY], deadline, statuses, lock, seconds + 60)
        else:
            target, args = _slow, (port, f"127.0.3.{i + 1}", deadline)
        threads.append(threading.Thread(target=target, args=args, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 90)
    out.put(dict(statuses))


def _probe(port: int, seconds: float, max_requests: int) -> dict[str, Any]:
    """The cheap query, one at a time from 127.0.0.1, for `seconds` or `max_requests`: latencies and statuses."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    conn = _client(port, "127.0.0.1", 10)
    while time.monotonic() < deadline and len(latencies) < max_requests:
        started = time.perf_counter()
        try:
            status = str(_post(conn, PROBE))
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
            conn = _client(port, "127.0.0.1", 10)
        statuses[status] += 1
        if status == "200":
            latencies.append((time.perf_counter() - started) * 1000)
    conn.close()
    result: dict[str, Any] = {"requests": sum(statuses.values()), "statuses": dict(statuses)}
    if len(latencies) >= 2:
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        result.update(p50_ms=round(statistics.median(latencies), 2), p95_ms=round(cuts[94], 2))
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(release: Path, model: str, workers: int, port: int, log: Path) -> subprocess.Popen[bytes]:
    """`foedus serve` of the release with one worker model, on a free port; returns once /healthz answers."""
    releases = Path(tempfile.mkdtemp(prefix="foedus-load-"))
    (releases / "latest").symlink_to(release.resolve())
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOEDUS_")}
    env.update(FOEDUS_RELEASES=str(releases), FOEDUS_WORKER_MODEL=model, FOEDUS_WORKERS=str(workers),
               FOEDUS_CONFIG=str(releases / "none.toml"), FOEDUS_LOG_LEVEL="warning")
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "foedus.cli", "serve", "--port", str(port)],
                                env=env, stdout=subprocess.DEVNULL, stderr=sink)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"foedus serve ({model}) exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"foedus serve ({model}) did not start within 300 s")


def run_model(release: Path, model: str, *, workers: int = 2, seconds: float = 10.0, clients: int = 64,
              slow: int = 100, log: Any = print) -> dict[str, Any]:
    """The four phases against one worker model; each phase's probe figures and the other clients' statuses."""
    port = _free_port()
    server_log = Path(tempfile.mkstemp(prefix=f"foedus-load-{model}-", suffix=".log")[1])
    proc = _serve(release, model, workers, port, server_log)
    results: dict[str, Any] = {"model": model, "workers": workers}
    ctx = mp.get_context("spawn")
    try:
        _probe(port, 2.0, 50)  # warm-up: helpers forked, pages of the store touched
        for phase in PHASES:
            out = ctx.Queue()
            load = None
            if phase != "idle":
                count = {"mix": clients, "runaway": 1, "slow": slow}[phase]
                load = ctx.Process(target=_load, args=(phase, port, count, seconds + 2.0, out), daemon=True)
                load.start()
                time.sleep(2.0)  # let the load reach the server before the probe starts
            figures = _probe(port, seconds, 5000)
            if load is not None:
                figures["others"] = out.get(timeout=seconds + 120)
                load.join(30)
            results[phase] = figures
            log(f"load: {model} {phase}: {json.dumps(figures)}")
            time.sleep(1.0)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return results


def run(release: Path, models: tuple[str, ...] = ("sync", "asgi"), **options: Any) -> dict[str, Any]:
    """Every model in turn; the JSON bench/results/load.json holds."""
    return {"release": str(release), "mix_queries": len(MIX), "models": [run_model(release, m, **options)
                                                                          for m in models]}


def main(argv: list[str] | None = None) -> int:
    """Parse options, run, print one line per phase and write bench/results/load.json."""
    parser = argparse.ArgumentParser(prog="python -m bench.load_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--release", type=Path, default=Path("releases/latest"))
    parser.add_argument("--models", default="sync,asgi", help="worker models to compare (sync, gthread, asgi)")
    parser.add_argument("--seconds", type=float, default=10.0, help="probe time per phase")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    from bench.measure import write_json

    result = run(args.release, tuple(args.models.split(",")), seconds=args.seconds, workers=args.workers)
    write_json("load", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
