"""DCAD 1.0 (Kinne): bilateral defence cooperation agreements, 1980-2010, with signature and entry into force.

Reads the official layout `dcad/DCAD-v1.0-main.csv`. The special codes of the DCAD codebook (-44 ... -99,
blanks) become explicit notes that quote the code, never dates or numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from foedus.fo_terms import FO, ROLE
from foedus.graph import emit
from foedus.graph.context import ImportContext
from foedus.graph.dates import PartialDate
from foedus.graph.sources.table import Row, partial_date, read_rows
from foedus.vocab import instrument_iri, mint, state_iri

DATASET = "dcad-1.0"
MAIN_FILE = Path("dcad/DCAD-v1.0-main.csv")
COLUMNS = ("ccode1", "cowName1", "ccode2", "cowName2", "signDay", "signMonth", "signYear", "EIFDay",
           "EIFMonth", "EIFYear", "type", "category1", "category2", "category3", "span", "renewType",
           "renewYears", "terminated",
           "durationActual", "endYearEstimate", "asymmetry", "categoryConf", "UNTS", "fullText", "sourceType",
           "source", "factivaConf", "factivaSign", "factivaEIF", "DCAid")
DCA_ID = re.compile(r"^DCADv1\.0-(\d{4})$")

# category codes in the file -> the codebook's names (fo:cooperationArea "as DCAD names it").
CATEGORIES = {"DCA": "Full DCA", "DIC": "Industry", "PROCUREMENT": "Procurement", "TREX": "TrEx",
              "RESEARCH": "Research", "COMMISSION": "Commission"}
TYPES = {"general": "general (a full DCA or an industry agreement)",
         "sector": "sector (procurement, training and exchange, research or commission)"}
SPAN = {-77: "Indefinite agreement: it makes no provision for termination or lasts until terminated",
        -88: "Finite agreement of indeterminate duration"}
SPAN_BLANK = "Formal span unknown: the agreement may be limited or indefinite (DCAD span blank)."
RENEW_TYPE = {
    -44: "finite, not renewable or renewal not addressed",
    -55: "renews for a limited term with the explicit consent of both parties",
    -56: "renews automatically once for a limited term",
    -57: "renews indefinitely with the explicit consent of both parties",
    -58: "renews with the consent of both parties for a term of unknown length",
    -66: "renews automatically in successive blocks",
    -77: "indefinite agreement",
    -88: "seems to provide for renewal, details unknown",
}
RENEW_YEARS = {-44: "not renewable", -55: "set at renewal", -66: "successive automatic blocks",
               -77: "indefinite", -88: "indeterminate"}
TERMINATED = {
    0: "In force on 2010-12-31 to the best of the DCAD coders' knowledge (DCAD terminated = 0).",
    -88: "Too little information on entry into force to determine termination (DCAD terminated = -88).",
    -99: "Appears to have entered into force; termination status unknown (DCAD terminated = -99).",
}
ASYMMETRY_POSSIBLE = "Possible evidence of asymmetric commitments, not definitive (DCAD asymmetry = 1)."
FULL_TEXT = {"N": "not available", "NE": "not available in English", "TE": "available in translation",
             "Y": "available in English"}
FACTIVA_SIGN = {1: "News reports say the agreement was signed (DCAD factivaSign = 1).",
                0: "News reports say the agreement was discussed but not signed (DCAD factivaSign = 0).",
                -99: "News reports are unclear whether the agreement was signed (DCAD factivaSign = -99)."}
FACTIVA_EIF = {1: "News reports say the agreement entered into force (DCAD factivaEIF = 1).",
               0: "News reports say the agreement did not enter into force (DCAD factivaEIF = 0).",
               -99: "News reports are unclear about entry into force (DCAD factivaEIF = -99)."}


def load(source_dir: Path, ctx: ImportContext) -> Graph:
    """Read DCAD 1.0 from `source_dir` into the triples of the `dcad-1.0` graph."""
    g = emit.new_graph()
    seen: set[str] = set()
    for row in read_rows(source_dir / MAIN_FILE, COLUMNS):
        _agreement(g, row, seen, ctx)
    ctx.progress(f"dcad: {len(seen)} agreements")
    return g


def _note(g: Graph, node: URIRef, text: str) -> None:
    """Add one fo:note (plain xsd:string, as the ontology declares)."""
    g.add((node, FO.note, Literal(text)))


def _agreement(g: Graph, row: Row, seen: set[str], ctx: ImportContext) -> None:
    """Add one agreement with its parties, participations, events, categories and coded status."""
    dca_id = row.text("DCAid")
    match = DCA_ID.match(dca_id)
    if not match:
        raise row.fail("DCAid", f"expected an identifier like DCADv1.0-0001, found {dca_id!r}")
    if dca_id in seen:
        raise row.fail("DCAid", f"{dca_id} appears twice")
    seen.add(dca_id)
    key = f"dcad-{match.group(1)}"
    node = instrument_iri(key)
    for cls in (FO.DefenceCooperationAgreement, FO.Agreement, FO.Instrument):
        g.add((node, RDF.type, cls))
    g.add((node, FO.dcadId, Literal(dca_id)))
    emit.derived(g, node, DATASET, emit.row_iri(DATASET, "main", row.number))

    parties = _parties(g, node, key, row, ctx)
    sign = partial_date(row, "signYear", "signMonth", "signDay")
    kind = row.text("type")
    if kind not in TYPES:
        raise row.fail("type", f"expected general or sector, found {kind!r}")
    category = _category(row, "category1", required=True)
    names = "–".join(row.text(c) for c in ("cowName1", "cowName2"))
    when = sign.first.isoformat() if sign and not sign.coarse else str(sign.year) if sign else "undated"
    label = f"{names} defence cooperation agreement ({category}, {when})"
    g.add((node, RDFS.label, Literal(label, lang="en")))
    g.add((node, FO.cooperationArea, Literal(category)))
    _note(g, node, f"DCAD type: {TYPES[kind]}.")
    for column in ("category2", "category3"):
        alternative = _category(row, column, required=False)
        if alternative:
            _note(g, node, f"DCAD's likely alternative category ({column}): {alternative}.")

    if sign is None:
        _note(g, node, "Signature date unknown (DCAD signYear blank).")
    else:
        emit.span(g, node, sign, None)
    signature = emit.event(g, mint("event", key, "signature"), FO.Signature, sign)
    g.add((signature, FO.ofAgreement, node))
    for party in parties:
        g.add((signature, FO.byActor, party))
    emit.derived(g, signature, DATASET)

    eif = partial_date(row, "EIFYear", "EIFMonth", "EIFDay")
    if eif is not None:
        entry = emit.event(g, mint("event", key, "entry-into-force"), FO.EntryIntoForce, eif)
        g.add((entry, FO.ofAgreement, node))
        emit.derived(g, entry, DATASET)
    elif row.text("EIFMonth") or row.text("EIFDay"):
        ctx.warn(f"{row.where('EIFYear')}: {dca_id} has an entry-into-force day/month but no year; unused")
        _note(g, node, "DCAD gives an entry-into-force day and month but no year; no date is recorded.")
    _status(g, node, key, row)
    _terms(g, node, row)


def _parties(g: Graph, node: URIRef, key: str, row: Row, ctx: ImportContext) -> list[URIRef]:
    """The two signatories as fo:hasParty and as participations in the role `participant`."""
    codes = [row.integer("ccode1"), row.integer("ccode2")]
    if codes[0] == codes[1]:
        letters = row.text("cowName1"), row.text("cowName2")
        ctx.warn(f"{row.where('ccode2')}: {row.text('DCAid')} names COW {codes[0]} as both signatories "
                 f"({letters[0]}, {letters[1]}); one party recorded")
        _note(g, node, f"DCAD gives COW code {codes[0]} for both signatories (cowName1 = {letters[0]}, "
                       f"cowName2 = {letters[1]}); the second signatory is uncertain.")
        codes = codes[:1]
    parties = []
    for code in codes:
        party = state_iri(code)
        parties.append(party)
        g.add((node, FO.hasParty, party))
        participation = mint("participation", key, code)
        g.add((node, FO.hasParticipation, participation))
        g.add((participation, RDF.type, FO.Participation))
        g.add((participation, FO.participant, party))
        g.add((participation, FO.participantRole, ROLE.participant))
    return parties


def _category(row: Row, column: str, *, required: bool) -> str | None:
    """A DCAD category code as the codebook names it (DCA -> Full DCA, TREX -> TrEx ...)."""
    code = row.text(column)
    if not code and not required:
        return None
    if code not in CATEGORIES:
        raise row.fail(column, f"expected one of {', '.join(CATEGORIES)}, found {code!r}")
    return CATEGORIES[code]


def _status(g: Graph, node: URIRef, key: str, row: Row) -> None:
    """Record `terminated` as the codebook defines it: a termination event (year known) or a note."""
    terminated = row.choice("terminated", (0, 1, -88, -99))
    if terminated is None:
        _note(g, node, "Termination status blank in DCAD (unknown).")
    elif terminated == 1:
        year = row.opt_int("endYearEstimate")
        if year is None or not 1 <= year <= 9999:
            raise row.fail("endYearEstimate", "a terminated agreement needs the year it ended")
        end = PartialDate(year)
        termination = emit.event(g, mint("event", key, "termination"), FO.Termination, end)
        g.add((termination, FO.ofAgreement, node))
        emit.derived(g, termination, DATASET)
        emit.span(g, node, None, end)
        actual = row.opt_int("durationActual")
        duration = f", after {actual} years (DCAD durationActual)" if actual is not None else ""
        _note(g, node, f"Known to have terminated in {end.year}{duration} (DCAD terminated = 1).")
    else:
        _note(g, node, TERMINATED[terminated])


def _terms(g: Graph, node: URIRef, row: Row) -> None:
    """Record span, renewal, asymmetry and the coders' sources and confidence as notes quoting the codes."""
    span = row.opt_int("span")
    if span is None:
        _note(g, node, SPAN_BLANK)
    elif span in SPAN:
        _note(g, node, f"{SPAN[span]} (DCAD span = {span}).")
    elif span > 0:
        _note(g, node, f"Formal span of {span} years (DCAD span = {span}).")
    else:
        raise row.fail("span", f"expected a positive number of years, -77 or -88, found {span}")
    renew_type = row.choice("renewType", tuple(RENEW_TYPE))
    renew_years = row.opt_int("renewYears")
    if renew_years is not None and renew_years <= 0 and renew_years not in RENEW_YEARS:
        raise row.fail("renewYears", f"expected a number of years or a DCAD code, found {renew_years}")
    if renew_type is None and renew_years is None:
        _note(g, node, "No information on renewal (DCAD renewType and renewYears blank).")
    else:
        how = RENEW_TYPE[renew_type] if renew_type is not None else "renewal conditions unknown"
        term = ("unknown" if renew_years is None else
                f"{renew_years} years" if renew_years > 0 else RENEW_YEARS[renew_years])
        codes = f"renewType = {renew_type if renew_type is not None else 'blank'}, " \
                f"renewYears = {renew_years if renew_years is not None else 'blank'}"
        _note(g, node, f"Renewal: {how}; renewal term: {term} (DCAD {codes}).")
    asymmetry = row.choice("asymmetry", (0, 1, 2))
    if asymmetry in (0, 2):
        g.add((node, FO.asymmetric, Literal(asymmetry == 2)))
    elif asymmetry == 1:
        _note(g, node, ASYMMETRY_POSSIBLE)
    confidence = row.text("categoryConf")
    if confidence:
        _note(g, node, f"DCAD coders' confidence in the category: {confidence} (categoryConf).")
    unts = row.opt_int("UNTS")
    if unts is not None:
        g.add((node, DCTERMS.identifier, Literal(f"UNTS {unts}")))
    full_text = row.text("fullText")
    if full_text:
        if full_text not in FULL_TEXT:
            raise row.fail("fullText", f"expected one of {', '.join(FULL_TEXT)}, found {full_text!r}")
        _note(g, node, f"Full text {FULL_TEXT[full_text]} (DCAD fullText = {full_text}).")
    source_type, source = row.text("sourceType"), row.text("source")
    if source_type or source:
        kind_of_source = source_type or "type not given"
        _note(g, node, f"DCAD coded it from: {source or 'unnamed source'} ({kind_of_source}).")
    factiva = row.choice("factivaConf", (1, 2, 3, 4, 5))
    if factiva is not None:
        _note(g, node, f"DCAD coders' confidence in the news sources: {factiva} of 5 (factivaConf).")
    for column, meanings in (("factivaSign", FACTIVA_SIGN), ("factivaEIF", FACTIVA_EIF)):
        value = row.choice(column, tuple(meanings))
        if value is not None:
            _note(g, node, meanings[value])
