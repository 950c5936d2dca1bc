"""`foedus serve`: the app under gunicorn (preloaded), with the data loaded once in the master.

Preloading means the store is parsed once and the workers share it copy-on-write; gunicorn's own --timeout is
set above query_timeout, as a last resort, because the query helpers are killed at query_timeout.

The default worker model, `asgi`, is gunicorn's asyncio worker in front of the Flask app, which runs in a pool of
`threads` threads (a2wsgi): a connection costs a thread only once its request has arrived, so slow or idle
clients cannot take the workers, and several requests of a worker run at once, each query in one of the
worker's `query_helpers` (bench/load_bench.py measured the choice; see bench/RESULTS.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from foedus.errors import ConfigError
from foedus.logs import configure, logger
from foedus.settings import Settings

log = logger(__name__)
# worker_model -> gunicorn worker class.
MODELS = {"asgi": "asgi", "gthread": "gthread", "sync": "sync"}


class FoedusServer(BaseApplication):
    """A gunicorn application whose WSGI app is built by create_app, once, before the workers fork."""

    def __init__(self, settings: Settings, app: Flask) -> None:
        self.settings = settings
        self.application = app
        super().__init__()

    def load_config(self) -> None:
        """Bind address, workers and timeouts from our settings, not from gunicorn's command line."""
        options: dict[str, Any] = {
            "bind": f"{self.settings.host}:{self.settings.port}",
            "workers": int(self.settings.workers),
            "worker_class": MODELS[self.settings.worker_model],
            "preload_app": True,
            "timeout": int(float(self.settings.query_timeout)) + 30,
            "graceful_timeout": 10,
            "limit_request_line": 0,
            # A real cap, not 0: gunicorn's ASGI worker hands 0 to the C parser (gunicorn-h1c) as a limit of
            # zero bytes, which refused every header ("Header size (23) exceeds limit (0)").
            "limit_request_field_size": 65536,
            "accesslog": "-",
            "loglevel": str(self.settings.log_level).lower(),
            "control_socket_disable": True,  # several servers (tests, staging) must not share one socket
        }
        if self.settings.worker_model == "gthread":
            options["threads"] = int(self.settings.threads)  # (asgi: a2wsgi's threads, see load)
        for key, value in options.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self) -> Any:
        """The app, already built with its data loaded (once, in the master, before the workers fork)."""
        if self.settings.worker_model == "asgi":
            from a2wsgi import WSGIMiddleware

            return WSGIMiddleware(self.application, workers=int(self.settings.threads))  # type: ignore[arg-type]
        return self.application


def build_app(settings: Settings, files: list[Path]) -> Flask:
    """The app `foedus serve` runs: over the given files, else remote_endpoint, else releases/latest."""
    from foedus.server.app import create_app
    from foedus.server.store import load_files_store

    if files:
        store, info = load_files_store(files)
        return create_app(settings, store, info=info)
    return create_app(settings)


def serve(settings: Settings, files: list[Path]) -> None:
    """Serve until stopped; errors in the data or settings surface before any worker starts."""
    from foedus.server.label_index import prepare_index
    from foedus.server.ontology_docs import prepare_docs

    configure(settings.log_level)
    if settings.worker_model not in MODELS:
        raise ConfigError(f"setting 'worker_model' must be one of {', '.join(MODELS)}, got {settings.worker_model!r}",
                          where="worker_model")
    app = build_app(settings, files)
    prepare_docs(app)  # in the master, once: every worker inherits the pages instead of building its own
    prepare_index(app)  # likewise the label index of /search, /ask and /reconcile
    log.info("serving %s on http://%s:%s/ with %d workers", ", ".join(map(str, files)) or "the latest release",
             settings.host, settings.port, int(settings.workers))
    FoedusServer(settings, app).run()
