"""Writing a release: named graphs to byte-stable quads, every file of the layout, published atomically.

Everything is written into a staging directory beside releases/ and renamed into place only when complete
(graph/staging.py), so a failed or killed build leaves the previous release (and releases/latest) untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from foedus.errors import BuildError
from foedus.graph import layout
from foedus.graph.staging import staged_release
from foedus.vocab import PREFIXES, graph_iri


def canonical_bnodes(g: Graph) -> dict[BNode, str]:
    """Name blank nodes by a hash of what they say, so the same input always serialises to the same bytes."""
    labels: dict[BNode, str] = {}

    def label(b: BNode, seen: frozenset[BNode]) -> str:
        if b in labels:
            return labels[b]
        parts = []
        for p, o in g.predicate_objects(b):
            os_ = (
                label(o, seen | {b})
                if isinstance(o, BNode) and o not in seen
                else ("_" if isinstance(o, BNode) else o.n3())
            )
            parts.append(f"{p.n3()} {os_}")
        for s, p in g.subject_predicates(b):
            parts.append(f"^{p.n3()} {s.n3() if not isinstance(s, BNode) else '_'}")
        name = "b" + hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:16]
        labels[b] = name
        return name

    for term in {t for s, _, o in g for t in (s, o) if isinstance(t, BNode)}:
        label(term, frozenset())
    return labels


def _ox_term(term: Node, bnodes: dict[BNode, str]) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(bnodes[term])
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise BuildError(f"cannot serialise term {term!r}")


def to_quads(graphs: Mapping[str, Graph], names: Sequence[str]) -> list[ox.Quad]:
    """The quads of the named graphs `names` (in that order), blank nodes named canonically."""
    out: list[ox.Quad] = []
    for name in names:
        g = graphs[name]
        bnodes = canonical_bnodes(g)
        gname = ox.NamedNode(str(graph_iri(name)))
        for s, p, o in g:
            out.append(ox.Quad(_ox_term(s, bnodes), _ox_term(p, bnodes), _ox_term(o, bnodes), gname))
    return out


def sorted_nquads(quads: list[ox.Quad]) -> tuple[list[str], list[ox.Quad]]:
    """The N-Quads lines, sorted and each once, and the quads parsed back from them (in that order)."""
    nq = sorted(set((ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8").splitlines()))
    return nq, list(ox.parse("\n".join(nq) + "\n", format=ox.RdfFormat.N_QUADS))


def _write(path: Path, data: bytes | None) -> None:
    assert data is not None
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _write_files(folder: Path, nq: list[str], quads: list[ox.Quad], report: dict[str, Any], report_md: str) -> None:
    """Every file of the layout, into `folder`."""
    union = sorted({q.triple for q in quads}, key=str)
    _write(folder / layout.NQUADS, ("\n".join(nq) + "\n").encode("utf-8"))
    _write(folder / layout.TRIG, ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES))
    _write(folder / layout.TURTLE, ox.serialize(union, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    _write(folder / layout.JSONLD, ox.serialize(union, format=ox.RdfFormat.JSON_LD))
    description_graph = ox.NamedNode(str(graph_iri("description")))
    void_triples = [q.triple for q in quads if q.graph_name == description_graph]
    _write(folder / layout.VOID, ox.serialize(void_triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    release_json = {k: report[k] for k in ("version", "graphs", "sources", "entities")}
    _write(folder / layout.RELEASE_JSON, (json.dumps(release_json, indent=2, sort_keys=True) + "\n").encode())
    _write(folder / layout.REPORT_JSON, (json.dumps(report, indent=2, sort_keys=True) + "\n").encode())
    _write(folder / layout.REPORT_MD, report_md.encode("utf-8"))


def publish(
    releases: Path, version: str, nq: list[str], quads: list[ox.Quad], report: dict[str, Any], report_md: str
) -> Path:
    """Write releases/<version>/ through a fsynced staging directory, then point releases/latest at it.

    graph/staging.py holds the build lock and puts the directory in place, so a build killed at any moment leaves
    the previous release intact and the next build removes what it left.
    """
    with staged_release(releases, version) as tmp:
        _write_files(tmp, nq, quads, report, report_md)
    return releases / version
