"""The ATOP 5.1 codebook's codes as our classes: obligation columns, condition columns and institutional provisions
(Leeds, 9 August 2022, sections 2.32-2.34), in one table each so the importer reads as the codebook does."""

from __future__ import annotations

from rdflib import URIRef

from foedus.fo_terms import FO

# Obligation columns -> (our class, IRI word, label, summary condition column, condition columns).
OBLIGATIONS: tuple[tuple[str, URIRef, str, str, str | None, tuple[str, ...]], ...] = (
    ("defense", FO.DefenceObligation, "defence", "Defence", "defcon",
     ("defcoadv", "defcoloc", "defcocon", "defconum", "defcodem", "defconpr")),
    ("offense", FO.OffenceObligation, "offence", "Offence", "offcon",
     ("offcoadv", "offcoloc", "offcocon", "offconum", "offcodem")),
    ("neutral", FO.NeutralityObligation, "neutrality", "Neutrality", "neucon",
     ("neucoadv", "neucoloc", "neucocon", "neuconum", "neucodem", "neuconpr", "neucoatt")),
    ("nonagg", FO.NonAggressionObligation, "non-aggression", "Non-aggression", None, ()),
    ("consul", FO.ConsultationObligation, "consultation", "Consultation", "concon",
     ("concoadv", "concoloc", "concocon", "concoreq")),
)

# Condition columns, by their last letters (defcoADV, neucoATT ...) -> our class and the codebook's meaning.
CONDITIONS: dict[str, tuple[URIRef, str]] = {
    "adv": (FO.AdversaryCondition, "only against a particular adversary or type of adversary"),
    "loc": (FO.LocationCondition, "only for conflict in a particular location"),
    "con": (FO.ConflictTypeCondition, "only in a particular ongoing conflict"),
    "num": (FO.NumberOfAdversariesCondition, "only for a given number of adversaries"),
    "dem": (FO.DemandCondition, "only if the ally or the adversary meets (or refuses) demands made in it"),
    "npr": (FO.NonProvocationCondition, "only if the ally does not provoke the adversary"),
    "att": (FO.AttackCondition, "only if the ally is attacked"),
    "req": (FO.RequestCondition, "only when an ally requests consultation"),
}
SUMMARY_ONLY = "conditional, but ATOP codes no particular condition"
OTHER_CONDITION = "one of this member's obligations depends on a condition ATOP codes no further"

# Institutional provisions (alliance level, may change by phase) -> our class and the meaning of each code.
PROVISIONS: tuple[tuple[str, URIRef, dict[int, str]], ...] = (
    ("milaid", FO.MilitaryAidProvision, {
        1: "general or unspecified military aid", 2: "military aid as grants or loans",
        3: "military training and/or transfer of technology",
        4: "grants or loans and training or technology"}),
    ("base", FO.BasesProvision, {
        1: "joint troop placements on neutral territory",
        2: "every member may station troops on, or use the military facilities of, the others",
        3: "some members station troops on the territory of others, not reciprocally"}),
    ("intcom", FO.IntegratedCommandProvision, {1: "an integrated command in peacetime and wartime"}),
    ("organ1", FO.OrganisationProvision, {
        1: "regular meetings of officials to manage the agreement",
        2: "a named organisation with regularly scheduled meetings",
        3: "a stand-alone organisation with a permanent bureaucracy"}),
    ("milcon", FO.PolicyCoordinationProvision, {
        1: "contact among the armed services in the event of hostilities",
        2: "contact among the armed services in peacetime as well",
        3: "a common defence policy (doctrine, training, procurement, joint planning)"}),
    ("contrib", FO.TroopContributionProvision, {
        1: "the contributions of troops, supplies or funds are specified"}),
)
