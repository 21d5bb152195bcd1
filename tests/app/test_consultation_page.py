"""AppTest for the consultation page on the demo database, and the officers' entry form."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.charts import chart_options, chart_titles, series_named
from tests.app.html_tables import shown_tables
from tests.conftest import REPO

MALDON = "Maldon CSP charity pots 2011"


def _page(**params) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("views/consultation.py").run()
    assert not at.exception, at.exception
    return at


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [e.value for e in at.error]
    return " ".join(parts)


def test_default_event_is_the_latest_in_the_chosen_area(demo_env):
    at = _page(area="district:Worcester", to="2025-12")
    assert at.multiselect(key="c_events").value == ["Worcester Community Safety Day 2024"]
    charts = chart_options(at)
    ranking = charts[0]
    assert ranking["title"]["text"] == (
        "Share of tokens by concern, with 95% intervals — Worcester Community Safety Day 2024")
    bars = series_named(ranking, "Worcester Community Safety Day 2024")
    assert bars["type"] == "bar" and len(bars["data"]) == 8 and len(ranking["yAxis"]["data"]) == 8
    whiskers = series_named(ranking, "95% interval")  # every concern's share carries its interval
    assert len(whiskers["data"]) == 8 and all(lo <= mid <= hi for lo, _, mid, _, hi in whiskers["data"])
    assert "\nranked 1st, could be" in ranking["yAxis"]["data"][0]
    text = _text(at)
    assert "127 tokens across 8 concerns" in text and "simultaneous" in text
    # change between events: Worcester 2023 against 2024 by default, in plain words
    assert "Shoplifting rose from 8% to 21%" in text
    change = charts[1]
    assert change["title"]["text"].startswith("Share of tokens at each event")
    assert [s["name"] for s in change["series"]] == ["Worcester Community Safety Day 2023",
                                                      "Worcester Community Safety Day 2024"]
    assert {"value": "Shoplifting (moved)", "textStyle": {"fontWeight": "bold"}} in change["yAxis"]["data"]
    # concern against recorded crime: readings, and every table downloadable
    assert "Residents rank drug misuse 1st; it is 9th of 14 by recorded crime" in text
    labels = [b.label for b in at.get("download_button")]
    assert len(at.get("download_button")) >= 4, labels
    assert "Data entry is off" in text and not at.text_input


def test_maldon_shows_the_published_ranking_and_no_police_data(demo_env):
    at = _page(area="district:Worcester")
    at.multiselect(key="c_events").set_value([MALDON]).run()
    assert not at.exception
    ranked = shown_tables(at)[0]  # what the page shows, as text
    assert ranked["Concern"].tolist() == ["Anti Social Behaviour", "Drug Misuse", "Violent Crime",
                                          "Alcohol Misuse", "Burglary", "Vehicle Crime", "Robbery", "No concern"]
    assert ranked["Rank"].tolist() == [str(n) for n in range(1, 9)] and ranked["Tokens"].astype(int).sum() == 160
    text = _text(at)
    assert "No recorded crime is loaded for Maldon before Oct 2011" in text
    recorded = shown_tables(at)[-1]
    assert set(recorded["Recorded in the 12 months"]) == {"—"}  # missing, never zero


def test_too_few_tokens_warning_for_a_small_event(demo_env):
    at = _page(area="district:Worcester")
    at.multiselect(key="c_events").set_value(["Bromsgrove Street Theatre Festival 2023"]).run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "56 tokens are too few to separate the concerns" in warnings
    at.multiselect(key="c_events").set_value([MALDON]).run()
    assert "too few" not in " ".join(w.value for w in at.warning)


def test_dots_are_ranked_by_points_and_say_so(demo_env):
    at = _page(area="district:Worcester")
    at.multiselect(key="c_events").set_value(["Three Counties Show dots board 2024"]).run()
    assert not at.exception
    assert chart_titles(at)[0].startswith("Share of points by concern")
    assert "Points (3/2/1 per dot)" in shown_tables(at)[0].columns
    assert "Weighted tokens (dots scored 3/2/1)" in _text(at)


def test_page_numbers_equal_the_command_line(demo_env, capsys):
    from cspdash.cli import main

    at = _page(area="district:Worcester")
    at.multiselect(key="c_events").set_value([MALDON]).run()
    shown = shown_tables(at)[0]
    assert main(["consultation", "rank", "--event", MALDON, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert [line.split(",")[1] for line in lines] == shown["Concern"].tolist()
    assert [line.split(",")[2] for line in lines] == shown["Tokens"].tolist()


# --- the entry form -----------------------------------------------------------------------------

@pytest.fixture
def entry_env(demo_db, tmp_path, monkeypatch):
    """A private copy of the demo database with data entry switched on (the shared one stays as built)."""
    from cspdash import db

    copy = tmp_path / "entry.duckdb"
    shutil.copy(demo_db, copy)
    monkeypatch.setenv("CSPDASH_DB", str(copy))
    monkeypatch.setenv("CSPDASH_DATA_ENTRY", "1")
    db.close_all()
    yield copy
    db.close_all()


def _stored(path, event: str) -> list[tuple]:
    from cspdash import db

    db.close_all()  # let go of the app's writer before looking
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT category, tokens FROM consultation_tallies WHERE event = $e ORDER BY category",
                           {"e": event}).fetchall()


def _fill(at, rows: dict) -> None:
    at.text_input(key="c_entry_event").input("Heybridge Fete 2026")
    at.selectbox(key="c_entry_area").set_value("Maldon")
    at.selectbox(key="c_entry_method").set_value("charity pot")
    at.session_state["c_entry_rows"] = {"edited_rows": {}, "added_rows": rows, "deleted_rows": []}


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_invalid_entry_shows_the_problems_and_writes_nothing(entry_env):
    at = _page(area="district:Worcester")
    at.multiselect(key="c_events").set_value([]).run()  # start from an empty table
    assert at.text_input(key="c_entry_event") is not None
    _fill(at, [{"category": "ASB", "tokens": 3}, {"category": "asb", "tokens": 2}, {"category": "Drugs"}])
    _button(at, "Check the entry").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Not saved" in errors and "asb is already on row 1" in errors and "the count is missing" in errors
    assert not [b for b in at.button if b.label == "Save to the database"]
    assert _stored(entry_env, "Heybridge Fete 2026") == []


def test_valid_entry_is_saved_only_after_confirmation(entry_env):
    at = _page(area="district:Worcester")
    at.multiselect(key="c_events").set_value([]).run()
    _fill(at, [{"category": "ASB", "tokens": 12}, {"category": "Drugs", "tokens": 5}])
    _button(at, "Check the entry").click().run()
    assert not at.exception and not at.error
    assert "Check before saving" in " ".join(i.value for i in at.info)
    assert _stored(entry_env, "Heybridge Fete 2026") == []  # nothing written before confirming
    _button(at, "Save to the database").click().run()
    assert not at.exception
    assert "loaded 1 consultation event" in " ".join(s.value for s in at.success).lower()
    assert _stored(entry_env, "Heybridge Fete 2026") == [("ASB", 12), ("Drugs", 5)]


def test_typed_names_with_markdown_characters_are_shown_as_typed(entry_env):
    """An officer types '*', '_' or ':smile:' in a name: the page's Markdown escapes them (the browser test of
    table text shows escaped Markdown renders exactly as typed), so nothing turns italic, an emoji or a list."""
    from components.markup import plain

    at = _page(area="district:Worcester")
    at.multiselect(key="c_events").set_value([]).run()
    at.text_input(key="c_entry_event").input("Fete *2026* :smile:")
    at.selectbox(key="c_entry_area").set_value("Maldon")
    at.selectbox(key="c_entry_method").set_value("charity pot")
    at.session_state["c_entry_rows"] = {"edited_rows": {}, "added_rows": [
        {"category": "Drugs *dealing*", "tokens": 12}, {"category": "- fly_tipping_", "tokens": 5}],
        "deleted_rows": []}
    _button(at, "Check the entry").click().run()
    assert r"**Fete \*2026\* \:smile\:** on" in " ".join(i.value for i in at.info)
    _button(at, "Save to the database").click().run()
    assert not at.exception
    assert "Loaded 1 consultation event" in " ".join(s.value for s in at.success)
    at.multiselect(key="c_events").set_value(["Fete *2026* :smile:"]).run()
    shown = shown_tables(at)[0]
    assert set(shown["Concern"]) == {"Drugs *dealing*", "- fly_tipping_"}  # an HTML table: shown as typed
    assert plain("- fly_tipping_") == r"\- fly_tipping\_"  # a list no more; inside a word "_" styles nothing
    assert r"Drugs \*dealing\*" in " ".join(m.value for m in at.markdown)  # the ranking's summary sentence
    # ECharts draws the chart's names as plain text: they reach it exactly as typed, nothing escaped.
    ranking = chart_options(at)[0]
    assert ranking["title"]["text"].endswith("— Fete *2026* :smile:")
    assert {label.split(" · ")[0] for label in ranking["yAxis"]["data"]} == {"Drugs *dealing*", "- fly_tipping_"}
