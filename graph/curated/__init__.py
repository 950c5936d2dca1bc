"""The curated core (this folder: FORMAT.md, states.csv, actors.yaml, alliances/, instruments/) as the RDF of the
`curated` named graph.

Strict by design: an unknown key, a fact without a citation, a bad date, an unknown actor or event type stops the
build with a SourceError naming file:line, because a silently dropped fact is worse than a failed build.
One module per kind of file (`states`, `actors`, `alliance`, `instrument`), the pieces they share in `reader`,
`citations` and `events`, the accepted keys in `schema`, and what the build report says about the core in `report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from foedus.errors import SourceError, location
from foedus.graph.curated.actors import load_actors
from foedus.graph.curated.alliance import load_alliance
from foedus.graph.curated.citations import load_uncitable_hosts
from foedus.graph.curated.instrument import load_instrument
from foedus.graph.curated.reader import Actors, CoreChecks, CuratedFile, display_path
from foedus.graph.curated.report import source_strength, wikidata_coverage
from foedus.graph.curated.states import load_states
from foedus.graph.yamlsrc import LDict, LList, load_yaml
from foedus.vocab import is_slug

__all__ = ["CuratedCore", "curated_files", "load_curated", "source_strength", "wikidata_coverage"]

FILE_KINDS = ("alliances", "instruments")  # the folders with one YAML file per thing


@dataclass
class CuratedCore:
    """The curated graph plus what the rest of the build needs from it."""

    graph: Graph
    alliance_iris: dict[int, URIRef]
    files: list[Path]
    warnings: list[str] = field(default_factory=list)


def curated_files(curated_dir: Path) -> list[Path]:
    """Every input file of the curated core, sorted (they all count towards the release version)."""
    return sorted(p for p in curated_dir.rglob("*") if p.is_file() and p.suffix in (".yaml", ".csv"))


def _read_docs(curated_dir: Path, warnings: list[str]) -> list[tuple[str, str, LDict]]:
    """(kind, slug, document) of every alliances/ and instruments/ file; a file name that is no slug is an error."""
    docs: list[tuple[str, str, LDict]] = []
    for kind in FILE_KINDS:
        for path in sorted((curated_dir / kind).glob("*.yaml")):
            shown = display_path(path)
            if not is_slug(path.stem):
                raise SourceError(f"file name {path.stem!r} is not a slug (lowercase, digits, '-')", where=shown)
            doc = load_yaml(path, shown)
            if not isinstance(doc, LDict):
                raise SourceError("file must hold a YAML mapping", where=location(shown, 1))
            docs.append((kind, path.stem, doc))
        for path in sorted((curated_dir / kind).glob("*")):
            if path.is_file() and path.suffix != ".yaml":
                warnings.append(f"{display_path(path)}: ignored (not .yaml)")
    return docs


def _treaty_slugs(docs: list[tuple[str, str, LDict]]) -> set[str]:
    """Every treaty id of the alliance files; one id used twice is an error naming both places."""
    seen: dict[str, str] = {}
    for kind, _slug, doc in docs:
        treaties = doc.get("treaties") if kind == "alliances" else None
        if not isinstance(treaties, LList):
            continue
        for i, t in enumerate(treaties):
            if isinstance(t, LDict) and isinstance(t.get("id"), str):
                if t["id"] in seen:
                    raise SourceError(
                        f"treaty id {t['id']!r} is already used in {seen[t['id']]}", where=t.where("id")
                    )
                seen[t["id"]] = treaties.where(i)
    return set(seen)


def load_curated(curated_dir: Path) -> CuratedCore:
    """Read graph/curated/ (states.csv, actors.yaml, alliances/, instruments/) into the curated graph."""
    g = Graph()
    warnings: list[str] = []
    if not curated_dir.is_dir():
        raise SourceError("curated directory not found", where=str(curated_dir))
    states_csv = curated_dir / "states.csv"
    states: set[int] | None = None
    if states_csv.exists():
        states = load_states(states_csv, g)
    else:
        warnings.append(f"{display_path(states_csv)} missing: COW codes are not checked")
    docs = _read_docs(curated_dir, warnings)
    alliance_slugs = {slug for kind, slug, _ in docs if kind == "alliances"}
    actors = Actors(states, set(), alliance_slugs)
    hosts = curated_dir / "uncitable_hosts.csv"
    shared = CoreChecks(uncitable_hosts=load_uncitable_hosts(hosts, display_path(hosts)), warnings=warnings)
    actors_yaml = curated_dir / "actors.yaml"
    if actors_yaml.exists():
        load_actors(actors_yaml, g, actors, shared)
    treaty_slugs = _treaty_slugs(docs)
    alliance_iris: dict[int, URIRef] = {}
    for kind, slug, doc in docs:
        f = CuratedFile(g, doc, kind.rstrip("s"), slug, actors, treaty_slugs, alliance_slugs, shared)
        f.read_sources()
        if kind == "alliances":
            load_alliance(f, alliance_iris)
        else:
            load_instrument(f)
    return CuratedCore(graph=g, alliance_iris=alliance_iris, files=curated_files(curated_dir), warnings=warnings)
