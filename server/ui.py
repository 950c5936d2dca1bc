"""The web UI: home page, the YASGUI query page, membership timelines, the alliance network of a year.

Front-end packages come from npm (package.json); the package ships a copy of the files the pages need
(vendor.py) and serves it under /vendor/, never from a CDN. The pictures read small JSON routes here
(/timeline/data.json, /network/data.json) that run SPARQL through the endpoint's executor, so they obey the same
timeouts and work against a remote store too.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import combinations
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, send_file
from pyoxigraph import Literal, NamedNode

from foedus.queries.inline import inline_values
from foedus.server import errors
from foedus.server.context import state
from foedus.server.describe import FO, curie, href, iri_base, labels_for, memberships
from foedus.server.page_queries import iri, run_select, saved_catalog
from foedus.server.service_description import endpoint_url
from foedus.server.vendor import VENDOR, vendor_dir
from foedus.vocab import PREFIXES

bp = Blueprint("ui", __name__)

# Obligation types from strongest to weakest: an edge of the network takes the strongest its alliances share.
OBLIGATION_TYPES: tuple[tuple[str, str, str], ...] = (
    ("DefenceObligation", "defence", "#c0392b"),
    ("OffenceObligation", "offence", "#8e44ad"),
    ("NeutralityObligation", "neutrality", "#2471a3"),
    ("NonAggressionObligation", "non-aggression", "#1e8449"),
    ("ConsultationObligation", "consultation", "#b9770e"),
)
UNKNOWN_OBLIGATION = ("", "not coded", "#7f8c8d")
_YEAR = re.compile(r"^-?\d{1,4}$")
XSD_DATE = NamedNode("http://www.w3.org/2001/XMLSchema#date")


@bp.route("/vendor/<name>", methods=["GET"])
def vendor(name: str) -> Response:
    """One front-end file from the package's vendor/ copy (a fixed list, see vendor.py), cached for a day."""
    if name not in VENDOR:
        raise errors.not_found(f"no front-end file {name!r}; known: {', '.join(sorted(VENDOR))}")
    return send_file(vendor_dir() / name, max_age=86400)


# ----------------------------------------------------------------------------------------------------------
# Pages.


def _alliances() -> list[dict[str, str]]:
    """Alliances of the curated core with their labels and start dates, for the home page and the pickers."""
    rows = run_select("curated-alliances", curated=iri(iri_base() + "graph/curated", "iri_base"))
    return [
        {
            "iri": r["a"].value,
            "label": r["label"].value if "label" in r else curie(r["a"].value),
            "start": r["start"].value[:4] if "start" in r else "",
        }
        for r in rows
    ]


@bp.route("/", methods=["GET"])
def home() -> str:
    """The home page: what Foedus is, a search box, the pictures, the curated alliances."""
    st = state()
    triples = (st.info.default_graph_triples) if st.info else None
    return render_template("home.html", alliances=_alliances(), info=st.info, triples=triples)


def saved_examples() -> list[dict[str, str]]:
    """The saved queries (queries/*.rq) as YASGUI examples, a VALUES row binding the documented examples."""
    examples = []
    for saved in saved_catalog():
        examples.append(
            {
                "name": saved.name,
                "title": saved.title,
                "description": saved.description,
                "query": inline_values(saved.text, {p.variable: p.parse(p.example) for p in saved.params}),
            }
        )
    return examples


@bp.route("/query", methods=["GET"])
def query_page() -> str:
    """The query editor (YASGUI) on our /sparql, with our prefixes and the saved queries as examples."""
    config = {
        "endpoint": endpoint_url(),  # public_base_url when set: never a Host header's (cache poisoning)
        "prefixes": PREFIXES,
        "examples": saved_examples(),
        "query": request.args.get("query", ""),
        "iriBase": iri_base(),
        "localBase": request.script_root + "/",
    }
    return render_template("query.html", config=config)


def resolve_ref(ref: str) -> str:
    """An IRI from what a user typed: an IRI, a local path (/id/alliance/nato) or a key (alliance/nato)."""
    ref = ref.strip()
    if ref.startswith(("http://", "https://")):
        return ref
    ref = ref.lstrip("/")
    if not ref.startswith(("id/", "ontology/", "graph/")):
        ref = "id/" + ref
    return iri_base() + ref


@bp.route("/timeline", methods=["GET"])
def timeline_page() -> str:
    """A membership timeline: the members of an alliance, or the alliances of a state, over time."""
    of = request.args.get("of", "") or "alliance/nato"
    return render_template("timeline.html", of=of, iri=resolve_ref(of), alliances=_alliances())


@bp.route("/timeline/data.json", methods=["GET"])
def timeline_data() -> Response:
    """Groups and items for vis-timeline: a row per member (or alliance), a bar per spell and source graph."""
    of = request.args.get("of", "")
    if not of:
        raise errors.bad_request(
            "give `of`: an alliance or state (IRI, /id/... path or e.g. alliance/nato)",
            "https://w3id.org/foedus/ontology",
        )
    iri(resolve_ref(of), "`of`")  # 400 before any query when it is no IRI
    return jsonify(timeline(resolve_ref(of)))


def timeline(iri: str) -> dict[str, Any]:
    """The timeline of an alliance (its members) or of a state (its alliances), from every source graph."""
    side = "member" if "/id/state/" in iri or "/id/actor/" in iri else "alliance"
    spells = memberships(iri, side)
    if not spells and side == "alliance":
        side, spells = "member", memberships(iri, "member")
    today = dt.date.today().isoformat()
    groups: dict[str, dict[str, Any]] = {}
    items = []
    for n, s in enumerate(spells):
        if not s["start"]:
            continue
        group = groups.setdefault(
            s["other"],
            {"id": s["other"], "content": s["label"], "href": href(s["other"]), "order": len(groups)},
        )
        items.append(
            {
                "id": n,
                "group": group["id"],
                "start": s["start"],
                "end": s["end"] or today,
                "open": not s["end"],
                "source": s["source"],
                "className": "src-" + re.sub(r"[^a-z0-9]+", "-", s["source"].lower()),
                "title": f"{s['label']}: {s['start']} – {s['end'] or 'today'} ({s['source']})",
            }
        )
    label = labels_for([iri]).get(iri, curie(iri))
    return {
        "iri": iri,
        "href": href(iri),
        "label": label,
        "kind": "state" if side == "member" else "alliance",
        "groups": list(groups.values()),
        "items": items,
        "sources": sorted({i["source"] for i in items}),
    }


@bp.route("/network", methods=["GET"])
def network_page() -> str:
    """The alliance network of a chosen year: states as nodes, ties as edges coloured by obligation."""
    year = request.args.get("year", "1990")
    graph = request.args.get("graph", "")
    return render_template(
        "network.html", year=year, graph=graph, obligations=OBLIGATION_TYPES, unknown=UNKNOWN_OBLIGATION
    )


@bp.route("/network/data.json", methods=["GET"])
def network_data() -> Response:
    """Nodes and edges of the alliance network in a year, optionally from one source graph only."""
    year = request.args.get("year", "1990").strip()
    if not _YEAR.match(year):
        raise errors.bad_request(
            f"year must be a year like 1990, not {year!r}", "https://www.w3.org/TR/xmlschema11-2/#gYear"
        )
    graph = request.args.get("graph", "").strip()
    return jsonify(network(int(year), graph))


def _obligation_rank(types: set[str]) -> int:
    """Index of the strongest obligation type in OBLIGATION_TYPES (len() when none is coded)."""
    for n, (local, _, _) in enumerate(OBLIGATION_TYPES):
        if FO + local in types:
            return n
    return len(OBLIGATION_TYPES)


def network(year: int, graph: str = "") -> dict[str, Any]:
    """States allied in `year` (a spell overlapping it), one edge per pair with its strongest obligation."""
    values: dict[str, NamedNode | Literal] = {
        "first": Literal(f"{year:04d}-01-01", datatype=XSD_DATE),
        "last": Literal(f"{year:04d}-12-31", datatype=XSD_DATE),
    }
    if graph:
        values["g"] = iri(graph if graph.startswith("http") else iri_base() + "graph/" + graph, "graph")
    rows = run_select("network-members", **values)
    members: dict[str, set[str]] = {}
    for row in rows:
        members.setdefault(row["a"].value, set()).add(row["s"].value)
    types: dict[str, set[str]] = {}
    if members:
        for row in run_select("network-obligation-types"):
            if row["a"].value in members:
                types.setdefault(row["a"].value, set()).add(row["type"].value)
    labels = labels_for(set(members) | {s for ms in members.values() for s in ms})
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for alliance, states in members.items():
        rank = _obligation_rank(types.get(alliance, set()))
        for a, b in combinations(sorted(states), 2):
            edge = edges.setdefault((a, b), {"rank": len(OBLIGATION_TYPES), "alliances": []})
            edge["rank"] = min(edge["rank"], rank)
            edge["alliances"].append(labels.get(alliance, curie(alliance)))
    nodes = sorted({s for pair in edges for s in pair} | {s for ms in members.values() for s in ms})
    out_edges = []
    for (a, b), edge in sorted(edges.items()):
        _, word, colour = (
            OBLIGATION_TYPES[edge["rank"]] if edge["rank"] < len(OBLIGATION_TYPES) else UNKNOWN_OBLIGATION
        )
        names = sorted(set(edge["alliances"]))
        out_edges.append(
            {
                "from": a,
                "to": b,
                "obligation": word,
                "color": colour,
                "width": min(1 + len(names), 6),
                "title": f"{labels.get(a, curie(a))} – {labels.get(b, curie(b))}: {word} "
                f"({len(names)} alliance{'s' if len(names) != 1 else ''}: {'; '.join(names[:8])}"
                f"{' …' if len(names) > 8 else ''})",
            }
        )
    degree: dict[str, int] = {}
    for e in out_edges:
        degree[e["from"]] = degree.get(e["from"], 0) + 1
        degree[e["to"]] = degree.get(e["to"], 0) + 1
    return {
        "year": year,
        "graph": graph,
        "alliances": len(members),
        "nodes": [
            {"id": s, "label": labels.get(s, curie(s)), "href": href(s), "value": degree.get(s, 0)}
            for s in nodes
        ],
        "edges": out_edges,
        "legend": [{"obligation": w, "color": c} for _, w, c in (*OBLIGATION_TYPES, UNKNOWN_OBLIGATION)],
    }


@bp.app_context_processor
def _blueprints() -> dict[str, Any]:
    """Templates may link the surfaces that this app actually has (the saved-query API is optional)."""
    return {"config_blueprints": current_app.blueprints}
