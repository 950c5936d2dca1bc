"""Extensions live in ontology/extensions/; listing, checking and docs pick them up without a fork."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef

from foedus.fo_terms import FO
from foedus.ontology.check import Problem, check_ontology, load_ontology_set
from foedus.ontology.extensions import list_extensions

CC = Namespace("https://w3id.org/foedus/ontology/crisis-communication/")
CORE = URIRef("https://w3id.org/foedus/ontology")


def test_crisis_communication_is_listed_with_its_shapes() -> None:
    found = {e.name: e for e in list_extensions()}
    assert "crisis-communication" in found
    extension = found["crisis-communication"]
    assert extension.ontology.name == "crisis-communication.ttl"
    assert extension.shapes is not None and extension.shapes.name == "crisis-communication.shapes.ttl"
    assert extension.prefix == "fo-cc"
    assert not any(e.name.endswith(".shapes") for e in found.values())


def test_extension_imports_the_core_and_extends_it() -> None:
    extension = {e.name: e for e in list_extensions()}["crisis-communication"]
    graph = Graph().parse(extension.ontology, format="turtle")
    onto = URIRef("https://w3id.org/foedus/ontology/crisis-communication")
    assert (onto, OWL.imports, CORE) in graph
    assert (CC.Hotline, RDFS.subClassOf, FO.CrisisCommunicationChannel) in graph
    assert (CC.Upgrade, RDFS.subClassOf, FO.Event) in graph


def test_a_new_extension_is_picked_up(tmp_path: Path) -> None:
    (tmp_path / "naval.ttl").write_text("""\
@prefix fo: <https://w3id.org/foedus/ontology/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/foedus/ontology/naval> a owl:Ontology ; owl:imports <https://w3id.org/foedus/ontology> .
<https://w3id.org/foedus/ontology/naval/PortVisit> a owl:Class ;
    rdfs:subClassOf fo:Instrument ; rdfs:label "port visit"@en .
""", encoding="utf-8")
    (tmp_path / "naval.shapes.ttl").write_text("", encoding="utf-8")
    found = list_extensions(tmp_path)
    assert [(e.name, e.shapes is not None) for e in found] == [("naval", True)]
    loaded = load_ontology_set(extensions=[e.ontology for e in found])
    assert URIRef("https://w3id.org/foedus/ontology/naval/PortVisit") in {
        s for s in loaded.merged.subjects(RDF.type, OWL.Class)}
    rules = {p.rule for p in check_ontology(extensions=[e.ontology for e in found], scan=[], reason=False)}
    assert {"missing-definition", "missing-is-defined-by", "missing-ontology-metadata"} <= rules


def test_extension_shapes_accept_good_and_reject_bad_data() -> None:
    extension = {e.name: e for e in list_extensions()}["crisis-communication"]
    assert extension.shapes is not None
    shapes = Graph().parse(extension.shapes, format="turtle")
    ontology = Graph().parse(extension.ontology, format="turtle")
    good = Graph().parse(format="turtle", data="""\
@prefix fo: <https://w3id.org/foedus/ontology/> .
@prefix fo-cc: <https://w3id.org/foedus/ontology/crisis-communication/> .
@prefix inst: <https://w3id.org/foedus/id/instrument/> .
@prefix state: <https://w3id.org/foedus/id/state/> .
@prefix x: <https://w3id.org/foedus/id/fixture/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
inst:moscow-washington-hotline a fo-cc:DirectCommunicationsLink ;
    fo:startDate "1963-08-30"^^xsd:date ; fo-cc:technology fo-cc:teletype ;
    fo-cc:hasEndpoint x:usa-end , x:ussr-end .
x:usa-end a fo-cc:Endpoint ; fo-cc:endpointActor state:2 .
x:ussr-end a fo-cc:Endpoint ; fo-cc:endpointActor state:365 .
state:2 a fo:State . state:365 a fo:State .
x:upgrade-1978 a fo-cc:Upgrade ; fo:date "1978-01-01"^^xsd:date ;
    fo-cc:ofChannel inst:moscow-washington-hotline ; fo-cc:technology fo-cc:satellite .
""")
    conforms, _, text = validate(good, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    assert conforms, text
    bad = Graph().parse(format="turtle", data="""\
@prefix fo-cc: <https://w3id.org/foedus/ontology/crisis-communication/> .
@prefix x: <https://w3id.org/foedus/id/fixture/> .
x:h a fo-cc:Hotline ; fo-cc:hasEndpoint x:one .
x:one a fo-cc:Endpoint .
x:u a fo-cc:Upgrade .
""")
    conforms, _, text = validate(bad, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    assert not conforms
    for phrase in ("at least two endpoints", "exactly one actor", "exactly one channel",
                   "names the technology"):
        assert phrase in text


def test_extensions_are_reasoned_with_the_core(fixture_reasoning: list[Problem]) -> None:
    """The fixture expects a fo-cc hotline to be a fo:Instrument: so with the extension, not without it."""
    from foedus.ontology.check import fixture_path, reasoning_problems

    assert fixture_reasoning == []
    without = reasoning_problems(load_ontology_set(extensions=[]), fixture_path())
    assert {p.term for p in without} == {"https://w3id.org/foedus/id/fixture/hotline",
                                         "https://w3id.org/foedus/id/fixture/hotline-upgrade"}
