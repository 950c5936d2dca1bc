"""Browser test of asking: a question typed in the home page's Ask box is answered on /ask with the saved query's
name, the parameters it chose, the answer table and the SPARQL. Same server, browser and guards as test_browser_ui."""

from __future__ import annotations

import pytest
from test_browser_ui import base_url, browser, page, shot  # noqa: F401  (fixtures shared with the UI tests)

pytestmark = pytest.mark.browser


def test_home_ask_box_answers_with_table_and_sparql(page: object, base_url: str) -> None:  # noqa: F811
    """Home -> Ask "Members of NATO on 1990-01-01" -> the 16 members, the query's name and its SPARQL."""
    page.goto(base_url + "/")  # type: ignore[attr-defined]
    page.locator("#home-ask").fill("Members of NATO on 1990-01-01")  # type: ignore[attr-defined]
    page.locator("form.home-ask button").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/ask?question=*")  # type: ignore[attr-defined]
    answer = page.locator("#ask-answer")  # type: ignore[attr-defined]
    assert "alliance-members-on-date" in answer.inner_text()
    assert page.locator("table.answer tbody tr").count() == 16  # type: ignore[attr-defined]
    assert "United States" in page.locator("table.answer").inner_text()  # type: ignore[attr-defined]
    params = page.locator("table.params").inner_text()  # type: ignore[attr-defined]
    assert "1990-01-01" in params and "https://w3id.org/foedus/id/alliance/nato" in params
    sparql = page.locator("#ask-sparql").inner_text()  # type: ignore[attr-defined]
    assert "SELECT ?alliance ?date ?member" in sparql
    shot(page, "ask-answer")
