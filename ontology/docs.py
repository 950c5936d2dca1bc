"""HTML documentation of the ontology with pyLODE (OntPub): the core at out/index.html, extensions beside."""

from __future__ import annotations

import html
import importlib.metadata
import sys
import types
import warnings
from pathlib import Path
from typing import Any

from rdflib import Graph

from foedus.errors import OntologyError
from foedus.ontology.check import without_imports
from foedus.ontology.codegen import core_path
from foedus.ontology.extensions import Extension, list_extensions


def _pylode() -> Any:
    """The pylode module, working around pylode 3.4's version module (it reads a pyproject.toml it lacks)."""
    if "pylode.version" not in sys.modules:
        shim = types.ModuleType("pylode.version")
        shim.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
        sys.modules["pylode.version"] = shim
    import pylode

    return pylode


def _render(graph: Graph, destination: Path) -> None:
    """Write pyLODE's OntPub HTML for one ontology graph (imports dropped: each file documented alone)."""
    pylode = _pylode()
    try:
        with warnings.catch_warnings():
            # pyLODE opens its CSS file without closing it; that ResourceWarning is pyLODE's, not ours.
            warnings.simplefilter("ignore", ResourceWarning)
            text = pylode.OntPub(without_imports(graph), sort_subjects=True).make_html()
    except pylode.PylodeError as exc:
        raise OntologyError(f"pyLODE could not document the ontology: {exc}", where=str(destination)) from exc
    destination.write_text(text, encoding="utf-8")


def _extension_index(extensions: list[Extension]) -> str:
    """An HTML section linking the extensions' pages, appended to the core's page."""
    items = "".join(f'<li><a href="extensions/{html.escape(e.name)}.html">{html.escape(e.name)}</a></li>'
                    for e in extensions)
    return (f'<section id="extensions"><h2>Extensions</h2><p>Ontologies that import this one and add '
            f"terms in their own namespace (ontology/extensions/).</p><ul>{items}</ul></section>")


def build_docs(out: Path, extensions: list[Extension] | None = None) -> Path:
    """Write out/index.html (core) and out/extensions/<name>.html; return the index's path."""
    out.mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    _render(Graph().parse(core_path(), format="turtle"), index)
    found = list_extensions() if extensions is None else extensions
    if found:
        (out / "extensions").mkdir(exist_ok=True)
        for extension in found:
            _render(Graph().parse(extension.ontology, format="turtle"),
                    out / "extensions" / f"{extension.name}.html")
        text = index.read_text(encoding="utf-8")
        marker = "</body>" if "</body>" in text else ""
        section = _extension_index(found)
        text = text.replace(marker, section + marker, 1) if marker else text + section
        index.write_text(text, encoding="utf-8")
    return index
