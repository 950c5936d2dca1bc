"""Browser tests of finding things: the home page's search box with its suggestions, the search page, and
YASGUI's completion of our IRIs from the label index. Same server, browser and guards as test_browser_ui."""

from __future__ import annotations

import pytest
from test_browser_ui import base_url, browser, page, shot  # noqa: F401  (fixtures shared with the UI tests)

pytestmark = pytest.mark.browser


def test_home_search_suggests_and_opens_a_state(page: object, base_url: str) -> None:  # noqa: F811
    """Typing a historical name in the home page's box suggests its state with the period; choosing it opens it."""
    page.goto(base_url + "/")  # type: ignore[attr-defined]
    box = page.locator("#home-search")  # type: ignore[attr-defined]
    box.fill("prus")
    first = page.locator("#home-search-suggestions li").first  # type: ignore[attr-defined]
    first.wait_for(timeout=10000)
    assert "Germany" in first.inner_text() and "Prussia" in first.inner_text()
    shot(page, "search-suggestions")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/id/state/255")  # type: ignore[attr-defined]
    assert page.get_by_role("heading", level=1).inner_text() == "Germany"  # type: ignore[attr-defined]


def test_home_search_submits_to_the_search_page(page: object, base_url: str) -> None:  # noqa: F811
    """Submitting the box lists the matches with the name that matched."""
    page.goto(base_url + "/")  # type: ignore[attr-defined]
    page.locator("#home-search").fill("USSR")  # type: ignore[attr-defined]
    page.locator("form.home-search:not(.home-ask) button").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/search?q=USSR")  # type: ignore[attr-defined]
    first = page.locator("ol.results li").first  # type: ignore[attr-defined]
    assert first.locator("a").inner_text() == "Russia" and "“USSR”" in first.inner_text()
    shot(page, "search-results")


def test_yasgui_completes_our_iris_from_the_index(page: object, base_url: str) -> None:  # noqa: F811
    """In the editor, `foid:` followed by a name completes to the resource's IRI."""
    page.goto(base_url + "/query")  # type: ignore[attr-defined]
    page.wait_for_selector(".yasqe .CodeMirror")  # type: ignore[attr-defined]
    page.evaluate("""() => { const y = window.foedusYasgui.getTab().getYasqe();
      y.setValue('PREFIX foid: <https://w3id.org/foedus/id/>\\nDESCRIBE foid:warsaw');
      y.focus(); y.setCursor({line: 1, ch: 100}); y.autocomplete(); }""")
    hint = page.locator(".CodeMirror-hints li").first  # type: ignore[attr-defined]
    hint.wait_for(timeout=10000)
    texts = page.locator(".CodeMirror-hints li").all_inner_texts()  # type: ignore[attr-defined]
    assert "foid:alliance/warsaw-pact" in texts
    shot(page, "query-autocomplete")


def test_reconcile_from_the_home_page_with_previews(page: object, base_url: str) -> None:  # noqa: F811
    """Home -> Reconcile -> a batch of names: best candidates with scores, match flags and the preview cards."""
    page.goto(base_url + "/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="Reconcile").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/reconcile/docs")  # type: ignore[attr-defined]
    page.locator("#reconcile-names").fill("Kingdom of Prussia\nUSSR\nWarsaw Pact")  # type: ignore[attr-defined]
    page.locator("#reconcile-year").fill("")  # type: ignore[attr-defined]
    page.locator("#reconcile-try button").click()  # type: ignore[attr-defined]
    page.wait_for_selector("#reconcile-out[data-ready='1']", timeout=20000)  # type: ignore[attr-defined]
    rows = page.locator("#reconcile-out tbody tr").all_inner_texts()  # type: ignore[attr-defined]
    assert "state/255" in rows[0] and "match" in rows[0]
    assert "state/365" in rows[1]
    assert "no candidate" in rows[2] or "not sure" in rows[2]  # an alliance asked for as a state is never certain
    frame = page.frame_locator("#reconcile-out iframe").first  # type: ignore[attr-defined]
    assert frame.locator("h1").inner_text() == "Germany"
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    shot(page, "reconcile-preview")
