"""The rdflib-endpoint side of the HTTP bench: an ASGI app factory for uvicorn over the same release.

uvicorn imports this in each worker (`uvicorn --factory bench.rdflib_app:create`) with BENCH_NQ naming the
release's N-Quads; the Dataset's default graph is the union of its graphs, as our endpoint's is.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def create() -> Any:
    """A SparqlEndpoint (FastAPI) at /sparql over BENCH_NQ loaded as the engine bench loads rdflib's store."""
    from rdflib_endpoint import SparqlEndpoint

    from bench.engine_bench import load_rdflib

    return SparqlEndpoint(graph=load_rdflib(Path(os.environ["BENCH_NQ"])), path="/sparql", cors_enabled=False)
