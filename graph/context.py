"""What the build hands each source importer: curated alliance IRIs, a progress callback, a warning list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import URIRef


def _no_progress(message: str) -> None:
    """Discard a progress line (the default when nobody is listening)."""


@dataclass
class ImportContext:
    """Shared state passed to `load(source_dir, ctx)` so importers reuse curated IRIs, report quietly.

    - `alliance_iris`: ATOP atopid -> the curated alliance IRI that claims it (e.g. 3180 -> id/alliance/nato);
      an atopid not in the map gets `id/alliance/atop-<atopid>`.
    - `progress`: call with a short line for long steps ("atop: 2510 member rows").
    - `warnings`: append one line per dubious-but-tolerated input; the build report lists them.
    - `notes`: counts and facts the build report should show (e.g. participants kept by name).
    - `state_names`: COW code -> English name (from the curated states table), to build readable labels.
    """

    alliance_iris: dict[int, URIRef] = field(default_factory=dict)
    progress: Callable[[str], None] = _no_progress
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    state_names: dict[int, str] = field(default_factory=dict)

    def warn(self, message: str) -> None:
        """Record a warning for the build report (and show it as a progress line)."""
        self.warnings.append(message)
        self.progress(f"warning: {message}")

    def note(self, message: str) -> None:
        """Record a note for the build report (and show it as a progress line)."""
        self.notes.append(message)
        self.progress(message)
