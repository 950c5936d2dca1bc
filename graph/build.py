"""`foedus build`: curated core + verified public sources + ontology -> one versioned, reproducible release.

Everything is written into a temporary directory beside releases/ and renamed into place only after it
validated, so a failed or interrupted build leaves the previous release (and releases/latest) untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from foedus import __version__
from foedus.errors import BuildError, SourceError, ValidationFailed
from foedus.graph import layout
from foedus.graph.context import ImportContext
from foedus.graph.curated import load_curated, wikidata_coverage
from foedus.graph.dates import PartialDate, stored_date
from foedus.graph.describe import describe_release, wikidata_link_counts
from foedus.graph.dyads import build_dyads, collect_spells
from foedus.graph.manifest import PresentSource, verify_sources
from foedus.graph.reconcile import Difference, reconcile
from foedus.ontology.codegen import core_path
from foedus.ontology.extensions import list_extensions
from foedus.settings import Settings
from foedus.vocab import PREFIXES, graph_iri

GRAPH_ORDER = (
    "curated",
    "atop-5.1",
    "cow-states-2016",
    "dcad-1.0",
    "owid-crosswalk",
    "mme-7",
    "us-troops",
    "us-bases",
    "derived",
    "ontology",
    "description",
)


@dataclass
class BuildState:
    """What the steps of one build pass along: graphs by name, inputs, notes for the report."""

    graphs: dict[str, Graph] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)  # logical name -> sha256
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[PresentSource] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    curated_disagreements: int = 0
    wikidata: dict[str, dict[str, Any]] = field(default_factory=dict)  # curated things linked to Wikidata


def _printer(enabled: bool) -> Callable[[str], None]:
    start = time.monotonic()

    def say(message: str) -> None:
        if enabled:
            print(f"[{time.monotonic() - start:6.1f}s] {message}", file=sys.stderr, flush=True)

    return say


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ontology_files() -> list[tuple[str, Path]]:
    """The core ontology and each extension, by the name they carry among the release's inputs."""
    core = core_path()
    found = [core, *(e.ontology for e in list_extensions())]
    return [(f"ontology/{p.relative_to(core.parent).as_posix()}", p) for p in found]


def _as_of(state: BuildState) -> dt.date:
    """The date open spells are counted to: SOURCE_DATE_EPOCH if set, else the latest date in the inputs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    latest = PartialDate(1816).first
    for g in state.graphs.values():
        for _, _, o in g:
            value = stored_date(o)
            if value is not None and value > latest:
                latest = value
    return latest


def _import_sources(
    state: BuildState, settings: Settings, ctx: ImportContext, say: Callable[[str], None]
) -> None:
    from foedus.graph import sources as registry

    present = {p.name: p for p in state.sources}
    for name in sorted(registry.SOURCES):
        spec = registry.SOURCES[name]
        if name not in present:
            continue
        say(f"importing {name}")
        try:
            loader = spec.loader()
        except ModuleNotFoundError as exc:
            if exc.name != spec.module:
                raise
            state.warnings.append(f"source {name}: importer {spec.module} not written yet; skipped")
            continue
        g = loader(Path(settings.sources), ctx)
        state.graphs[spec.graph] = g
        say(f"  {name}: {len(g)} triples")
    for name in sorted(set(present) - set(registry.SOURCES)):
        state.notes.append(f"source {name} is present but has no importer yet")


def _canonical_bnodes(g: Graph) -> dict[BNode, str]:
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


def _quads(state: BuildState) -> list[ox.Quad]:
    out: list[ox.Quad] = []
    for name in _graph_names(state):
        g = state.graphs[name]
        bnodes = _canonical_bnodes(g)
        gname = ox.NamedNode(str(graph_iri(name)))
        for s, p, o in g:
            out.append(ox.Quad(_ox_term(s, bnodes), _ox_term(p, bnodes), _ox_term(o, bnodes), gname))
    return out


def _graph_names(state: BuildState) -> list[str]:
    known = [n for n in GRAPH_ORDER if n in state.graphs]
    return known + sorted(set(state.graphs) - set(known))


def _entities(state: BuildState) -> dict[str, int]:
    typed: set[tuple[Node, Node]] = set()
    for name in _graph_names(state):
        if name in ("ontology", "description"):
            continue
        typed.update((s, o) for s, o in state.graphs[name].subject_objects(RDF.type) if isinstance(s, URIRef))
    counts: Counter[str] = Counter()
    for cls, n in Counter(o for _, o in typed).items():
        counts[_curie(str(cls))] += n
    return dict(sorted(counts.items()))


def _curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _write(path: Path, data: bytes | None) -> None:
    assert data is not None
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _report(
    state: BuildState, version: str, triples: dict[str, int], entities: dict[str, int]
) -> dict[str, Any]:
    return {
        "version": version,
        "graphs": {str(graph_iri(n)): c for n, c in triples.items()},
        "sources": [
            {"name": p.name, "version": p.source.version, "files": dict(sorted(p.files.items()))}
            for p in state.sources
        ],
        "entities": entities,
        "disagreements": {
            "curated": state.curated_disagreements,
            "reconciliation": [
                {
                    "alliance": str(d.alliance),
                    "member": str(d.member),
                    "aspect": d.aspect,
                    "curated": d.curated,
                    "other": d.other,
                    "graph": str(graph_iri(d.other_graph)),
                    "node": str(d.node),
                }
                for d in state.differences
            ],
        },
        "wikidata": state.wikidata,
        "warnings": state.warnings,
        "notes": state.notes,
        "inputs": dict(sorted(state.inputs.items())),
    }


_RECON_COLUMNS = ("alliance", "member", "aspect", "curated", "other", "graph")


def _report_md(report: dict[str, Any]) -> str:
    lines = [
        f"# Foedus build {report['version']}",
        "",
        "## Triples by graph",
        "",
        "| graph | triples |",
        "|---|---|",
    ]
    lines += [f"| {g} | {n} |" for g, n in report["graphs"].items()]
    lines += ["", "## Entities by class", "", "| class | entities |", "|---|---|"]
    lines += [f"| {c} | {n} |" for c, n in report["entities"].items()]
    lines += ["", "## Sources", ""]
    lines += [
        f"- {s['name']} {s['version']}: {len(s['files'])} files verified" for s in report["sources"]
    ] or ["- none"]
    dis = report["disagreements"]
    lines += [
        "",
        "## Disagreements",
        "",
        f"- curated `disputed:` values: {dis['curated']}",
        f"- curated vs imported membership dates: {len(dis['reconciliation'])}",
        "",
    ]
    if dis["reconciliation"]:
        lines += ["| alliance | member | aspect | curated | other | graph |", "|---|---|---|---|---|---|"]
        lines += [
            "| " + " | ".join(d[k] for k in _RECON_COLUMNS) + " |"
            for d in dis["reconciliation"]
        ]
    lines += ["", "## Wikidata links of the curated core", "", "| kind | linked | total |", "|---|---|---|"]
    lines += [f"| {k} | {v['linked']} | {v['total']} |" for k, v in report["wikidata"].items()]
    lines += ["", "Without a Wikidata item yet (link one where it exists, with its evidence):", ""]
    lines += [f"- {k}: <{m['iri']}> {m['label']}" for k, v in report["wikidata"].items() for m in v["missing"]]
    lines += ["", "## Warnings", ""] + ([f"- {w}" for w in report["warnings"]] or ["- none"])
    lines += ["", "## Notes", ""] + ([f"- {n}" for n in report["notes"]] or ["- none"])
    return "\n".join(lines) + "\n"


def _validate(state: BuildState, quads: list[ox.Quad], say: Callable[[str], None]) -> None:
    """The publication gate: any SHACL violation stops the build; warnings go into the build report."""
    from foedus.shapes.validate import validate_release_graph

    say("validating against the shapes")
    store = ox.Store()
    store.extend(quads)  # the quads the release is written from: validated as published
    report = validate_release_graph(store)
    say(f"  {report.summary()}")
    state.notes.append(f"SHACL validation: {report.summary()}")
    for (_, label), results in report.by_shape("warning").items():
        example = results[0]
        state.warnings.append(
            f"SHACL warning, {label}: {len(results)} node(s), e.g. <{example.focus}>: {example.message}"
        )
    if not report.conforms:
        raise ValidationFailed(
            f"the release violates the shapes; nothing was published\n{report.render('text')}", where="foedus build"
        )


def build_release(settings: Settings, progress: bool = True, curated_dir: Path | None = None) -> Path:
    """Build a release into settings.releases/<version> and point releases/latest at it; return its path."""
    say = _printer(progress)
    state = BuildState()
    curated_dir = curated_dir or Path(str(files("foedus.graph"))) / "curated"

    say(f"reading curated core from {curated_dir}")
    core = load_curated(curated_dir)
    state.graphs["curated"] = core.graph
    state.wikidata = wikidata_coverage(core.graph)
    state.warnings.extend(core.warnings)
    for p in core.files:
        state.inputs[f"curated/{p.relative_to(curated_dir).as_posix()}"] = _sha(p)
    say(f"  curated: {len(core.graph)} triples, {len(core.alliance_iris)} ATOP ids claimed")

    if settings.sources:
        say(f"verifying sources in {settings.sources}")
        state.sources = verify_sources(Path(settings.sources), notes=state.notes)
        for ps in state.sources:
            for path, digest in ps.files.items():
                state.inputs[f"sources/{path}"] = digest
        ctx = ImportContext(alliance_iris=dict(core.alliance_iris), progress=say, warnings=state.warnings,
                            notes=state.notes)
        _import_sources(state, settings, ctx, say)
    else:
        state.notes.append("FOEDUS_SOURCES not set: curated core only")

    say("reading the ontology")
    onto = Graph()
    for logical, path in _ontology_files():
        try:
            onto.parse(path, format="turtle")
        except Exception as exc:  # noqa: BLE001 - rdflib raises many parser types; report them as one error
            raise SourceError(f"ontology does not parse: {exc}", where=str(path)) from None
        state.inputs[logical] = _sha(path)
    state.graphs["ontology"] = onto

    say("deriving allied dyads and reconciling sources")
    data = {n: g for n, g in state.graphs.items() if n != "ontology"}
    spells, spell_warnings = collect_spells(data)
    state.warnings.extend(spell_warnings)
    derived = build_dyads(spells, data.values(), _as_of(state))
    recon, state.differences = reconcile(data, set(core.alliance_iris.values()))
    derived += recon
    state.graphs["derived"] = derived
    from foedus.fo_terms import FO

    state.curated_disagreements = sum(1 for _ in core.graph.subjects(RDF.type, FO.Disagreement))
    say(f"  derived: {len(derived)} triples, {len(state.differences)} curated/source differences")

    digest = hashlib.sha256(
        "".join(f"{k}\0{v}\n" for k, v in sorted(state.inputs.items())).encode()
    ).hexdigest()
    version = f"{__version__}+{digest[:12]}"
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    built_at = (
        dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if epoch else None
    )
    links = wikidata_link_counts([g for n, g in state.graphs.items() if n != "ontology"])
    others = {n: len(g) for n, g in state.graphs.items()}
    state.graphs["description"] = describe_release(settings, version, others, state.sources, built_at, links)
    triples = {n: len(state.graphs[n]) for n in _graph_names(state)}

    quads = _quads(state)
    _validate(state, quads, say)

    say("serialising")
    nq = sorted(set((ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8").splitlines()))
    quads = list(ox.parse("\n".join(nq) + "\n", format=ox.RdfFormat.N_QUADS))
    union = sorted({q.triple for q in quads}, key=str)
    entities = _entities(state)
    report = _report(state, version, triples, entities)

    releases = Path(settings.releases)
    releases.mkdir(parents=True, exist_ok=True)
    tmp = releases / f".tmp-{version}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        _write(tmp / layout.NQUADS, ("\n".join(nq) + "\n").encode("utf-8"))
        _write(tmp / layout.TRIG, ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES))
        _write(tmp / layout.TURTLE, ox.serialize(union, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
        _write(tmp / layout.JSONLD, ox.serialize(union, format=ox.RdfFormat.JSON_LD))
        description_graph = ox.NamedNode(str(graph_iri("description")))
        void_triples = [q.triple for q in quads if q.graph_name == description_graph]
        _write(tmp / layout.VOID, ox.serialize(void_triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
        release_json = {k: report[k] for k in ("version", "graphs", "sources", "entities")}
        _write(tmp / layout.RELEASE_JSON, (json.dumps(release_json, indent=2, sort_keys=True) + "\n").encode())
        _write(tmp / layout.REPORT_JSON, (json.dumps(report, indent=2, sort_keys=True) + "\n").encode())
        _write(tmp / layout.REPORT_MD, _report_md(report).encode("utf-8"))
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        target = releases / version
        if target.exists():
            old = releases / f".old-{version}-{os.getpid()}"
            os.rename(target, old)
            os.rename(tmp, target)
            shutil.rmtree(old)
        else:
            os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    link = releases / f".latest-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(version, link)
    os.replace(link, layout.latest(releases))
    say(
        f"release {version}: {sum(triples.values())} triples in {len(triples)} graphs, "
        f"{len(state.differences)} reconciliation disagreements, {len(state.warnings)} warnings"
    )
    return target
