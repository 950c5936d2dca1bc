"""Each ontology quality rule has a passing and a failing case (ROBOT-report style, cell-ontology queries)."""

from __future__ import annotations

from pathlib import Path

import pytest

from foedus.ontology import check
from foedus.ontology.check import OntologySet, Problem, load_ontology_set

HEADER = """\
@prefix fo:      <https://w3id.org/foedus/ontology/> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

GOOD_TERM = """
fo:Pact a owl:Class ;
    rdfs:label "pact"@en ;
    skos:definition "A test term."@en ;
    rdfs:isDefinedBy <https://w3id.org/foedus/ontology> .
"""


def loaded_with(tmp_path: Path, turtle: str) -> OntologySet:
    extra = tmp_path / "extra.ttl"
    extra.write_text(HEADER + turtle, encoding="utf-8")
    return load_ontology_set(extra=[extra])


RULES = [
    (check.missing_label, GOOD_TERM, GOOD_TERM.replace('rdfs:label "pact"@en ;', 'rdfs:label "pact"@de ;')),
    (check.missing_definition, GOOD_TERM, GOOD_TERM.replace('skos:definition "A test term."@en ;', "")),
    (check.duplicate_label, GOOD_TERM, GOOD_TERM.replace('"pact"@en', '"Defence Pact"@en')),
    (check.duplicate_notation, GOOD_TERM + 'fo:Pact skos:notation "pact" .',
     GOOD_TERM + 'fo:Pact skos:notation "defense" .'),
    (check.missing_is_defined_by, GOOD_TERM,
     GOOD_TERM.replace("rdfs:isDefinedBy <https://w3id.org/foedus/ontology>", 'rdfs:comment "none"')),
    (check.missing_ontology_metadata, "",
     "<https://w3id.org/foedus/ontology/empty-extension> a owl:Ontology ; dcterms:title \"x\"@en ."),
]


@pytest.mark.parametrize(("rule", "good", "bad"), RULES, ids=[r[0].__name__ for r in RULES])
def test_rule_passes_on_good_and_fails_on_bad(tmp_path: Path, rule, good: str, bad: str) -> None:
    assert rule(loaded_with(tmp_path, good)) == []
    problems = rule(loaded_with(tmp_path, bad))
    assert problems, f"{rule.__name__} missed a violation"
    name = rule.__name__.replace("_", "-")
    assert all(p.rule == name for p in problems)
    assert any("extra.ttl" in str(p) for p in problems)


def test_every_rule_has_its_violation_query() -> None:
    queries = {p.name for p in check.checks_dir().glob("*-violation.rq")}
    for rule in check.QUALITY_RULES:
        assert f"{rule.__name__.replace('_', '-')}-violation.rq" in queries


def test_problem_names_rule_term_and_file() -> None:
    problem = Problem("missing-label", "https://w3id.org/foedus/ontology/X", "ontology/foedus.ttl", "add one")
    text = str(problem)
    assert text == "ontology/foedus.ttl: missing-label: https://w3id.org/foedus/ontology/X: add one"


def test_undeclared_terms_in_turtle_and_sparql(tmp_path: Path) -> None:
    declared = load_ontology_set().declared()
    good_ttl = tmp_path / "good.ttl"
    good_ttl.write_text(HEADER + "<https://w3id.org/foedus/id/x> a fo:Alliance ; fo:hasParty fo:role .\n",
                        encoding="utf-8")
    good_rq = tmp_path / "good.rq"
    good_rq.write_text("# fo:NotATerm in a comment is fine\nPREFIX f: <https://w3id.org/foedus/ontology/>\n"
                       "SELECT ?a WHERE { ?a a f:Alliance ; <https://w3id.org/foedus/ontology/hasParty> ?p ."
                       ' FILTER(?p != "fo:Nope") }\n', encoding="utf-8")
    assert check.undeclared_terms(declared, [good_ttl, good_rq]) == []

    bad_ttl = tmp_path / "bad.ttl"
    bad_ttl.write_text(HEADER + "<https://w3id.org/foedus/id/x> a fo:Aliance .\n", encoding="utf-8")
    bad_rq = tmp_path / "bad.rq"
    bad_rq.write_text("SELECT ?a WHERE {\n  ?a fo:hasParti ?p ;\n"
                      "     <https://w3id.org/foedus/ontology/crisis-communication/Hotlin> ?h .\n}\n",
                      encoding="utf-8")
    problems = check.undeclared_terms(declared, [bad_ttl, bad_rq])
    assert {(p.term, p.file.rsplit("/", 1)[-1]) for p in problems} == {
        ("https://w3id.org/foedus/ontology/Aliance", "bad.ttl:6"),
        ("https://w3id.org/foedus/ontology/hasParti", "bad.rq:2"),
        ("https://w3id.org/foedus/ontology/crisis-communication/Hotlin", "bad.rq:3"),
    }
    assert all(p.rule == "undeclared-term" for p in problems)


def test_undeclared_term_scan_covers_the_repository_folders() -> None:
    files = check.repository_files()
    parts = {p.parent.name for p in files} | {p.parent.parent.name for p in files}
    assert "ontology" in parts
    assert any(p.name == "foedus.ttl" for p in files)
    assert any(p.suffix == ".rq" for p in files)


def test_check_ontology_reports_undeclared_terms(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT * WHERE { ?a a fo:DefensePact }\n", encoding="utf-8")
    problems = check.check_ontology(scan=[bad], reason=False)
    assert [(p.rule, p.term) for p in problems] == [("undeclared-term", "https://w3id.org/foedus/ontology/DefensePact")]
