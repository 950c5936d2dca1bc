"""The saved-query catalog: strict header grammar (errors at file:line), typed parameters, safe binding."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_saved
from pyoxigraph import Literal, NamedNode, Quad, Store, Variable

from foedus.errors import QueryFileError
from foedus.queries.catalog import ParamError, load_catalog, parse_query_file
from foedus.queries.params import Param
from foedus.queries.run import render

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
XSD = "http://www.w3.org/2001/XMLSchema#"

GOOD = """\
#+ title: Members on a date
#+ description: Members of an alliance on a date.
#+ tags: [alliances, membership]
#+ param: ?alliance iri class=fo:Alliance example=https://w3id.org/foedus/id/alliance/nato doc="the alliance"
#+ param: ?date date example=1990-01-01 doc="the day"
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?alliance ?date ?m
WHERE { ?s org:organization ?alliance ; org:member ?m ; <urn:start> ?d FILTER(?d <= ?date) }
"""


def _load(tmp_path: Path, text: str, name: str = "q") -> QueryFileError:
    (tmp_path / f"{name}.rq").write_text(text, encoding="utf-8")
    with pytest.raises(QueryFileError) as info:
        load_catalog(tmp_path)
    return info.value


def test_packaged_catalog_loads_with_at_least_15_queries() -> None:
    catalog = load_catalog()
    assert len(catalog) >= 15
    for q in catalog:
        assert q.title and q.description and q.tags
        for p in q.params:
            assert p.doc and p.example


def test_good_header_parses(tmp_path: Path) -> None:
    (tmp_path / "members-on-date.rq").write_text(GOOD, encoding="utf-8")
    q = load_catalog(tmp_path).queries["members-on-date"]
    assert q.title == "Members on a date"
    assert q.tags == ("alliances", "membership")
    assert [p.name for p in q.params] == ["alliance", "date"]
    assert q.param("alliance").cls == "https://w3id.org/foedus/ontology/Alliance"
    assert q.param("date").line == 5
    assert q.form == "SELECT"


@pytest.mark.parametrize(("text", "line", "message"), [
    (GOOD.replace("#+ title: Members on a date\n", ""), 4, "no title"),
    (GOOD.replace("#+ tags: [alliances, membership]", "#+ tags: alliances"), 3, "tags: expected a list"),
    (GOOD.replace("#+ tags: [alliances, membership]", "#+ tags: [Alliances]"), 3, "lowercase"),
    (GOOD.replace("#+ title:", "#+ titel:"), 1, "unknown header key 'titel'"),
    (GOOD.replace("#+ title:", "#+title:"), 1, "a space after #+"),
    (GOOD.replace("#+ description: Members of an alliance on a date.", "#+ description:"), 2, "empty value"),
    (GOOD + "#+ title: again\n", 9, "header line after the query began"),
    (GOOD.replace("#+ tags:", "#+ title: twice\n#+ tags:"), 3, "given twice"),
    (GOOD.replace(" date example=1990-01-01", " datetime example=1990-01-01"), 5, "unknown type 'datetime'"),
    (GOOD.replace("example=1990-01-01", "example=1990-02-30"), 5, "not a calendar date"),
    (GOOD.replace("example=1990-01-01", "example=01/01/1990"), 5, "YYYY-MM-DD"),
    (GOOD.replace(' doc="the day"', ""), 5, "missing doc="),
    (GOOD.replace(" example=1990-01-01", " min=3 example=1990-01-01"), 5, "does not apply to type date"),
    (GOOD.replace(" example=1990-01-01", " optional default=1990-01-01 example=1990-01-01"), 5,
     "exclude each other"),
    (GOOD.replace("?date date", "date date"), 5, "not a SPARQL variable"),
    (GOOD.replace("?date date", "?format date"), 5, "reserved"),
    (GOOD.replace('doc="the day"', 'doc="the day'), 5, "cannot split"),
    (GOOD.replace("#+ param: ?date", "#+ param: ?alliance iri example=x:y doc=d\n#+ param: ?date"), 5,
     "declared twice"),
    (GOOD.replace("example=https://w3id.org/foedus/id/alliance/nato", "example=not-an-iri"), 4,
     "absolute IRI"),
    (GOOD.replace("{ ?s", "{ ?s ?s ?s ?s"), 6, "does not parse"),
])
def test_malformed_header_names_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    err = _load(tmp_path, text)
    assert err.where is not None and err.where.startswith(f"{tmp_path / 'q.rq'}:{line}"), err.where
    assert message in err.message


def test_unused_parameter_stops_loading_with_its_line(tmp_path: Path) -> None:
    text = GOOD.replace("#+ param: ?date", "#+ param: ?year integer example=1990 doc=y\n#+ param: ?date")
    err = _load(tmp_path, text)
    assert err.where == f"{tmp_path / 'q.rq'}:5"
    assert "?year is declared but the query does not use ?year" in err.message


def test_parameter_only_in_select_clause_counts_as_unused(tmp_path: Path) -> None:
    text = GOOD.replace("SELECT ?alliance ?date ?m", "SELECT ?alliance ?date ?m ?year").replace(
        "#+ param: ?date", "#+ param: ?year integer example=1990 doc=y\n#+ param: ?date")
    assert "does not use ?year" in _load(tmp_path, text).message


def test_parameter_missing_from_projection_is_refused(tmp_path: Path) -> None:
    err = _load(tmp_path, GOOD.replace("SELECT ?alliance ?date ?m", "SELECT ?alliance ?m"))
    assert err.where == f"{tmp_path / 'q.rq'}:5"
    assert "list each parameter in SELECT" in err.message


def test_bound_test_on_a_parameter_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace("FILTER(?d <= ?date)", "FILTER(!BOUND(?date) || ?d <= ?date)")
    assert "BOUND(?date)" in _load(tmp_path, text).message


def test_file_name_must_be_a_slug(tmp_path: Path) -> None:
    err = _load(tmp_path, GOOD, name="Members_On")
    assert "not a URL slug" in err.message


def test_fixture_files_fail_with_their_line() -> None:
    with pytest.raises(QueryFileError) as info:
        load_catalog(FIXTURES / "bad-unused")
    assert info.value.where == f"{FIXTURES / 'bad-unused' / 'unused-param.rq'}:5"
    with pytest.raises(QueryFileError) as info:
        load_catalog(FIXTURES / "bad-header")
    assert info.value.where == f"{FIXTURES / 'bad-header' / 'bad-option.rq'}:4"


def test_values_are_typed() -> None:
    text = GOOD.replace(
        "#+ param: ?date",
        "#+ param: ?year integer optional min=1800 max=2100 example=1990 doc=y\n"
        "#+ param: ?kind enum values=a|b default=a example=b doc=k\n"
        "#+ param: ?name langstring optional lang=fr example=OTAN doc=n\n#+ param: ?date",
    ).replace("SELECT ?alliance ?date ?m", "SELECT ?alliance ?date ?m ?year ?kind ?name").replace(
        "FILTER(?d <= ?date)", "FILTER(?d <= ?date && ?year = 1 && ?kind = 'a' && ?name = 'x')")
    q = parse_query_file("q", text, "q.rq")
    subs = q.bind({"alliance": "foid:alliance/nato", "date": "2024-04-01", "year": "+1999",
                   "name": "NATO@en"})
    assert subs[Variable("alliance")] == NamedNode("https://w3id.org/foedus/id/alliance/nato")
    assert subs[Variable("date")] == Literal("2024-04-01", datatype=NamedNode(XSD + "date"))
    assert subs[Variable("year")] == Literal("1999", datatype=NamedNode(XSD + "integer"))
    assert subs[Variable("kind")] == Literal("a")
    assert subs[Variable("name")] == Literal("NATO", language="en")
    assert q.bind({"alliance": "foid:alliance/nato", "date": "2024-04-01", "name": "OTAN"})[
        Variable("name")] == Literal("OTAN", language="fr")
    assert Variable("year") not in q.bind({"alliance": "foid:alliance/nato", "date": "2024-04-01"})


@pytest.mark.parametrize(("given", "param", "why"), [
    ({"date": "1990-01-01"}, "alliance", "is required"),
    ({"alliance": "https://w3id.org/foedus/id/alliance/nato> } UNION { ?s ?p ?o", "date": "1990-01-01"},
     "alliance", "not an absolute IRI"),
    ({"alliance": "<https://w3id.org/foedus/id/alliance/nato>", "date": "1990-01-01"}, "alliance",
     "absolute IRI"),
    ({"alliance": "nato", "date": "1990-01-01"}, "alliance", "absolute IRI"),
    ({"alliance": "foid:alliance/nato", "date": '1990-01-01"^^xsd:date) || true || ("'}, "date",
     "YYYY-MM-DD"),
    ({"alliance": "foid:alliance/nato", "date": "1990-13-01"}, "date", "calendar date"),
    ({"alliance": "foid:alliance/nato", "date": "1990-01-01", "dat": "x"}, "dat", "not a parameter"),
])
def test_bad_values_are_refused_before_the_query_runs(given: dict[str, str], param: str, why: str) -> None:
    q = parse_query_file("q", GOOD, "q.rq")
    with pytest.raises(ParamError) as info:
        q.bind(given)
    assert info.value.param == param
    assert why in info.value.message


def test_integer_bounds_enum_and_string_pattern() -> None:
    text = GOOD.replace(
        "#+ param: ?date",
        "#+ param: ?year integer min=1800 max=2100 example=1990 doc=y\n"
        "#+ param: ?kind enum values=a|b example=b doc=k\n"
        "#+ param: ?place string pattern=\"[\\w ,.]+\" max-length=20 example=Paris doc=p\n#+ param: ?date",
    ).replace("SELECT ?alliance ?date ?m", "SELECT ?alliance ?date ?m ?year ?kind ?place").replace(
        "FILTER(?d <= ?date)", "FILTER(?d <= ?date && ?year = 1 && ?kind = 'a' && ?place = 'x')")
    q = parse_query_file("q", text, "q.rq")
    base = {"alliance": "foid:alliance/nato", "date": "1990-01-01", "year": "1990", "kind": "a",
            "place": "Paris"}
    assert q.bind(base)
    for key, value, why in (("year", "1700", "minimum"), ("year", "2101", "maximum"),
                            ("year", "19x0", "integer"), ("kind", "c", "not one of a, b"),
                            ("place", 'Paris" } ', "pattern"), ("place", "x" * 21, "longer than 20"),
                            ("place", "a\nb", "control")):
        with pytest.raises(ParamError) as info:
            q.bind({**base, key: value})
        assert why in info.value.message, (key, value)


def test_string_values_are_bound_as_literals_never_as_query_text() -> None:
    """A quote-and-brace value in a free-text parameter is a literal that matches nothing, not a new query."""
    text = """\
#+ title: Labels
#+ description: Things with a label.
#+ tags: [test]
#+ param: ?name string example=x doc="the label"
SELECT ?s ?name WHERE { ?s <urn:label> ?name }
"""
    q = parse_query_file("labels", text, "labels.rq")
    store = Store()
    store.add(Quad(NamedNode("urn:a"), NamedNode("urn:label"), Literal("x")))
    store.add(Quad(NamedNode("urn:b"), NamedNode("urn:label"), Literal("y")))
    assert len(list(run_saved(store, q, {"name": "x"}))) == 1  # type: ignore[arg-type]
    hostile = 'x" } UNION { ?s ?p ?name } #'
    assert list(run_saved(store, q, {"name": hostile})) == []  # type: ignore[arg-type]
    assert "(0 rows)" in render(run_saved(store, q, {"name": hostile}), "table")


def test_a_registered_type_brings_its_parse_schema_and_form_control(tmp_path: Path) -> None:
    """A type is one registration: headers may name it, OpenAPI documents it, the /api form enters it."""
    from foedus.queries.openapi import openapi_document
    from foedus.queries.params import REGISTRY, ParamType, register

    def parse_year(p: Param, raw: str) -> Literal:
        if not raw.isdigit() or len(raw) != 4:
            raise ParamError(p.name, f"{raw!r} is not a four-digit year")
        return Literal(raw, datatype=NamedNode(XSD + "gYear"))

    register(ParamType("year", frozenset(), parse_year, lambda p: {"type": "string", "pattern": "^[0-9]{4}$"},
                       lambda p: {"inputmode": "numeric"}))
    try:
        (tmp_path / "q.rq").write_text(GOOD.replace("?date date example=1990-01-01", "?date year example=1990"),
                                       encoding="utf-8")
        saved = load_catalog(tmp_path).queries["q"]
        param = saved.param("date")
        assert param.parse("1990") == Literal("1990", datatype=NamedNode(XSD + "gYear"))
        with pytest.raises(ParamError, match="four-digit"):
            param.parse("90")
        schema = openapi_document(load_catalog(tmp_path))["paths"]["/api/q"]["get"]["parameters"][1]["schema"]
        assert schema == {"type": "string", "pattern": "^[0-9]{4}$"}
        assert param.html_input() == {"inputmode": "numeric"}
    finally:
        REGISTRY.pop("year")
    assert "unknown type 'year'" in str(_load(tmp_path, (tmp_path / "q.rq").read_text(encoding="utf-8")))


def test_every_packaged_type_documents_itself() -> None:
    """No type falls back to "a string": each registered type gives its own schema and form control."""
    from foedus.queries.params import REGISTRY

    assert set(REGISTRY) == {"iri", "date", "integer", "string", "langstring", "enum"}
    for name, kind in REGISTRY.items():
        p = Param("x", name, "doc", "1", values=("a", "b"), minimum=1)
        assert "type" in kind.schema(p), name
        assert isinstance(kind.html(p), dict)
    assert Param("x", "integer", "d", "1", minimum=1).html_input() == {"type": "number", "min": "1"}
    assert Param("x", "date", "d", "1990-01-01").html_input() == {"type": "date"}


def test_a_not_exists_group_joined_to_nothing_is_refused_with_its_line(tmp_path: Path) -> None:
    trap = GOOD.replace("FILTER(?d <= ?date) }",
                        "FILTER(?d <= ?date)\n  FILTER NOT EXISTS { ?x a <urn:C> . ?x <urn:p> ?y } }")
    error = _load(tmp_path, trap)
    assert "q.rq:9" in str(error) and "cartesian product" in str(error) and "sub-SELECT" in str(error)
    correlated = GOOD.replace("FILTER(?d <= ?date) }",
                              "FILTER(?d <= ?date)\n  FILTER NOT EXISTS { ?s <urn:p> ?y . ?y a <urn:C> } }")
    (tmp_path / "q.rq").write_text(correlated, encoding="utf-8")
    assert "q" in load_catalog(tmp_path).queries  # joined to ?s of the outer query: fine
