"""The tables the pages show: headings, units, missing values and which columns line up as numbers."""

import pandas as pd
import pytest

from components import tables
from components.tables import Col
from tests.app import html_tables


def test_each_kind_is_written_as_people_read_it():
    frame = pd.DataFrame({"n": [12345], "r": [3.14159], "s": [0.2345], "p": [12.0], "c": [-4.25], "pts": [3.0],
                          "pv": [0.01234], "g": [-1234.5], "gs": [250.0], "b": [True], "t": ["Worcester"]})
    cols = {"t": Col("Area"), "n": Col("Records", "count"), "r": Col("Per 1,000", "decimal"),
            "s": Col("Share", "share"), "p": Col("Pct", "percent"), "c": Col("Change", "change_pct"),
            "pts": Col("Points", "points"), "pv": Col("p", "p_value"), "g": Col("Money", "gbp"),
            "gs": Col("Difference", "gbp_signed"), "b": Col("Provisional", "yes_no")}
    text, numeric = tables.table_text(frame, cols)
    assert text.iloc[0].tolist() == ["Worcester", "12,345", "3.1", "23.4%", "12.0%", "−4.2%", "+3.0", "0.012",
                                     "−£1,234", "+£250", "yes"]
    assert numeric == ["Records", "Per 1,000", "Share", "Pct", "Change", "Points", "p", "Money", "Difference"]


def test_columns_are_picked_ordered_and_hidden_and_missing_values_are_a_dash():
    frame = pd.DataFrame({"a": ["x", "", None], "b": [1.0, float("nan"), 3.0], "note": ["n1", "n2", "n3"]})
    text, _ = tables.table_text(frame, {"b": Col("B", "count"), "a": Col("A"), "note": None})
    assert list(text.columns) == ["B", "A"]
    assert text["B"].tolist() == ["1", "—", "3"] and text["A"].tolist() == ["x", "—", "—"]
    na = pd.DataFrame({"n": pd.array([1, None], dtype="Int64")})
    assert tables.table_text(na, {"n": Col("N", "count")})[0]["N"].tolist() == ["1", "—"]


def test_an_optional_column_shows_only_when_the_table_has_it_and_a_named_column_must_exist():
    cols = {"a": Col("A"), "f": Col("Forecast", "yes_no", optional=True)}
    assert list(tables.table_text(pd.DataFrame({"a": ["x"]}), cols)[0].columns) == ["A"]
    assert list(tables.table_text(pd.DataFrame({"a": ["x"], "f": [False]}), cols)[0].columns) == ["A", "Forecast"]
    with pytest.raises(KeyError, match="no column 'b'"):
        tables.table_text(pd.DataFrame({"a": ["x"]}), {"b": Col("B")})
    with pytest.raises(ValueError, match="unknown column kind"):
        Col("B", "money")


def test_without_columns_whole_numbers_are_counts_and_the_rest_is_shown_as_it_is():
    frame = pd.DataFrame({"Rank": [1, 2], "Tokens": [1200, 30], "Concern": ["ASB", "Drugs"], "Flag": [True, False]})
    text, numeric = tables.table_text(frame)
    assert text.to_dict("list") == {"Rank": ["1", "2"], "Tokens": ["1,200", "30"], "Concern": ["ASB", "Drugs"],
                                    "Flag": ["yes", "no"]}
    assert numeric == ["Rank", "Tokens"]


def test_every_page_table_spec_names_known_kinds_and_distinct_headings():
    from components import consultation_charts, funding_ui, spc_charts

    specs = [tables.DISTRICT_COLUMNS, spc_charts.DISTRICT_COLUMNS, consultation_charts.COMPARISON_COLUMNS,
             consultation_charts.RECORDED_COLUMNS, funding_ui.TREND_COLUMNS, funding_ui.RECONCILE_COLUMNS,
             funding_ui.ALLOCATION_COLUMNS]
    for spec in specs:
        headings = [c.heading for c in spec.values() if c is not None]
        assert len(headings) == len(set(headings)) and all(c.kind in tables.FORMATS for c in spec.values() if c)


AWKWARD = ["Drugs *dealing* and _use_", ":smile: :material/info:", ":red[Alert]", "- dash", "12) x", "# Town",
           "---", "Tom & Jerry &amp;", "<b>bold</b> <script>alert(1)</script>", "a < b > c", "two\nlines"]


@pytest.mark.parametrize("typed", AWKWARD)
def test_text_cells_are_shown_exactly_as_typed(typed):
    """An HTML table reads nothing in a cell as Markdown, so the text needs no Markdown escaping; the HTML
    escaping is table_html's, and parsing its output gives the typed text back."""
    frame = pd.DataFrame({"t": [typed]})
    assert tables.table_text(frame, {"t": Col("T")})[0]["T"][0] == typed
    (shown,) = html_tables.parse(tables.table_html(frame, {"t": Col("T")}))
    assert shown["T"][0] == typed.strip()


def test_html_escapes_every_value_and_heading_but_leaves_our_own_html_cells():
    frame = pd.DataFrame({"name": ["<img src=x onerror=alert(1)>"], "trend": ['<img src="data:," alt="a"> 1–2']})
    out = tables.table_html(frame, {"name": Col("A <i>name</i>"), "trend": Col("Trend", "html")})
    assert "<img src=x" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "A &lt;i&gt;name&lt;/i&gt;" in out
    assert '<td><img src="data:," alt="a"> 1–2</td>' in out


def test_html_table_marks_headings_right_aligns_numbers_and_scrolls_when_long():
    frame = pd.DataFrame({"place": ["A", "B"], "n": [1234, None]})
    out = tables.table_html(frame, {"place": Col("Place"), "n": Col("Records", "count")})
    assert '<th scope="col">Place</th><th scope="col" class="num">Records</th>' in out
    assert '<td>A</td><td class="num">1,234</td>' in out and '<td class="num">—</td>' in out
    assert 'class="csp-table"' in out and "<style>" in out
    (shown,) = html_tables.parse(out)
    assert shown.to_dict("list") == {"Place": ["A", "B"], "Records": ["1,234", "—"]}
    long = pd.DataFrame({"n": range(tables.SCROLL_AFTER_ROWS + 1)})
    assert 'class="csp-table scroll"' in tables.table_html(long)
    assert 'class="csp-table"' in tables.table_html(long.head(tables.SCROLL_AFTER_ROWS))


def test_a_column_style_colours_cells_from_their_shown_text():
    frame = pd.DataFrame({"rag": ["■ Red", "– Not rated"]})
    out = tables.table_html(frame, {"rag": Col("RAG", style=lambda v: "color: red" if "Red" in v else "")})
    assert '<td style="color: red">■ Red</td>' in out and "<td>– Not rated</td>" in out


def test_load_history_says_what_each_load_was_in_words():
    loads = pd.DataFrame({"loaded_at": pd.to_datetime(["2026-12-03 06:01:54", "2026-12-03 06:02:10"]),
                          "kind": ["police_uk", "something new"], "files": [36, 1], "rows": [268504, 3],
                          "detail": ["36 force-months", "x"]})
    text, numeric = tables.table_text(tables.load_history_table(loads), tables.LOAD_HISTORY_COLUMNS)
    assert text["What"].tolist() == ["police.uk street records", "something new"]  # an unknown kind as stored
    assert text["Loaded"].tolist() == ["3 Dec 2026, 06:01", "3 Dec 2026, 06:02"]
    assert numeric == ["Files", "Rows"]
