"""Load the data the embedded backend answers from, once at start-up: a release (foedus.nq, release.json) or files."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store

from foedus.errors import ConfigError, SourceError
from foedus.graph import layout
from foedus.server.backend import DataInfo


def count_graphs(store: Store) -> tuple[dict[str, int], int]:
    """Triples per named graph and in the default graph, counted once so requests never have to."""
    graphs = {g.value: 0 for g in store.named_graphs() if isinstance(g, NamedNode)}
    default = 0
    for quad in store:
        if isinstance(quad.graph_name, NamedNode):
            graphs[quad.graph_name.value] = graphs.get(quad.graph_name.value, 0) + 1
        else:
            default += 1
    return dict(sorted(graphs.items())), default


def merge_into_default_graph(store: Store) -> None:
    """Copy every named graph's triples into the default graph, which, being a set, becomes their RDF merge.

    Queries without a dataset read that graph: each triple once, as SPARQL's default graph is an RDF graph.
    (pyoxigraph's use_default_graph_as_union reads the quads instead, and answers a triple once per graph
    that states it: a state typed by the curated core and by COW came back twice.)
    """
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC)


def load_release_store(release_dir: Path) -> tuple[Store, DataInfo]:
    """Load a release's `foedus.nq` (e.g. releases/latest) into a memory store; version from release.json."""
    release_dir = Path(release_dir)
    nq, meta_path = release_dir / layout.NQUADS, release_dir / layout.RELEASE_JSON
    if not nq.is_file() or not meta_path.is_file():
        raise ConfigError(
            "no release here (need foedus.nq and release.json); run `foedus build` first, "
            "or `foedus serve FILE...` to serve other files",
            where=str(release_dir),
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"release.json is not JSON: {exc.msg}", where=f"{meta_path}:{exc.lineno}:{exc.colno}"
        ) from None
    store = Store()
    _load(store, nq, RdfFormat.N_QUADS, None)
    merge_into_default_graph(store)
    graphs, default = count_graphs(store)
    info = DataInfo(
        version=str(meta.get("version") or release_dir.resolve().name),
        last_modified=_mtime(meta_path),
        graphs=graphs,
        default_graph_triples=default,
        source=str(release_dir.resolve()),
    )
    return store, info


def _load(store: Store, path: Path, fmt: RdfFormat, graph: NamedNode | None) -> None:
    try:
        if graph is None:
            store.bulk_load(path=str(path), format=fmt)
        else:
            store.bulk_load(path=str(path), format=fmt, to_graph=graph)
    except SyntaxError as exc:
        raise SourceError(f"does not parse as {fmt.name}: {exc}", where=str(path)) from None


def load_files_store(paths: list[Path]) -> tuple[Store, DataInfo]:
    """Load RDF files; N-Quads/TriG keep their named graphs; a triples file becomes its file: IRI's graph."""
    store = Store()
    digest = hashlib.sha256()
    for path in paths:
        path = Path(path).resolve()
        fmt = RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
        if fmt is None:
            raise ConfigError(
                "unknown RDF file extension; use .nq .trig .nt .ttl .rdf .jsonld .n3", where=str(path)
            )
        _load(store, path, fmt, None if fmt.supports_datasets else NamedNode(path.as_uri()))
        digest.update(path.read_bytes())
    merge_into_default_graph(store)
    graphs, default = count_graphs(store)
    newest = max((_mtime(Path(p)) for p in paths), default=datetime.now(tz=UTC))
    info = DataInfo(
        version="files-" + digest.hexdigest()[:12],
        last_modified=newest,
        graphs=graphs,
        default_graph_triples=default,
        source=" ".join(str(p) for p in paths),
    )
    return store, info
