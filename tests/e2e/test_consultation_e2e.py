"""The consultation page in a real browser: ranking chart, change between events, concern against
recorded crime, and Maldon's published table with its 'no police data' message."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_no_exception, shot, wait_for_app

pytestmark = pytest.mark.e2e

MALDON = "Maldon CSP charity pots 2011"


def _open(page, url: str) -> None:
    # A fresh server runs a first request for /consultation as an old-style pages/ app (no sidebar
    # filters) until the frame has run once; open the frame first, as a user's first visit does.
    page.goto(url.split("/consultation")[0] + "/")
    wait_for_app(page)
    page.goto(url)
    wait_for_app(page)


def _heading(page, text: str):
    return page.locator("h3", has_text=text).first


def test_consultation_page_ranks_compares_and_sets_beside_crime(page, app_url):
    _open(page, app_url + "/consultation?area=district:Worcester&from=2025-01&to=2025-12")
    assert_no_exception(page)
    page.wait_for_selector(".js-plotly-plot", timeout=20_000)
    body = page.inner_text("body")
    assert "What residents told us" in body
    # The latest event in Worcester is chosen by default, and its ranking is drawn with intervals.
    assert "Worcester Community Safety Day 2024" in body
    assert "Share of tokens by concern, with 95% intervals" in body
    assert "could be" in body
    shot(page, "consultation")

    _heading(page, "Change between events").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    assert "Shoplifting rose from 8% to 21%" in page.inner_text("body")
    assert page.locator(".js-plotly-plot").count() >= 2
    shot(page, "consultation-change")

    _heading(page, "Concern against recorded crime").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    assert "Residents rank drug misuse 1st; it is 9th of 14 by recorded crime" in page.inner_text("body")
    shot(page, "consultation-recorded")
    assert not page.errors


def test_maldon_published_table_and_no_police_data_message(page, app_url):
    _open(page, app_url + "/consultation?area=district:Worcester")
    picker = page.locator('[data-testid="stMultiSelect"]', has_text="Events to rank").first
    # Swap the default event for Maldon's: remove the chosen event, then pick Maldon.
    picker.get_by_role("button", name="Remove Worcester Community Safety Day 2024").first.click()
    page.get_by_text("Choose at least one event").first.wait_for(timeout=30_000)
    wait_for_app(page)
    picker.locator("input").first.click()
    page.keyboard.type("Maldon")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    # The rerun may start a moment after the key press: wait for its result, not just for quiet.
    page.get_by_text("160 tokens across 8 concerns").first.wait_for(timeout=30_000)
    wait_for_app(page)
    assert_no_exception(page)
    body = page.inner_text("body")
    assert "160 tokens across 8 concerns; most chosen: Anti Social Behaviour (22%" in body
    assert "No recorded crime is loaded for Maldon before Oct 2011" in body
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    shot(page, "consultation-maldon")
    _heading(page, "Concern against recorded crime").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    shot(page, "consultation-maldon-recorded")
    assert not page.errors
