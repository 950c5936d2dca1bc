"""What a curated file may say: the accepted keys of every kind of mapping, and the words its values may take.

Declared once, here: the readers check every mapping against `KEYS`, and `tests/test_curated_format.py` fails when
the "Accepted keys" table of FORMAT.md says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from foedus.fo_terms import FO


@dataclass(frozen=True)
class Keys:
    """The keys one kind of mapping accepts, and those of them it requires."""

    allowed: tuple[str, ...]
    required: tuple[str, ...] = ()


KEYS: dict[str, Keys] = {
    "alliance file": Keys(
        (
            "label", "alt_labels", "kind", "international_organisation", "description", "wikidata", "atop", "cow",
            "identifier_source", "parts", "sources", "treaties", "members", "events", "outside_command",
        ),
        ("label", "kind"),
    ),
    "treaty": Keys(
        (
            "id", "label", "alt_labels", "kind", "binding", "wikidata", "depositary", "amends", "events",
            "obligations", "provisions", "provisions_source", "description", "note",
        ),
        ("id", "label", "kind"),
    ),
    "member spell": Keys(
        ("member", "part", "start", "end", "start_event", "end_event", "source", "note", "disputed"), ("member",)
    ),
    "outside-command spell": Keys(("member", "start", "end", "scope", "source", "note"), ("member", "start", "source")),
    "part": Keys(("atop", "cow", "treaty", "label", "note"), ("atop",)),
    "event": Keys(
        (
            "type", "date", "actor", "place", "place_wikidata", "article", "scope", "treaty", "note", "source",
            "disputed",
        ),
        ("type",),
    ),
    "obligation": Keys(("type", "article", "summary", "obliged", "conditions", "source", "note"), ("type",)),
    "condition": Keys(("type", "note"), ("type",)),
    "disputed value of a member spell": Keys(("start", "end", "source", "note")),
    "disputed value of an event": Keys(("date", "source", "note")),
    "citation": Keys(("title", "url", "publisher", "kind", "note"), ("title",)),
    "instrument file": Keys(
        (
            "label", "alt_labels", "type", "description", "wikidata", "start", "end", "recurring", "place",
            "based_on", "participants", "occurrences", "events", "sources", "source", "note",
        ),
        ("label", "type"),
    ),
    "participant": Keys(
        ("actor", "role", "start", "end", "start_event", "end_event", "source", "note"), ("actor", "role")
    ),
    "occurrence": Keys(("label", "start", "end", "place", "participants", "source", "note"), ("label",)),
    "actors.yaml": Keys(("actors", "sources")),
    "actor": Keys(
        (
            "id", "label", "alt_labels", "kind", "description", "wikidata", "continued_by", "start", "end",
            "source", "note",
        ),
        ("id", "label", "kind"),
    ),
}

# The aspects a `disputed:` value may name, per kind of fact: aspect -> (property, is it an end?).
DISPUTED_ASPECTS: dict[str, dict[str, tuple[URIRef, bool]]] = {
    "disputed value of a member spell": {"start": (FO.startDate, False), "end": (FO.endDate, True)},
    "disputed value of an event": {"date": (FO.date, False)},
}

ROLES = ("host", "participant", "organiser", "supplier", "recipient", "observer")
# Strongest first: what the cited page is (FORMAT.md, Citations); the build report ranks facts by it.
CITATION_KINDS = ("treaty-text", "depositary", "official-page", "scholarly", "news", "mirror", "wikidata")
PRIMARY_KINDS = ("treaty-text", "depositary", "official-page")
ALLIANCE_KINDS = ("organisation", "collaboration", "not-an-alliance")

EVENT_CLASSES: dict[str, URIRef] = {
    "signature": FO.Signature,
    "ratification": FO.Ratification,
    "deposit": FO.Deposit,
    "entry-into-force": FO.EntryIntoForce,
    "accession": FO.Accession,
    "withdrawal": FO.Withdrawal,
    "withdrawal-notice": FO.WithdrawalNotice,
    "partial-withdrawal": FO.PartialWithdrawal,
    "reintegration": FO.Reintegration,
    "suspension": FO.Suspension,
    "reinstatement": FO.Reinstatement,
    "termination": FO.Termination,
    "expiry": FO.Expiry,
    "renewal": FO.Renewal,
    "invocation": FO.Invocation,
    "founding": FO.Founding,
    "dissolution": FO.Dissolution,
}
TREATY_CLASSES: dict[str, URIRef] = {
    "treaty": FO.Treaty,
    "protocol": FO.Protocol,
    "accession-protocol": FO.AccessionProtocol,
    "mou": FO.MemorandumOfUnderstanding,
    "joint-declaration": FO.JointDeclaration,
    "exchange-of-notes": FO.ExchangeOfNotes,
    "peace-treaty": FO.PeaceTreaty,
    "agreement": FO.Agreement,
}
OBLIGATION_CLASSES: dict[str, URIRef] = {
    "defence": FO.DefenceObligation,
    "offence": FO.OffenceObligation,
    "neutrality": FO.NeutralityObligation,
    "non-aggression": FO.NonAggressionObligation,
    "consultation": FO.ConsultationObligation,
}
CONDITION_CLASSES: dict[str, URIRef] = {
    "location": FO.LocationCondition,
    "adversary": FO.AdversaryCondition,
    "non-provocation": FO.NonProvocationCondition,
    "conflict-type": FO.ConflictTypeCondition,
    "number-of-adversaries": FO.NumberOfAdversariesCondition,
    "demand": FO.DemandCondition,
    "non-compliance": FO.NonComplianceCondition,
    "other": FO.OtherCondition,
}
PROVISION_CLASSES: dict[str, URIRef] = {
    "military-aid": FO.MilitaryAidProvision,
    "bases": FO.BasesProvision,
    "integrated-command": FO.IntegratedCommandProvision,
    "organisation": FO.OrganisationProvision,
    "policy-coordination": FO.PolicyCoordinationProvision,
    "troop-contributions": FO.TroopContributionProvision,
    "arms-control": FO.ArmsControlProvision,
    "intelligence-sharing": FO.IntelligenceSharingProvision,
}
INSTRUMENT_CLASSES: dict[str, URIRef] = {
    "joint-exercise": FO.JointExercise,
    "intelligence-sharing": FO.IntelligenceSharingArrangement,
    "attache-post": FO.AttachePost,
    "training-programme": FO.TrainingProgramme,
    "arms-transfer": FO.ArmsTransfer,
    "military-assistance": FO.MilitaryAssistance,
    "strategic-dialogue": FO.StrategicDialogue,
    "liaison-arrangement": FO.LiaisonArrangement,
    "confidence-building-measure": FO.ConfidenceBuildingMeasure,
    "crisis-hotline": FO.CrisisCommunicationChannel,
    "defence-cooperation-agreement": FO.DefenceCooperationAgreement,
    "port-visit": FO.PortVisit,
}
ACTOR_CLASSES: dict[str, URIRef] = {
    "state": FO.State,
    "organisation": FO.InternationalOrganization,
    "person": FO.Person,
}
