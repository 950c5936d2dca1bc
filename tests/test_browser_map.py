"""Browser tests of the map and the cooperation charts, in headless Chromium over the full release.

The browser and page fixtures are test_browser_ui's (every request must stay on our server, no JavaScript error, no
CSP refusal); the app here serves the shared full-release store. Screenshots go to the pytest tmp dir
(`map-shots/`), and each test asserts that points, paths or chart data were drawn, not only that a page loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import test_browser_ui as ui_browser
from conftest import serving
from pyoxigraph import Store

from foedus.server.app import create_app
from foedus.settings import load_settings

pytestmark = pytest.mark.browser

browser = ui_browser.browser  # the same Chromium (module scope) and guarded page as the UI tests
page = ui_browser.page


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, full_store: Store) -> Iterator[str]:
    """The app over the full release on a free loopback port, for this module's tests."""
    app = create_app(load_settings({"releases": str(tmp_path_factory.mktemp("rel")), "workers": 1}), full_store)
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this module keeps its screenshots (printed by pytest's tmp-path rules; look at them)."""
    return tmp_path_factory.mktemp("map-shots")


def shot(page: object, shots: Path, name: str) -> Path:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def shot_sections(page: object, shots: Path, name: str, first: str, last: str) -> Path:
    """A screenshot from one section's top to another's bottom (a state's page is many screens long)."""
    top = page.locator(first).bounding_box()  # type: ignore[attr-defined]
    bottom = page.locator(last).bounding_box()  # type: ignore[attr-defined]
    path = shots / f"{name}.png"
    clip = {"x": 0, "y": top["y"], "width": 1280, "height": bottom["y"] + bottom["height"] - top["y"]}
    page.screenshot(path=str(path), clip=clip, full_page=True)  # type: ignore[attr-defined]
    return path


def test_the_map_draws_countries_exercises_and_bases(page: object, base_url: str, shots: Path) -> None:
    """1995: a path per country, a linked circle per located exercise and base; the toggles hide a layer."""
    page.goto(base_url + "/map?year=1995")  # type: ignore[attr-defined]
    page.wait_for_selector("#world-map[data-ready='1'] svg", timeout=30000)  # type: ignore[attr-defined]
    counts = page.evaluate("window.foedusMap.counts")  # type: ignore[attr-defined]
    assert counts["exercises"] > 50 and counts["bases"] > 300
    assert page.locator("#world-map path.country").count() > 150  # type: ignore[attr-defined]
    assert page.locator("#world-map circle.pt-exercise").count() == counts["exercises"]  # type: ignore[attr-defined]
    assert page.locator("#world-map circle.pt-base").count() == counts["bases"]  # type: ignore[attr-defined]
    assert "1995" in page.locator("#map-summary").inner_text()  # type: ignore[attr-defined]
    shot(page, shots, "map-1995")
    page.locator("input[data-layer='bases']").uncheck()  # type: ignore[attr-defined]
    assert not page.locator("#world-map g.layer-bases").is_visible()  # type: ignore[attr-defined]
    assert page.locator("#world-map circle.pt-base").first.is_hidden()  # type: ignore[attr-defined]
    shot(page, shots, "map-1995-exercises-only")
    href = page.locator("#world-map g.layer-exercises a.pt-link").first.get_attribute("href")  # type: ignore[attr-defined]
    assert href.startswith("/id/instrument/mme-")
    page.locator("#world-map g.layer-exercises a.pt-link").first.dispatch_event("click")  # type: ignore[attr-defined]
    page.wait_for_url("**" + href)  # type: ignore[attr-defined]
    page.wait_for_selector(".mini-map[data-ready='1'] circle.pt", timeout=15000)  # type: ignore[attr-defined]
    shot(page, shots, "exercise-page")


def test_a_series_on_the_map_and_on_its_page(page: object, base_url: str, shots: Path) -> None:
    """Cobra Gold's 28 editions on the world map, and on the series page's small globe."""
    page.goto(base_url + "/map?series=instrument/mme-series-cobra-gold&layer=exercises")  # type: ignore[attr-defined]
    page.wait_for_selector("#world-map[data-ready='1'] svg", timeout=30000)  # type: ignore[attr-defined]
    assert page.locator("#world-map circle.pt-exercise").count() == 28  # type: ignore[attr-defined]
    assert page.locator("#world-map circle.pt-base").count() == 0  # type: ignore[attr-defined]
    shot(page, shots, "map-cobra-gold")
    page.goto(base_url + "/id/instrument/mme-series-cobra-gold")  # type: ignore[attr-defined]
    page.wait_for_selector(".mini-map[data-ready='1'] svg", timeout=15000)  # type: ignore[attr-defined]
    assert page.locator(".mini-map circle.pt").count() == 28  # type: ignore[attr-defined]
    assert page.locator(".mini-map path.country").count() > 100  # type: ignore[attr-defined]
    shot(page, shots, "series-page")


def test_a_base_page_shows_its_place(page: object, base_url: str, shots: Path) -> None:
    page.goto(base_url + "/id/base/2/johnston-atoll-airfield")  # type: ignore[attr-defined]
    page.wait_for_selector(".mini-map[data-ready='1'] svg", timeout=15000)  # type: ignore[attr-defined]
    assert page.locator(".mini-map circle.pt").count() == 1  # type: ignore[attr-defined]
    shot(page, shots, "base-page")


def _chart_points(page: object, which: str) -> int:
    canvas = page.locator(f"canvas.coop-chart[data-chart='{which}']")  # type: ignore[attr-defined]
    canvas.wait_for(timeout=15000)
    page.wait_for_selector(f"canvas.coop-chart[data-chart='{which}'][data-ready='1']", timeout=15000)  # type: ignore[attr-defined]
    box = canvas.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    return int(canvas.get_attribute("data-points"))


def test_japan_page_draws_exercises_and_us_troops(page: object, base_url: str, shots: Path) -> None:
    """Japan's page: the exercises chart has a bar per year and source, the troops chart a point per year 1950-2024."""
    page.goto(base_url + "/id/state/740")  # type: ignore[attr-defined]
    assert _chart_points(page, "exercises") > 30
    assert _chart_points(page, "troops") == 75
    page.locator("#us-troops summary").click()  # type: ignore[attr-defined]
    assert page.locator("#us-troops td", has_text="83,586").is_visible()  # type: ignore[attr-defined]
    shot_sections(page, shots, "state-japan", "#exercises", "#us-troops")


def test_dyad_page_draws_both_charts(page: object, base_url: str, shots: Path) -> None:
    page.goto(base_url + "/dyad?a=2&b=740")  # type: ignore[attr-defined]
    assert page.get_by_role("heading", name="Alliances they shared").is_visible()  # type: ignore[attr-defined]
    assert _chart_points(page, "exercises") > 30
    assert _chart_points(page, "troops") == 75
    assert page.locator("#agreements tbody tr").count() >= 2  # type: ignore[attr-defined]
    shot(page, shots, "dyad-usa-japan")
