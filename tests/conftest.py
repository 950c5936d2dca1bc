"""Shared fixtures: the public data sets, one full release per test session (built and validated once), and the
packaged curated core read once (alone, and as a store with the ontology and its dyads)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pyoxigraph import NamedNode, RdfFormat, Store

if TYPE_CHECKING:
    from rdflib import Graph

    from foedus.ontology.check import Problem
    from foedus.queries.catalog import SavedQuery

REPO = Path(__file__).resolve().parents[1]


def sources_dir() -> Path:
    """The public data sets: FOEDUS_SOURCES, else ../shared/data next to the repository; missing = failure."""
    path = Path(os.environ.get("FOEDUS_SOURCES") or REPO.parent / "shared" / "data")
    assert (path / "atop").is_dir(), f"the public data sets are missing at {path} (set FOEDUS_SOURCES)"
    return path


@pytest.fixture(scope="session")
def fixture_reasoning() -> list[Problem]:
    """HermiT over the ontology set (core + extensions) and the classification fixture, run once a session
    (~1.5 s): what `reasoning_problems(load_ontology_set(), fixture_path())` reports."""
    from foedus.ontology.check import fixture_path, load_ontology_set, reasoning_problems

    return reasoning_problems(load_ontology_set(), fixture_path())


@functools.cache
def curated_graph() -> Graph:
    """The packaged curated core (graph/curated) as one rdflib Graph, read once per test process: never change it."""
    from foedus.graph.curated import load_curated

    return load_curated(Path(str(files("foedus.graph"))) / "curated").graph


@functools.cache
def curated_store() -> Store:
    """The curated core alone, with the ontology and the dyads derived from it, in their named graphs."""
    from rdflib import Graph

    from foedus.graph.dyads import build_dyads, collect_spells
    from foedus.graph.standing import standing
    from foedus.server.store import merge_into_default_graph
    from foedus.vocab import graph_iri

    core = curated_graph()
    onto = Graph()
    onto.parse(data=(files("foedus.ontology") / "foedus.ttl").read_text(encoding="utf-8"), format="turtle")
    spells, _ = collect_spells({"curated": core})
    as_of = dt.date(2025, 1, 1)
    derived = build_dyads(spells, [core], as_of)
    derived += standing(spells, dict.fromkeys((s.iri for s in spells), "curated"), {"curated": core}, as_of)
    store = Store()
    for name, g in (("curated", core), ("ontology", onto), ("derived", derived)):
        store.bulk_load(g.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES,
                        to_graph=NamedNode(str(graph_iri(name))))
    merge_into_default_graph(store)  # as the server does at start-up
    return store


@contextlib.contextmanager
def loopback_server(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 (a free port) in a thread, for as long as the block runs; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """A WSGI app (ours) on 127.0.0.1 (a free port) in a thread, for as long as the block runs; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="session")
def sources() -> Path:
    """The public data sets directory (see sources_dir)."""
    return sources_dir()


@pytest.fixture(scope="session")
def full_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release built from the curated core and the public data sets, through the SHACL gate, once a session.

    `foedus build` publishes only a release without violations, so a test that receives this path also knows the
    full release validated clean.
    """
    from foedus.graph.build import build_release
    from foedus.settings import load_settings

    base = tmp_path_factory.mktemp("full-release")
    settings = load_settings({"sources": sources_dir(), "releases": base})
    return build_release(settings, progress=False)


@pytest.fixture(scope="session")
def full_store(full_release: Path) -> Store:
    """The full release loaded as the server loads it (named graphs + merged default graph), once a session.

    Shared by every test that queries the full release: read it, never update it.
    """
    from foedus.server.store import load_release_store

    return load_release_store(full_release)[0]


def unordered(term: object) -> str:
    """A cell with the words of its text in sorted order: GROUP_CONCAT's order is unspecified in SPARQL 1.1, so
    two plans of one query may list the same values in another order."""
    from pyoxigraph import Literal

    if not isinstance(term, Literal):
        return str(term)
    words = " ".join(sorted(term.value.replace(" | ", " ").replace(", ", " ").split()))
    return f"{words}^^{term.datatype.value}@{term.language or ''}"


def run_saved(store: Store, saved: SavedQuery, given: dict[str, str]) -> Any:
    """Evaluate a saved query in process on a test store: parameters bound by substitution, class checks asked.

    The server and `foedus query` run saved queries through the backend; tests that compare answers on many
    stores evaluate them directly.
    """
    from foedus.queries.catalog import instance_check
    from foedus.queries.run import check_classes

    subs = saved.bind(given)
    def is_a(value: Any, cls: str) -> bool:
        text, bound = instance_check(value, cls)
        return bool(store.query(text, substitutions=bound))

    check_classes(is_a, saved, subs)
    return store.query(saved.text, substitutions=subs)
