"""`foedus ontology docs` writes pyLODE HTML for the core (index.html) and each extension."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from foedus.cli import cli
from foedus.ontology.docs import build_docs


def test_build_docs_writes_html_for_core_and_extensions(tmp_path: Path) -> None:
    index = build_docs(tmp_path / "docs")
    assert index == tmp_path / "docs" / "index.html"
    text = index.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html") or "<html" in text[:500].lower()
    assert "https://w3id.org/foedus/ontology/Alliance" in text
    assert "Foedus ontology" in text
    assert 'href="extensions/crisis-communication.html"' in text
    extension = (tmp_path / "docs" / "extensions" / "crisis-communication.html").read_text(encoding="utf-8")
    assert "Hotline" in extension


def test_cli_docs(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["ontology", "docs", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "index.html").exists()
