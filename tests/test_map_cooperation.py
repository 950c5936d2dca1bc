"""The map (/map, /map/data.json), the small maps of resource pages and the cooperation sections of state pages and
/dyad (/cooperation/data.json): real answers on the full release, each checked against a direct SPARQL count or
against the saved query that answers the same question; the curated branch of the map over a small inline graph."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from conftest import run_saved
from flask import Flask
from flask.testing import FlaskClient
from pyoxigraph import NamedNode, RdfFormat, Store

from foedus.queries.catalog import load_catalog
from foedus.server.app import create_app
from foedus.server.store import merge_into_default_graph
from foedus.settings import load_settings

ID = "https://w3id.org/foedus/id/"
PREFIXES = """PREFIX fo: <https://w3id.org/foedus/ontology/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#>
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, full_store: Store) -> Flask:
    """The app over the full release (shared session store, read only)."""
    return create_app(load_settings({"releases": str(tmp_path_factory.mktemp("rel"))}), full_store)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _json(client: FlaskClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.data[:400]
    return response.get_json()


def _count(store: Store, where: str) -> int:
    """COUNT(DISTINCT ?x) of a pattern, asked of the store directly."""
    rows = list(store.query(PREFIXES + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"))
    return int(rows[0]["n"].value)


def test_the_map_of_1995_has_every_located_mme_exercise_of_that_year(client: FlaskClient, full_store: Store) -> None:
    """/map/data.json?year=1995 draws as many MME points as MME has located exercises begun in 1995."""
    data = _json(client, "/map/data.json?year=1995&layer=exercises")
    direct = _count(full_store, """GRAPH <https://w3id.org/foedus/graph/mme-7> {
        ?x a fo:JointExercise ; fo:startDate ?d ; prov:atLocation ?p . ?p wgs:lat ?lat ; wgs:long ?lon }
        FILTER(YEAR(?d) = 1995)""")
    mme = [p for p in data["exercises"] if p["source"] == "mme-7"]
    assert direct > 50 and len(mme) == direct == data["counts"]["exercisesBySource"]["mme-7"]
    assert data["bases"] == [] and data["layers"] == ["exercises"]
    assert all(p["start"].startswith("1995") and -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in mme)
    assert all(p["href"].startswith("/id/instrument/mme-") for p in mme)


def test_a_series_on_the_map_is_its_located_editions(client: FlaskClient, full_store: Store) -> None:
    """Cobra Gold (MME's 28 editions, 1982-2010) shows every located edition, each linked to its series."""
    series = ID + "instrument/mme-series-cobra-gold"
    data = _json(client, "/map/data.json?series=instrument/mme-series-cobra-gold&layer=exercises")
    direct = _count(full_store, f"?x fo:occurrenceOf <{series}> ; prov:atLocation/wgs:lat ?lat")
    assert len(data["exercises"]) == direct == 28
    assert {p["series"] for p in data["exercises"]} == {series} and data["seriesLabel"] == "Cobra Gold"
    page = client.get("/map?series=" + series).get_data(as_text=True)
    assert f'<option value="{series}" selected>Cobra Gold (28, 1982–2010)</option>' in page


def test_the_bases_layer_is_every_located_us_base(client: FlaskClient, full_store: Store) -> None:
    """Every us-bases site with coordinates is a point, with its host state named and linked."""
    data = _json(client, "/map/data.json?layer=bases")
    direct = _count(full_store, "GRAPH <https://w3id.org/foedus/graph/us-bases> { ?x a fo:MilitaryBase ; wgs:lat ?l }")
    assert len(data["bases"]) == direct > 300 and data["exercises"] == []
    ramstein = [b for b in data["bases"] if b["label"].startswith("Ramstein")]
    assert ramstein and ramstein[0]["hostLabel"] and ramstein[0]["hostHref"].startswith("/id/state/")
    assert all(b["kinds"] for b in data["bases"])


@pytest.mark.parametrize("path", ["/map/data.json?year=19x5", "/map/data.json?layer=roads",
                                  "/map/data.json?series=not%20an%20iri", "/dyad?a=740&b=740",
                                  "/cooperation/data.json", "/cooperation/data.json?a=2&b=x%20y"])
def test_bad_requests_are_refused_before_any_query(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 400


def _points(client: FlaskClient, path: str) -> list[dict[str, Any]]:
    """The points a resource page hands its small map (data-points)."""
    page = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    found = re.search(r'class="mini-map"[^>]*data-points="([^"]*)"', page)
    assert found, path
    return list(json.loads(html.unescape(found[1])))


def test_resource_pages_show_their_place_on_a_small_map(client: FlaskClient) -> None:
    """An MME exercise, a series and a base carry their points for the small map; the series links to /map."""
    def points(path: str) -> list[dict[str, Any]]:
        return _points(client, path)

    exercise = points("/id/instrument/mme-2455")  # Allied Action 04, in Italy
    assert [(p["how"], round(p["lat"]), round(p["lon"])) for p in exercise] == [("place", 42, 13)]
    assert len(points("/id/instrument/mme-series-cobra-gold")) == 28
    base = points("/id/base/2/johnston-atoll-airfield")
    assert [(p["how"], round(p["lat"], 2), round(p["lon"], 2)) for p in base] == [("self", 16.73, -169.53)]
    assert "/map?series=https" in client.get("/id/instrument/mme-series-cobra-gold",
                                            headers={"Accept": "text/html"}).get_data(as_text=True)


def test_japan_page_shows_us_troops_of_1960(client: FlaskClient, full_store: Store) -> None:
    """US active-duty troops in Japan in 1960 were 83,586: in the page's data, on the page, and in the saved query."""
    data = _json(client, "/cooperation/data.json?a=740")
    troops = {y["year"]: y["troops"] for y in data["troops"]["years"]}
    assert data["troops"]["kind"] == "host" and troops[1960] == 83586 and min(troops) == 1950
    page = client.get("/id/state/740", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<td>1960</td><td>83,586</td>" in page
    for heading in ("Joint exercises by year", "US troops over the years", "Defence-cooperation agreements"):
        assert heading in page
    saved = load_catalog().get("cooperation-between-states")
    assert saved is not None
    rows = run_saved(full_store, saved, {"stateA": ID + "state/2", "stateB": ID + "state/740", "year": "1960"})
    assert [int(r["value"].value) for r in rows if r["category"].value == "us-troops"] == [83586]


def test_usa_page_shows_us_troops_abroad(client: FlaskClient, full_store: Store) -> None:
    """The USA's own page sums troopdata over every host abroad, year by year."""
    data = _json(client, "/cooperation/data.json?a=2")
    assert data["troops"]["kind"] == "abroad"
    by_year = {y["year"]: y["troops"] for y in data["troops"]["years"]}
    rows = list(full_store.query(PREFIXES + """SELECT (SUM(?t) AS ?n) WHERE {
        ?o fo:host ?h ; fo:year 1960 ; fo:troopsActiveDuty ?t FILTER(?h != <https://w3id.org/foedus/id/state/2>) }"""))
    assert by_year[1960] == int(rows[0]["n"].value) > 83586


def test_dyad_exercises_and_agreements_agree_with_the_saved_queries(client: FlaskClient, full_store: Store) -> None:
    """USA-Japan: each year's joint exercises are the saved cooperation query's; the agreements are the DCAs of
    military-diplomacy-between-states; the shared alliances are alliances-between-states' (US-Japan 1960 among them)."""
    data = _json(client, "/cooperation/data.json?a=2&b=740")
    catalog = load_catalog()
    coop = catalog.get("cooperation-between-states")
    assert coop is not None
    by_year = {y["year"]: y["count"] for y in data["exercises"]["years"]}
    for year in (1982, 1995, 2010):
        rows = run_saved(full_store, coop, {"stateA": ID + "state/2", "stateB": ID + "state/740", "year": str(year)})
        exercises = {r["item"].value for r in rows if r["category"].value == "joint-exercise"}
        assert by_year[year] == len(exercises) > 0, year
    diplomacy = catalog.get("military-diplomacy-between-states")
    assert diplomacy is not None
    dcas = run_saved(full_store, diplomacy, {"stateA": ID + "state/2", "stateB": ID + "state/740",
                                             "type": "defence-cooperation-agreement"})
    assert {a["iri"] for a in data["agreements"]} == {r["instrument"].value for r in dcas} != set()
    assert ID + "alliance/us-japan-1960" in {a["iri"] for a in data["alliances"]}
    page = client.get("/dyad?a=2&b=740").get_data(as_text=True)
    assert "Alliances they shared" in page and "US active-duty troops in Japan" in page
    assert data["troops"]["kind"] == "host" and data["troops"]["host"] == ID + "state/740"
    assert _json(client, "/cooperation/data.json?a=200&b=220")["troops"]["kind"] == ""  # no US side, no troops


# ------------------------------------------------------------------------------------------------------------
# A curated exercise with coordinates (the curated core has none yet): it goes on the map with its source.

CURATED_EXERCISE = """
@prefix fo: <https://w3id.org/foedus/ontology/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/foedus/id/> .
id:instrument\\/rimpac a fo:JointExercise ; fo:recurring true ; rdfs:label "RIMPAC"@en ;
    prov:atLocation id:instrument\\/rimpac\\/place .
id:instrument\\/rimpac\\/place wgs:lat "21.3"^^xsd:decimal ; wgs:long "-157.9"^^xsd:decimal ; rdfs:label "Hawaii"@en .
id:instrument\\/rimpac\\/2024 a fo:Occurrence ; fo:occurrenceOf id:instrument\\/rimpac ; rdfs:label "RIMPAC 2024"@en ;
    fo:startDate "2024-06-27"^^xsd:date ; fo:hasParticipant id:state\\/2 , id:state\\/740 .
id:instrument\\/talisman a fo:JointExercise ; fo:recurring false ; rdfs:label "Talisman Sabre 2023"@en ;
    fo:startDate "2023-07-22"^^xsd:date ; prov:atLocation id:instrument\\/talisman\\/place .
id:instrument\\/talisman\\/place wgs:lat "-22.4"^^xsd:decimal ; wgs:long "150.3"^^xsd:decimal .
"""


def test_curated_exercises_with_coordinates_go_on_the_map(tmp_path_factory: pytest.TempPathFactory) -> None:
    """An edition placed by its series' coordinates and an exercise held once with its own; the series is no point."""
    store = Store()
    store.load(CURATED_EXERCISE.encode(), RdfFormat.TURTLE, to_graph=NamedNode("https://w3id.org/foedus/graph/curated"))
    merge_into_default_graph(store)
    client = create_app(load_settings({"releases": str(tmp_path_factory.mktemp("rel"))}), store).test_client()
    points = {p["iri"]: p for p in _json(client, "/map/data.json?layer=exercises")["exercises"]}
    assert sorted(points) == [ID + "instrument/rimpac/2024", ID + "instrument/talisman"]
    edition = points[ID + "instrument/rimpac/2024"]
    assert (edition["lat"], edition["lon"], edition["source"], edition["participants"]) == (21.3, -157.9, "curated", 2)
    assert edition["seriesLabel"] == "RIMPAC"
    assert [p["iri"] for p in _json(client, "/map/data.json?year=2023&layer=exercises")["exercises"]] == [
        ID + "instrument/talisman"]
    assert [(p["how"], p["lat"]) for p in _points(client, "/id/instrument/rimpac/2024")] == [("series", 21.3)]
