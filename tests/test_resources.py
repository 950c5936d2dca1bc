"""Dereferencing our IRIs: negotiation, suffixes, Content-Location/Vary, iri_base, 404s, page content."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fixtures.ui.release import shared_releases
from flask import Flask
from flask.testing import FlaskClient
from pyoxigraph import RdfFormat, parse
from rdflib import Graph, URIRef

from foedus.server import ontology_docs
from foedus.server.app import create_app
from foedus.settings import load_settings

NATO = "https://w3id.org/foedus/id/alliance/nato"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def make_app(**overrides: object) -> Flask:
    """create_app over the UI test release."""
    return create_app(load_settings({"releases": str(shared_releases()), **overrides}))


@pytest.fixture(scope="module")
def client() -> Iterator[FlaskClient]:
    """A test client of the app (read-only: tests only send GETs)."""
    yield make_app().test_client()


@pytest.mark.parametrize(("accept", "media", "suffix"), [
    ("text/turtle", "text/turtle", "ttl"),
    ("application/ld+json", "application/ld+json", "jsonld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "rdf"),
    ("application/trig", "application/trig", "trig"),
    ("application/n-quads", "application/n-quads", "nq"),
    (BROWSER, "text/html", "html"),
    ("*/*", "text/html", "html"),
])
def test_negotiation_on_the_iri_names_the_representation(client: FlaskClient, accept: str, media: str,
                                                        suffix: str) -> None:
    """The IRI answers 200 in the preferred format, names its URL (Content-Location), says Vary: Accept."""
    response = client.get("/id/alliance/nato", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media
    assert response.headers["Content-Location"] == f"/id/alliance/nato.{suffix}"
    assert "Accept" in response.headers["Vary"]
    assert 'rel="alternate"' in response.headers["Link"]


@pytest.mark.parametrize(("suffix", "fmt"), [("ttl", RdfFormat.TURTLE), ("nt", RdfFormat.N_TRIPLES),
                                             ("rdf", RdfFormat.RDF_XML), ("jsonld", RdfFormat.JSON_LD)])
def test_suffix_urls_give_parseable_rdf_about_the_resource(client: FlaskClient, suffix: str,
                                                          fmt: RdfFormat) -> None:
    """/id/alliance/nato.<suffix> is that format whatever Accept says, and its triples are about NATO."""
    response = client.get(f"/id/alliance/nato.{suffix}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    triples = list(parse(response.data, format=fmt))
    subjects = {t.subject.value for t in triples}
    assert NATO in subjects
    labels = {t.object.value for t in triples if t.subject.value == NATO
              and t.predicate.value == "http://www.w3.org/2000/01/rdf-schema#label"}
    assert labels == {"North Atlantic Treaty Organization"}
    # Statements pointing at NATO are included too (its member spells).
    assert any(t.object.value == NATO and t.predicate.value == "http://www.w3.org/ns/org#organization"
               for t in triples)


def test_nquads_keep_the_source_graph_of_each_statement(client: FlaskClient) -> None:
    """N-Quads of a resource say which named graph states what: curated and ATOP both describe NATO."""
    response = client.get("/id/alliance/nato.nq")
    graphs = {q.graph_name.value for q in parse(response.data, format=RdfFormat.N_QUADS)}
    assert {"https://w3id.org/foedus/graph/curated", "https://w3id.org/foedus/graph/atop-5.1"} <= graphs


def test_format_parameter_overrides_accept(client: FlaskClient) -> None:
    """?format=turtle works like the suffix (for links and clients that cannot set Accept)."""
    response = client.get("/id/state/2?format=turtle", headers={"Accept": "text/html"})
    assert response.mimetype == "text/turtle"
    assert b"United States of America" in response.data


def test_unknown_iri_is_404_in_the_one_error_shape(client: FlaskClient) -> None:
    """An IRI nothing mentions is a 404; JSON for programs, HTML for browsers."""
    response = client.get("/id/alliance/no-such-alliance", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
    page = client.get("/id/alliance/no-such-alliance", headers={"Accept": BROWSER})
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_unacceptable_type_is_406(client: FlaskClient) -> None:
    """Asking only for a type we cannot make is a 406 naming what we can."""
    response = client.get("/id/alliance/nato", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_json()["error"]["detail"]


def test_paths_with_several_segments_and_dates(client: FlaskClient) -> None:
    """Membership spells (id/membership/nato/2/1949-08-24) dereference like any other IRI."""
    response = client.get("/id/membership/nato/2/1949-08-24.ttl")
    assert response.status_code == 200
    assert b"1949-08-24" in response.data


def test_ontology_terms_and_graphs_dereference(client: FlaskClient) -> None:
    """Ontology terms (/ontology/Alliance) and named graphs (/graph/curated) answer too."""
    term = client.get("/ontology/Alliance", headers={"Accept": "text/turtle"})
    assert term.status_code == 200
    g = Graph().parse(data=term.data, format="turtle")
    assert (URIRef("https://w3id.org/foedus/ontology/Alliance"), None, None) in g
    page = client.get("/ontology/Alliance", headers={"Accept": BROWSER})
    assert b"/ontology#Alliance" in page.data  # link to the generated documentation
    assert client.get("/graph/curated", headers={"Accept": BROWSER}).status_code == 200


def test_iri_base_maps_other_canonical_bases_onto_this_server() -> None:
    """With iri_base set to another base, paths map onto IRIs under it (and ours are then unknown)."""
    app = make_app(iri_base="https://example.org/other/")
    response = app.test_client().get("/id/alliance/nato", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert "https://example.org/other/id/alliance/nato" in response.get_json()["error"]["detail"]


def test_links_to_our_iris_stay_on_this_server(client: FlaskClient) -> None:
    """On a page, our IRIs link to local paths (and the canonical IRI is shown), others link out."""
    html = client.get("/id/alliance/nato", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert 'href="/id/state/2"' in html
    assert NATO in html
    assert 'href="https://www.wikidata.org/wiki/Q7184"' in html


def test_alliance_page_sections(client: FlaskClient) -> None:
    """An alliance page: types, description, members over time per source, obligations, events, citations."""
    html = client.get("/id/alliance/nato", headers={"Accept": BROWSER}).get_data(as_text=True)
    for text in ("<h1>North Atlantic Treaty Organization</h1>", "Members over time", "Obligations", "Events",
                 "What points here", "Source graphs", "Cited sources", "Leeds, Brett Ashley",
                 "1952-02-18", "1951-10-22",  # Greece: NATO's deposit date and ATOP's signature date
                 "Defence obligation" if "Defence obligation" in html else "defence", "Washington, D.C.",
                 'data-timeline="' + NATO):
        assert text in html, text
    assert 'class="src src-atop-5-1"' in html and 'class="src src-curated"' in html


def test_state_page_shows_alliances_over_time(client: FlaskClient) -> None:
    """A state's page lists its alliances with dates and sources, and carries a timeline."""
    html = client.get("/id/state/2", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "Alliances over time" in html
    assert "North Atlantic Treaty Organization" in html and "ANZUS" in html
    assert "Q30" in html


def test_not_modified_when_the_etag_matches(client: FlaskClient) -> None:
    """Representations carry the release's ETag; a conditional GET gets 304."""
    first = client.get("/id/alliance/nato.ttl")
    etag = first.headers["ETag"]
    again = client.get("/id/alliance/nato.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_jsonld_is_json(client: FlaskClient) -> None:
    """The JSON-LD representation is a JSON document naming NATO."""
    data = json.loads(client.get("/id/alliance/nato.jsonld").data)
    assert NATO in json.dumps(data)


def test_shape_iris_are_routed_too(client: FlaskClient) -> None:
    """Shape IRIs (https://w3id.org/foedus/shapes/...) are dereferenced the same way; unknown ones are 404."""
    response = client.get("/shapes/no-such-shape", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert "https://w3id.org/foedus/shapes/no-such-shape" in response.get_json()["error"]["detail"]


def test_serve_prepares_the_ontology_docs_before_any_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """`foedus serve` builds the pyLODE pages in the master; a request then finds them, building nothing."""
    import foedus.ontology.docs as docs

    app = make_app()
    built = ontology_docs.prepare_docs(app)
    assert (built / "index.html").is_file() and (built / "extensions" / "crisis-communication.html").is_file()

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the docs were built again on a request")

    monkeypatch.setattr(docs, "build_docs", must_not_run)
    page = app.test_client().get("/ontology", headers={"Accept": BROWSER})
    assert page.status_code == 200 and b"crisis-communication" in page.data
