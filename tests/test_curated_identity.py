"""Identity in the real curated core: one thing, one IRI, one Wikidata item."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import curated_graph
from rdflib import OWL, RDF, Graph, Namespace, URIRef

from foedus.errors import SourceError
from foedus.graph.curated import load_curated

FO = Namespace("https://w3id.org/foedus/ontology/")
ID = "https://w3id.org/foedus/id/"
WD = Namespace("http://www.wikidata.org/entity/")
FIXTURE = Path(__file__).parent / "fixtures" / "curated"


@pytest.fixture(scope="module")
def core() -> Graph:
    return curated_graph()


def test_the_sco_is_one_organisation_with_its_wikidata_item(core: Graph) -> None:
    sco = URIRef(ID + "alliance/shanghai-cooperation-organisation")
    assert set(core.subjects(OWL.sameAs, WD.Q485207)) == {sco}
    assert (sco, RDF.type, FO.InternationalOrganization) in core
    assert (sco, RDF.type, FO.Alliance) not in core  # ATOP 4810 says alliance; we keep that in ATOP's graph only
    assert not list(core.predicate_objects(URIRef(ID + "actor/sco")))
    mission = URIRef(ID + "instrument/peace-mission")
    assert (mission, FO.hasParticipant, sco) in core
    organisers = {core.value(p, FO.participant) for p in core.subjects(FO.participantRole, FO["role/organiser"])
                  if str(p).startswith(ID + "participation/peace-mission/")}
    assert sco in organisers


def test_no_wikidata_item_links_two_things(core: Graph) -> None:
    owners: dict[object, set[object]] = {}
    for s, o in core.subject_objects(OWL.sameAs):
        if str(o).startswith(str(WD)):
            owners.setdefault(o, set()).add(s)
    assert owners and all(len(things) == 1 for things in owners.values())


def test_international_organisation_is_only_for_not_an_alliance(tmp_path: Path) -> None:
    root = tmp_path / "curated"
    shutil.copytree(FIXTURE, root)
    path = root / "alliances" / "mini-pact.yaml"
    path.write_text(path.read_text().replace("kind: collaboration\n",
                                             "kind: collaboration\ninternational_organisation: true\n"))
    with pytest.raises(SourceError, match=r"mini-pact\.yaml:3:.*only|mini-pact\.yaml:3:.*not-an-alliance"):
        load_curated(root)
