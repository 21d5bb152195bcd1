"""Every page opens in a real browser with no exception and draws its charts."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_no_exception, shot, wait_for_app

pytestmark = pytest.mark.e2e


def test_overview_renders_charts_and_keeps_filters_in_url(page, app_url):
    page.goto(app_url + "/?area=district:Worcester&from=2025-01&to=2025-12")
    wait_for_app(page)
    assert_no_exception(page)
    page.wait_for_selector(".js-plotly-plot", timeout=40_000)
    assert page.locator(".js-plotly-plot").count() >= 3
    assert "Worcester (district)" in page.inner_text("body")
    assert "area=district%3AWorcester" in page.url or "area=district:Worcester" in page.url
    shot(page, "overview")
    # Choosing another area in the sidebar updates the page and the shareable URL.
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.keyboard.type("Redditch")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.location.search.includes('Redditch')", timeout=40_000)
    wait_for_app(page)
    assert "Redditch (district)" in page.inner_text("body")
    assert not page.errors


def test_about_page_shows_coverage(page, app_url):
    page.goto(app_url + "/about")
    wait_for_app(page)
    assert_no_exception(page)
    body = page.inner_text("body")
    assert "Open Government Licence" in body
    assert "Months loaded per force" in body
    page.wait_for_selector(".js-plotly-plot", timeout=40_000)
    shot(page, "about")
