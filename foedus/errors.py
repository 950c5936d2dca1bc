"""The errors Foedus raises on bad input: each names the problem and the place (file, line, column or term)."""

from __future__ import annotations


class FoedusError(Exception):
    """A user-facing error: `message` says what is wrong, `where` says where (file:line:col, a term, a setting)."""

    exit_code = 2

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


class ConfigError(FoedusError):
    """A setting has a value we cannot use."""


class SourceError(FoedusError):
    """A source file (curated or public data set) is missing, corrupt or does not parse."""


class OntologyError(FoedusError):
    """The ontology is inconsistent, has an unsatisfiable class, or breaks a quality rule."""


class QueryFileError(FoedusError):
    """A saved query file has a malformed header or a parameter the query does not use."""


class ValidationFailed(FoedusError):
    """Data violates the SHACL shapes; the report says which shapes and focus nodes."""

    exit_code = 1


class BuildError(FoedusError):
    """The build could not produce a release; the previous release is untouched."""
