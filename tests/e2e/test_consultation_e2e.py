"""The consultation page in a real browser: ranking chart, change between events, concern against
recorded crime, and Maldon's published table with its 'no police data' message."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import CHART, assert_no_exception, shot, wait_for_app

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


def _tooltip(page, chart, down: float) -> str:
    """Hover `down` pixels below the chart's top, half way across; the text of the tooltip that opens."""
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + down)
    tip = chart.locator("div:not(:has(svg))", has_text="Share of tokens").first  # ECharts' tooltip, beside the SVG
    tip.wait_for(state="visible", timeout=10_000)
    return tip.inner_text()


def test_consultation_page_ranks_compares_and_sets_beside_crime(page, app_url):
    _open(page, app_url + "/consultation?area=district:Worcester&from=2025-01&to=2025-12")
    assert_no_exception(page)
    page.wait_for_selector(CHART, timeout=20_000)
    body = page.inner_text("body")
    assert "What residents told us" in body
    # The latest event in Worcester is chosen by default, and its ranking is drawn with intervals.
    assert "Worcester Community Safety Day 2024" in body
    charts = page.locator('[data-testid="stEChartsChart"]')
    ranking = charts.first
    svg = ranking.locator("svg").first
    assert "Share of tokens by concern, with 95% intervals" in svg.inner_html()  # ECharts draws the title
    assert "could be" in svg.inner_html()
    shot(page, "consultation")
    # Hovering the top concern's bar shows its share, its real interval (not the whisker's offsets) and tokens.
    tip = _tooltip(page, ranking, 110)
    assert "ranked 1st" in tip and "95% interval" in tip and re.search(r"\d+\.\d% to \d+\.\d%", tip), tip
    assert re.search(r"Tokens\s+\d+ of 127", tip), tip
    shot(page, "consultation-tooltip")
    page.mouse.move(0, 0)

    _heading(page, "Change between events").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    assert "Shoplifting rose from 8% to 21%" in page.inner_text("body")
    assert page.locator(CHART).count() >= 2
    change = charts.nth(1)
    assert "Shoplifting (moved)" in change.locator("svg").first.inner_html()
    shot(page, "consultation-change")
    # The top row, Shoplifting: both events' shares and the tokens behind them.
    tip = _tooltip(page, change, 140)
    assert "Worcester Community Safety Day 2023" in tip and "Worcester Community Safety Day 2024" in tip, tip
    assert "7.8%" in tip and "21.3%" in tip and "27 of 127" in tip, tip
    shot(page, "consultation-change-tooltip")
    page.mouse.move(0, 0)

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
    page.locator(CHART).first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    shot(page, "consultation-maldon")
    _heading(page, "Concern against recorded crime").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    shot(page, "consultation-maldon-recorded")
    assert not page.errors
