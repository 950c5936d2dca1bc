"""`foedus validate`, the Report, POST /validate and the release gate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from rdflib import Dataset, Graph

from foedus.errors import SourceError
from foedus.shapes.validate import Report, validate_files, validate_graph, validate_release_graph

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
BASE = FIXTURES / "base.ttl"
BAD = FIXTURES / "AllianceMembershipShape.bad.ttl"
FOEDUS = [sys.executable, "-m", "foedus.cli"]


def _foedus(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*FOEDUS, *args], capture_output=True, text=True, check=False)


def test_cli_conforming_file_exits_0() -> None:
    done = _foedus("validate", str(BASE))
    assert done.returncode == 0, done.stderr
    assert "conforms" in done.stdout


def test_cli_violations_exit_1_with_report_grouped_by_shape() -> None:
    done = _foedus("validate", str(BASE), str(BAD))
    assert done.returncode == 1
    assert "VIOLATIONS" in done.stdout and "alliance membership (fos:AllianceMembershipShape)" in done.stdout
    assert "https://w3id.org/foedus/id/membership/bad" in done.stdout


@pytest.mark.parametrize("fmt", ["json", "turtle"])
def test_cli_machine_formats(fmt: str) -> None:
    done = _foedus("validate", "--format", fmt, str(BASE), str(BAD))
    assert done.returncode == 1
    if fmt == "json":
        data = json.loads(done.stdout)
        assert data["conforms"] is False and data["counts"]["violation"] >= 1
        assert {"shape", "focusNode", "graphs", "message", "severity"} <= set(data["results"][0])
    else:
        g = Graph().parse(data=done.stdout, format="turtle")
        assert len(g) > 0


def test_parse_error_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n")
    with pytest.raises(SourceError) as info:
        validate_files([bad])
    assert info.value.where is not None and info.value.where.startswith(f"{bad}:3:")
    done = _foedus("validate", str(bad))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"{bad}:3:" in done.stderr


@pytest.mark.parametrize("suffix, text", [
    (".nt", "<http://example.org/a> <http://example.org/b> .\n"),
    (".jsonld", '{"@id": "http://example.org/a",\n "http://example.org/p": 1,\n}'),
    (".trig", "<http://example.org/g> {\n <http://example.org/a> <http://example.org/b> \n}"),
    (".rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description>\n</rdf:RDF>'),
])
def test_parse_errors_in_every_syntax(tmp_path: Path, suffix: str, text: str) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_text(text)
    with pytest.raises(SourceError) as info:
        validate_files([path])
    assert info.value.where is not None and info.value.where.startswith(f"{path}:")


@pytest.mark.parametrize("fmt, suffix", [("nt", ".nt"), ("json-ld", ".jsonld"), ("trig", ".trig"), ("xml", ".rdf")])
def test_every_syntax_validates(tmp_path: Path, fmt: str, suffix: str) -> None:
    g = Graph().parse(BASE)
    out = tmp_path / f"base{suffix}"
    g.serialize(out, format=fmt, encoding="utf-8")
    assert validate_files([out]).conforms


def test_validate_graph_and_release_graph_name_the_source_graph() -> None:
    g = Graph().parse(BASE)
    g.parse(BAD)
    report = validate_graph(g)
    assert isinstance(report, Report) and not report.conforms
    ds = Dataset()
    target = ds.graph("https://w3id.org/foedus/graph/atop-5.1")
    for t in g:
        target.add(t)
    report = validate_release_graph(ds)
    assert report.violations
    assert all("https://w3id.org/foedus/graph/atop-5.1" in r.graphs for r in report.violations)
    grouped = report.by_shape("violation")
    assert any(label == "alliance membership" for _shape, label in grouped)


def _app(limit: int = 1_000_000) -> Flask:
    from foedus.server.errors import register
    from foedus.server.validate import bp

    app = Flask("test")
    app.config["MAX_CONTENT_LENGTH"] = limit
    register(app)
    app.register_blueprint(bp)
    return app


def test_post_validate_body_json_by_default() -> None:
    client = _app().test_client()
    data = BASE.read_bytes() + BAD.read_bytes().split(b"\n", 1)[1]
    r = client.post("/validate", data=data, content_type="text/turtle")
    assert r.status_code == 200
    body = r.get_json()
    assert body["conforms"] is False and body["counts"]["violation"] >= 1


def test_post_validate_multipart_and_turtle_report() -> None:
    client = _app().test_client()
    with BASE.open("rb") as handle:
        r = client.post("/validate", data={"file": (handle, "base.ttl")}, content_type="multipart/form-data",
                        headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    assert "conforms" in r.get_data(as_text=True)


def test_post_validate_parse_error_is_400_with_line_and_column() -> None:
    client = _app().test_client()
    r = client.post("/validate", data=b"<http://e/a> <http://e/b> .\n", content_type="application/n-triples")
    assert r.status_code == 400
    assert "upload:1:" in r.get_json()["error"]["detail"]


def test_post_validate_limits() -> None:
    client = _app(limit=100).test_client()
    r = client.post("/validate", data=BASE.read_bytes(), content_type="text/turtle")
    assert r.status_code == 413
    r = _app().test_client().post("/validate", data=b"x", content_type="application/pdf")
    assert r.status_code == 415


def test_full_release_validates_clean(full_release: Path) -> None:
    """The release built from the public data sets has no violation (FAILS, never skips, without the data).

    The session's full release went through the build's SHACL gate, which raises on any violation; what is left
    are warnings, which the build report lists.
    """
    report = (full_release / "build-report.md").read_text(encoding="utf-8")
    assert "SHACL validation: conforms" in report
    assert (full_release / "foedus.nq").stat().st_size > 0
