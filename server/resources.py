"""Dereferencing our IRIs: `/id/...`, `/ontology/<Term>`, `/graph/<name>` give a page or RDF.

Pattern (W3C Cool URIs, the content-negotiation variant): the IRI itself answers 200 with the representation
the client prefers, names that representation's own URL in `Content-Location` (`/id/alliance/nato.ttl`) and
says `Vary: Accept`; each representation also has its own URL with a file suffix. No 303: one round trip.
The canonical IRIs (settings.iri_base, `https://w3id.org/foedus/`) are mapped onto this server by their path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, render_template, request
from pyoxigraph import (
    DefaultGraph,
    Quad,
    Triple,
    serialize,
)

from foedus.server import errors
from foedus.server.cooperation import cooperation
from foedus.server.describe import (
    INBOUND_LIMIT,
    Description,
    as_term,
    ask_exists,
    curie,
    describe,
    events,
    graph_citations,
    graph_name,
    href,
    iri_base,
    memberships,
    obligations,
    wikidata_id,
)
from foedus.server.http import conditional
from foedus.server.maps import places
from foedus.server.page_queries import iri as page_iri
from foedus.server.page_queries import run_select
from foedus.sparql.formats import RDF_FORMATS, Format, negotiate
from foedus.vocab import PREFIXES

bp = Blueprint("resources", __name__)

HTML = Format("html", "text/html", ("application/xhtml+xml",), ("html", "htm"), "")
# The representations of a resource, in the server's order of preference for `*/*` (a browser's last resort).
OFFERED: tuple[Format, ...] = (HTML, *(f for f in RDF_FORMATS))
SUFFIX = {
    "html": "html",
    "turtle": "ttl",
    "ntriples": "nt",
    "rdfxml": "rdf",
    "jsonld": "jsonld",
    "trig": "trig",
    "nquads": "nq",
}
BY_SUFFIX = {suffix: f for f in OFFERED for key, suffix in SUFFIX.items() if f.key == key}


def _quads(iri: str) -> Iterator[Quad]:
    """The statements about an IRI and pointing at it (inbound capped), each in the graph that states it."""
    term = page_iri(iri)
    for row in run_select("resource-quads-out", iri=term):  # no ?s: a statement about the IRI itself
        yield Quad(row.get("s", term), row["p"], row["o"], row["g"] if "g" in row else DefaultGraph())
    for row in run_select("resource-inbound", cap=INBOUND_LIMIT, iri=term):
        yield Quad(row["s"], row["p"], term, row["g"] if "g" in row else DefaultGraph())


def rdf_body(iri: str, fmt: Format) -> bytes:
    """Serialise a resource's description: quads for TriG/N-Quads (source graphs kept), else the triples."""
    assert fmt.rdf is not None
    quads = list(_quads(iri))
    prefixes = {k: v for k, v in PREFIXES.items() if k not in ("foid",)}
    if fmt.rdf.supports_datasets:
        data: list[Any] = sorted(set(quads), key=str)
    else:
        data = sorted({Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    if fmt.key in ("turtle", "trig"):
        return serialize(data, format=fmt.rdf, prefixes=prefixes) or b""
    return serialize(data, format=fmt.rdf) or b""


# ----------------------------------------------------------------------------------------------------------
# Routes.


def _split_suffix(rest: str, prefix: str) -> tuple[str, Format | None, bool | None]:
    """`alliance/nato.ttl` -> (`alliance/nato`, Turtle) when the suffix is ours and the bare IRI exists.

    The third item says whether the IRI meant exists, when that was asked on the way (None when it was not).
    """
    stem, dot, suffix = rest.rpartition(".")
    if dot and suffix in BY_SUFFIX and stem:
        base = iri_base()
        if ask_exists(base + prefix + stem):
            return stem, BY_SUFFIX[suffix], True
        if not ask_exists(base + prefix + rest):
            return stem, BY_SUFFIX[suffix], False
        return rest, None, True
    return rest, None, None


def _not_found(iri: str) -> errors.ApiError:
    return errors.not_found(f"no statement in this dataset mentions <{iri}>")


def dereference(prefix: str, rest: str) -> Response:
    """Answer a request for one of our IRIs (`id/`, `ontology/` or `graph/`, then the rest)."""
    rest, chosen, exists = _split_suffix(rest, prefix)
    iri = iri_base() + prefix + rest
    if as_term(iri) is None:  # no IRI (a path holding `>` or a space): nothing can be said about it
        raise _not_found(iri)
    fmt = chosen or negotiate(
        OFFERED, request.headers.get("Accept"), request.args.get("format"), "this resource"
    )
    where = request.script_root + "/" + prefix + rest

    def body() -> Response:
        if exists is False:
            raise _not_found(iri)
        if fmt.key == "html":
            desc = describe(iri)
            if desc is None:
                raise _not_found(iri)
            response = Response(render_resource(desc, where), 200, content_type="text/html; charset=utf-8")
        else:
            if exists is None and not ask_exists(iri):
                raise _not_found(iri)
            response = Response(rdf_body(iri, fmt), 200, content_type=fmt.content_type)
        response.headers["Content-Location"] = f"{where}.{SUFFIX[fmt.key]}"
        response.headers["Link"] = ", ".join(
            f'<{where}.{SUFFIX[f.key]}>; rel="alternate"; type="{f.media_type}"' for f in OFFERED
        )
        return response

    return conditional(fmt.key, body, negotiated=chosen is None)


def render_resource(desc: Description, where: str) -> str:
    """The HTML page of a resource, with its alliance or state sections when it is one."""
    extra: dict[str, Any] = {}
    if desc.kind == "alliance":
        extra["spells"] = memberships(desc.iri, "alliance")
        extra["obligations"] = obligations(desc.iri)
        extra["events"] = events(desc.iri)
    elif desc.kind in ("state", "actor"):
        extra["spells"] = memberships(desc.iri, "member")
        if desc.kind == "state":
            extra["cooperation"] = cooperation(desc.iri)
    else:
        extra["places"] = places(desc.iri)  # an exercise, edition, series or base: its place on a small map
    sources = graph_citations(desc.graphs)
    alternates = [(f, f"{where}.{SUFFIX[f.key]}") for f in OFFERED if f.key != "html"]
    return render_template(
        "resource.html",
        d=desc,
        sources=sources,
        alternates=alternates,
        where=where,
        json_ld=json.dumps({"@id": desc.iri}),
        **extra,
    )


@bp.route("/id/<path:rest>", methods=["GET", "HEAD"])
def data_resource(rest: str) -> Response:
    """A data IRI: https://w3id.org/foedus/id/<kind>/<key>."""
    return dereference("id/", rest)


@bp.route("/ontology/<path:rest>", methods=["GET", "HEAD"])
def ontology_term(rest: str) -> Response:
    """An ontology term: https://w3id.org/foedus/ontology/<Term>."""
    return dereference("ontology/", rest)


@bp.route("/graph/<path:rest>", methods=["GET", "HEAD"])
def named_graph(rest: str) -> Response:
    """A named graph IRI: https://w3id.org/foedus/graph/<name> (its description and what refers to it)."""
    return dereference("graph/", rest)


@bp.route("/shapes/<path:rest>", methods=["GET", "HEAD"])
def shape(rest: str) -> Response:
    """A SHACL shape IRI: https://w3id.org/foedus/shapes/<name> (answers when the shapes are in the data)."""
    return dereference("shapes/", rest)


@bp.app_template_filter("href")
def _href_filter(iri: str) -> str:
    return href(iri)


@bp.app_template_filter("curie")
def _curie_filter(iri: str) -> str:
    return curie(iri)


@bp.app_template_filter("graph_name")
def _graph_name_filter(iri: str) -> str:
    return graph_name(iri)


@bp.app_template_filter("wikidata_id")
def _wikidata_filter(iri: str) -> str:
    return wikidata_id(iri) or ""
