"""Shared fixtures: the public data sets, and one full release per test session (built and validated once)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def sources_dir() -> Path:
    """The public data sets: FOEDUS_SOURCES, else ../shared/data next to the repository; missing = failure."""
    path = Path(os.environ.get("FOEDUS_SOURCES") or REPO.parent / "shared" / "data")
    assert (path / "atop").is_dir(), f"the public data sets are missing at {path} (set FOEDUS_SOURCES)"
    return path


@pytest.fixture(scope="session")
def sources() -> Path:
    """The public data sets directory (see sources_dir)."""
    return sources_dir()


@pytest.fixture(scope="session")
def full_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release built from the curated core and the public data sets, through the SHACL gate, once a session.

    `foedus build` publishes only a release without violations, so a test that receives this path also knows the
    full release validated clean.
    """
    from foedus.graph.build import build_release
    from foedus.settings import load_settings

    base = tmp_path_factory.mktemp("full-release")
    settings = load_settings({"sources": sources_dir(), "releases": base})
    return build_release(settings, progress=False)
