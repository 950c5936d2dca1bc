"""Settings are data: declared once here, read from defaults, a config file, FOEDUS_* variables, then arguments."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foedus.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    """One setting: its name (FOEDUS_<NAME> in the environment), default, type and help text."""

    name: str
    default: Any
    help: str
    type: type = str


SETTINGS: tuple[Setting, ...] = (
    Setting("sources", None, "Directory holding the public data sets in their official file layout "
            "(atop/, cow_state_system/, dcad/, owid/). Unset: the curated core alone is built.", Path),
    Setting("sources_url", None, "Base URL of a mirror that serves the official source files by file name; "
            "`foedus sources fetch` downloads from it instead of the official addresses. Unset: official."),
    Setting("releases", "releases", "Directory where `foedus build` writes versioned releases.", Path),
    Setting("host", "127.0.0.1", "Address `foedus serve` listens on."),
    Setting("port", 8000, "Port `foedus serve` listens on.", int),
    Setting("workers", 2, "gunicorn worker processes for `foedus serve`.", int),
    Setting("worker_model", "asgi", "How each worker handles connections: `asgi` (an asyncio front, gunicorn's ASGI "
            "worker, the Flask app in `threads` threads: slow clients cost no thread), `gthread` or `sync`."),
    Setting("threads", 64, "Threads per worker that run the Flask app (worker_model asgi or gthread).", int),
    Setting("query_helpers", 2, "Killable query helper processes per worker: queries that run at once.", int),
    Setting("query_queue", 32, "Queries per worker that may wait for a busy helper; beyond, 503 + Retry-After.",
            int),
    Setting("client_query_limit", 5, "Queries one client address may have running or waiting per worker; beyond, "
            "429 + Retry-After. 0 = no cap (e.g. behind a proxy that does not forward client addresses).", int),
    Setting("public_base_url", None, "The public URL of this server (e.g. https://foedus.example.org/); used in "
            "the service description, the query page and links. Unset: taken from each request's Host, which a client "
            "chooses: set it behind a proxy."),
    Setting("iri_base", "https://w3id.org/foedus/", "The canonical base of the IRIs we mint; requests for them "
            "are mapped onto this server."),
    Setting("query_timeout", 20.0, "Seconds a SPARQL query (or the parsing and validation of an upload to "
            "/validate) may run before it is stopped.", float),
    Setting("max_result_rows", 100000, "Most rows (or triples) a query may return.", int),
    Setting("max_request_bytes", 1048576, "Largest request body accepted (queries, uploads to /validate), "
            "chunked or not.", int),
    Setting("service_allowlist", "", "Space-separated SPARQL endpoints a query may name in SERVICE; empty = none. "
            "Example: https://query.wikidata.org/sparql"),
    Setting("update_token", None, "Bearer token that enables the /update route; unset = no update route."),
    Setting("remote_endpoint", None, "Answer queries from this SPARQL 1.1 endpoint instead of the embedded store."),
    Setting("remote_update_endpoint", None, "SPARQL Update endpoint `foedus publish` writes to."),
    Setting("remote_graph_store", None, "Graph Store Protocol endpoint `foedus publish` writes to."),
    Setting("remote_user", None, "User name for the remote store (HTTP digest or basic auth)."),
    Setting("remote_password", None, "Password for the remote store."),
    Setting("cors_origins", "*", "Origins allowed by CORS for browser clients."),
    Setting("log_level", "info", "Level of Foedus's own log lines (debug, info, warning, error) in `foedus serve`; "
            "third-party libraries log only warnings and errors."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class Settings:
    """The resolved settings: attribute access by name, e.g. `settings.query_timeout`."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, Any]:
        """All settings by name."""
        return dict(self._values)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed (checked like any other value)."""
        values = dict(self._values)
        for name, value in changes.items():
            values[name] = _coerce(_setting(name, "argument"), value, "argument")
        return Settings(values)


def _setting(name: str, where: str) -> Setting:
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(_BY_NAME))
        raise ConfigError(f"unknown setting {name!r}; known settings: {known}", where=where) from None


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    if value is None or value == "" and setting.type is not str:
        return None
    try:
        return setting.type(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"setting {setting.name!r} must be {setting.type.__name__}, got {value!r}", where=where
        ) from None


def load_settings(overrides: Mapping[str, Any] | None = None, config_file: Path | None = None) -> Settings:
    """Resolve every setting: defaults, then the config file (FOEDUS_CONFIG or ./foedus.toml), then env, then args."""
    values = {s.name: _coerce(s, s.default, "default") for s in SETTINGS}
    path = config_file or Path(os.environ.get("FOEDUS_CONFIG", "foedus.toml"))
    if config_file is not None or path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read config file: {exc.strerror}", where=str(path)) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"not valid TOML: {exc}", where=str(path)) from None
        for name, value in data.get("foedus", data).items():
            values[name] = _coerce(_setting(name, str(path)), value, str(path))
    for setting in SETTINGS:
        env = "FOEDUS_" + setting.name.upper()
        if env in os.environ:
            values[setting.name] = _coerce(setting, os.environ[env], env)
    for name, value in (overrides or {}).items():
        if value is not None:
            values[name] = _coerce(_setting(name, "argument"), value, "argument")
    return Settings(values)
