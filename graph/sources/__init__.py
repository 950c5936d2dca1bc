"""The public data sets Foedus imports, registered by name and imported lazily (rdflib plugin style).

Each source is a plain function `load(source_dir, ctx) -> rdflib.Graph` that reads the official file
layout under `source_dir` and returns the triples of its own named graph
(`foedus.vocab.graph_iri(spec.graph)`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from rdflib import Graph, URIRef

from foedus import errors
from foedus.graph.context import ImportContext

Loader = Callable[[Path, ImportContext], Graph]


@dataclass(frozen=True)
class SourceSpec:
    """A registered source: its name, the named graph it fills, where its loader lives (imported on use)."""

    name: str
    graph: str
    module: str
    attr: str

    def loader(self) -> Loader:
        """Import the module only now, so listing the sources costs nothing."""
        module = importlib.import_module(self.module)
        return cast(Loader, getattr(module, self.attr))

    def load(self, source_dir: Path, ctx: ImportContext | None = None) -> Graph:
        """Read this source from `source_dir` (the official layout) into a new graph."""
        return self.loader()(Path(source_dir), ctx if ctx is not None else ImportContext())

    @property
    def graph_iri(self) -> URIRef:
        """The IRI of the named graph this source fills."""
        from foedus.vocab import graph_iri

        return graph_iri(self.graph)


SOURCES: dict[str, SourceSpec] = {}


def register(name: str, graph: str, module: str, attr: str) -> None:
    """Register a source loader by name; the module is imported only when the source is loaded.

    Its files are declared once, in graph/sources.toml, where the build verifies them before importing.
    """
    SOURCES[name] = SourceSpec(name, graph, module, attr)


def get(name: str) -> SourceSpec:
    """The registered source called `name`, or an error listing the known ones."""
    try:
        return SOURCES[name]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise errors.SourceError(f"unknown source {name!r} (known: {known})", where=name) from None


register("atop-5.1", "atop-5.1", "foedus.graph.sources.atop", "load")
register("cow-states-2016", "cow-states-2016", "foedus.graph.sources.cow_states", "load")
register("dcad-1.0", "dcad-1.0", "foedus.graph.sources.dcad", "load")
register("owid-crosswalk", "owid-crosswalk", "foedus.graph.sources.owid", "load")
register("mme-7", "mme-7", "foedus.graph.sources.mme", "load")
register("us-troops", "us-troops", "foedus.graph.sources.troops", "load")
register("us-bases", "us-bases", "foedus.graph.sources.bases", "load")
