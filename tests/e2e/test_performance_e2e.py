"""The performance page in a real browser: summary table, XmR charts, districts; screenshots to look at.

The page is reached the way a user does: open the app, pick the page in the navigation, pick the
area in the sidebar. (A deep link straight to /performance runs the page without the frame in
Streamlit 1.67 because the pages sit in a folder named pages/: reported to the frame's owner.)
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import SHOTS, assert_no_exception, shot, wait_for_app

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
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    body = page.inner_text("body")
    assert "Are our priorities being met?" in body and "How the RAG is set" in body
    assert "Herefordshire partnership's priorities" in body
    assert "Domestic abuse incidents in Herefordshire:" in body
    assert page.locator('.csp-table').count() == 2  # the summary, wrapped, and the districts
    assert page.locator('[data-testid="stDataFrame"]').count() == 0  # no data grid (components/tables.py)
    assert page.locator(".js-plotly-plot").count() >= 6
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
    assert not page.errors
