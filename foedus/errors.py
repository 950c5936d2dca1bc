"""The errors Foedus raises on bad input: each names the problem and the place (file, line, column or term).

One family: every error is a FoedusError. The CLI prints it and exits with `exit_code`; the server renders it in
its one error shape with `status` (server/errors.py has the one handler), so none becomes a bare 500.
"""

from __future__ import annotations

from collections.abc import Mapping


class FoedusError(Exception):
    """A user-facing error: `message` says what is wrong, `where` says where (file:line:col, a term, a setting)."""

    exit_code = 2
    status = 500  # the HTTP status when it ends a web request
    title = "Internal error"

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


def location(path: object, line: int | None = None, column: int | None = None) -> str:
    """Format a place in a file the way compilers do: path:line:column."""
    text = str(path)
    if line is not None:
        text += f":{line}"
        if column is not None:
            text += f":{column}"
    return text


class ApiError(FoedusError):
    """An error a web request ends with: status, short title, detail, the spec it enforces, extra headers."""

    def __init__(
        self, status: int, title: str, detail: str, spec: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.spec = spec
        self.headers = dict(headers or {})

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}"

    def body(self) -> dict[str, dict[str, object]]:
        """The JSON body: the one shape every error has."""
        return {
            "error": {"status": self.status, "title": self.title, "detail": self.detail, "spec": self.spec}
        }


class ConfigError(FoedusError):
    """A setting has a value we cannot use."""


class SourceError(FoedusError):
    """A source file (curated or public data set) is missing, corrupt or does not parse."""


class OntologyError(FoedusError):
    """The ontology is inconsistent, has an unsatisfiable class, or breaks a quality rule."""


class QueryFileError(FoedusError):
    """A saved query file has a malformed header or a parameter the query does not use."""


class RequestError(FoedusError):
    """A request's value does not fit what it should be (a parameter of a saved query): a 400 on the web."""

    status = 400
    title = "Bad request"


class ValidationFailed(FoedusError):
    """Data violates the SHACL shapes; the report says which shapes and focus nodes."""

    exit_code = 1


class BuildError(FoedusError):
    """The build could not produce a release; the previous release is untouched."""
