"""The tables the pages show: headings, units, missing values and which columns line up as numbers."""

import pandas as pd
import pytest

from components import markup, tables
from components.tables import Col


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


@pytest.mark.parametrize("typed, markdown", [
    ("Drugs *dealing* and _use_", r"Drugs \*dealing\* and \_use\_"),
    (":smile: :material/info:", r"\:smile\: \:material\/info\:"),
    (":red[Alert]", r"\:red\[Alert\]"),
    ("- dash", r"\- dash"), ("12) x", r"12\) x"), ("# Town", r"\# Town"), ("---", r"\---"),
    ("Tom & Jerry &amp;", r"Tom & Jerry \&amp;"),
    ("two\nlines", "two lines"),
])
def test_text_cells_escape_what_markdown_would_style(typed, markdown):
    assert tables.table_text(pd.DataFrame({"t": [typed]}), {"t": Col("T")})[0]["T"][0] == markdown


@pytest.mark.parametrize("plain", ["Anti-social behaviour", "St. Mary's (2024)", "Note: 10:30", "Ward_7",
                                   "http://x.org/a_b_c", "Tom & Jerry"])
def test_text_cells_leave_ordinary_names_as_they_are(plain):
    """So the text reads as typed where it is read as data (AppTest, the CSV is separate anyway)."""
    assert markup.plain(plain) == plain


def test_a_markdown_cell_is_left_as_our_code_wrote_it():
    cell = "![alt](data:image/svg+xml;base64,AAA \"words\") 1–2 a month"
    text, numeric = tables.table_text(pd.DataFrame({"m": [cell]}), {"m": Col("Trend", "markdown")})
    assert text["Trend"][0] == cell and numeric == []


def test_load_history_says_what_each_load_was_in_words():
    loads = pd.DataFrame({"loaded_at": pd.to_datetime(["2026-12-03 06:01:54", "2026-12-03 06:02:10"]),
                          "kind": ["police_uk", "something new"], "files": [36, 1], "rows": [268504, 3],
                          "detail": ["36 force-months", "x"]})
    text, numeric = tables.table_text(tables.load_history_table(loads), tables.LOAD_HISTORY_COLUMNS)
    assert text["What"].tolist() == ["police.uk street records", "something new"]  # an unknown kind as stored
    assert text["Loaded"].tolist() == ["3 Dec 2026, 06:01", "3 Dec 2026, 06:02"]
    assert numeric == ["Files", "Rows"]
