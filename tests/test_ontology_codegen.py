"""foedus/fo_terms.py is generated from ontology/foedus.ttl; the tests prove the committed copy is current."""

from __future__ import annotations

from pathlib import Path

import pytest

from foedus.fo_terms import FO, ROLE
from foedus.ontology import codegen


def test_committed_fo_terms_is_current() -> None:
    assert codegen.is_current(), "foedus/fo_terms.py is stale: run `make vocab`"


def test_codegen_is_deterministic(tmp_path: Path) -> None:
    out = tmp_path / "fo_terms.py"
    codegen.write(out)
    first = out.read_bytes()
    codegen.write(out)
    assert out.read_bytes() == first == codegen.render().encode("utf-8")
    assert "DO NOT EDIT" in first.decode("utf-8")


def test_check_flag_reports_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "fo_terms.py"
    stale.write_text("# old\n", encoding="utf-8")
    assert codegen.main(["--check", "--out", str(stale)]) == 1
    codegen.write(stale)
    assert codegen.main(["--check", "--out", str(stale)]) == 0


def test_namespace_is_closed() -> None:
    assert str(FO.Alliance) == "https://w3id.org/foedus/ontology/Alliance"
    assert str(ROLE.host) == "https://w3id.org/foedus/ontology/role/host"
    with pytest.raises(AttributeError):
        _ = FO.Aliance  # a typo raises


def test_every_requested_term_is_generated() -> None:
    for name in ["Actor", "State", "AlliedDyad", "hasParty", "startedBy", "claimValue", "cow4AllianceId",
                 "iso3166Alpha3", "DefenceCooperationAgreement", "Occurrence", "role"]:
        assert str(getattr(FO, name)).endswith(name)
