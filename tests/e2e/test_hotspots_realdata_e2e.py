"""The hotspots page on a whole real force over three years (Essex's 12 published months loaded three
times, with LSOA boundaries and population), in a real browser: the count image, the joined hotspot
patches and both LSOA choropleths draw, and what the map component receives stays under 2 MB.
Skipped without ../shared/realdata (and, like every browser test, without Chromium or playwright)."""

from __future__ import annotations


import pytest

from tests.e2e.conftest import assert_no_exception, serve, shot, wait_for_app
from tests.unit.test_realdata_hotspot_map import essex_36_months

pytestmark = pytest.mark.e2e

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
HOT_PATHS = ".leaflet-hotspots-pane path"
OVERLAY_PATHS = ".leaflet-overlay-pane path"
COUNT_IMAGES = ".leaflet-counts-pane img.leaflet-image-layer"
PAGE = "/hotspots?area=force:Essex%20Police&from=2018-01&to=2021-06"


@pytest.fixture(scope="module")
def essex_url(tmp_path_factory):
    from tests.conftest import realdata

    boundaries = realdata("essex", "boundaries", "essex_lsoa_2011_by_lad_martinjc.geojson")
    population = realdata("population", "lsoa_mid2018_population_density_SAPE21DT11.csv")
    from cspdash import db
    from cspdash.ingest import geography, police_uk

    root = tmp_path_factory.mktemp("essex36")
    path = root / "essex36.duckdb"
    con = db.connect(path)
    police_uk.ingest(con, [essex_36_months(root / "street")])
    geography.load(con, boundaries)
    geography.load(con, population)
    db.close(path)
    with serve(path, healthy_within_s=90) as url:
        yield url


@pytest.fixture
def essex_page(essex_url, browser):
    # The session's browser (one playwright per process); its own context and page.
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def _layer(frame, name: str) -> None:
    frame.locator(".leaflet-control-layers-overlays label", has_text=name).click()


def test_whole_real_force_over_three_years_draws_every_layer(essex_page, essex_url):
    page = essex_page
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: received.append(len(data))))
    page.goto(essex_url + "/")
    wait_for_app(page, timeout=120_000)
    page.goto(essex_url + PAGE)
    wait_for_app(page, timeout=300_000)
    assert_no_exception(page)
    page.wait_for_selector(MAP_FRAME, timeout=120_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(HOT_PATHS).first.wait_for(state="attached", timeout=120_000)
    # ~3,000 hotspot squares arrive as a few hundred patches.
    assert 50 < frame.locator(HOT_PATHS).count() < 1_000
    # Everything the browser was sent for this page (map, charts, tables): the map is under 2 MB of it.
    assert max(received) < 2_000_000 and sum(received) < 3_000_000, (max(received), sum(received))
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    shot(page, "hotspots_essex")

    _layer(frame, "Records per square")
    page.wait_for_timeout(1000)
    assert frame.locator(COUNT_IMAGES).count() >= 20  # image tiles, not 8,800 shapes
    assert frame.locator(OVERLAY_PATHS).count() == 0
    shot(page, "hotspots_essex_counts")
    _layer(frame, "Records per square")

    # Both LSOA choropleths draw from one copy of the 1,077 Essex LSOAs, decoded in the browser.
    _layer(frame, "Records per LSOA")
    page.wait_for_timeout(1500)
    assert frame.locator(OVERLAY_PATHS).count() >= 1_000
    _layer(frame, "Records per LSOA")
    _layer(frame, "per 1,000 residents")
    page.wait_for_timeout(1500)
    assert frame.locator(OVERLAY_PATHS).count() >= 1_000
    _layer(frame, "Hotspots")  # off, so the pointer reaches the LSOAs
    page.wait_for_timeout(500)
    frame.locator(OVERLAY_PATHS).nth(500).hover(force=True)
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for(timeout=10_000)
    words = tip.inner_text()
    assert " records" in words and ("per 1,000 residents" in words or "no population figure" in words), words
    shot(page, "hotspots_essex_lsoa")
    assert not page.errors
