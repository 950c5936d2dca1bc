"""`foedus curated wikidata-suggest`: candidate Wikidata items for the curated things that have none yet.

Asks a Wikidata SPARQL endpoint which items carry, as English label or alias, a label of each unlinked alliance,
treaty, organisation, instrument or state, and writes a review table. Nothing enters the curated core by itself: a
maintainer confirms a candidate on Wikidata and writes `wikidata:` with its evidence into the YAML (FORMAT.md).
This is an outbound call, made only when a maintainer runs the command.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from foedus import __version__
from foedus.errors import SourceError
from foedus.fo_terms import FO
from foedus.graph.curated import wikidata_coverage

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
BATCH = 40
TIMEOUT = 60.0
COLUMNS = ("kind", "iri", "label", "year", "qid", "wikidata_label", "wikidata_description", "types", "years",
           "matched_label", "year_matches")


@dataclass(frozen=True)
class Unlinked:
    """A curated thing without a Wikidata item: its labels (preferred first) and the year it began, if known."""

    kind: str
    iri: str
    labels: tuple[str, ...]
    year: int | None


@dataclass(frozen=True)
class Candidate:
    """A Wikidata item that carries one of an unlinked thing's labels."""

    thing: Unlinked
    qid: str
    label: str
    description: str
    types: tuple[str, ...]
    years: tuple[int, ...]
    matched_label: str

    @property
    def year_matches(self) -> bool | None:
        """True when one of the item's dates falls in the thing's first year; None when either side has none."""
        if self.thing.year is None or not self.years:
            return None
        return self.thing.year in self.years


def _first_year(g: Graph, thing: URIRef) -> int | None:
    """The earliest year of the thing: its start date, its treaty events, or those of the treaties it rests on."""
    agreements = [thing, *g.objects(thing, FO.basedOn)]
    dates = [str(d) for a in agreements for e in g.subjects(FO.ofAgreement, a) for d in g.objects(e, FO.date)]
    dates += [str(d) for d in g.objects(thing, FO.startDate)]
    years = [int(d[:4]) for d in dates if d[:4].isdigit()]
    return min(years) if years else None


def unlinked_things(g: Graph) -> list[Unlinked]:
    """The curated things of each kind wikidata_coverage counts that link to no Wikidata item.

    (A state's QID, once confirmed, goes into states_overrides.csv; the others' into their YAML.)
    """
    out = []
    for kind, coverage in wikidata_coverage(g).items():
        for missing in coverage["missing"]:
            iri = URIRef(missing["iri"])
            labels = [str(x) for p in (RDFS.label, SKOS.altLabel) for x in g.objects(iri, p)]
            unique = tuple(dict.fromkeys(label for label in labels if label.strip()))
            if unique:
                out.append(Unlinked(kind, str(iri), unique, _first_year(g, iri)))
    return out


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False) + "@en"


def candidates_query(things: Iterable[tuple[int, Unlinked]]) -> str:
    """One SPARQL query for a batch: items whose English label or alias equals a label of a thing (by key)."""
    values = "\n".join(f"    ({key} {_literal(label)})" for key, thing in things for label in thing.labels)
    return f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT ?key ?item ?matched
       (SAMPLE(?label) AS ?itemLabel) (SAMPLE(?description) AS ?itemDescription)
       (GROUP_CONCAT(DISTINCT ?typeLabel; separator="|") AS ?types)
       (GROUP_CONCAT(DISTINCT STR(YEAR(?date)); separator="|") AS ?years)
WHERE {{
  VALUES (?key ?matched) {{
{values}
  }}
  ?item rdfs:label|skos:altLabel ?matched .
  OPTIONAL {{ ?item rdfs:label ?label FILTER(LANG(?label) = "en") }}
  OPTIONAL {{ ?item schema:description ?description FILTER(LANG(?description) = "en") }}
  OPTIONAL {{ ?item wdt:P31 ?type . ?type rdfs:label ?typeLabel FILTER(LANG(?typeLabel) = "en") }}
  OPTIONAL {{ ?item wdt:P571|wdt:P580|wdt:P585|wdt:P577|wdt:P1619|wdt:P729 ?date }}
}}
GROUP BY ?key ?item ?matched
"""


def _ask(endpoint: str, query: str) -> list[dict[str, dict[str, str]]]:
    """POST the query (SPARQL 1.1 Protocol) and return the JSON bindings; failures name the endpoint."""
    body = urllib.parse.urlencode({"query": query}).encode("utf-8")
    request = urllib.request.Request(endpoint, data=body, method="POST", headers={
        "Accept": "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": f"foedus/{__version__} (curated wikidata-suggest; https://w3id.org/foedus)",
    })
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        exc.close()
        raise SourceError(f"Wikidata query failed: HTTP {exc.code} {exc.reason}", where=endpoint) from None
    except (urllib.error.URLError, OSError) as exc:
        raise SourceError(f"Wikidata query failed: {getattr(exc, 'reason', None) or exc}", where=endpoint) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"the endpoint's answer is not SPARQL JSON results: {exc}", where=endpoint) from None
    try:
        return list(data["results"]["bindings"])
    except (KeyError, TypeError):
        raise SourceError("the endpoint's answer has no results.bindings", where=endpoint) from None


def _split(value: str) -> tuple[str, ...]:
    return tuple(sorted({v for v in value.split("|") if v}))


def suggest(things: list[Unlinked], endpoint: str = WIKIDATA_SPARQL, batch: int = BATCH) -> list[Candidate]:
    """Ask the endpoint, a batch of things per request; candidates whose year matches come first per thing."""
    found: list[Candidate] = []
    for start in range(0, len(things), batch):
        keyed = list(enumerate(things[start : start + batch], start))
        for row in _ask(endpoint, candidates_query(keyed)):
            item = row.get("item", {}).get("value", "")
            key = row.get("key", {}).get("value", "")
            if not item.startswith("http://www.wikidata.org/entity/Q") or not key.isdigit():
                continue
            years = tuple(sorted({int(y) for y in _split(row.get("years", {}).get("value", "")) if y.isdigit()}))
            found.append(Candidate(
                thing=things[int(key)],
                qid=item.rsplit("/", 1)[1],
                label=row.get("itemLabel", {}).get("value", ""),
                description=row.get("itemDescription", {}).get("value", ""),
                types=_split(row.get("types", {}).get("value", "")),
                years=years,
                matched_label=row.get("matched", {}).get("value", ""),
            ))
    order = {t.iri: i for i, t in enumerate(things)}
    return sorted(found, key=lambda c: (order[c.thing.iri], c.year_matches is not True, c.qid))


def write_review(candidates: list[Candidate], path: Path) -> None:
    """The review table as TSV, written whole or not at all (temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=path.parent,
                                     prefix=f".{path.name}.", suffix=".part", delete=False)
    try:
        with fh:
            writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
            writer.writerow(COLUMNS)
            for c in candidates:
                match = "" if c.year_matches is None else str(c.year_matches).lower()
                writer.writerow([c.thing.kind, c.thing.iri, c.thing.labels[0], c.thing.year or "", c.qid, c.label,
                                 c.description, "|".join(c.types), "|".join(map(str, c.years)), c.matched_label,
                                 match])
        os.replace(fh.name, path)
    finally:
        Path(fh.name).unlink(missing_ok=True)
