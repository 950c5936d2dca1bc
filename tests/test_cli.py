"""The command line: every verb has real help, and errors are one line on stderr with a non-zero exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "foedus.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


@pytest.mark.parametrize("verb", ["build", "validate", "serve", "query", "publish", "settings",
                                  "ontology check", "ontology docs", "sources fetch", "sources list"])
def test_every_verb_has_help(verb: str) -> None:
    result = run(*verb.split(), "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: " in result.stdout
    # The first line of the docstring is the verb's summary; it must say something.
    summary = result.stdout.split("\n\n")[1].strip()
    assert len(summary) > 20


def test_bad_setting_is_one_line_on_stderr(tmp_path: Path) -> None:
    import os

    env = dict(os.environ, FOEDUS_QUERY_TIMEOUT="soon")
    result = run("settings", env=env)
    assert result.returncode == 2
    assert result.stderr.strip() == "foedus: error: FOEDUS_QUERY_TIMEOUT: setting 'query_timeout' must be float, " \
                                    "got 'soon'"
    assert "Traceback" not in result.stderr


def test_build_ends_with_a_summary(tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "FOEDUS_SOURCES"}
    env["FOEDUS_RELEASES"] = str(tmp_path / "releases")
    result = run("build", "--quiet", env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "triples by graph:" in out and "https://w3id.org/foedus/graph/curated" in out
    assert "entities by class:" in out and "fo:AllianceMembership" in out
    assert "disagreements between sources:" in out
    assert (tmp_path / "releases" / "latest" / "foedus.nq").exists()
