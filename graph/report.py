"""The build report (build-report.json and build-report.md): triples, entities, sources, disagreements, the
curated core's Wikidata links and source strength, warnings, notes and inputs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from foedus.fo_terms import FO
from foedus.vocab import PREFIXES, graph_iri

if TYPE_CHECKING:
    from foedus.graph.build import BuildState

_RECON_COLUMNS = ("alliance", "member", "aspect", "curated", "other", "graph")


def entities(graphs: Mapping[str, Graph], names: Sequence[str]) -> dict[str, int]:
    """Typed entities per class (as a CURIE) over the data graphs (not the ontology or the description)."""
    typed: set[tuple[Node, Node]] = set()
    for name in names:
        if name in ("ontology", "description"):
            continue
        typed.update((s, o) for s, o in graphs[name].subject_objects(RDF.type) if isinstance(s, URIRef))
    counts: Counter[str] = Counter()
    for cls, n in Counter(o for _, o in typed).items():
        counts[_curie(str(cls))] += n
    return dict(sorted(counts.items()))


def alliance_counts(graphs: Mapping[str, Graph]) -> dict[str, int]:
    """What a researcher should know about the alliances of a release: how they are named (curated, a cited title or
    description, generated), families, classification disagreements, ATOP endings made events, and standings."""
    alliances: set[Any] = set()
    for name, g in graphs.items():
        if name not in ("ontology", "derived", "description"):
            alliances.update(g.subjects(RDF.type, FO.Alliance))
    curated = graphs.get("curated", Graph())
    derived = graphs.get("derived", Graph())
    atop = graphs.get("atop-5.1", Graph())
    generated = {a for g in graphs.values() for a in g.subjects(FO.generatedLabel, None)}
    titled = {a for a in atop.subjects(DCTERMS.title, None)} & alliances
    cited = {a for a in atop.subjects(FO.nameSource, None)} & alliances
    by_curated = {a for a in alliances if (a, RDFS.label, None) in curated}
    standing = [derived.value(a, FO.inEffect) for a in alliances if (a, FO.standingAsOf, None) in derived]
    return {
        "alliances": len(alliances),
        "named by the curated core": len(by_curated),
        "named by a cited treaty title (atop_names.csv)": len(titled - by_curated),
        "named by a cited description (atop_names.csv)": len(cited - titled - by_curated),
        "with a generated label": len(generated & alliances),
        "families (fo:AllianceFamily)": sum(1 for _ in curated.subjects(RDF.type, FO.AllianceFamily)),
        "classification disagreements": sum(
            1 for d in derived.subjects(FO.aspect, Literal("classification"))),
        "ATOP endings as events (fo:Ending)": sum(1 for _ in atop.subjects(RDF.type, FO.Ending)),
        "in force on the as-of date": sum(1 for v in standing if v is not None and v.toPython() is True),
        "ended by the as-of date": sum(1 for v in standing if v is not None and v.toPython() is False),
        "open where their dating source stops or records no end": sum(1 for v in standing if v is None),
    }


def _curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def build_report(state: BuildState, version: str, triples: dict[str, int], counts: dict[str, int]) -> dict[str, Any]:
    """The report as data (build-report.json; release.json is its first four keys)."""
    return {
        "version": version,
        "graphs": {str(graph_iri(n)): c for n, c in triples.items()},
        "sources": [
            {"name": p.name, "version": p.source.version, "files": dict(sorted(p.files.items()))}
            for p in state.sources
        ],
        "entities": counts,
        "alliances": state.alliances,
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
        "source_strength": state.source_strength,
        "warnings": state.warnings,
        "notes": state.notes,
        "inputs": dict(sorted(state.inputs.items())),
    }


def strength_lines(strength: Mapping[str, Any]) -> list[str]:
    """One line each: the share on primary sources against the goal, and the facts resting on ATOP alone."""
    share, goal = strength["primary_share"], strength["goal"]
    return [
        f"curated treaty and membership facts: {strength['facts']}, {strength['primary']} "
        f"({share:.0%}) resting on a treaty text, depositary or official page (goal {goal:.0%}: "
        f"{'met' if share >= goal else 'not met'})",
        f"resting on ATOP alone: {strength['atop_alone']}",
    ]


def _strength_md(strength: Mapping[str, Any]) -> list[str]:
    kinds = list(strength["by_strongest_kind"])
    lines = ["", "## Source strength of the curated core", ""]
    lines += [f"- {line}" for line in strength_lines(strength)]
    lines += ["", "Facts by the strongest kind of source behind them:", ""]
    lines += ["| fact | " + " | ".join(kinds) + " |", "|---|" + "---|" * len(kinds)]
    rows = {**strength["by_fact"], "all": strength["by_strongest_kind"]}
    lines += [f"| {what} | " + " | ".join(str(c[k]) for k in kinds) + " |" for what, c in rows.items()]
    if strength["atop_alone_facts"]:
        lines += ["", "Resting on ATOP alone (cite the treaty text, a depositary or an official page too):", ""]
        lines += [f"- <{iri}>" for iri in strength["atop_alone_facts"]]
    return lines


def report_md(report: dict[str, Any]) -> str:
    """The report for people (build-report.md)."""
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
    lines += ["", "## Alliances", "", "| | alliances |", "|---|---|"]
    lines += [f"| {k} | {n} |" for k, n in report.get("alliances", {}).items()]
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
        lines += ["| " + " | ".join(d[k] for k in _RECON_COLUMNS) + " |" for d in dis["reconciliation"]]
    lines += _strength_md(report["source_strength"])
    lines += ["", "## Wikidata links of the curated core", "", "| kind | linked | total |", "|---|---|---|"]
    lines += [f"| {k} | {v['linked']} | {v['total']} |" for k, v in report["wikidata"].items()]
    lines += ["", "Without a Wikidata item yet (link one where it exists, with its evidence):", ""]
    lines += [f"- {k}: <{m['iri']}> {m['label']}" for k, v in report["wikidata"].items() for m in v["missing"]]
    lines += ["", "## Warnings", ""] + ([f"- {w}" for w in report["warnings"]] or ["- none"])
    lines += ["", "## Notes", ""] + ([f"- {n}" for n in report["notes"]] or ["- none"])
    return "\n".join(lines) + "\n"
