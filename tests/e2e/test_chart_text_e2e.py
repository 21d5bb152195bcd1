"""A chart shows a name exactly as it was typed, whatever tags or entities Plotly would read in it."""

from __future__ import annotations

import pytest

from tests.e2e.apps.chart_labels import AWKWARD_NAMES, RECIPIENT
from tests.e2e.conftest import served_page, shot

pytestmark = pytest.mark.e2e


def test_names_in_a_chart_show_as_typed(browser, demo_db):
    with served_page(browser, demo_db, "tests/e2e/apps/chart_labels.py", {"width": 1000, "height": 800}) as page:
        page.wait_for_selector(".js-plotly-plot .ytick text")
        ticks = page.locator(".js-plotly-plot .ytick text").all_text_contents()
        legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
        title = page.locator(".js-plotly-plot .gtitle").all_text_contents()
        # Plotly draws <b>, <i>, <sup> and links as styled tspans or anchors, and <br> as a second line. (The
        # title is bold by our own layout, so only the other styles count there.)
        styled = page.locator(".js-plotly-plot :is(.ytick, .legendtext) "
                              ":is(tspan[style*='bold'], tspan[style*='italic'], tspan[dy], a)").count()
        styled += page.locator(".js-plotly-plot .gtitle :is(tspan[style*='italic'], tspan[dy], a)").count()
        shot(page, "chart_text")
    assert sorted(ticks) == sorted(AWKWARD_NAMES)
    assert legend == [RECIPIENT] and title == [f"Money to {RECIPIENT}"]
    assert styled == 0
