"""FORMAT.md and the reader agree on the keys a curated file may use (declared once, in curated/schema.py)."""

from __future__ import annotations

import re
from pathlib import Path

from foedus.graph.curated.schema import KEYS

FORMAT = Path(__file__).resolve().parents[1] / "graph" / "curated" / "FORMAT.md"
_ROW = re.compile(r"^\| ([^|`]+?) \| (\**`.*`\**) \|$")


def _documented() -> dict[str, tuple[set[str], set[str]]]:
    """mapping -> (accepted keys, required keys), from FORMAT.md's "Accepted keys" table."""
    text = FORMAT.read_text(encoding="utf-8")
    assert "## Accepted keys" in text, "FORMAT.md lost its 'Accepted keys' section"
    section = text.split("## Accepted keys", 1)[1].split("\n## ", 1)[0]
    out: dict[str, tuple[set[str], set[str]]] = {}
    for line in section.splitlines():
        match = _ROW.match(line.strip())
        if match:
            keys = [k.strip() for k in match[2].split(",")]
            out[match[1]] = ({k.strip("*`") for k in keys}, {k.strip("*`") for k in keys if k.startswith("**")})
    return out


def test_format_md_lists_exactly_the_keys_the_reader_accepts() -> None:
    documented = _documented()
    declared = {name: (set(k.allowed), set(k.required)) for name, k in KEYS.items()}
    assert sorted(documented) == sorted(declared), "FORMAT.md's table and schema.KEYS name different mappings"
    for name in declared:
        assert documented[name] == declared[name], f"{name}: FORMAT.md says {documented[name]}, code {declared[name]}"


def test_every_key_in_the_examples_is_accepted() -> None:
    """The YAML examples of FORMAT.md use no key the reader would refuse."""
    accepted = {k for keys in KEYS.values() for k in keys.allowed}
    text = FORMAT.read_text(encoding="utf-8")
    used: set[str] = set()
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            code = line.split("#", 1)[0]
            used.update(re.findall(r"(?:^\s*-?\s*|[{,]\s*)([a-z_]+):(?=\s)", code))
    assert used, "the scan found no keys in FORMAT.md's examples"
    assert used - accepted == set()
