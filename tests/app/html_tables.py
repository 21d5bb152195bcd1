"""Read the tables a page drew (components/tables.py writes them as HTML through st.html) back as text,
the way a reader sees them: one DataFrame per table, headings as columns, each cell's text."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._head = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "thead":
            self._head = True
        elif tag == "tbody":
            self._head = False
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            head, body = self.tables[-1]
            if self._head:
                head.extend(self._row)
            else:
                body.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(markup: str) -> list[pd.DataFrame]:
    parser = _Tables()
    parser.feed(markup)
    return [pd.DataFrame(body, columns=head) for head, body in parser.tables]


def shown_tables(at) -> list[pd.DataFrame]:
    """Every table on the page, in page order (an AppTest after run())."""
    return [t for el in at.get("html") if "csp-table" in el.proto.body for t in parse(el.proto.body)]
