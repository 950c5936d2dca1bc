"""What a resource page says: the resource's description (its statements grouped by property, with labels,
sources and Wikidata links), its memberships, obligations, events and citations, and the IRI helpers pages use.

Every lookup is a page query (server/rq/*.rq) run through the endpoint's executor, so timeouts, row caps and remote
mode apply and values are bound as terms, never pasted; resources.py serves the result as a page or as RDF.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import request
from pyoxigraph import BlankNode, Literal, NamedNode

from foedus.server.context import state
from foedus.server.page_queries import iri as page_iri
from foedus.server.page_queries import run_select
from foedus.vocab import PREFIXES

# How many statements pointing at a resource a page lists (a state is the object of thousands of them).
INBOUND_LIMIT = 300

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
FO = PREFIXES["fo"]
ORG = PREFIXES["org"]
LABELS = (RDFS + "label", SKOS + "prefLabel", DCT + "title", "http://xmlns.com/foaf/0.1/name")
DESCRIPTIONS = (DCT + "description", RDFS + "comment", SKOS + "definition")
WIKIDATA = ("http://www.wikidata.org/entity/", "https://www.wikidata.org/wiki/")
MATCHES = ("http://www.w3.org/2002/07/owl#sameAs", SKOS + "exactMatch", SKOS + "closeMatch")
SOURCE = DCT + "source"


def as_term(iri: str) -> NamedNode | None:
    """`iri` as an IRI term, or None when it is not a valid absolute IRI (such a resource cannot exist)."""
    try:
        return NamedNode(iri)
    except ValueError:
        return None


def ask_exists(iri: str) -> bool:
    """True when the IRI is the subject or object of at least one statement (False for what is no IRI)."""
    term = as_term(iri)
    return term is not None and bool(run_select("resource-exists", iri=term))


def labels_for(iris: Iterable[str]) -> dict[str, str]:
    """A display label for each IRI that has one (English or untagged label, prefLabel or title)."""
    wanted = sorted({i for i in iris if i and as_term(i) is not None})
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(wanted), 400):
        chunk = tuple(NamedNode(i) for i in wanted[start : start + 400])
        for row in run_select("labels", x=chunk):
            label = row["l"]
            if not isinstance(label, Literal):
                continue
            rank = LABELS.index(row["p"].value) * 3 + (0 if label.language in (None, "en") else 1)
            key = row["x"].value
            if key not in found or (rank, label.value) < found[key]:
                found[key] = (rank, label.value)
    return {k: v for k, (_, v) in found.items()}


# ----------------------------------------------------------------------------------------------------------
# IRIs and local paths.


def iri_base() -> str:
    """The canonical base of our IRIs (settings.iri_base), always ending in '/'."""
    base = str(state().settings.iri_base)
    return base if base.endswith("/") else base + "/"


def local_path(iri: str) -> str | None:
    """The path on this server that dereferences an IRI of ours (None for other IRIs)."""
    base = iri_base()
    if iri.startswith(base):
        return request.script_root + "/" + iri[len(base) :]
    if iri + "/" == base:
        return request.script_root + "/"
    return None


def href(iri: str) -> str:
    """Where a link to an IRI should go: our IRIs to this server, others as they are."""
    return local_path(iri) or iri


def curie(iri: str) -> str:
    """A short name for an IRI (fo:Alliance, foid:alliance/nato) when a known prefix fits, else the IRI."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")) and iri[len(ns) :]:
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def wikidata_id(iri: str) -> str | None:
    """Q-number of a Wikidata entity IRI, else None."""
    for prefix in WIKIDATA:
        if iri.startswith(prefix):
            return iri[len(prefix) :]
    return None


# ----------------------------------------------------------------------------------------------------------
# The description of one resource.


@dataclass
class Value:
    """One object (or subject, for inbound statements) of a property, its label and the graphs stating it."""

    term: Any
    label: str = ""
    graphs: list[str] = field(default_factory=list)

    @property
    def is_iri(self) -> bool:
        """True for an IRI (rendered as a link)."""
        return isinstance(self.term, NamedNode)

    @property
    def text(self) -> str:
        """What the page shows: the label, else the literal's value, else a short form of the IRI."""
        if self.label:
            return self.label
        if isinstance(self.term, NamedNode):
            return curie(self.term.value)
        if isinstance(self.term, BlankNode):
            return "_:" + self.term.value
        return str(self.term.value)

    @property
    def note(self) -> str:
        """The language tag or datatype of a literal, shown small after it."""
        if isinstance(self.term, Literal):
            if self.term.language:
                return "@" + self.term.language
            dt = self.term.datatype.value
            if not dt.endswith("#string"):
                return curie(dt)
        return ""


@dataclass
class PropertyGroup:
    """All values of one predicate, in one direction."""

    predicate: str
    label: str
    values: list[Value]


@dataclass
class Description:
    """What a resource page shows: label, types, text, properties, inbound links, sources, citations."""

    iri: str
    label: str
    types: list[Value]
    descriptions: list[str]
    properties: list[PropertyGroup]
    inbound: list[PropertyGroup]
    inbound_truncated: bool
    graphs: list[str]
    wikidata: list[str]
    citations: list[dict[str, str]]
    kind: str


def graph_name(iri: str) -> str:
    """The short name of one of our named graphs (atop-5.1), or the IRI for others."""
    base = iri_base() + "graph/"
    return iri[len(base) :] if iri.startswith(base) else iri


def kind_of(iri: str, types: Iterable[str]) -> str:
    """What sort of page this is: alliance, state, actor, ontology term, graph or plain resource."""
    base = iri_base()
    rest = iri[len(base) :] if iri.startswith(base) else ""
    type_set = set(types)
    if rest.startswith("id/alliance/") or FO + "Alliance" in type_set:
        return "alliance"
    if rest.startswith("id/state/") or FO + "State" in type_set:
        return "state"
    if rest.startswith("id/actor/"):
        return "actor"
    if rest.startswith("ontology"):
        return "term"
    if rest.startswith("graph/"):
        return "graph"
    return "resource"


def _group(rows: list[dict[str, Any]], node: str, labels: dict[str, str]) -> list[PropertyGroup]:
    """Group rows (predicate `p`, term under `node`, graph `g`) by predicate, merging a value's graphs.

    `labels` names both the values and the predicates.
    """
    by_pred: dict[str, dict[Any, Value]] = defaultdict(dict)
    for row in rows:
        term = row[node]
        value = by_pred[row["p"].value].setdefault(
            term, Value(term, labels.get(term.value, "") if isinstance(term, NamedNode) else "")
        )
        graph = row.get("g")
        if graph is not None and graph.value not in value.graphs:
            value.graphs.append(graph.value)
    order = {p: i for i, p in enumerate((RDF_TYPE, *LABELS, *DESCRIPTIONS))}
    groups = []
    for pred, values in by_pred.items():
        groups.append(
            PropertyGroup(
                pred,
                labels.get(pred, curie(pred)),
                sorted(values.values(), key=lambda v: (v.text.lower(), str(v.term))),
            )
        )
    groups.sort(key=lambda g: (order.get(g.predicate, len(order)), g.label.lower()))
    return groups


def describe(iri: str) -> Description | None:
    """Everything a page shows about an IRI, read with a few SELECTs; None when no statement mentions it."""
    term = as_term(iri)
    if term is None:
        return None
    out = run_select("resource-outbound", iri=term)
    if not out:
        out = [dict(r, g=None) for r in run_select("resource-outbound-default", iri=term)]
    inbound = run_select("resource-inbound", cap=INBOUND_LIMIT + 1, iri=term)
    truncated = len(inbound) > INBOUND_LIMIT
    inbound = inbound[:INBOUND_LIMIT]
    if not out and not inbound and not ask_exists(iri):
        return None
    linked = {r["o"].value for r in out if isinstance(r["o"], NamedNode)}
    linked |= {r["s"].value for r in inbound if isinstance(r["s"], NamedNode)}
    preds = {r["p"].value for r in out} | {r["p"].value for r in inbound}
    labels = labels_for(linked | preds | {iri})
    own_labels = [r["o"] for r in out if r["p"].value in LABELS and isinstance(r["o"], Literal)]
    label = labels.get(iri) or (own_labels[0].value if own_labels else curie(iri))
    types = [
        Value(r["o"], labels.get(r["o"].value, ""))
        for r in out
        if r["p"].value == RDF_TYPE and isinstance(r["o"], NamedNode)
    ]
    types = list({v.term.value: v for v in types}.values())
    descriptions = list(
        dict.fromkeys(
            r["o"].value
            for r in out
            if r["p"].value in DESCRIPTIONS
            and isinstance(r["o"], Literal)
            and r["o"].language in (None, "en")
        )
    )
    wikidata = sorted(
        {
            r["o"].value
            for r in out
            if r["p"].value in MATCHES and isinstance(r["o"], NamedNode) and wikidata_id(r["o"].value)
        }
    )
    graphs = sorted({r["g"].value for r in (*out, *inbound) if r.get("g") is not None})
    citations = citations_for(
        [r["o"].value for r in out if r["p"].value == SOURCE and isinstance(r["o"], NamedNode)]
    )
    return Description(
        iri=iri,
        label=label,
        types=types,
        descriptions=descriptions,
        properties=_group(out, "o", labels),
        inbound=_group(inbound, "s", labels),
        inbound_truncated=truncated,
        graphs=graphs,
        wikidata=wikidata,
        citations=citations,
        kind=kind_of(iri, (t.term.value for t in types)),
    )


def citations_for(iris: list[str]) -> list[dict[str, str]]:
    """Title, publisher, link and kind of each cited source (fo:Citation or a described dataset)."""
    if not iris:
        return []
    rows = run_select("citations", c=tuple(NamedNode(i) for i in sorted(set(iris))))
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        entry = found.setdefault(row["c"].value, {"iri": row["c"].value})
        for key in ("title", "publisher", "url", "kind", "cite"):
            if key in row and key not in entry:
                entry[key] = row[key].value
    return sorted(found.values(), key=lambda c: c.get("title", c["iri"]).lower())


def graph_citations(graphs: list[str]) -> dict[str, dict[str, str]]:
    """For each named graph, its title, licence and citation from the release's VoID/DCAT description."""
    if not graphs:
        return {}
    rows = run_select("graph-citations", graph=tuple(NamedNode(g) for g in sorted(set(graphs))))
    found: dict[str, dict[str, str]] = {g: {"name": graph_name(g)} for g in graphs}
    for row in rows:
        entry = found[row["graph"].value]
        entry.setdefault("dataset", row["d"].value)
        for key in ("title", "licence", "cite"):
            if key in row and key not in entry:
                entry[key] = row[key].value
    return found


# ----------------------------------------------------------------------------------------------------------
# Entity-specific sections: memberships over time, obligations, events.


def memberships(iri: str, side: str) -> list[dict[str, Any]]:
    """Member spells of an alliance (side='alliance') or of a state (side='member'), one per source graph."""
    name = "members-of-alliance" if side == "alliance" else "memberships-of-member"
    rows = run_select(name, iri=page_iri(iri, "the alliance or state"))
    labels = labels_for(r["other"].value for r in rows)
    spells = []
    for row in rows:
        spells.append(
            {
                "spell": row["m"].value,
                "other": row["other"].value,
                "label": labels.get(row["other"].value, curie(row["other"].value)),
                "start": row["start"].value if "start" in row else "",
                "end": row["end"].value if "end" in row else "",
                "graph": row["g"].value,
                "source": graph_name(row["g"].value),
            }
        )
    spells.sort(key=lambda s: (s["start"] or "9999", s["label"], s["source"]))
    return spells


def obligations(iri: str) -> list[dict[str, str]]:
    """Obligations of an alliance: its own and its phases' (ATOP), its treaties' (curated)."""
    term = page_iri(iri, "the alliance")
    rows = [dict(r, via=r.get("via", term)) for r in run_select("alliance-obligations", iri=term)]  # own: via itself
    labels = labels_for([r["type"].value for r in rows] + [r["via"].value for r in rows])
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for row in rows:
        key = (row["o"].value, row["type"].value)
        if key in seen:
            continue
        seen[key] = {
            "iri": row["o"].value,
            "type": row["type"].value,
            "type_label": labels.get(row["type"].value, curie(row["type"].value)),
            "article": row["article"].value if "article" in row else "",
            "summary": row["summary"].value if "summary" in row else "",
            "via": row["via"].value,
            "via_label": labels.get(row["via"].value, curie(row["via"].value)),
            "source": graph_name(row["g"].value),
        }
    return sorted(seen.values(), key=lambda o: (o["source"], o["via_label"], o["article"], o["type_label"]))


def events(iri: str) -> list[dict[str, str]]:
    """Events of an alliance and of the treaties it rests on, in date order, with who did them."""
    rows = run_select("alliance-events", iri=page_iri(iri, "the alliance"))
    labels = labels_for([r[k].value for r in rows for k in ("type", "actor", "treaty") if k in r])
    seen: dict[str, dict[str, str]] = {}
    for row in rows:
        entry = seen.setdefault(
            row["e"].value,
            {
                "iri": row["e"].value,
                "type_label": labels.get(row["type"].value, curie(row["type"].value)),
                "date": row["date"].value if "date" in row else "",
                "actors": "",
                "actor_iris": "",
                "place": row["place"].value if "place" in row else "",
                "treaty": row["treaty"].value if "treaty" in row else "",
                "treaty_label": labels.get(row["treaty"].value, "") if "treaty" in row else "",
                "source": graph_name(row["g"].value),
            },
        )
        if "actor" in row and row["actor"].value not in entry["actor_iris"].split():
            entry["actor_iris"] = (entry["actor_iris"] + " " + row["actor"].value).strip()
    for entry in seen.values():
        entry["actors"] = ", ".join(labels.get(a, curie(a)) for a in entry["actor_iris"].split())
    return sorted(seen.values(), key=lambda e: (e["date"] or "9999", e["type_label"]))


# ----------------------------------------------------------------------------------------------------------
# RDF representations.
