"""House rules for graph/ that a reviewer should not have to count by hand."""

from __future__ import annotations

from pathlib import Path

from foedus.graph import layout

GRAPH_DIR = Path(__file__).resolve().parents[1] / "graph"
FIXTURE = Path(__file__).parent / "fixtures" / "curated" / "golden"


def test_no_module_in_graph_is_over_400_lines() -> None:
    sizes = {p.relative_to(GRAPH_DIR).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in GRAPH_DIR.rglob("*.py")}
    assert sizes, "no modules found"
    assert {name: n for name, n in sizes.items() if n > 400} == {}


def test_a_built_release_has_exactly_the_files_of_the_layout(tmp_path: Path) -> None:
    """The build writes the layout's files and nothing else (a small curated core is enough to build)."""
    from foedus.graph.build import build_release
    from foedus.settings import load_settings

    settings = load_settings({"releases": tmp_path, "sources": ""})  # "" = none; None would read FOEDUS_SOURCES
    target = build_release(settings, progress=False, curated_dir=FIXTURE)
    assert sorted(p.name for p in target.iterdir()) == sorted(layout.FILES)
    assert layout.latest(tmp_path).resolve() == target.resolve()
