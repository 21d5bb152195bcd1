"""A chart shows a name exactly as it was typed, in its drawing and in its hover box, whatever tags, entities
or template braces are in it."""

from __future__ import annotations

import pytest

from tests.e2e.apps.chart_labels import AWKWARD_NAMES, RECIPIENT
from tests.e2e.conftest import CHART, served_page, shot

pytestmark = pytest.mark.e2e


def test_names_in_a_chart_show_as_typed(browser, demo_db):
    with served_page(browser, demo_db, "tests/e2e/apps/chart_labels.py", {"width": 1000, "height": 800}) as page:
        page.wait_for_selector(CHART)
        texts = page.locator(CHART + " text").all_text_contents()
        # Nothing in the drawing is a link or a styled run of text made from a name.
        made = page.locator(CHART + " :is(a, tspan[font-weight='bold'], tspan[font-style='italic'])").count()
        # The hover box is HTML: hover the first bar and read it back.
        box = page.locator('[data-testid="stEChartsChart"]').first.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + 130)
        tip = page.locator('[data-testid="stEChartsChart"] div[style*="position: absolute"]:visible', has_text=RECIPIENT)
        tip.first.wait_for(timeout=10_000)
        tip_text = tip.first.inner_text()
        tip_tags = tip.first.locator("b, i, sup, a, br").count()
        shot(page, "chart_text")
    assert set(AWKWARD_NAMES) <= set(texts), sorted(set(AWKWARD_NAMES) - set(texts))
    assert RECIPIENT in texts and f"Money to {RECIPIENT}" in texts
    assert made == 0
    assert AWKWARD_NAMES[0] in tip_text and RECIPIENT in tip_text and tip_tags == 0, tip_text
