"""`foedus build`: curated core + verified public sources + ontology -> one versioned, reproducible release.

This module runs the steps in order (graph/README.md); `release.py` serialises and publishes what they made,
`report.py` writes the build report. A failed or interrupted build leaves the previous release untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from foedus import __version__
from foedus.errors import SourceError, ValidationFailed
from foedus.graph import release
from foedus.graph.classification import classified_apart
from foedus.graph.classification import disagreements as classification_disagreements
from foedus.graph.context import ImportContext
from foedus.graph.curated import load_curated, source_strength, wikidata_coverage
from foedus.graph.dates import PartialDate, stored_date
from foedus.graph.describe import describe_release, wikidata_link_counts
from foedus.graph.dyads import build_dyads, collect_spells
from foedus.graph.manifest import PresentSource, verify_sources
from foedus.graph.reconcile import Difference, reconcile
from foedus.graph.report import alliance_counts, build_report, entities, report_md, strength_lines
from foedus.graph.staging import sweep
from foedus.graph.standing import standing
from foedus.ontology.codegen import core_path
from foedus.ontology.extensions import list_extensions
from foedus.settings import Settings
from foedus.vocab import state_iri

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
    alliances: dict[str, int] = field(default_factory=dict)  # alliance counts for the report (report.alliance_counts)
    wikidata: dict[str, dict[str, Any]] = field(default_factory=dict)  # curated things linked to Wikidata
    source_strength: dict[str, Any] = field(default_factory=dict)  # sources behind curated treaty facts


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


def _spell_sources(graphs: dict[str, Graph]) -> dict[URIRef, str]:
    """The graph each membership spell comes from (spells of a source are minted in its own graph only)."""
    from foedus.fo_terms import FO

    return {
        ms: name for name, g in graphs.items() for ms in g.subjects(RDF.type, FO.AllianceMembership)
        if isinstance(ms, URIRef)
    }


def state_names(curated: Graph) -> dict[int, str]:
    """COW code -> English name of every state the curated core labels (id/state/<code>)."""
    from rdflib.namespace import RDFS

    prefix = str(state_iri(0))[:-1]
    out: dict[int, str] = {}
    for s, label in curated.subject_objects(RDFS.label):
        text = str(s)
        if text.startswith(prefix) and text[len(prefix):].isdigit() and getattr(label, "language", None) == "en":
            out[int(text[len(prefix):])] = str(label)
    return out


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


def _graph_names(state: BuildState) -> list[str]:
    known = [n for n in GRAPH_ORDER if n in state.graphs]
    return known + sorted(set(state.graphs) - set(known))


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
    for leftover in sweep(Path(settings.releases)):
        say(f"removed {leftover}, left by a build that did not finish")
    state = BuildState()
    curated_dir = curated_dir or Path(str(files("foedus.graph"))) / "curated"

    say(f"reading curated core from {curated_dir}")
    core = load_curated(curated_dir)
    state.graphs["curated"] = core.graph
    state.wikidata = wikidata_coverage(core.graph)
    state.source_strength = source_strength(core.graph)
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
                            notes=state.notes, state_names=state_names(core.graph))
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
    as_of = _as_of(state)
    apart = classified_apart(data)
    derived = build_dyads(spells, data.values(), as_of, frozenset(apart))
    recon, state.differences = reconcile(data, set(core.alliance_iris.values()))
    derived += recon
    derived += classification_disagreements(apart)
    derived += standing(spells, _spell_sources(data), data, as_of)
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
    state.alliances = alliance_counts(state.graphs)
    links = wikidata_link_counts([g for n, g in state.graphs.items() if n != "ontology"])
    others = {n: len(g) for n, g in state.graphs.items()}
    state.graphs["description"] = describe_release(settings, version, others, state.sources, built_at, links)
    triples = {n: len(state.graphs[n]) for n in _graph_names(state)}

    quads = release.to_quads(state.graphs, _graph_names(state))
    _validate(state, quads, say)

    say("serialising")
    nq, quads = release.sorted_nquads(quads)
    report = build_report(state, version, triples, entities(state.graphs, _graph_names(state)))
    target = release.publish(Path(settings.releases), version, nq, quads, report, report_md(report))
    for line in strength_lines(state.source_strength):
        say(f"  {line}")
    say(
        f"release {version}: {sum(triples.values())} triples in {len(triples)} graphs, "
        f"{len(state.differences)} reconciliation disagreements, {len(state.warnings)} warnings"
    )
    return target
