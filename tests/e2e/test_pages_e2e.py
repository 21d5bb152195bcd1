"""Every page opens in a real browser with no exception and draws its charts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import CHART, assert_no_exception, shot, wait_for_app

pytestmark = pytest.mark.e2e


def test_overview_renders_charts_and_keeps_filters_in_url(page, app_url):
    scripts: list[str] = []
    page.on("request", lambda req: scripts.append(req.url) if req.resource_type == "script" else None)
    page.goto(app_url + "/?area=district:Worcester&from=2025-01&to=2025-12")
    wait_for_app(page)
    assert_no_exception(page)
    page.wait_for_selector(CHART, timeout=40_000)
    assert page.locator(CHART).count() >= 3
    # The charts' text is text: the title, the legend and the months are in the drawing, as typed.
    trend = page.locator('[data-testid="stEChartsChart"]').first.locator("svg text").all_text_contents()
    assert "Recorded crime and ASB per month, Worcester" in trend and "Anti-social behaviour" in trend
    assert any(t.endswith("2025") for t in trend)
    # ECharts' code only: Plotly's 4.7 MB bundle is never fetched (components/echart.py says why).
    assert not [u for u in scripts if "PlotlyChart" in u] and [u for u in scripts if "EChartsChart" in u]
    # For the committee papers: Streamlit's toolbar over the chart saves it as SVG, its title in it.
    page.locator('[data-testid="stEChartsChart"]').first.hover()
    with page.expect_download(timeout=20_000) as saved:
        page.get_by_role("button", name="Download as SVG").first.click()
    svg = Path(saved.value.path()).read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "Recorded crime and ASB per month, Worcester" in svg
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
    assert "Open Government Licence" in page.inner_text("body")
    page.wait_for_selector(CHART, timeout=40_000)
    assert "Months loaded per force" in " ".join(page.locator(CHART + " text").all_text_contents())
    shot(page, "about")


# Pages draw their tables as plain HTML tables, not the data grid nor st.table (components/tables.py says why).
TABLE_PAGES = [("", "Districts side by side", "Crimes (excl. ASB)"),
               ("/performance", "Districts side by side", "Crimes per 1,000 residents"),
               ("/funding", "What if the pot were split by need?", "Formula gives"),
               ("/about", "Load history", "Months loaded")]


@pytest.mark.parametrize("path, near, heading", TABLE_PAGES)
def test_chart_pages_draw_html_tables_with_numbers_lined_up(page, app_url, path, near, heading):
    page.goto(app_url + path + "?area=partnership:Herefordshire&from=2025-01&to=2025-12")
    wait_for_app(page)
    assert_no_exception(page)
    page.wait_for_selector(CHART, timeout=40_000)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert page.locator('[data-testid="stTable"]').count() == 0  # st.table's Arrow code is 1 MB more
    header = page.locator('.csp-table th[scope="col"]', has_text=heading).first
    header.wait_for(timeout=20_000)
    # The column's cells are right-aligned, so the digits line up, and read as numbers with units.
    cells = header.evaluate("""(th) => {
        const i = [...th.parentElement.children].indexOf(th);
        return [...th.closest('table').querySelectorAll('tbody tr')].map(
            (tr) => [tr.children[i].innerText.trim(), getComputedStyle(tr.children[i]).textAlign]);
    }""")
    assert cells and all(align == "right" for _, align in cells), cells
    assert all(any(ch.isdigit() for ch in text) for text, _ in cells), cells
    page.get_by_text(near).first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shot(page, f"table{path.replace('/', '-') or '-overview'}")
    assert not page.errors
