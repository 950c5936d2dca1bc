"""Validate RDF against the Foedus ontology and shapes with pySHACL over an oxigraph store.

Data flow (why it is fast enough to gate every build): the data is loaded once into a pyoxigraph `Store`, every
triple in a named graph (the release's graphs as they are; a file's default graph under the file's own IRI), plus
the ontology in its `ontology` graph so that `sh:class` sees `rdfs:subClassOf`. pySHACL validates the store in
place (no copy): core constraints walk the store's indexes and the SPARQL-based constraints, each anchored on
`$this`, run inside oxigraph. The report is grouped by node shape, each result naming its focus node and the named
graph(s) the focus node came from.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from foedus.errors import SourceError, location
from foedus.ontology.codegen import core_path
from foedus.ontology.extensions import SHAPES_SUFFIX, extensions_dir, list_extensions
from foedus.vocab import graph_iri

SHAPES_BASE = "https://w3id.org/foedus/shapes/"
ONTOLOGY_GRAPH = str(graph_iri("ontology"))
DEFAULT_GRAPH_NAME = "urn:x-foedus:default-graph"

SEVERITIES: dict[URIRef, str] = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}

# RDF syntaxes come from pyoxigraph's own tables (as in server/store.py); `.owl` is the one common suffix it lacks.
_OWL_SUFFIX = {"owl": ox.RdfFormat.RDF_XML}


def format_for_suffix(suffix: str) -> ox.RdfFormat | None:
    """The RDF syntax a file suffix names (".ttl", ".nq", ".jsonld", ".rdf", ".owl" ...), or None."""
    name = suffix.lower().lstrip(".")
    return (ox.RdfFormat.from_extension(name) or _OWL_SUFFIX.get(name)) if name else None


def format_for_media_type(media_type: str) -> ox.RdfFormat | None:
    """The RDF syntax a media type names (text/turtle, application/ld+json ...), or None."""
    return ox.RdfFormat.from_media_type(media_type) if media_type else None


# --------------------------------------------------------------------------------------------------------------
# Shapes and ontology


def shape_files() -> list[Path]:
    """The shapes files: shapes/*.ttl, then the shapes of every ontology extension (*.shapes.ttl)."""
    own = sorted(Path(str(resources.files("foedus.shapes"))).glob("*.ttl"))
    return own + sorted(extensions_dir().glob("*" + SHAPES_SUFFIX))


class _ReadOnlyGraph(Graph):
    """A graph that, once frozen, remembers the answer to every triple pattern asked of it (until it changes).

    pySHACL reads the shapes graph afresh for every focus node (over two million pattern look-ups on a release);
    the shapes do not change once parsed, so each answer is computed once.
    """

    _answers: dict[Any, tuple[Any, ...]] | None = None

    def freeze(self) -> None:
        """From now on the graph must not change; reads are remembered."""
        self._answers = {}

    def triples(self, triple: Any) -> Any:
        if self._answers is None:
            return super().triples(triple)
        try:
            hit = self._answers.get(triple)
        except TypeError:  # an unhashable pattern (a property path object): ask the store
            return super().triples(triple)
        if hit is None:
            hit = self._answers[triple] = tuple(super().triples(triple))
        return iter(hit)

    def add(self, triple: Any) -> Any:
        if self._answers:
            self._answers = {}  # pySHACL adds its system triples: forget what was remembered
        return super().add(triple)

    def remove(self, triple: Any) -> Any:
        if self._answers:
            self._answers = {}
        return super().remove(triple)


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """All shapes in one rdflib graph (parsed once per process, read-only afterwards)."""
    g = _ReadOnlyGraph()
    for f in shape_files():
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle", publicID=SHAPES_BASE)
    g.freeze()
    return g


@lru_cache(maxsize=1)
def ontology_ntriples() -> bytes:
    """The ontology (ontology/foedus.ttl and extensions, without their shapes) as N-Triples, for loading into stores."""
    store = ox.Store()
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    for f in [core_path(), *(e.ontology for e in list_extensions())]:
        store.load(f.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri="https://w3id.org/foedus/ontology",
                   to_graph=graph)
    return ox.serialize(store.quads_for_pattern(None, None, None, graph), format=ox.RdfFormat.N_QUADS) or b""


@lru_cache(maxsize=1)
def _shape_index() -> dict[Node, tuple[Node, str]]:
    """For every shape (node or property shape): the node shape it belongs to and a label people can read."""
    g = shapes_graph()
    index: dict[Node, tuple[Node, str]] = {}
    for node_shape in set(g.subjects(RDF.type, SH.NodeShape)):
        label = str(g.value(node_shape, RDFS.label) or _short(node_shape))
        index[node_shape] = (node_shape, label)
        for prop in g.objects(node_shape, SH.property):
            plabel = g.value(prop, RDFS.label)
            index[prop] = (node_shape, f"{label} / {plabel}" if plabel else label)
    return index


# --------------------------------------------------------------------------------------------------------------
# The report


@dataclass(frozen=True)
class Result:
    """One SHACL result: severity, the node shape it belongs to, the focus node and where that node came from."""

    severity: str
    shape: str
    shape_label: str
    constraint: str
    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    graphs: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {
            "severity": self.severity, "shape": self.shape, "shapeLabel": self.shape_label,
            "constraint": self.constraint, "focusNode": self.focus, "message": self.message,
            "path": self.path, "value": self.value, "graphs": list(self.graphs),
        }


@dataclass
class Report:
    """The outcome of a validation: `conforms` is true when no violation remains (warnings and infos are listed)."""

    results: list[Result] = field(default_factory=list)
    graph: Graph | None = None
    triples: int = 0

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity == "warning"]

    @property
    def infos(self) -> list[Result]:
        return [r for r in self.results if r.severity == "info"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def by_shape(self, severity: str | None = None) -> dict[tuple[str, str], list[Result]]:
        """Results grouped by (shape IRI, shape label), optionally of one severity, in a stable order."""
        groups: dict[tuple[str, str], list[Result]] = defaultdict(list)
        for r in sorted(self.results, key=lambda r: (r.shape_label, r.focus, r.message)):
            if severity is None or r.severity == severity:
                groups[(r.shape, r.shape_label.split(" / ")[0])].append(r)
        return dict(sorted(groups.items(), key=lambda item: item[0][1]))

    def summary(self) -> str:
        """One line: conforms or not, and how many results of each severity."""
        verdict = "conforms" if self.conforms else "does NOT conform"
        return (f"{verdict}: {len(self.violations)} violation(s), {len(self.warnings)} warning(s), "
                f"{len(self.infos)} info(s) in {self.triples} triples")

    def render(self, fmt: str = "text", *, limit: int = 20) -> str:
        """The report as `text` (for people, grouped by shape), `json` or `turtle` (the SHACL report graph)."""
        if fmt == "json":
            return json.dumps({
                "conforms": self.conforms, "triples": self.triples,
                "counts": {"violation": len(self.violations), "warning": len(self.warnings),
                           "info": len(self.infos)},
                "results": [r.as_dict() for r in sorted(
                    self.results, key=lambda r: (r.severity, r.shape_label, r.focus, r.message))],
            }, indent=2, ensure_ascii=False)
        if fmt == "turtle":
            g = self.graph if self.graph is not None else Graph()
            g.bind("sh", SH)
            return g.serialize(format="turtle")
        if fmt != "text":
            raise ValueError(f"unknown report format {fmt!r}; use text, turtle or json")
        return self._text(limit)

    def _text(self, limit: int) -> str:
        lines = [f"Validation report: {self.summary()}"]
        for severity in ("violation", "warning", "info"):
            groups = self.by_shape(severity)
            if not groups:
                continue
            lines.append("")
            lines.append(f"{severity.upper()}S")
            for (shape, label), results in groups.items():
                lines.append(f"  {label} ({_short_str(shape)}): {len(results)} focus node(s)")
                for r in results[:limit]:
                    where = f" [{', '.join(_short_str(g) for g in r.graphs)}]" if r.graphs else ""
                    path = f" {_short_str(r.path)}" if r.path else ""
                    value = f" = {r.value}" if r.value is not None else ""
                    lines.append(f"    - {r.focus}{where}{path}{value}: {r.message}")
                if len(results) > limit:
                    lines.append(f"    ... and {len(results) - limit} more")
        return "\n".join(lines) + "\n"


_SHORT = {
    "https://w3id.org/foedus/shapes/": "fos:", "https://w3id.org/foedus/ontology/": "fo:",
    "https://w3id.org/foedus/graph/": "graph:", "https://w3id.org/foedus/id/": "foid:",
    "http://www.w3.org/ns/org#": "org:", "http://www.w3.org/2006/time#": "time:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:", "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/dc/terms/": "dcterms:", "http://www.w3.org/ns/prov#": "prov:",
}


def _short_str(iri: str) -> str:
    for base, prefix in _SHORT.items():
        if iri.startswith(base):
            return prefix + iri[len(base):]
    return iri


def _short(node: Node) -> str:
    return _short_str(str(node))


# --------------------------------------------------------------------------------------------------------------
# Loading data into a store


def _ox_term(term: Node, cache: dict[Node, Any]) -> Any:
    found = cache.get(term)
    if found is not None:
        return found
    if isinstance(term, URIRef):
        made: Any = ox.NamedNode(str(term))
    elif isinstance(term, BNode):
        made = ox.BlankNode(str(term))
    elif isinstance(term, Literal):
        if term.language:
            made = ox.Literal(str(term), language=term.language)
        elif term.datatype is not None:
            made = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        else:
            made = ox.Literal(str(term))
    else:
        raise TypeError(f"cannot store RDF term {term!r}")
    cache[term] = made
    return made


def store_from_rdflib(data: Graph | Dataset) -> ox.Store:
    """Copy an rdflib Graph or Dataset into a new oxigraph store, every triple in a named graph."""
    store = ox.Store()
    cache: dict[Node, Any] = {}
    default = ox.NamedNode(DEFAULT_GRAPH_NAME)

    def graph_node(ctx: Node | None) -> Any:
        if ctx is None or ctx == DATASET_DEFAULT_GRAPH_ID or isinstance(ctx, BNode):
            return default
        return _ox_term(ctx, cache)

    quads: Iterable[Any]
    if isinstance(data, Dataset):
        quads = (ox.Quad(_ox_term(s, cache), _ox_term(p, cache), _ox_term(o, cache), graph_node(g))
                 for s, p, o, g in data.quads((None, None, None, None)))
    else:
        name = graph_node(data.identifier if isinstance(data.identifier, URIRef) else None)
        quads = (ox.Quad(_ox_term(s, cache), _ox_term(p, cache), _ox_term(o, cache), name)
                 for s, p, o in data)
    store.bulk_extend(quads)
    return store


def _add_ontology(store: ox.Store) -> None:
    """Load the ontology into its named graph unless the data already carries that graph (a release does)."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    if next(iter(store.quads_for_pattern(None, None, None, graph)), None) is None:
        store.load(ontology_ntriples(), format=ox.RdfFormat.N_QUADS)


def load_document(store: ox.Store, data: bytes, fmt: ox.RdfFormat, name: str, *, display: str | None = None) -> None:
    """Parse one document into `store` (its default graph under the IRI `name`); a syntax error names line:col."""
    try:
        store.load(data, format=fmt, base_iri=name, to_graph=ox.NamedNode(name))
    except SyntaxError as exc:
        raise _syntax_error(exc, data, fmt, display or name) from None
    except ValueError as exc:
        raise SourceError(f"cannot read as {fmt.name}: {exc}", where=display or name) from None


def _syntax_error(exc: SyntaxError, data: bytes, fmt: ox.RdfFormat, where: str) -> SourceError:
    message = str(exc.args[0]) if exc.args else str(exc)
    line, column = exc.lineno, exc.offset
    if line is None and fmt == ox.RdfFormat.RDF_XML:
        line, column = _xml_position(data)
    return SourceError(f"not valid {fmt.name.replace('_', '-')}: {message}", where=location(where, line, column))


def _xml_position(data: bytes) -> tuple[int | None, int | None]:
    """Ask the XML parser where an RDF/XML document breaks (oxigraph's error does not say)."""
    import xml.sax

    class _Quiet(xml.sax.handler.ContentHandler):
        pass

    try:
        xml.sax.parseString(data, _Quiet())
    except xml.sax.SAXParseException as exc:
        column = exc.getColumnNumber()
        return exc.getLineNumber(), (column + 1 if column is not None else None)
    return None, None


def format_for(path: Path) -> ox.RdfFormat:
    """The RDF syntax of a file, from its extension."""
    fmt = format_for_suffix(path.suffix)
    if fmt is None:
        known = ".ttl .nt .nq .trig .jsonld .rdf .owl"
        raise SourceError(f"unknown RDF file extension {path.suffix!r}; use one of {known}", where=str(path))
    return fmt


# --------------------------------------------------------------------------------------------------------------
# Validation


@lru_cache(maxsize=1)
def _data_graph_class() -> type:
    from pyshacl.graph_abstraction import OxigraphDataGraph

    class _OxDataGraph(OxigraphDataGraph):
        """pySHACL's oxigraph data graph, truthy without counting: pySHACL writes `datagraph or sg` for every
        result, and the inherited __len__ runs a COUNT over the whole store (about 1.5 s on a release) each time."""

        def __bool__(self) -> bool:
            return True

    return _OxDataGraph


@lru_cache(maxsize=1)
def _speed_up_pyshacl() -> None:
    """Remove two per-focus-node costs of pySHACL 0.40 that do not change the report (measured on the release).

    - Each shape looks its parameters up in a list of ~40 IRIs for every focus node (45 M IRI comparisons): a
      frozenset gives the same membership answer.
    - Each SPARQL constraint re-checks its (unchanging) query text with nine regular expressions for every focus
      node: the check is remembered per text once it has passed.
    A third, re-reading the shapes graph for every focus node, is met by _ReadOnlyGraph.
    """
    import pyshacl.shape as shape_module
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    shape_module.CONSTRAINT_PARAMS = (frozenset(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)  # type: ignore[attr-defined]

    checked: set[tuple[str, bool, tuple[str, ...]]] = set()
    check = SPARQLQueryHelper.check_invalid_sparql

    def check_once(self: Any, sparql_text: str, valuenode: Any = None, extravars: Any = None) -> bool:
        key = (sparql_text, valuenode is None, tuple(sorted(extravars or ())))
        if key not in checked:
            check(self, sparql_text, valuenode=valuenode, extravars=extravars)
            checked.add(key)
        return True

    SPARQLQueryHelper.check_invalid_sparql = check_once  # type: ignore[method-assign]


def prepare_validation() -> None:
    """Parse the shapes and the ontology now, so that processes forked from this one inherit them (server uploads)."""
    from pyshacl import validate  # noqa: F401 - imported once here rather than in every child

    _speed_up_pyshacl()
    shapes_graph()
    _shape_index()
    ontology_ntriples()


def validate_store(store: ox.Store) -> Report:
    """Validate an oxigraph store (all named graphs together) with pySHACL; the store gains the ontology graph."""
    from pyshacl import validate

    _speed_up_pyshacl()
    triples = len(store)  # what was read: the ontology added below for sh:class is not part of the data
    _add_ontology(store)
    _conforms, report_graph, _text = validate(
        _data_graph_class()(store), shacl_graph=shapes_graph(), inference="none", inplace=True, advanced=False,
        allow_warnings=True, allow_infos=True,
    )
    assert isinstance(report_graph, Graph)
    return Report(results=_results(report_graph, store), graph=report_graph, triples=triples)


def _results(report: Graph, store: ox.Store) -> list[Result]:
    index = _shape_index()
    shapes = shapes_graph()
    origins: dict[Node, tuple[str, ...]] = {}
    out = []
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        source = report.value(node, SH.sourceShape)
        severity_node = report.value(node, SH.resultSeverity)
        severity = SEVERITIES.get(severity_node, "violation") if isinstance(severity_node, URIRef) else "violation"
        found = index.get(source) if source is not None else None
        owner, label = found if found is not None else (source, _short(source) if source is not None else "?")
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        generic = {str(m) for m in shapes.objects(owner, SH.message)} if owner is not None else set()
        if len(messages) > 1 and set(messages) - generic:
            messages = sorted(set(messages) - generic)
        if not messages and source is not None:
            messages = [str(m) for m in shapes.objects(source, SH.message)]
        component = report.value(node, SH.sourceConstraintComponent)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        if focus is not None and focus not in origins:
            origins[focus] = _origin(store, focus)
        out.append(Result(
            severity=severity,
            shape=str(owner) if not isinstance(owner, BNode) else label,
            shape_label=label,
            constraint=_short(component).split("#")[-1] if component is not None else "",
            focus=_show(focus),
            message=messages[0] if messages else label,
            path=str(path) if isinstance(path, URIRef) else (_show(path) if path is not None else None),
            value=_show(value) if value is not None else None,
            graphs=origins.get(focus, ()) if focus is not None else (),
        ))
    return out


def _show(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, Literal):
        return node.n3()
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _origin(store: ox.Store, focus: Node) -> tuple[str, ...]:
    """The named graphs that state something about the focus node (as subject, else as object)."""
    try:
        term = _ox_term(focus, {})
    except TypeError:
        return ()
    names: set[str] = set()
    if not isinstance(term, ox.Literal):
        names = {_graph_name(q.graph_name) for q in store.quads_for_pattern(term, None, None, None)}
    if not names:
        names = {_graph_name(q.graph_name) for q in store.quads_for_pattern(None, None, term, None)}
    if len(names) > 1:
        names.discard(ONTOLOGY_GRAPH)
    return tuple(sorted(names))


def _graph_name(name: Any) -> str:
    if isinstance(name, ox.NamedNode):
        return "default graph" if name.value == DEFAULT_GRAPH_NAME else name.value
    return "default graph"


def validate_graph(data: Graph | Dataset | ox.Store) -> Report:
    """Validate an rdflib Graph or Dataset (or an oxigraph store) against the ontology and shapes."""
    store = data if isinstance(data, ox.Store) else store_from_rdflib(data)
    return validate_store(store)


def validate_release_graph(release: Dataset | ox.Store) -> Report:
    """Validate a whole release (all named graphs); the build publishes only when `report.conforms`."""
    return validate_graph(release)


def validate_files(paths: list[Path]) -> Report:
    """Validate RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) together; parse errors name line:col."""
    store = ox.Store()
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read the file: {exc.strerror}", where=str(path)) from None
        load_document(store, data, format_for(path), path.resolve().as_uri(), display=str(path))
    return validate_store(store)


def validate_bytes(data: bytes, fmt: ox.RdfFormat, name: str = "urn:x-foedus:upload") -> Report:
    """Validate one uploaded document (the server's POST /validate)."""
    store = ox.Store()
    load_document(store, data, fmt, name, display="upload")
    return validate_store(store)
