"""`foedus query NAME --param key=value --format table|csv|json` on a release directory (releases/latest)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import curated_store
from pyoxigraph import RdfFormat

from foedus.cli import run_saved_query_cli
from foedus.queries.catalog import ParamError, load_catalog
from foedus.queries.run import UnknownQuery
from foedus.settings import Settings, load_settings

NATO = "https://w3id.org/foedus/id/alliance/nato"
ARGS = [f"alliance={NATO}", "date=1990-01-01"]


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A releases directory whose `latest` holds the curated core (foedus.nq + release.json)."""
    base = tmp_path_factory.mktemp("releases")
    version = base / "0.0.0+curated"
    version.mkdir()
    curated_store().dump(output=str(version / "foedus.nq"), format=RdfFormat.N_QUADS)
    (version / "release.json").write_text(json.dumps({"version": "0.0.0+curated"}), encoding="utf-8")
    (base / "latest").symlink_to(version.name)
    return base


@pytest.fixture(scope="module")
def settings(releases: Path) -> Settings:
    return load_settings({"releases": releases})


def test_table(settings: Settings) -> None:
    out = run_saved_query_cli(settings, "alliance-members-on-date", ARGS, "table")
    lines = out.splitlines()
    assert lines[0].split() == ["alliance", "date", "member", "memberLabel", "since", "datesFrom", "dating"]
    assert set(lines[1]) <= {"-", " "}
    assert "foid:alliance/nato" in lines[2] and "1990-01-01" in lines[2]
    assert lines[-1] == "(16 rows)"
    assert any("United States of America" in line for line in lines)


def test_csv(settings: Settings) -> None:
    rows = list(csv.reader(io.StringIO(run_saved_query_cli(settings, "alliance-members-on-date", ARGS, "csv"))))
    assert rows[0][:3] == ["alliance", "date", "member"] and len(rows) == 17
    assert {r[2] for r in rows[1:]} >= {"https://w3id.org/foedus/id/state/2", "https://w3id.org/foedus/id/state/260"}


def test_json(settings: Settings) -> None:
    doc = json.loads(run_saved_query_cli(settings, "alliance-members-on-date",
                                         [f"alliance={NATO}", "date=2024-04-01"], "json"))
    assert doc["head"]["vars"][:3] == ["alliance", "date", "member"]
    assert len(doc["results"]["bindings"]) == 32


def test_list(settings: Settings) -> None:
    out = run_saved_query_cli(settings, "list", [], "table", list_only=True)
    for q in load_catalog():
        assert out.count(f"\n{q.name}: ") + out.startswith(f"{q.name}: ") == 1
    assert "--param date=<date>  e.g. date=1990-01-01" in out


def test_errors_name_the_parameter_or_query(settings: Settings) -> None:
    with pytest.raises(ParamError) as info:
        run_saved_query_cli(settings, "alliance-members-on-date", [f"alliance={NATO}", "date=yesterday"], "table")
    assert info.value.where == "parameter 'date'" and "YYYY-MM-DD" in info.value.message
    with pytest.raises(ParamError):
        run_saved_query_cli(settings, "alliance-members-on-date", ["alliance"], "table")
    with pytest.raises(ParamError) as info:
        run_saved_query_cli(settings, "alliance-members-on-date",
                            ["alliance=https://w3id.org/foedus/id/state/2", "date=1990-01-01"], "table")
    assert "is not a fo:Alliance" in info.value.message
    with pytest.raises(UnknownQuery):
        run_saved_query_cli(settings, "no-such-query", [], "table")


def test_the_command_line_verb(releases: Path) -> None:
    """The installed `foedus query` verb: output on stdout, one error line on stderr and exit status 2."""
    env = {**os.environ, "FOEDUS_RELEASES": str(releases)}
    exe = [sys.executable, "-c", "from foedus.cli import main; main()"]
    ok = subprocess.run([*exe, "query", "alliance-members-on-date", "--param", ARGS[0], "--param", ARGS[1],
                         "--format", "csv"], capture_output=True, text=True, env=env, check=False)
    assert ok.returncode == 0, ok.stderr
    assert len(ok.stdout.strip().splitlines()) == 17
    bad = subprocess.run([*exe, "query", "alliance-members-on-date", "--param", ARGS[0], "--param",
                          "date=1990-01-01'} ; DROP ALL"], capture_output=True, text=True, env=env, check=False)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("foedus: error: parameter 'date': ") and len(bad.stderr.splitlines()) == 1
