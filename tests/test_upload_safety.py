"""POST /validate takes untrusted documents: no entity bomb, a time limit, a bounded body, an honest triple count."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from pyoxigraph import Store
from werkzeug.test import TestResponse

from foedus.server.app import create_app
from foedus.settings import load_settings

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _app(**settings: object) -> Flask:
    return create_app(load_settings().replace(workers=1, **settings), Store())


def laughs(levels: int = 9) -> bytes:
    """The "billion laughs": each entity is ten of the one before; `&lol9;` is 3 GB of text once expanded."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://example.org/">\n'
        f'<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol{levels};</ex:p></rdf:Description>\n'
        "</rdf:RDF>\n"
    ).encode()


def ntriples(count: int) -> bytes:
    return "".join(f'<http://example.org/s{i}> <http://example.org/p> "value {i}" .\n' for i in range(count)).encode()


def chunked_post(client: FlaskClient, url: str, body: bytes, content_type: str) -> TestResponse:
    """POST `body` as a WSGI server hands a chunked request over: no Content-Length, a terminated input stream."""
    return client.post(
        url,
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", "Content-Type": content_type},
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
    )


def test_billion_laughs_is_refused_with_400_naming_the_dtd() -> None:
    client = _app().test_client()
    r = client.post("/validate", data=laughs(), content_type="application/rdf+xml")
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["detail"].startswith("upload:2:") and "DTD" in error["detail"]
    assert client.get("/healthz").status_code == 200


def test_any_entity_declaration_is_refused_even_a_harmless_one() -> None:
    doc = laughs(levels=1).replace(b"&lol1;", b"plain text")
    r = _app().test_client().post("/validate", data=doc, content_type="application/rdf+xml")
    assert r.status_code == 400 and "DTD" in r.get_json()["error"]["detail"]


def test_rdfxml_without_dtd_still_validates() -> None:
    doc = (
        f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://example.org/">\n'
        '<rdf:Description rdf:about="http://example.org/a"><ex:p>x</ex:p></rdf:Description>\n</rdf:RDF>\n'
    ).encode()
    r = _app().test_client().post("/validate", data=doc, content_type="application/rdf+xml")
    assert r.status_code == 200 and r.get_json()["triples"] == 1


def test_xml_in_an_unknown_encoding_is_a_400() -> None:
    doc = f'<?xml version="1.0" encoding="bogus"?><rdf:RDF xmlns:rdf="{RDF}"/>'.encode()
    r = _app().test_client().post("/validate", data=doc, content_type="application/rdf+xml")
    assert r.status_code == 400 and "encoding" in r.get_json()["error"]["detail"]


def test_report_counts_exactly_the_triples_sent() -> None:
    r = _app().test_client().post("/validate", data=ntriples(3000), content_type="application/n-triples")
    assert r.status_code == 200 and r.get_json()["triples"] == 3000


def test_chunked_upload_is_read_whole() -> None:
    r = chunked_post(_app().test_client(), "/validate", ntriples(6000), "application/n-triples")
    assert r.status_code == 200 and r.get_json()["triples"] == 6000


def test_chunked_upload_over_the_limit_is_413_not_a_report_on_its_first_part() -> None:
    body = ntriples(6000)
    r = chunked_post(_app(max_request_bytes=len(body) // 3).test_client(), "/validate", body, "application/n-triples")
    assert r.status_code == 413
    assert r.get_json()["error"]["detail"] == f"requests are limited to {len(body) // 3} bytes (max_request_bytes)"


def test_slow_validation_is_stopped_at_query_timeout_with_503() -> None:
    client = _app(query_timeout=0.05).test_client()
    r = client.post("/validate", data=ntriples(12000), content_type="application/n-triples")
    assert r.status_code == 503 and r.headers["Retry-After"] == "1"
    error = r.get_json()["error"]
    assert error["title"] == "Validation timeout" and "0.05 s" in error["detail"]
