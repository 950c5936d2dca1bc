"""The shapes: each has a conforming and a violating example, a label and a message, and agrees with the ontology."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from foedus.shapes.validate import SHAPES_BASE, ontology_ntriples, shapes_graph, validate_files

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
BASE = FIXTURES / "base.ttl"
FO = "https://w3id.org/foedus/ontology/"


def _node_shapes() -> list[str]:
    g = shapes_graph()
    names = (str(s)[len(SHAPES_BASE):] for s in g.subjects(RDF.type, SH.NodeShape) if str(s).startswith(SHAPES_BASE))
    return sorted(n for n in names if "/" not in n)  # extension shapes (fos:<extension>/...) test themselves


def test_base_world_conforms_to_every_shape() -> None:
    report = validate_files([BASE])
    assert report.results == [], report.render("text")


@pytest.mark.parametrize("name", _node_shapes())
def test_shape_has_a_violating_example(name: str) -> None:
    bad = FIXTURES / f"{name}.bad.ttl"
    assert bad.is_file(), f"write {bad.name}: a violating example for fos:{name}"
    report = validate_files([BASE, bad])
    shapes = {r.shape for r in report.results}
    assert SHAPES_BASE + name in shapes, report.render("text")
    focus_graphs = {g for r in report.results if r.shape == SHAPES_BASE + name for g in r.graphs}
    assert focus_graphs, "results name the graph their focus node came from"


def test_every_shape_has_a_label_and_a_message() -> None:
    g = shapes_graph()
    ours = [URIRef(SHAPES_BASE + n) for n in _node_shapes()]
    shapes = set(ours)
    for node_shape in ours:
        shapes |= set(g.objects(node_shape, SH.property)) | set(g.objects(node_shape, SH.sparql))
    for shape in shapes:
        assert g.value(shape, RDFS.label) is not None, f"{shape} has no rdfs:label"
        assert g.value(shape, SH.message) is not None, f"{shape} has no sh:message"


def _ontology() -> Graph:
    g = Graph()
    for line in ontology_ntriples().decode("utf-8").splitlines():
        if line.strip():
            g.parse(data=line.rsplit(" <", 1)[0] + " .", format="nt")
    return g


def _path_terms(g: Graph, path: object) -> list[URIRef]:
    if isinstance(path, URIRef):
        return [path]
    terms: list[URIRef] = []
    for p in (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath):
        inner = g.value(path, p)  # type: ignore[arg-type]
        if inner is None:
            continue
        if p == SH.alternativePath:
            for item in g.items(inner):
                terms += _path_terms(g, item)
        else:
            terms += _path_terms(g, inner)
    return terms


def test_shapes_agree_with_the_ontology() -> None:
    """Every fo: class or property a shape names is declared in the ontology (and the rest are W3C terms)."""
    onto = _ontology()
    g = shapes_graph()
    used: set[URIRef] = set()
    for p in (SH.targetClass, SH["class"], SH.targetSubjectsOf, SH.targetObjectsOf):
        used |= {o for o in g.objects(None, p) if isinstance(o, URIRef)}
    for path in g.objects(None, SH.path):
        used |= set(_path_terms(g, path))
    missing = sorted(t for t in used if str(t).startswith(FO) and (t, None, None) not in onto)
    assert not missing, f"terms the shapes use but the ontology does not declare: {missing}"
    declared = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    for t in used:
        if str(t).startswith(FO):
            assert set(onto.objects(t, RDF.type)) & declared, f"{t} is not declared as a class or property"
