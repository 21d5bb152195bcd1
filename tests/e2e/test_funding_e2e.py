"""The funding page in a real browser: charts, the Sankey, reconciliation and the what-if render."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import CHART, assert_no_exception, shot, wait_for_app

pytestmark = pytest.mark.e2e


def _choose(page, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    wait_for_app(page)


def _open_funding(page, app_url) -> None:
    # A fresh server runs a first request for /funding as an old-style pages/ app (no frame)
    # until the frame has run once: open the frame first, as a user's first visit does.
    page.goto(app_url + "/")
    wait_for_app(page)
    page.goto(app_url + "/funding?area=force:West%20Mercia%20Police&from=2025-01&to=2025-12")
    wait_for_app(page)


def test_funding_page_renders_and_follows_norwich(page, app_url):
    _open_funding(page, app_url)
    assert_no_exception(page)
    page.wait_for_selector(CHART, timeout=20_000)
    body = page.inner_text("body")
    assert "Where the money came from and went" in body
    assert "2 of 5 stated totals do not match" in body
    assert "£707,753, £753 more than the stated £707,000" in body
    charts = page.locator(CHART)
    charts.nth(3).wait_for(timeout=20_000)
    assert charts.count() >= 4  # bars, lines, Sankey, what-if
    # ECharts draws its words as SVG text: the key to provisional years, and the Sankey's and what-if's names.
    assert "provisional" in charts.nth(0).text_content()
    assert "West Mercia PCC" in charts.nth(2).text_content()
    assert "What the formula gives" in charts.nth(3).text_content()
    shot(page, "funding")

    # Follow the Home Office money to Norfolk in real terms: the Norwich sentence appears.
    _choose(page, "Funder", "Home Office")
    _choose(page, "Recipient", "Norfolk CSP")
    page.get_by_test_id("stRadioGroup").get_by_text("Real terms").click()
    wait_for_app(page)
    assert_no_exception(page)
    page.wait_for_function("() => document.body.innerText.includes('61% in real terms')", timeout=20_000)
    body = page.inner_text("body")
    assert "2012-13 is 60% below 2010-11 in cash, 61% in real terms (2024-25 prices)." in body
    assert "in 2024-25 prices" in body
    shot(page, "funding_norwich_real")

    page.get_by_text("Who gave money to whom, and for what").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    flows = page.locator(CHART).nth(2)
    assert "Home Office" in flows.text_content() and "Norfolk CSP" in flows.text_content()
    shot(page, "funding_flows")
    page.get_by_text("What if the pot were split by need?").scroll_into_view_if_needed()
    page.mouse.wheel(0, 500)
    page.wait_for_timeout(800)
    shot(page, "funding_whatif")
    assert not page.errors


def test_a_table_downloads_as_csv_without_rerunning_the_page(page, app_url, tmp_path):
    # Downloads are written when clicked (deferred), so this is the path a committee export takes.
    _open_funding(page, app_url)
    page.evaluate("""() => { window.__runs = 0; new MutationObserver((ms) => { for (const m of ms)
        if (m.target.getAttribute('data-test-script-state') === 'running') window.__runs++; })
        .observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']}); }""")
    with page.expect_download(timeout=20_000) as event:
        page.get_by_role("button", name="Download yearly totals (CSV)").click()
    download = event.value
    assert download.suggested_filename.startswith("funding-totals-") and download.suggested_filename.endswith(".csv")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 2 and "," in lines[0], lines[:3]
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__runs") == 0  # the page did not run again for a download
    assert_no_exception(page)
