"""The servers the HTTP bench compares, each started here on 127.0.0.1 (a free port) and stopped by it.

Ours (`foedus serve`: gunicorn + Flask + pyoxigraph), the bare Flask + gunicorn + pyoxigraph app (bench/bare_app.py,
the floor any Flask endpoint over pyoxigraph reaches), rdflib-endpoint (PyPI, under uvicorn), Virtuoso (Debian,
bulk-loaded with ld_dir and rdf_loader_run) and Oxigraph's own server (PyPI `oxigraph`). Jena Fuseki is not one:
Debian 12 ships Jena's libraries (libapache-jena-java) but no Fuseki server, and no `fuseki` package.
Every server runs in its own process group, so stopping it takes its workers along.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bench.measure import free_port, tree_cpu_seconds, tree_pss_bytes, tree_rss_bytes
from foedus.server.virtuoso import write_virtuoso_ini

READY_TIMEOUT = 600.0
ACCEPT = {"SELECT": "application/sparql-results+json", "ASK": "application/sparql-results+json",
          "CONSTRUCT": "application/n-triples", "DESCRIBE": "application/n-triples"}
ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2  # the machine's cores; every forking peer gets the same number

@dataclass
class Server:
    """A server under test: its name, SPARQL URL, process, and what starting and loading it cost."""

    name: str
    url: str
    proc: subprocess.Popen[bytes]
    started: float
    ready_s: float = 0.0
    load_s: float | None = None
    notes: list[str] = field(default_factory=list)
    stderr: IO[bytes] | None = None

    def last_words(self) -> str:
        """The end of what the server wrote to stderr (why it exited, when it did)."""
        if self.stderr is None:
            return ""
        self.stderr.seek(0, os.SEEK_END)
        self.stderr.seek(max(0, self.stderr.tell() - 300))
        return self.stderr.read().decode("utf-8", "replace").strip()

    def rss(self) -> int:
        """Resident memory of the server and its worker processes, in bytes (shared pages counted per process)."""
        return tree_rss_bytes(self.proc.pid)

    def pss(self) -> int:
        """Proportional set size of the server and its workers: pages shared copy-on-write counted once."""
        return tree_pss_bytes(self.proc.pid)

    def cpu_seconds(self) -> float:
        """CPU time the server and its live workers have used so far."""
        return tree_cpu_seconds(self.proc.pid)


def post(url: str, query: str, accept: str, timeout: float = 60.0) -> tuple[int, bytes, str]:
    """POST one query as a form (SPARQL 1.1 Protocol); return status, body and media type (errors included)."""
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get_content_type()


def _wait_ready(server: Server, deadline: float) -> None:
    while True:
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.proc.returncode} before it was ready: "
                               f"{server.last_words()[-200:]}")
        try:
            status, _, _ = post(server.url, "ASK {}", ACCEPT["ASK"], timeout=5)
            if status == 200:
                server.ready_s = round(time.monotonic() - server.started, 2)
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{server.name} was not ready within {READY_TIMEOUT:.0f} s")
        time.sleep(0.5)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server we started (its own process group, so gunicorn/uvicorn workers go with it)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextmanager
def _process(name: str, cmd: list[str], url: str, env: dict[str, str] | None = None,
             cwd: Path | None = None) -> Iterator[Server]:
    with tempfile.TemporaryFile() as errors:  # its stderr, for the last words of a server that dies
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors, cwd=cwd,
                                env={**os.environ, **(env or {})}, start_new_session=True)
        server = Server(name, url, proc, time.monotonic(), stderr=errors)
        try:
            _wait_ready(server, time.monotonic() + READY_TIMEOUT)
            yield server
        finally:
            _stop(proc)


def _bin(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


@contextmanager
def foedus_server(nq: Path) -> Iterator[Server]:
    """Our endpoint as `foedus serve FILE` runs it, with its default limits, negotiation and caching."""
    port = free_port()
    cmd = [_bin("foedus"), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS),
           str(nq)]
    with _process("foedus", cmd, f"http://127.0.0.1:{port}/sparql") as server:
        server.notes.append(f"foedus serve, {WORKERS} workers, default settings")
        yield server


def _bare(name: str, default_graph: str) -> Callable[[Path], AbstractContextManager[Server]]:
    @contextmanager
    def start(nq: Path) -> Iterator[Server]:
        port = free_port()
        cmd = [_bin("gunicorn"), "--preload", "--workers", str(WORKERS), "--worker-class", "sync",
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "bench.bare_app:create()"]
        env = {"BENCH_NQ": str(nq), "BENCH_DEFAULT_GRAPH": default_graph}
        with _process(name, cmd, f"http://127.0.0.1:{port}/sparql", env, cwd=ROOT) as server:
            server.notes.append(f"gunicorn --preload, {WORKERS} sync workers, default graph: {default_graph}")
            yield server

    start.__doc__ = f"bench/bare_app.py under gunicorn, default graph {default_graph}."
    return start


@contextmanager
def rdflib_server(nq: Path) -> Iterator[Server]:
    """rdflib-endpoint (FastAPI) under uvicorn, each worker holding the release in an rdflib Dataset."""
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "bench.rdflib_app:create", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(WORKERS), "--log-level", "warning", "--no-access-log"]
    with _process("rdflib-endpoint", cmd, f"http://127.0.0.1:{port}/sparql", {"BENCH_NQ": str(nq)},
                  cwd=ROOT) as server:
        server.notes.append(f"uvicorn, {WORKERS} workers")
        yield server


@contextmanager
def oxigraph_server(nq: Path) -> Iterator[Server]:
    """Oxigraph's own Rust server (PyPI `oxigraph`), read-only over an on-disk store, union default graph."""
    binary = _bin("oxigraph")
    with tempfile.TemporaryDirectory(prefix="bench-oxigraph-") as tmp:
        start = time.monotonic()
        subprocess.run([binary, "load", "--location", tmp, "--file", str(nq)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)
        load_s = round(time.monotonic() - start, 2)
        port = free_port()
        cmd = [binary, "serve-read-only", "--location", tmp, "--bind", f"127.0.0.1:{port}",
               "--union-default-graph"]
        # No --timeout-s: with it, Oxigraph 0.5.13's server keeps one thread per query alive for the whole timeout,
        # so at thousands of requests a second it runs out of threads ("Resource temporarily unavailable (os
        # error 11)") and then aborts ("failed to allocate an alternative stack").
        with _process("oxigraph-server", cmd, f"http://127.0.0.1:{port}/query") as server:
            server.load_s = load_s
            server.notes.append("RocksDB on disk, read-only, union default graph, no query timeout")
            yield server


@contextmanager
def virtuoso_server(nq: Path) -> Iterator[Server]:
    """Virtuoso Open Source (Debian) in its own temp dir, bulk-loaded with ld_dir + rdf_loader_run."""
    binary = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql")
    if not binary or not isql:
        raise RuntimeError("virtuoso-t / isql-vt missing: `bash .ci/system-deps bench` installs them")
    with tempfile.TemporaryDirectory(prefix="bench-virtuoso-") as tmp:
        home = Path(tmp)
        shutil.copy(nq, home / "data.nq")
        sql, http = free_port(), free_port()
        write_virtuoso_ini(home, sql_port=sql, http_port=http, buffers=340000)
        cmd = [binary, "+foreground", "+configfile", str(home / "virtuoso.ini")]
        with _process("virtuoso", cmd, f"http://127.0.0.1:{http}/sparql", cwd=home) as server:
            start = time.monotonic()
            script = (f"ld_dir('{home}', 'data.nq', 'urn:foedus:unused'); rdf_loader_run(); checkpoint; "
                      "SELECT ll_file, ll_state, ll_error FROM DB.DBA.load_list;")
            out = subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", f"EXEC={script}"],
                                 capture_output=True, text=True, timeout=1800, check=False)
            server.load_s = round(time.monotonic() - start, 2)
            if out.returncode != 0 or "data.nq" not in out.stdout:
                raise RuntimeError(f"virtuoso bulk load failed: {out.stdout[-500:]} {out.stderr[-500:]}")
            server.notes.append("bulk loader (ld_dir, rdf_loader_run), NumberOfBuffers=340000")
            yield server


SERVERS: dict[str, Callable[[Path], AbstractContextManager[Server]]] = {
    "foedus": foedus_server,
    "bare": _bare("bare", "merge"),
    "bare-union": _bare("bare-union", "union"),
    "oxigraph-server": oxigraph_server,
    "virtuoso": virtuoso_server,
    "rdflib-endpoint": rdflib_server,
}
DEFAULT_SERVERS = tuple(SERVERS)
