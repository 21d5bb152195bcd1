"""A table cell shows a name exactly as it was typed, whatever Markdown characters it holds."""

from __future__ import annotations

import pytest

from tests.e2e.apps.table_cells import AWKWARD_NAMES
from tests.e2e.conftest import served_page, shot

pytestmark = pytest.mark.e2e


def test_names_with_markdown_characters_show_as_typed(browser, demo_db):
    with served_page(browser, demo_db, "tests/e2e/apps/table_cells.py", {"width": 1000, "height": 1400}) as page:
        page.wait_for_selector("table tbody td")
        shown = page.locator("table tbody tr td:first-of-type").all_inner_texts()
        # No element Markdown would make (emphasis, images, icons, rules, lists, quotes, code) inside the cells.
        made = page.locator("table tbody td :is(em, strong, b, img, hr, ul, ol, li, code, del, h1, blockquote, a, "
                            "[data-testid='stIconMaterial'])").count()
        shot(page, "table_text")
    assert [text.strip() for text in shown] == AWKWARD_NAMES
    assert made == 0  # not even a link from a typed web address: an HTML table's cell is text
