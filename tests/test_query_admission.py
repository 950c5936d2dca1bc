"""Admission to the query helpers: a full queue answers 503 + Retry-After, a client above its cap 429 +
Retry-After, a runaway query in one helper leaves the others answering, and the queue serves the client that
used the helpers least first. States and orders, never timings."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from test_server_live import ALLIANCES, RUNAWAY, running_server

from foedus.server.app import create_app
from foedus.server.backend import Admission, Limits
from foedus.server.query_pool import HelperPool, pool_for
from foedus.server.store import load_files_store
from foedus.settings import load_settings

CHEAP = "ASK { ?s ?p ?o }"
JSON = {"Accept": "application/sparql-results+json"}


def _app(**settings: Any) -> Flask:
    store, info = load_files_store([ALLIANCES])
    return create_app(load_settings({"query_timeout": 8.0, **settings}), store, info=info)


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll a state until it holds (bounded: 60 s), e.g. until a runaway query has reached its helper."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.05)


@contextmanager
def _runaway(app: Flask, address: str) -> Iterator[dict[str, Any]]:
    """A runaway query from `address` in a thread, running in a helper when the block starts."""
    pool = pool_for(Limits.from_settings(_settings_of(app)).admission)
    answer: dict[str, Any] = {}

    def run() -> None:
        with app.test_client() as client:
            response = client.post("/sparql", data={"query": RUNAWAY}, headers=JSON,
                                   environ_base={"REMOTE_ADDR": address})
            answer["status"] = response.status_code

    thread = threading.Thread(target=run, daemon=True)
    before = pool.running
    thread.start()
    _wait_for(lambda: pool.running > before, "the runaway query reached a helper")
    try:
        yield answer
    finally:
        thread.join(60)
    assert answer["status"] == 503  # stopped at the timeout


def _settings_of(app: Flask) -> Any:
    from foedus.server.context import state

    with app.app_context():
        return state().settings


def _ask(app: Flask, address: str) -> Any:
    with app.test_client() as client:
        return client.post("/sparql", data={"query": CHEAP}, headers=JSON, environ_base={"REMOTE_ADDR": address})


def test_a_full_queue_answers_503_with_retry_after() -> None:
    """One helper, no queue: while a runaway holds the helper, the next query is refused at once, then served."""
    app = _app(query_helpers=1, query_queue=0, client_query_limit=0)
    with _runaway(app, "127.0.0.9"):
        refused = _ask(app, "127.0.0.10")
        assert refused.status_code == 503
        assert refused.headers["Retry-After"].isdigit()
        assert refused.get_json()["error"]["title"] == "Server busy"
    assert _ask(app, "127.0.0.10").status_code == 200


def test_a_client_above_its_cap_gets_429_and_others_are_served() -> None:
    """client_query_limit = 1: the runaway's client is refused a second query; another client is answered."""
    app = _app(query_helpers=2, query_queue=4, client_query_limit=1)
    with _runaway(app, "127.0.0.11"):
        capped = _ask(app, "127.0.0.11")
        assert capped.status_code == 429
        assert capped.headers["Retry-After"].isdigit()
        assert "client_query_limit" in capped.get_json()["error"]["detail"]
        other = _ask(app, "127.0.0.12")
        assert other.status_code == 200 and other.get_json()["boolean"] is True


def test_a_runaway_query_leaves_the_other_helper_answering() -> None:
    """Two helpers: cheap queries are answered while the runaway still runs in the other one."""
    app = _app(query_helpers=2, query_queue=0, client_query_limit=0, query_timeout=15.0)
    pool = pool_for(Limits.from_settings(_settings_of(app)).admission)
    with _runaway(app, "127.0.0.13") as answer:
        for _ in range(5):
            assert _ask(app, "127.0.0.14").status_code == 200
        assert "status" not in answer and pool.running >= 1  # the runaway had not finished meanwhile


def _post(base: str, source: str, query: str) -> int:
    """POST a query from the loopback address `source`; the status."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60, source_address=(source, 0))
    try:
        conn.request("POST", "/sparql", urllib.parse.urlencode({"query": query}),
                     {"Content-Type": "application/x-www-form-urlencoded", **JSON})
        return conn.getresponse().status
    finally:
        conn.close()


def test_the_asgi_front_caps_clients_by_their_address() -> None:
    """Over HTTP (the default asgi worker model), the cap sees each TCP peer's own address through a2wsgi: of two
    runaway queries from one address with client_query_limit = 1, one runs (until the timeout) and the other is
    refused with 429, while another address is answered meanwhile."""
    with running_server([ALLIANCES], workers=1, query_timeout="8", client_query_limit="1",
                        query_helpers="3") as base:
        statuses: list[int] = []
        runaways = [threading.Thread(target=lambda: statuses.append(_post(base, "127.0.0.2", RUNAWAY)), daemon=True)
                    for _ in range(2)]
        for thread in runaways:
            thread.start()
        assert _post(base, "127.0.0.3", CHEAP) == 200
        for thread in runaways:
            thread.join(60)
        assert sorted(statuses) == [429, 503]


def _gated_answer(backend: Any, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """In a helper: note the query's name in the order file, then wait until its gate file exists (if any)."""
    with open(request["order"], "a", encoding="utf-8") as out:
        out.write(request["name"] + "\n")
    deadline = time.monotonic() + 60
    while request.get("gate") and not Path(request["gate"]).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return {"rows": 0}, b""


def test_the_queue_serves_the_client_that_used_the_helpers_least_first(tmp_path: Path) -> None:
    """One helper: a heavy client's second query waits before a new client's, yet the new client goes first."""
    pool = HelperPool(Admission(helpers=1, queue=8, per_client=0))
    order, gate = tmp_path / "order", tmp_path / "gate"

    def ask(name: str, client: str, gated: bool = False) -> threading.Thread:
        request = {"name": name, "order": str(order), "gate": str(gate) if gated else ""}
        thread = threading.Thread(target=pool.run, args=(None, _gated_answer, json.dumps(request).encode(), 60.0,
                                                         client), daemon=True)
        thread.start()
        return thread

    first = ask("heavy-1", "heavy", gated=True)
    _wait_for(lambda: order.exists() and order.read_text() == "heavy-1\n", "heavy-1 runs in the helper")
    second = ask("heavy-2", "heavy")
    _wait_for(lambda: pool.waiting == 1, "heavy-2 waits")
    third = ask("light-1", "light")
    _wait_for(lambda: pool.waiting == 2, "light-1 waits behind it")
    gate.touch()  # heavy-1 finishes; heavy has used the helper, light has not
    for thread in (first, second, third):
        thread.join(60)
    assert order.read_text().split() == ["heavy-1", "light-1", "heavy-2"]
