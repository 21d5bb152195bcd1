"""The performance page in a real browser: summary table, XmR charts, districts; screenshots to look at.

The page is reached the way a user does: open the app, pick the page in the navigation, pick the
area in the sidebar. (A deep link straight to /performance runs the page without the frame in
Streamlit 1.67 because the pages sit in a folder named pages/: reported to the frame's owner.)
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import CHART, SHOTS, assert_no_exception, shot, wait_for_app

pytestmark = pytest.mark.e2e


def _open(page, app_url, typed: str, area: str) -> None:
    page.goto(app_url + "/")
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Priorities and performance").click()
    wait_for_app(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => decodeURIComponent(window.location.search.replace(/\+/g, ' ')).includes({area!r})", timeout=20_000)
    wait_for_app(page)
    assert_no_exception(page)


def _scroll_shot(page, text: str, name: str) -> None:
    page.get_by_text(text).first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_performance_page_renders_summary_charts_and_districts(page, app_url):
    _open(page, app_url, "Herefordshire — partnership", "partnership:Herefordshire")
    page.wait_for_selector(CHART, timeout=30_000)
    body = page.inner_text("body")
    assert "Are our priorities being met?" in body and "How the RAG is set" in body
    assert "Herefordshire partnership's priorities" in body
    assert "Domestic abuse incidents in Herefordshire:" in body
    assert page.locator('.csp-table').count() == 2  # the summary, wrapped, and the districts
    assert page.locator('[data-testid="stDataFrame"]').count() == 0  # no data grid (components/tables.py)
    assert page.locator(CHART).count() >= 6
    # The charts' text is SVG text (plain, searchable): the limits, the baseline and the signals say what they are.
    drawn = " ".join(page.locator(f"{CHART} text").all_text_contents())
    for words in ("Process limits (usual range)", "Trial process limits (fewer than 13 figures)", "Baseline period",
                  "Signal: concern", "Records per month", "Share of West Mercia Police's records (%)"):
        assert words in drawn, words
    assert "/performance" in page.url
    shot(page, "performance")
    _scroll_shot(page, "Domestic abuse incidents in Herefordshire:", "performance-xmr")
    _scroll_shot(page, "Districts side by side", "performance-districts")
    # Rates per 1,000 residents: the toggle redraws every police chart.
    page.get_by_text("Show police counts per 1,000 residents").click()
    wait_for_app(page)
    assert_no_exception(page)
    heading = page.get_by_text("ASB incidents per 1,000 residents", exact=True).first
    heading.wait_for(timeout=30_000)
    assert "Residents: 190,263" in page.inner_text("body")  # the demo's Herefordshire LSOAs, summed
    heading.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "performance-rates.png"))
    assert "per 1,000 residents in December 2025" in page.inner_text("body")
    texts = " ".join(page.locator(f"{CHART} text").all_text_contents())
    assert "Per 1,000 residents per month" in texts and "Records per 1,000 residents in the period" in texts
    assert not page.errors


def test_performance_chart_on_a_narrow_screen_keeps_its_legend_off_the_plot(browser, app_url):
    """On a narrow window the legend wraps onto more lines: the chart has room for them above the plot."""
    context = browser.new_context(viewport={"width": 900, "height": 1000})
    page = context.new_page()
    try:
        _open(page, app_url, "Herefordshire — partnership", "partnership:Herefordshire")
        page.wait_for_selector(CHART, timeout=30_000)
        chart = page.locator('[data-testid="stEChartsChart"]').filter(
            has_text="Domestic abuse incidents, Herefordshire").first
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        chart.screenshot(path=str(SHOTS / "performance-xmr-narrow.png"))
        legend = chart.locator("text", has_text="Process limits (usual range)").first.bounding_box()
        axis_name = chart.locator("text", has_text="Number per month").first.bounding_box()
        assert legend["y"] + legend["height"] <= axis_name["y"]  # the legend ends above the plot's top
    finally:
        context.close()
