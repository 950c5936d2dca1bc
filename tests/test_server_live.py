"""The real server: `foedus serve` under gunicorn on a free loopback port, driven by SPARQLWrapper.

Also home of `running_server`, the helper the protocol and Virtuoso tests use to start one.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "server"
ALLIANCES = FIXTURES / "alliances.nq"


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], name: str, within: float, every: float,
                  output: Callable[[], str]) -> None:
    """Poll `url` until it answers 200; fail with the process's `output()` if it exits first, or after `within` s."""
    deadline = time.monotonic() + within
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"{name} exited: {output()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} did not start within {within:.0f} s")
        time.sleep(every)


def stop(proc: subprocess.Popen[bytes], grace: float) -> None:
    """SIGTERM a process we started, then SIGKILL it if it has not exited within `grace` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def running_server(files: list[Path], workers: int = 2, **settings: str) -> Iterator[str]:
    """Run `foedus serve FILES` on a free port with FOEDUS_* settings; yield its URL; stop it afterwards."""
    port = free_port()
    env = {**os.environ, **{f"FOEDUS_{k.upper()}": v for k, v in settings.items()}}
    cmd = [
        sys.executable,
        "-m",
        "foedus.cli",
        "serve",
        *map(str, files),
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", proc, "server", 60, 0.1,
                      lambda: proc.stderr.read().decode() if proc.stderr else "")
        yield base
    finally:
        stop(proc, 30)
        if proc.stderr:
            proc.stderr.close()


def children_of(pid: int) -> set[int]:
    """Process ids whose parent is `pid` (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server([ALLIANCES], workers=2, query_timeout="3", max_result_rows="10") as base:
        yield base


def client(base: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(base + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


LABELS = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?s ?l"


def test_select_json(server: str) -> None:
    result = client(server, LABELS, JSON).queryAndConvert()
    assert isinstance(result, dict)
    labels = {b["l"]["value"]: b["l"].get("xml:lang") for b in result["results"]["bindings"]}
    assert labels["France"] == "en"
    assert labels["ATOP 1055"] is None


def test_select_xml_csv_tsv(server: str) -> None:
    xml = client(server, LABELS, XML).queryAndConvert()
    assert xml.getElementsByTagName("literal")  # type: ignore[union-attr]
    csv = client(server, LABELS, CSV).queryAndConvert()
    assert csv.decode().startswith("s,l\r\n")  # type: ignore[union-attr]
    tsv = client(server, LABELS, TSV).queryAndConvert().decode()  # type: ignore[union-attr]
    assert '"France"@en' in tsv


def test_ask_by_post(server: str) -> None:
    sparql = client(server, "ASK { ?s a <https://w3id.org/foedus/ontology/Alliance> }", JSON)
    sparql.setMethod("POST")
    assert sparql.queryAndConvert()["boolean"] is True  # type: ignore[index]


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_construct_formats(server: str, fmt: str) -> None:
    sparql = client(server, "CONSTRUCT WHERE { ?a a <https://w3id.org/foedus/ontology/Alliance> }", fmt)
    result = sparql.query()
    data = result.response.read()
    media = result.response.headers["Content-Type"].split(";")[0]
    if media == "application/ld+json":
        assert len(json.loads(data)) == 2
    else:
        graph = Graph().parse(
            data=data, format={"text/turtle": "turtle", "application/rdf+xml": "xml"}[media]
        )
        assert len(graph) == 2


def test_malformed_query_is_400_with_position(server: str) -> None:
    with pytest.raises(QueryBadFormed) as caught:
        client(server, "SELECT * WHERE { ?s ?p }", JSON).queryAndConvert()
    assert "1:" in str(caught.value)


def test_row_cap_truncates_and_says_so(server: str) -> None:
    url = server + "/sparql?" + urllib.parse.urlencode({"query": "SELECT * { GRAPH ?g { ?s ?p ?o } }"})
    with urllib.request.urlopen(url) as response:
        body = json.load(response)
        assert response.headers["Foedus-Results-Truncated"] == "max_result_rows=10"
    assert len(body["results"]["bindings"]) == 10


RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . "
    "?p ?q ?r . ?t ?u ?v }"
)


def test_timeout_stops_the_query_while_others_get_answers(server: str) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        url = server + "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
        try:
            with urllib.request.urlopen(url, timeout=60):
                outcome["status"] = 200
        except urllib.error.HTTPError as exc:
            outcome["status"] = exc.code
            outcome["body"] = exc.read().decode()
            exc.close()

    slow = threading.Thread(target=runaway)
    slow.start()
    time.sleep(0.5)  # let the runaway query reach a worker
    answered_meanwhile = []
    for _ in range(3):
        result = client(server, "ASK { ?s ?p ?o }", JSON).queryAndConvert()
        answered_meanwhile.append((result["boolean"], slow.is_alive()))  # type: ignore[index]
    slow.join(60)
    assert all(ok and alive for ok, alive in answered_meanwhile), answered_meanwhile
    assert outcome["status"] == 503
    error = json.loads(str(outcome["body"]))["error"]  # complete JSON: nothing of a 200 was sent first
    assert error["title"] == "Query timeout"
    # Both workers answer again and no query child is left behind.
    for _ in range(4):
        assert client(server, "ASK {}", JSON).queryAndConvert()["boolean"] is True  # type: ignore[index]


def test_timed_out_child_is_killed() -> None:
    with running_server([ALLIANCES], workers=1, query_timeout="1") as base:
        with urllib.request.urlopen(base + "/healthz") as response:
            assert response.status == 200
        master = int(next(p for p in _listeners(base)))
        url = base + "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(url, timeout=60).close()
        caught.value.close()
        assert caught.value.code == 503
        workers = children_of(master)
        assert len(workers) == 1
        assert all(not children_of(w) for w in workers)  # the query child was SIGKILLed and reaped


def _listeners(base: str) -> list[int]:
    """The gunicorn master serving `base`: the test's child process whose command line names its port."""
    port = base.rsplit(":", 1)[1].encode()
    pids = []
    for pid in children_of(os.getpid()):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in cmd and port in cmd:
            pids.append(pid)
    return pids


def test_serve_refuses_missing_release(tmp_path: Path) -> None:
    env = {**os.environ, "FOEDUS_RELEASES": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "foedus.cli", "serve", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "foedus: error:" in result.stderr and "foedus build" in result.stderr
