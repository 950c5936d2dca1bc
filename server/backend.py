"""The one seam between the web and the data: every query, answer, update and fact about the data goes through here.

A `Backend` is the embedded pyoxigraph store (embedded.py; queries run in a killable helper process, helper.py)
or a remote SPARQL 1.1 store (remote.py; its HTTP client has its own timeout). Page code asks for terms
(`select`, `ask`, `construct`); the endpoint asks for bytes in a negotiated format (`answer`). No module outside
backend.py, embedded.py, helper.py, remote.py and store.py touches a pyoxigraph Store or the remote HTTP client
(tests/test_architecture.py checks it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple, Variable

from foedus.settings import Settings
from foedus.sparql.formats import Format

# Bindings of variables to terms (typed parameters), evaluated as SEP-0007 substitutions.
Term = NamedNode | BlankNode | Literal | Triple
Substitutions = Mapping[Variable, Term]
Row = dict[str, Term]


@dataclass(frozen=True)
class Dataset:
    """The protocol's RDF dataset (default-graph-uri, named-graph-uri); both empty = the server's default."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        """True when the request names its own dataset, which overrides FROM / FROM NAMED in the query."""
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True)
class Admission:
    """How many helpers a worker keeps, how many queries may wait for one, and how many one client may have."""

    helpers: int = 2
    queue: int = 32
    per_client: int = 5  # 0 = no per-client cap
    retry_after: int = 5


@dataclass(frozen=True)
class Limits:
    """How long a query may run, how many rows (or triples) it may return, and who may run how many at once."""

    timeout: float
    max_rows: int
    admission: Admission = Admission()

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The limits the operator configured (query_timeout, max_result_rows, the helpers and their queue)."""
        admission = Admission(
            int(settings.query_helpers), int(settings.query_queue), int(settings.client_query_limit)
        )
        return cls(float(settings.query_timeout), int(settings.max_result_rows), admission)

    def capped(self, rows: int | None) -> Limits:
        """These limits with the row cap lowered to `rows` (a page that lists at most N statements)."""
        return self if rows is None else replace(self, max_rows=min(self.max_rows, rows))


@dataclass(frozen=True)
class Query:
    """One query to run: its text, form, the protocol dataset, bound terms and the base for relative IRIs."""

    text: str
    form: str = "SELECT"
    dataset: Dataset = Dataset()
    substitutions: Substitutions = field(default_factory=dict)
    base_iri: str | None = None
    federated: bool = False  # calls an allowed SERVICE: a failure says only the remote's status class


@dataclass
class Outcome:
    """A finished result: serialised body, format, and whether it was cut at max_rows."""

    body: bytes
    fmt: Format
    truncated: bool


@dataclass(frozen=True)
class DataInfo:
    """What the server knows of its data: version (in the ETag), time (Last-Modified), triples per named graph."""

    version: str
    last_modified: datetime | None
    graphs: dict[str, int] = field(default_factory=dict)
    default_graph_triples: int = 0  # the merged default graph: every distinct triple of the data
    source: str = ""
    generation: int = 0  # updates applied since start-up (in the ETag)


class BackendFailure(Exception):
    """A query failed in the backend (helper, engine or remote store): kind, message, and the HTTP status."""

    def __init__(self, kind: str, message: str, status: int = 500) -> None:
        super().__init__(message)
        self.kind, self.message, self.status = kind, message, status


class Backend(Protocol):
    """Where the data lives. Every method raises ApiError (400 malformed, 503 timeout, 5xx failure) on failure."""

    mode: str  # "embedded" or "remote"

    def select(self, query: Query, limits: Limits) -> list[Row]:
        """SELECT rows as pyoxigraph terms by variable name (unbound variables left out), at most limits.max_rows."""
        ...

    def ask(self, query: Query, limits: Limits) -> bool:
        """The answer of an ASK query."""
        ...

    def construct(self, query: Query, limits: Limits) -> tuple[list[Triple], bool]:
        """The triples of a CONSTRUCT/DESCRIBE query, capped, and whether the cap cut them."""
        ...

    def answer(self, query: Query, fmt: Format, limits: Limits) -> Outcome:
        """The whole result serialised in `fmt`, capped at limits.max_rows (the endpoint's response body)."""
        ...

    def update(self, text: str) -> None:
        """Apply one SPARQL Update (the operator's token-protected route)."""
        ...

    def info(self) -> DataInfo | None:
        """What is known of the data now (None when nothing is: then no ETag is sent)."""
        ...


def rows_of(solutions: QuerySolutions) -> list[Row]:
    """Parsed solutions as dicts of terms by variable name, unbound variables left out."""
    names = [v.value for v in solutions.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in solutions]
