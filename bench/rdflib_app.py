"""The rdflib-endpoint side of the HTTP bench: an ASGI app factory for uvicorn over the same release.

uvicorn imports this in each worker (`uvicorn --factory bench.rdflib_app:create`) with BENCH_NQ naming the
release's N-Quads; the Dataset's default graph is the union of its graphs, as our endpoint's is.
"""

from __future__ import annotations

import os
from typing import Any


def create() -> Any:
    """A SparqlEndpoint (FastAPI) at /sparql over BENCH_NQ loaded into an rdflib Dataset."""
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    ds = Dataset(default_union=True)
    with open(os.environ["BENCH_NQ"], "rb") as fh:
        ds.parse(source=fh, format="nquads")
    return SparqlEndpoint(graph=ds, path="/sparql", cors_enabled=False)
