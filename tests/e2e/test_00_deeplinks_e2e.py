"""Runs first, on a server nobody has visited yet: a shared link straight to a page must open
that page inside the frame, with the shared filters set from the link."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_no_exception, wait_for_app

pytestmark = pytest.mark.e2e


def test_first_visit_deep_link_opens_the_page_with_its_filters(page, app_url):
    page.goto(app_url + "/about?area=district:Redditch&from=2024-01&to=2024-12")
    wait_for_app(page)
    assert_no_exception(page)
    area = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    area.wait_for(timeout=40_000)
    assert "Redditch" in area.locator("input").input_value()
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Hotspots" in nav and "hotspots" not in nav.split()  # titled menu, not file names


def test_changing_page_keeps_the_chosen_area(page, app_url):
    page.goto(app_url + "/?area=partnership:North%20Worcestershire")
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="About the data").click()
    page.wait_for_url("**/about**", timeout=40_000)
    wait_for_app(page)
    area = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    assert "North Worcestershire" in area.locator("input").input_value()
    assert "North+Worcestershire" in page.url or "North%20Worcestershire" in page.url
