"""The hotspots page in a real browser, with the network cut off except the app itself: Leaflet is
served by the app, so the data layers draw even where the basemap tiles cannot load."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import CHART, assert_no_exception, shot, wait_for_app

pytestmark = pytest.mark.e2e

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
ECHART = '[data-testid="stEChartsChart"]'


def _offline(page) -> list[str]:
    """Abort every request that is not to the app on 127.0.0.1; return the list of what was blocked."""
    blocked: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith("http://127.0.0.1") or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", handle)
    return blocked


HOT_PATHS = ".leaflet-hotspots-pane path"  # hotspot patches sit in their own pane, above other layers
OVERLAY_PATHS = ".leaflet-overlay-pane path"  # LSOAs
COUNT_IMAGES = ".leaflet-counts-pane img.leaflet-image-layer"  # records per square, drawn as image tiles


def test_hotspot_map_draws_offline_and_layers_switch(page, app_url):
    blocked = _offline(page)
    # A fresh server resolves a deep link before the frame has registered its pages (Streamlit
    # 1.67), so open the app once first, as the overview test does.
    page.goto(app_url + "/")
    wait_for_app(page, timeout=60_000)
    page.goto(app_url + "/hotspots?area=district:Worcester&from=2025-01&to=2025-12")
    wait_for_app(page, timeout=60_000)
    assert_no_exception(page)
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(HOT_PATHS).first.wait_for(state="attached", timeout=30_000)
    # Worcester's hotspot squares, joined into patches by confidence (99% in the centre, rings of 95% and 90%).
    assert frame.locator(HOT_PATHS).count() >= 3
    assert frame.locator(OVERLAY_PATHS).count() == 0 and frame.locator(COUNT_IMAGES).count() == 0  # off at first
    body = page.inner_text("body")
    assert "Where crime and ASB concentrate" in body and "Beat sheet" in body
    assert "Hotspot, 99% confidence" in body  # the legend in plain words
    # Leaflet and its stylesheet came from the app, not a CDN: no script or stylesheet was blocked
    # (what was blocked is basemap tiles, and Streamlit's own icon font for the tab).
    assert not [u for u in blocked if u.split("?")[0].endswith((".js", ".css"))], blocked[:5]
    assert any("tile.openstreetmap.org" in u for u in blocked)  # the basemap really was offline
    frame.locator(".leaflet-control-layers").wait_for(timeout=30_000)  # leaflet.css applied
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    shot(page, "hotspots")

    # Pointing at a patch says what it is in words.
    frame.locator(HOT_PATHS).last.hover(force=True)
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for(timeout=10_000)
    words = tip.inner_text()
    assert "Hotspot, " in words and "% confidence" in words and " square" in words and " record" in words

    # Switch on "Records per square" in the layer control: the squares arrive as image tiles, not shapes.
    frame.locator(".leaflet-control-layers-overlays label", has_text="Records per square").click()
    page.wait_for_timeout(800)
    assert frame.locator(COUNT_IMAGES).count() >= 1 and frame.locator(OVERLAY_PATHS).count() == 0
    assert frame.locator(COUNT_IMAGES).first.evaluate("img => img.complete && img.naturalWidth") == 256
    frame.locator(".leaflet-control-layers-overlays label", has_text="Density surface").click()
    page.wait_for_timeout(800)
    assert frame.locator(".leaflet-density-pane img.leaflet-image-layer").count() == 1
    shot(page, "hotspots_layers")

    # Clicking a hotspot square shows what was recorded there (the map's click position → its square).
    frame.locator(HOT_PATHS).last.click(force=True)
    page.wait_for_selector("text=The 250 m square you clicked", timeout=30_000)
    wait_for_app(page)
    assert_no_exception(page)
    page.locator("text=The 250 m square you clicked").scroll_into_view_if_needed()
    # The square's months as a drawn bar chart (ECharts draws its title and axis name as SVG text).
    square = page.locator(ECHART, has_text="Records per month in this square")
    square.locator("svg").wait_for(timeout=20_000)
    assert "Records per month" in square.text_content()
    page.wait_for_timeout(300)
    shot(page, "hotspots_click")

    page.locator("text=Beat sheet").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    # Each trend is a drawn sparkline whose alt text gives its numbers in words.
    sparks = page.locator('.csp-table img').evaluate_all(
        "(imgs) => imgs.map((i) => [i.alt, i.complete && i.naturalWidth > 0])")
    assert len(sparks) == 10 and all(drawn and alt.startswith("Records per month: ") and "busiest" in alt
                                     for alt, drawn in sparks), sparks
    shot(page, "hotspots_beat_sheet")
    page.locator("text=Are these hotspots stable?").scroll_into_view_if_needed()
    page.wait_for_selector(CHART, timeout=20_000)
    pai = page.locator(ECHART, has_text="How well hotspots from 3 months predicted the next month")
    pai.locator("svg").wait_for(timeout=20_000)
    pai.scroll_into_view_if_needed()
    words = pai.text_content()
    assert "1 = no better than chance" in words and "Month tested" in words and "PAI (times what chance gives)" in words
    # Pointing at a month says its PAI in words.
    box = pai.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.6, steps=8)
    tip = pai.locator("div", has_text="The hotspots held").last
    tip.wait_for(timeout=10_000)
    assert ": PAI " in tip.inner_text() and "% of the area" in tip.inner_text()
    page.wait_for_timeout(300)
    shot(page, "hotspots_stability")
    page.mouse.move(0, 0)
    page.locator("text=How concentrated is crime here?").scroll_into_view_if_needed()
    curve = page.locator(ECHART, has_text="Share of records in the busiest 250 m squares")
    curve.locator("svg").wait_for(timeout=20_000)
    curve.scroll_into_view_if_needed()
    words = curve.text_content()
    assert "If every square had the same" in words and "% of squares with any record (busiest first)" in words
    box = curve.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6, steps=8)
    tip = curve.locator("div", has_text="of squares hold").last
    tip.wait_for(timeout=10_000)
    assert tip.inner_text().startswith("The busiest ") and tip.inner_text().endswith("% of records")
    page.wait_for_timeout(300)
    shot(page, "hotspots_concentration")
    assert page.locator(".js-plotly-plot").count() == 0  # no Plotly left on the page
    assert not page.errors
