"""The layout of a release: the names of its files, known here alone (the build writes them, the server and the
tests read them, the description lists the dumps)."""

from __future__ import annotations

from pathlib import Path

NQUADS = "foedus.nq"  # every named graph, one sorted statement per line: what the server loads
TRIG = "foedus.trig"  # every named graph, TriG
TURTLE = "foedus.ttl"  # the union of the graphs, Turtle
JSONLD = "foedus.jsonld"  # the union of the graphs, JSON-LD
VOID = "void.ttl"  # the `description` graph alone: VoID and DCAT
RELEASE_JSON = "release.json"  # version, triples per graph, sources with their SHA-256, entities per class
REPORT_JSON = "build-report.json"  # the build report, for programs
REPORT_MD = "build-report.md"  # the build report, for people

DUMPS = (NQUADS, TRIG, TURTLE, JSONLD)  # the data dumps the description lists as DCAT distributions
FILES = (*DUMPS, VOID, RELEASE_JSON, REPORT_JSON, REPORT_MD)  # every file of a release, in the order written
LATEST = "latest"  # releases/latest: the symlink to the newest release


def latest(releases: Path) -> Path:
    """releases/latest, the release the server serves unless told otherwise."""
    return releases / LATEST
