"""Browser tests in headless Chromium (Debian's, driven by Playwright): the pages a person uses, end to end.

The app runs on 127.0.0.1 on a free port in a thread, over a small release (tests/fixtures/ui). Every
request the browser makes must stay on that server (no CDN): others are blocked and fail the test.
Screenshots are kept in artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import serving
from fixtures.ui.release import shared_releases

from foedus.server.app import create_app
from foedus.settings import load_settings

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The app, serving the UI test release, on a free loopback port for the module's tests."""
    app = create_app(load_settings({"releases": str(shared_releases()), "workers": 1}))
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless; fails (never skips) when it is missing: .ci/system-deps installs it."""
    from playwright.sync_api import sync_playwright

    assert shutil.which("chromium") or Path(CHROMIUM).exists(), \
        "chromium is missing: run `bash .ci/system-deps test` (apt-get install chromium)"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: object, base_url: str) -> Iterator[object]:
    """A fresh page that refuses every request leaving our server and records page errors and CSP refusals."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.outside = []
    page.errors = []

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(base_url) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            page.outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", guard)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.csp = []  # what our Content-Security-Policy refused (Chromium says so on the console)
    page.on("console", lambda msg: page.csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    assert page.outside == [], f"requests left the server: {page.outside}"
    assert page.errors == [], f"JavaScript errors: {page.errors}"
    assert page.csp == [], f"refused by the Content-Security-Policy: {page.csp}"
    context.close()


def shot(page: object, name: str) -> None:
    """Keep a full-page screenshot as a CI artefact."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_home_page(page: object, base_url: str) -> None:
    """The home page names the project, links the surfaces and lists curated alliances."""
    page.goto(base_url + "/")
    assert "Foedus" in page.title()
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Query", "Timeline", "Network", "Dataset", "Ontology"):
        assert nav.get_by_role("link", name=name).is_visible()
    assert page.get_by_role("link", name="North Atlantic Treaty Organization").is_visible()
    shot(page, "home")


def test_query_editor_runs_a_query_and_shows_the_table(page: object, base_url: str) -> None:
    """YASGUI loads from our server, runs a saved example against /sparql, and shows the result table."""
    page.goto(base_url + "/query")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.locator("button.example[data-name='alliance-members-on-date']").click()
    assert "VALUES" in page.evaluate("window.foedusYasgui.getTab().getQuery()")
    page.locator(".yasqe_queryButton").click()
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for(timeout=20000)
    assert rows.count() >= 12
    assert page.locator(".yasr table.dataTable").get_by_text("United States of America").first.is_visible()
    shot(page, "query-table")
    page.locator(".yasr table.dataTable a", has_text="foid:state/2").first.click()
    page.wait_for_url("**/id/state/2")
    assert page.get_by_role("heading", level=1).inner_text() == "United States of America"


def test_query_results_as_a_chart(page: object, base_url: str) -> None:
    """A result with a numeric column can be shown as a chart (our Chart.js plugin for YASR)."""
    page.goto(base_url + "/query")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.evaluate("""() => { window.foedusYasgui.getTab().setQuery(
      'PREFIX fo: <https://w3id.org/foedus/ontology/>\\nPREFIX org: <http://www.w3.org/ns/org#>\\n' +
      'SELECT ?alliance (COUNT(DISTINCT ?member) AS ?members) WHERE {\\n' +
      '  ?m a fo:AllianceMembership ; org:organization ?alliance ; org:member ?member .\\n' +
      '} GROUP BY ?alliance ORDER BY DESC(?members) LIMIT 15'); }""")
    page.locator(".yasqe_queryButton").click()
    page.locator(".yasr table.dataTable tbody tr").first.wait_for(timeout=20000)
    page.locator(".yasr .select_chart").click()
    page.locator(".yasr .chart-box canvas").wait_for(timeout=10000)
    shot(page, "query-chart")


def test_resource_page_of_an_alliance(page: object, base_url: str) -> None:
    """NATO's page: label, members over time (table and timeline), obligations, events, sources."""
    page.goto(base_url + "/id/alliance/nato")
    assert page.get_by_role("heading", level=1).inner_text() == "North Atlantic Treaty Organization"
    for heading in ("Members over time", "Obligations", "Events", "Properties", "What points here",
                    "Source graphs"):
        assert page.get_by_role("heading", name=heading).is_visible()
    page.wait_for_selector(".timeline[data-ready='1'] .vis-item", timeout=15000)
    assert page.locator("a[href='https://www.wikidata.org/wiki/Q7184']").count() >= 1
    shot(page, "resource-nato")


def test_resource_page_of_a_state(page: object, base_url: str) -> None:
    """A state's page shows its alliances over time, and its links lead to other pages of ours."""
    page.goto(base_url + "/id/state/2")
    assert page.get_by_role("heading", name="Alliances over time").is_visible()
    page.wait_for_selector(".timeline[data-ready='1'] .vis-item", timeout=15000)
    page.locator("#alliances table a", has_text="North Atlantic Treaty Organization").first.click()
    page.wait_for_url("**/id/alliance/nato")
    shot(page, "resource-usa-then-nato")


def test_timeline_page(page: object, base_url: str) -> None:
    """The timeline page draws one row per member of the chosen alliance, a bar per spell and source."""
    page.goto(base_url + "/timeline?of=alliance/warsaw-pact")
    page.wait_for_selector("#timeline[data-ready='1'] .vis-item", timeout=15000)
    assert page.locator("#timeline .vis-label").count() >= 8
    assert "Warsaw" in page.locator("#timeline-title").inner_text()
    shot(page, "timeline-warsaw-pact")


def test_network_view(page: object, base_url: str) -> None:
    """The network of 1990 draws states and alliance ties on a canvas, with a summary and a legend."""
    page.goto(base_url + "/network?year=1990")
    page.wait_for_selector("#network[data-ready='1'] canvas", timeout=30000)
    summary = page.locator("#network-summary").inner_text()
    assert "states" in summary and "1990" in summary
    assert page.locator("ul.legend li", has_text="defence").is_visible()
    assert page.locator("#network-list li").count() == int(summary.split()[0])  # the list says it in words
    shot(page, "network-1990")


@pytest.mark.parametrize("path", ["/ontology", "/dataset", "/api", "/search?q=NATO", "/sparql", "/no-such-page"])
def test_other_pages_load_under_the_csp(page: object, base_url: str, path: str) -> None:
    """The pages no other test drives render with the Content-Security-Policy in force (the fixture fails on any
    refusal Chromium reports): pyLODE's documentation, the dataset, the API, search, /sparql in a browser, errors."""
    response = page.goto(base_url + path)  # type: ignore[attr-defined]
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert page.title()  # type: ignore[attr-defined]
