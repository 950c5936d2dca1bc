"""The ontology check passes on the repository, and fails on a removed label, a contradiction, an
unsatisfiable class or a fixture that does not classify as intended (HermiT via owlready2; needs Java)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from foedus.cli import cli
from foedus.fo_terms import FO
from foedus.ontology.check import Problem, check_ontology, fixture_path, load_ontology_set, reasoning_problems
from foedus.ontology.codegen import core_path

PREFIXES = """\
@prefix fo:   <https://w3id.org/foedus/ontology/> .
@prefix fx:   <https://w3id.org/foedus/id/fixture/> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""


def write(tmp_path: Path, name: str, turtle: str) -> Path:
    path = tmp_path / name
    path.write_text(PREFIXES + turtle, encoding="utf-8")
    return path


def rules(problems: list) -> set[str]:
    return {p.rule for p in problems}


def test_repository_ontology_passes_every_check() -> None:
    problems = check_ontology()
    assert problems == [], "\n".join(map(str, problems))


def test_cli_check_prints_problems_and_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    from foedus.ontology import check

    problem = Problem("missing-label", str(FO.Alliance), "ontology/foedus.ttl", "add one")
    monkeypatch.setattr(check, "check_ontology", lambda: [problem])
    result = CliRunner().invoke(cli, ["ontology", "check"])
    assert result.exit_code == 1
    assert str(problem) in result.output
    monkeypatch.setattr(check, "check_ontology", lambda: [])
    result = CliRunner().invoke(cli, ["ontology", "check"])
    assert result.exit_code == 0, result.output
    assert "ontology check passed" in result.output


def test_check_fails_when_a_label_is_removed(tmp_path: Path) -> None:
    graph = Graph().parse(core_path(), format="turtle")
    graph.remove((FO.Alliance, RDFS.label, None))
    core = tmp_path / "foedus.ttl"
    graph.serialize(core, format="turtle", encoding="utf-8")
    problems = check_ontology(core=core, reason=False)
    assert [(p.rule, p.term) for p in problems] == [("missing-label", str(FO.Alliance))]
    text = str(problems[0])
    assert "missing-label" in text and "Alliance" in text and "foedus.ttl" in text


def test_check_fails_on_an_individual_in_two_disjoint_event_classes(tmp_path: Path) -> None:
    extra = write(tmp_path, "contradiction.ttl",
                  "fx:e a owl:NamedIndividual , fo:Signature , fo:Ratification .\n")
    problems = check_ontology([extra], scan=[])
    assert rules(problems) == {"inconsistent"}
    assert "contradiction.ttl" in str(problems[0])


def test_check_fails_on_a_treaty_that_is_non_binding(tmp_path: Path) -> None:
    extra = write(tmp_path, "contradiction.ttl",
                  "fx:t a owl:NamedIndividual , fo:Protocol , fo:JointDeclaration .\n")
    assert rules(check_ontology([extra], scan=[])) == {"inconsistent"}


def test_check_reports_an_unsatisfiable_class(tmp_path: Path) -> None:
    extra = write(tmp_path, "unsat.ttl", """
fo:SignedRatification a owl:Class ;
    rdfs:label "signed ratification"@en ;
    skos:definition "Made unsatisfiable on purpose."@en ;
    rdfs:isDefinedBy <https://w3id.org/foedus/ontology> ;
    rdfs:subClassOf fo:Signature , fo:Ratification .
""")
    problems = check_ontology([extra], scan=[])
    assert [(p.rule, p.term) for p in problems] == [
        ("unsatisfiable-class", "https://w3id.org/foedus/ontology/SignedRatification")]
    assert "unsat.ttl" in problems[0].file


def test_fixture_classifies_as_intended(fixture_reasoning: list[Problem]) -> None:
    assert fixture_reasoning == []


def test_fixture_covers_the_issue_cases() -> None:
    fixture = Graph().parse(fixture_path(), format="turtle")
    expected = set(fixture.objects(None, URIRef("https://w3id.org/foedus/id/fixture/expectedType")))
    assert {FO.DefencePact, FO.NonAggressionPact, FO.ConditionalObligation, FO.BilateralAlliance,
            FO.MultilateralAlliance} <= expected


def test_a_wrong_expectation_is_reported(tmp_path: Path) -> None:
    fixture = write(tmp_path, "fixture.ttl", """
fx:expectedType a owl:AnnotationProperty .
fx:pact a owl:NamedIndividual , fo:Alliance ; fo:hasObligation fx:o ; fx:expectedType fo:DefencePact .
fx:o a owl:NamedIndividual , fo:NeutralityObligation .
""")
    problems = reasoning_problems(load_ontology_set(), fixture)
    assert [(p.rule, p.term) for p in problems] == [("fixture-classification", "https://w3id.org/foedus/id/fixture/pact")]
    assert "is not inferred" in str(problems[0])


def test_an_unwanted_inference_is_reported(tmp_path: Path) -> None:
    fixture = write(tmp_path, "fixture.ttl", """
fx:unexpectedType a owl:AnnotationProperty .
fx:pact a owl:NamedIndividual , fo:Alliance ; fo:hasObligation fx:o ; fx:unexpectedType fo:NeutralityPact .
fx:o a owl:NamedIndividual , fo:NeutralityObligation .
""")
    assert rules(reasoning_problems(load_ontology_set(), fixture)) == {"fixture-classification"}


def test_has_party_stays_simple() -> None:
    """Cardinality restrictions on fo:hasParty are OWL 2 DL only while the property stays simple."""
    graph = Graph().parse(core_path(), format="turtle")
    assert (None, OWL.propertyChainAxiom, None) not in graph
    assert (FO.hasParty, RDF.type, OWL.TransitiveProperty) not in graph
    assert not list(graph.subjects(RDFS.subPropertyOf, FO.hasParty))


@pytest.mark.parametrize("term", [FO.Alliance, FO.hasParty, FO.startDate, FO.Signature, FO.role])
def test_terms_carry_label_definition_and_defining_ontology(term: URIRef) -> None:
    graph = Graph().parse(core_path(), format="turtle")
    assert graph.value(term, RDFS.label) is not None
    assert graph.value(term, URIRef("http://www.w3.org/2004/02/skos/core#definition")) is not None
    assert graph.value(term, RDFS.isDefinedBy) == URIRef("https://w3id.org/foedus/ontology")


def test_ontology_header() -> None:
    graph = Graph().parse(core_path(), format="turtle")
    onto = URIRef("https://w3id.org/foedus/ontology")
    assert (onto, RDF.type, OWL.Ontology) in graph
    assert graph.value(onto, OWL.versionIRI) == URIRef("https://w3id.org/foedus/ontology/0.1.0")
    assert str(graph.value(onto, OWL.versionInfo)) == "0.1.0"
    assert graph.value(onto, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/")
    assert (None, OWL.imports, None) not in graph


def test_dl_profile_passes_on_the_repository_ontology() -> None:
    from foedus.ontology.check import dl_profile

    assert dl_profile(load_ontology_set()) == []


def test_dl_profile_fails_when_has_party_gets_a_chain(tmp_path: Path) -> None:
    """A property chain makes fo:hasParty non-simple, and its cardinality restrictions leave OWL 2 DL."""
    from foedus.ontology.check import dl_profile

    extra = write(tmp_path, "chain.ttl", "fo:hasParty owl:propertyChainAxiom ( fo:hasPhase fo:hasParty ) .\n")
    problems = dl_profile(load_ontology_set(extra=[extra]))
    assert problems and {p.rule for p in problems} == {"owl2-dl-profile"}
    assert any("NonSimpleProperty" in p.message and p.term == str(FO.hasParty) for p in problems)
