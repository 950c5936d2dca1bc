"""The curated core: every rejected fact names its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from foedus.errors import SourceError
from foedus.graph.curated import load_curated

OLD = '{member: 220, start: "1950-01", source: src}'
FIXTURE = Path(__file__).parent / "fixtures" / "curated"


def test_fixture_loads_with_atop_claim() -> None:
    core = load_curated(FIXTURE)
    assert str(core.alliance_iris[3180]).endswith("/id/alliance/mini-pact")
    assert len(core.graph) > 50


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (OLD, '{member: 220, start: "1950-01", source: src, x: 1}', 21,
         "unknown key 'x'"),
        (OLD, '{member: 220, start: "1950-01"}', 21, "no citation"),
        (OLD, '{member: 220, start: "1950-13-01", source: src}', 21,
         "bad date"),
        (OLD, '{member: 999, start: "1950-01", source: src}', 21,
         "unknown actor 999"),
        ("{type: signature,", "{type: signing,", 14, "unknown event type"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, old: str, new: str, line: int, message: str) -> None:
    root = tmp_path / "curated"
    shutil.copytree(FIXTURE, root)
    path = root / "alliances" / "mini-pact.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    with pytest.raises(SourceError) as err:
        load_curated(root)
    assert f"mini-pact.yaml:{line}:" in str(err.value)
    assert message in str(err.value)
