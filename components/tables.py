"""Tables of the numbers behind the charts: plain headings, units, and values written as people read them.

The pages draw their tables as plain HTML (`st.html`): not `st.dataframe`'s data grid, nor `st.table`.
- A screen reader reads it as a table (headings marked as column headings), it prints with the page, and it
  copies into a committee paper as rows and columns (the grid draws its cells on a canvas).
- These tables are short (a partnership's districts, a consultation's concerns, a pot's recipients), so the
  grid's sorting and search add little, and each has its CSV download beside it.
- Code a first-ever visitor's browser fetches and compiles before the page is finished: the grid's is 1.3 MB
  (overview 2.71 → 2.48 s without it); `st.table`'s Arrow formatting code is another 1.0 MB (743 kB of it
  `arrowFormatUtils`), which a page of HTML needs none of (`st.html` brings 31 kB).
- Every value is escaped as HTML, and nothing in a cell is read as Markdown: a name from a user's file or the
  entry form ("Drugs *dealing*", "- dash", ":smile:") shows exactly as typed.
The about page shows each force's coverage in one row (its months missing written out), not every force-month:
43 forces x 36 months nationally is a CSV download, not a table to read.

`table_text` and `table_html` are pure (pandas only), so what a page shows is unit-tested without Streamlit.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

MISSING = "—"  # a missing value is shown as a dash, never as 0 or "None"
SCROLL_AFTER_ROWS = 25  # longer tables scroll inside a box this tall, so the page's next chart stays near
SCROLL_HEIGHT_PX = 600


def _gbp(v: float, signed: bool = False) -> str:
    sign = "−" if v < 0 else ("+" if signed and v > 0 else "")
    return f"{sign}£{abs(v):,.0f}"


def _minus(text: str) -> str:
    """A true minus sign, as the headings write it (not a hyphen)."""
    return "−" + text[1:] if text.startswith("-") else text


# How each kind of value is written. The numeric kinds are right-aligned, so digits line up.
FORMATS: dict[str, Callable[[object], str]] = {
    "text": str,  # shown exactly as written (escaped as HTML)
    "html": str,  # a cell our own code writes as HTML (the beat sheet's trend image), not escaped
    "count": lambda v: f"{v:,.0f}",  # whole numbers, thousands separated
    "decimal": lambda v: f"{v:,.1f}",  # rates, to one decimal place
    "share": lambda v: f"{v:.1%}",  # a fraction of 1, written as a percentage
    "percent": lambda v: f"{v:.1f}%",  # already a percentage
    "change_pct": lambda v: _minus(f"{v:+.1f}%"),  # a percentage change, with its sign
    "points": lambda v: _minus(f"{v:+.1f}"),  # a change in percentage points, with its sign
    "p_value": lambda v: f"{v:.3f}",
    "gbp": _gbp,
    "gbp_signed": lambda v: _gbp(v, signed=True),
    "yes_no": lambda v: "yes" if v else "no",
    "datetime": lambda v: f"{pd.Timestamp(v):%-d %b %Y, %H:%M}",  # 3 Dec 2026, 06:01
}
NUMERIC = frozenset(FORMATS) - {"text", "html", "yes_no", "datetime"}


@dataclass(frozen=True)
class Col:
    """One column as shown: its heading and how its values are written (a FORMATS key)."""

    heading: str
    kind: str = "text"
    optional: bool = False  # shown when the table has it (a column only some views add)
    style: Callable[[str], str] | None = None  # CSS for a cell, from its shown text (the RAG colours)

    def __post_init__(self) -> None:
        if self.kind not in FORMATS:
            raise ValueError(f"unknown column kind {self.kind!r}: one of {', '.join(sorted(FORMATS))}")


def _is_missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v) or v == ""


def _auto_kind(series: pd.Series) -> str:
    """Columns given no Col: whole numbers are counts; anything else is shown as it is."""
    if pd.api.types.is_bool_dtype(series):
        return "yes_no"
    if pd.api.types.is_integer_dtype(series):
        return "count"
    return "text"


def _shown_columns(frame: pd.DataFrame, columns: dict[str, Col | None] | None) -> dict[str, Col]:
    if columns is None:
        columns = {c: Col(str(c), _auto_kind(frame[c])) for c in frame.columns}
    shown = {name: col for name, col in columns.items()
             if col is not None and not (col.optional and name not in frame.columns)}
    missing = [name for name in shown if name not in frame.columns]
    if missing:
        raise KeyError(f"no column {', '.join(map(repr, missing))} in the table (it has {list(frame.columns)})")
    return shown


def table_text(frame: pd.DataFrame, columns: dict[str, Col | None] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The table as a page shows it, every value as text, and the headings of its numeric columns.

    `columns` picks and orders the columns (a None value hides one; columns not named are left out) and
    gives each its heading and kind. Without it, every column is shown under its own name."""
    shown = _shown_columns(frame, columns)
    return _written(frame, shown), [col.heading for col in shown.values() if col.kind in NUMERIC]


def _written(frame: pd.DataFrame, shown: dict[str, Col]) -> pd.DataFrame:
    """Each shown column's values written as text under its heading (a missing value as MISSING)."""
    out = pd.DataFrame(index=range(len(frame)))
    for name, col in shown.items():
        write = FORMATS[col.kind]
        out[col.heading] = [MISSING if _is_missing(v) else write(v) for v in frame[name].tolist()]
    return out


# Streamlit's own table look (thin grey rules, muted headings, rounded box), for the light theme the app
# sets in .streamlit/config.toml. Numbers are right-aligned so digits line up; a long table scrolls in its
# own box with its headings kept in view.
STYLE = f"""<style>
.csp-table {{ overflow: auto; border: 1px solid rgba(49, 51, 63, 0.1); border-radius: 0.5rem; }}
.csp-table.scroll {{ max-height: {SCROLL_HEIGHT_PX}px; }}
.csp-table table {{ width: 100%; border-collapse: collapse; font-size: 0.875rem; line-height: 1.5; margin: 0; }}
.csp-table th, .csp-table td {{ padding: 0.25rem 0.375rem; text-align: left; vertical-align: middle;
  border-bottom: 1px solid rgba(49, 51, 63, 0.1); border-right: 1px solid rgba(49, 51, 63, 0.1); }}
.csp-table tr > :last-child {{ border-right: none; }}
.csp-table tbody tr:last-child > * {{ border-bottom: none; }}
.csp-table th {{ font-weight: 400; color: rgba(49, 51, 63, 0.7); background: #ffffff; position: sticky; top: 0; }}
.csp-table .num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.csp-table .when {{ white-space: nowrap; }}
.csp-table img {{ vertical-align: middle; }}
</style>"""


def _class(kind: str) -> str:
    return "num" if kind in NUMERIC else "when" if kind == "datetime" else ""


def _cell(tag: str, content: str, kind: str, css: str = "", scope: bool = False) -> str:
    attrs = (' scope="col"' if scope else "") + (f' class="{_class(kind)}"' if _class(kind) else "")
    attrs += f' style="{html.escape(css)}"' if css else ""
    return f"<{tag}{attrs}>{content}</{tag}>"


def table_html(frame: pd.DataFrame, columns: dict[str, Col | None] | None = None) -> str:
    """The table as HTML: headings marked as column headings, every value escaped (a name shows exactly as
    typed, nothing in it read as markup) except a column of kind "html", which our own code writes."""
    picked = _shown_columns(frame, columns)
    shown, text = list(picked.values()), _written(frame, picked)
    head = "".join(_cell("th", html.escape(col.heading, quote=False), col.kind, scope=True)
                   for col in shown)
    rows = []
    for values in text.itertuples(index=False):
        cells = []
        for col, value in zip(shown, values):
            content = value if col.kind == "html" and value != MISSING else html.escape(value, quote=False)
            cells.append(_cell("td", content, col.kind, col.style(value) if col.style else ""))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    box = "csp-table scroll" if len(text) > SCROLL_AFTER_ROWS else "csp-table"
    return (f'{STYLE}<div class="{box}"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def show(frame: pd.DataFrame, columns: dict[str, Col | None] | None = None, where=st) -> None:
    """Draw the table (in `where`: a column or container; the page by default) under plain headings, numbers
    right-aligned; a long one scrolls in its own box."""
    where.html(table_html(frame, columns))


# The about page: each force's months loaded (the every-month table is its CSV download), and the loads.
COVERAGE_SUMMARY_COLUMNS = {
    "force": Col("Force"),
    "first_month": Col("First month"),
    "last_month": Col("Last month"),
    "months": Col("Months loaded", "count"),
    "gaps": Col("Months missing in between"),
    "rows": Col("Records", "count"),
    "rows_without_location": Col("Without a location", "count"),
    "share_without_location": Col("Share without a location", "share"),
}

# What each kind of load in load_log is, in words (a kind not listed is shown as stored).
LOAD_KIND_WORDS = {
    "police_uk": "police.uk street records",
    "geography": "boundaries, population or partnerships",
    "grants": "grants",
    "consultation": "consultation tallies",
    "priorities": "partnership priorities",
    "measures": "priority measures",
    "export": "Parquet snapshot written",
}


def load_history_table(loads: pd.DataFrame) -> pd.DataFrame:
    """The load log with each load's kind in words (column `what`), for LOAD_HISTORY_COLUMNS."""
    return loads.assign(what=[LOAD_KIND_WORDS.get(kind, kind) for kind in loads["kind"]])


LOAD_HISTORY_COLUMNS = {
    "loaded_at": Col("Loaded", "datetime"),
    "what": Col("What"),
    "files": Col("Files", "count"),
    "rows": Col("Rows", "count"),
    "detail": Col("Detail"),
}

DISTRICT_COLUMNS = {
    "district": Col("District"),
    "crimes": Col("Crimes (excl. ASB)", "count"),
    "asb": Col("ASB incidents", "count"),
    "records": Col("All records", "count"),
    "crime_share": Col("Share of area's crime", "share"),
    "asb_share": Col("Share of area's ASB", "share"),
}
