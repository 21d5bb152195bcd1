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
        made = page.locator("table tbody td :is(em, strong, img, hr, ul, ol, li, code, del, h1, blockquote, "
                            "[data-testid='stIconMaterial'])").count()
        # A web address typed in a name becomes a link to itself (GitHub-style), showing exactly what was typed.
        links = page.locator("table tbody td a").evaluate_all("links => links.map(a => [a.textContent, a.href])")
        shot(page, "table_text")
        context.close()
    assert [text.strip() for text in shown] == AWKWARD_NAMES
    assert made == 0
    assert sorted(text for text, _ in links) == ["http://x.org", "http://x.org/a_b_c"]
    assert all(href.rstrip("/") == text for text, href in links)
