"""`foedus curated wikidata-suggest` against a small Wikidata stand-in on 127.0.0.1 that really runs the query."""

from __future__ import annotations

import csv
import http.server
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import loopback_server

from foedus.cli import cli
from foedus.errors import SourceError
from foedus.graph.curated import load_curated
from foedus.graph.wikidata import suggest, unlinked_things, write_review

FIXTURE = Path(__file__).parent / "fixtures" / "curated"
WIKIDATA = """
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
wd:Q131569 rdfs:label "treaty"@en .
wd:Q100 rdfs:label "Mini Treaty"@en ; schema:description "the treaty of the test"@en ;
    wdt:P31 wd:Q131569 ; wdt:P585 "1949-04-04T00:00:00Z"^^xsd:dateTime .
wd:Q200 rdfs:label "Mini Treaty of 1800"@en ; skos:altLabel "Mini Treaty"@en ;
    wdt:P571 "1800-01-01T00:00:00Z"^^xsd:dateTime .
wd:Q300 rdfs:label "Mini Treaty"@fr .
wd:Q400 rdfs:label "Treaty of Dunkirk"@en ; wdt:P31 wd:Q131569 ; wdt:P585 "1947-03-04T00:00:00Z"^^xsd:dateTime .
"""


class _Wikidata(http.server.BaseHTTPRequestHandler):
    """Answers POSTed SPARQL with pyoxigraph over the stand-in data; 500 when the server says so."""

    store: ox.Store
    fail = False

    def do_POST(self) -> None:  # noqa: N802 - the base class's name
        length = int(self.headers.get("Content-Length", "0"))
        query = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))["query"][0]
        if self.fail:
            self.send_error(500, "Internal Server Error")
            return
        body = self.store.query(query).serialize(format=ox.QueryResultsFormat.JSON)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def wikidata() -> Iterator[tuple[str, type[_Wikidata]]]:
    store = ox.Store()
    store.load(WIKIDATA.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    handler = type("Handler", (_Wikidata,), {"store": store, "fail": False})
    with loopback_server(handler) as base:
        yield f"{base}/sparql", handler


def test_candidates_by_exact_english_label_year_matches_first(wikidata: tuple[str, type[_Wikidata]],
                                                              tmp_path: Path) -> None:
    endpoint, _ = wikidata
    things = unlinked_things(load_curated(FIXTURE).graph)
    assert [(t.kind, t.labels[0], t.year) for t in things] == [("alliance", "Mini Pact", 1949),
                                                               ("treaty", "Mini Treaty", 1949)]
    found = suggest(things, endpoint)
    assert [(c.thing.labels[0], c.qid, c.year_matches) for c in found] == [("Mini Treaty", "Q100", True),
                                                                            ("Mini Treaty", "Q200", False)]
    assert found[0].types == ("treaty",) and found[0].description == "the treaty of the test"
    assert found[1].label == "Mini Treaty of 1800" and found[1].years == (1800,)
    out = tmp_path / "review.tsv"
    write_review(found, out)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    assert [(r["qid"], r["year"], r["year_matches"]) for r in rows] == [("Q100", "1949", "true"),
                                                                       ("Q200", "1949", "false")]


def test_cli_asks_about_the_real_curated_core(wikidata: tuple[str, type[_Wikidata]], tmp_path: Path) -> None:
    endpoint, _ = wikidata
    out = tmp_path / "suggestions.tsv"
    result = CliRunner().invoke(cli, ["curated", "wikidata-suggest", "--endpoint", endpoint, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    dunkirk = [r for r in rows if r["iri"] == "https://w3id.org/foedus/id/treaty/treaty-of-dunkirk"]
    assert [(r["qid"], r["matched_label"], r["year_matches"]) for r in dunkirk] == [
        ("Q400", "Treaty of Dunkirk", "true")]
    assert "have candidates" in result.output and str(out) in result.output


def test_endpoint_failure_names_it_and_writes_nothing(wikidata: tuple[str, type[_Wikidata]],
                                                      tmp_path: Path) -> None:
    endpoint, handler = wikidata
    handler.fail = True
    with pytest.raises(SourceError) as err:
        suggest(unlinked_things(load_curated(FIXTURE).graph), endpoint)
    assert "HTTP 500" in str(err.value) and err.value.where == endpoint
    out = tmp_path / "suggestions.tsv"
    result = CliRunner().invoke(cli, ["curated", "wikidata-suggest", "--endpoint", endpoint, "--out", str(out)])
    assert result.exit_code != 0 and not out.exists()
