"""A table cell shows a name exactly as it was typed, whatever Markdown characters it holds."""

from __future__ import annotations

import pytest

from tests.e2e.apps.table_cells import AWKWARD_NAMES
from tests.e2e.conftest import serve, shot, wait_for_app

pytestmark = pytest.mark.e2e


def test_names_with_markdown_characters_show_as_typed(browser, demo_db):
    with serve(demo_db, script="tests/e2e/apps/table_cells.py") as url:
        context = browser.new_context(viewport={"width": 1000, "height": 1400})
        page = context.new_page()
        page.goto(url)
        wait_for_app(page)
        page.wait_for_selector("table tbody td")
        shown = page.locator("table tbody tr td:first-of-type").all_inner_texts()
        # No element Markdown would make (emphasis, images, icons, rules, lists, quotes, code) inside the cells.
        made = page.locator("table tbody td :is(em, strong, b, img, hr, ul, ol, li, code, del, h1, blockquote, a, "
                            "[data-testid='stIconMaterial'])").count()
        shot(page, "table_text")
        context.close()
    assert [text.strip() for text in shown] == AWKWARD_NAMES
    assert made == 0  # not even a link from a typed web address: an HTML table's cell is text
