"""actors.yaml: the actors that are no COW state (Kingdom of England, the EU, the UN ...), each with its citation."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Graph
from rdflib.namespace import DCTERMS

from foedus.errors import SourceError, location
from foedus.graph.curated.reader import Actors, CoreChecks, CuratedFile, display_path
from foedus.graph.curated.schema import ACTOR_CLASSES
from foedus.graph.yamlsrc import LDict, LList, load_yaml
from foedus.vocab import actor_iri, is_slug


def load_actors(path: Path, g: Graph, actors: Actors, shared: CoreChecks) -> None:
    """Read actors.yaml into `g` and add its slugs to `actors` (so other files may name them)."""
    doc = load_yaml(path, display_path(path))
    if not isinstance(doc, LDict) or not isinstance(doc.get("actors"), LList):
        raise SourceError(
            "actors.yaml must be a map with `sources:` and an `actors:` list",
            where=location(display_path(path), 1),
        )
    items = doc["actors"]
    f = CuratedFile(g, doc, "actors", "actors", actors, set(), set(), shared)
    f.keys(doc, doc.where(), "actors.yaml")
    f.read_sources()
    checked: list[LDict] = []
    for i, a in enumerate(items):
        a = f.keys(a, items.where(i), "actor")
        checked.append(a)
        slug = a["id"]
        if not isinstance(slug, str) or not is_slug(slug):
            raise SourceError(f"actor id {slug!r} must be a slug", where=a.where("id"))
        if slug in actors.slugs:
            raise SourceError(f"duplicate actor id {slug!r}", where=a.where("id"))
        actors.slugs.add(slug)
        iri = actor_iri(slug)
        g.add((iri, RDF.type, ACTOR_CLASSES[f.choice(a, "kind", ACTOR_CLASSES, "actor kind")]))
        f.labels(a, iri, "actor")
        f.wikidata(a, "wikidata", iri)
        f.span(a, iri)
        f.note(a, iri)
        f.add_sources(iri, f.cite(a))
    for a in checked:  # second pass: `continued_by` may name an actor listed further down
        if a.get("continued_by") is not None:
            successor = actors.iri(a["continued_by"], a.where("continued_by"))
            g.add((actor_iri(a["id"]), DCTERMS.isReplacedBy, successor))
