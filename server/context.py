"""The app's state as every request sees it: the settings and the backend. Blueprints import this, never app.py.

The factory (app.py) builds a ServerState once and puts it on the app; `state()` finds it for the current request.
Keeping it here, below every blueprint, is what keeps server/'s import graph free of cycles (tested).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from foedus.server.backend import Backend, DataInfo, Limits
from foedus.settings import Settings

EXTENSION = "foedus"


@dataclass
class ServerState:
    """What every request needs: the settings and the backend answering for the data."""

    settings: Settings
    backend: Backend

    @property
    def mode(self) -> str:
        """`embedded` (pyoxigraph in this process) or `remote` (a SPARQL 1.1 store at remote_endpoint)."""
        return self.backend.mode

    @property
    def info(self) -> DataInfo | None:
        """What is known of the data now: version, time, triples per graph (None when unknown)."""
        return self.backend.info()

    @property
    def limits(self) -> Limits:
        """The query limits the operator configured (query_timeout, max_result_rows, helpers, queue, caps)."""
        return Limits.from_settings(self.settings)


def state() -> ServerState:
    """The ServerState of the app handling the current request."""
    st: ServerState = current_app.extensions[EXTENSION]
    return st
