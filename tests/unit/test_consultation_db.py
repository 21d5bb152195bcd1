"""Consultation tallies through DuckDB and the command line: import, replace per event, refuse bad
files whole, rank (file and database), compare, recorded crime, and the page's components."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from cspdash import db, sql
from cspdash.cli import main
from cspdash.errors import InputError
from cspdash.ingest import consultations, police_uk
from cspdash.reports import consultation as report
from tests.unit import street_files

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo" / "consultation_tallies.csv"
MALDON_EVENT = "Maldon CSP charity pots 2011"
MALDON = [  # published order of rank: (category, tokens)
    ("Anti Social Behaviour", 36), ("Drug Misuse", 26), ("Violent Crime", 24), ("Alcohol Misuse", 23),
    ("Burglary", 18), ("Vehicle Crime", 15), ("Robbery", 14), ("No concern", 4),
]
HEADER = "event,event_date,area,method,category,tokens,weight\n"


@pytest.fixture
def con(tmp_path):
    path = tmp_path / "t.duckdb"
    connection = db.connect(path)
    yield connection
    db.close(path)


def write(tmp_path: Path, text: str, name: str = "tallies.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(con) -> list[tuple]:
    return con.execute("SELECT event, category, tokens, weight FROM consultation_tallies "
                       "ORDER BY event, category, weight").fetchall()


def loads(con) -> int:
    return con.execute("SELECT count(*) FROM load_log WHERE kind = 'consultation'").fetchone()[0]


# --- loading ------------------------------------------------------------------------------------

def test_maldon_table_reproduced_exactly_through_the_database(con):
    result = consultations.load(con, DEMO)
    assert result.replaced == () and len(result.events) == 9 and result.rows == 76
    stored = con.execute("SELECT category, tokens, event_date, area, source FROM consultation_tallies "
                         "WHERE event = $e", {"e": MALDON_EVENT}).df()
    assert dict(zip(stored["category"], stored["tokens"])) == dict(MALDON)
    assert stored["event_date"].iloc[0] == pd.Timestamp("2011-10-12")
    assert set(stored["area"]) == {"Maldon"}
    assert stored["source"].str.contains("Maldon District Council").all()  # the CSV's citation is kept
    ranked = report.ranking(con.cursor(), [MALDON_EVENT])
    assert ranked.tokens == 160
    assert list(zip(ranked.table["category"], ranked.table["count"])) == MALDON
    assert ranked.table["rank"].tolist() == list(range(1, 9))
    assert ranked.table["share"].tolist() == pytest.approx([n / 160 for _, n in MALDON])
    assert ranked.warning is None and ranked.method == "goodman"


def test_import_is_idempotent_and_replaces_per_event(con, tmp_path):
    consultations.load(con, DEMO)
    before = rows(con)
    again = consultations.load(con, DEMO)
    assert rows(con) == before and len(again.replaced) == 9
    # A corrected count for one event replaces that event whole and leaves the others alone.
    fixed = write(tmp_path, HEADER + f"{MALDON_EVENT},2011-10-12,Maldon,charity pot,Anti Social Behaviour,37,1\n"
                                     f"{MALDON_EVENT},2011-10-12,Maldon,charity pot,Litter,3,1\n")
    result = consultations.load(con, fixed)
    assert result.replaced == (MALDON_EVENT,)
    maldon = [r for r in rows(con) if r[0] == MALDON_EVENT]
    assert maldon == [(MALDON_EVENT, "Anti Social Behaviour", 37, 1), (MALDON_EVENT, "Litter", 3, 1)]
    assert [r for r in rows(con) if r[0] != MALDON_EVENT] == [r for r in before if r[0] != MALDON_EVENT]
    assert loads(con) == 3


@pytest.mark.parametrize("text, line, words", [
    (HEADER + "A,2024-01-01,X,charity pot,ASB,3,1\nA,2024-01-01,X,charity pot,Drugs,-2,1\n", 3, "negative"),
    (HEADER + "A,2024-01-01,X,charity pot,ASB,3,1\nA,2024-01-01,X,charity pot,Drugs,lots,1\n", 3, "not a number"),
    (HEADER + "A,2024-01-01,X,charity pot,ASB,3,1\nA,2024-01-01,X,charity pot,ASB,4,1\n", 3, "appears twice"),
    (HEADER + "A,2024-01-01,X,charity pot,ASB,3,1\nA,2024-13-01,X,charity pot,Drugs,2,1\n", 3, "not a real date"),
    ("category,count\nASB,3\nDrugs,2\n", 2, "the date is missing"),
    ("event,event_date,area,category,count\nA,2024-01-01,X,ASB,3\nA,2024-01-01,,Drugs,2\n", 3, "area"),
    ("", None, "empty"),
])
def test_refused_file_names_the_line_and_leaves_the_database_unchanged(con, tmp_path, text, line, words):
    consultations.load(con, DEMO)
    before, logged = rows(con), loads(con)
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        consultations.load(con, path)
    assert caught.value.line == line and words in caught.value.message
    assert rows(con) == before and loads(con) == logged


def test_save_entry_writes_one_event_and_refuses_invalid_entries(con):
    good = pd.DataFrame({"category": ["ASB", "Drugs", None], "tokens": [12, 5, None]})
    result = consultations.save_entry(con, "Heybridge Fete 2026", date(2026, 7, 4), "Maldon", "charity pot", good)
    assert result.events == ("Heybridge Fete 2026",) and result.tokens == 17
    assert rows(con) == [("Heybridge Fete 2026", "ASB", 12, 1), ("Heybridge Fete 2026", "Drugs", 5, 1)]
    source = con.execute("SELECT DISTINCT source FROM consultation_tallies").fetchall()
    assert source == [("entered in the app",)]
    bad = pd.DataFrame({"category": ["ASB", "asb"], "tokens": [1.5, 2]})
    with pytest.raises(InputError) as caught:
        consultations.save_entry(con, "Heybridge Fete 2026", "2026-07-04", "Maldon", "pot", bad)
    assert "not a whole number" in str(caught.value) and "already on row 1" in str(caught.value)
    assert rows(con)[0][2] == 12 and loads(con) == 1


def test_load_demo_says_what_it_loaded(con):
    said = consultations.load_demo(con)
    assert said.startswith("loaded 9 consultation events (76 tally rows, 962 tokens)")


# --- reports on a tiny database with police records -----------------------------------------------

@pytest.fixture
def with_crime(con, tmp_path):
    """Worcester: 2023-05..2024-04 records of a few types, plus the demo tallies."""
    folder = tmp_path / "street"
    counts = {"Anti-social behaviour": 6, "Violence and sexual offences": 9, "Drugs": 2, "Shoplifting": 4}
    for month in pd.period_range("2023-05", "2024-04", freq="M").strftime("%Y-%m"):
        lines = [street_files.row(month, crime_type=t, crime_id=f"{month}-{t[:3]}-{i}")
                 for t, n in counts.items() for i in range(n)]
        street_files.write(folder / month / f"{month}-test-police-street.csv", lines)
    police_uk.ingest(con, [folder])
    consultations.load(con, DEMO)
    return con


def test_recorded_crime_beside_the_worcester_2024_ranking(with_crime):
    rec = report.recorded(with_crime.cursor(), "Worcester Community Safety Day 2024")
    assert rec.window == (date(2023, 6, 1), date(2024, 5, 1))
    assert len(rec.months_loaded) == 11 and "Only 11 of the 12 months" in rec.coverage_note
    table = rec.table.set_index("category")
    assert table.loc["Drug Misuse", ["recorded_count", "recorded_rank", "recorded_of"]].tolist() == [22, 4, 4]
    assert table.loc["Drug Misuse", "reading"] == "Residents rank drug misuse 1st; it is 4th of 4 by recorded crime"
    assert table.loc["Violent Crime", "recorded_rank"] == 1
    assert table.loc["Speeding", "reading"].endswith("it is not a police.uk crime type")


def test_no_police_data_for_the_event_says_so_instead_of_zeros(with_crime):
    rec = report.recorded(with_crime.cursor(), MALDON_EVENT)
    assert not rec.comparable
    assert rec.coverage_note.startswith("No recorded crime is loaded for Maldon before Oct 2011")
    assert rec.table["recorded_count"].isna().all()


def test_an_uploaded_mapping_changes_the_match(with_crime):
    mapping = pd.DataFrame({"concern": ["Speeding", "Drug Misuse"], "crime_type": ["Public order", "Drugs"]})
    rec = report.recorded(with_crime.cursor(), "Worcester Community Safety Day 2024", mapping)
    table = rec.table.set_index("category")
    assert table.loc["Speeding", "crime_types"] == "Public order"
    assert table.loc["Speeding", "reading"].endswith("no public order was recorded in the area in the period")
    assert table.loc["Burglary", "reading"].endswith("has no police.uk crime type in the concern mapping")


def test_defaults_pick_the_latest_event_in_the_area_else_maldon(with_crime):
    cur = with_crime.cursor()
    assert report.default_events(cur, "district", "Worcester") == ["Worcester Community Safety Day 2024"]
    assert report.default_events(cur, "force", "Test Police") == ["Worcester Community Safety Day 2024"]
    assert report.default_events(cur, "district", "Nowhere") == [MALDON_EVENT]
    assert report.default_pair(report.events(cur)) == ("Worcester Community Safety Day 2023",
                                                        "Worcester Community Safety Day 2024")


def test_comparison_of_the_two_worcester_days(con):
    consultations.load(con, DEMO)
    change = report.comparison(con.cursor(), "Worcester Community Safety Day 2023",
                               "Worcester Community Safety Day 2024")
    assert change.test["changed"] and change.table.loc[change.table["moved"], "category"].tolist() == ["Shoplifting"]
    assert "Shoplifting rose from 8% to 21%" in change.sentence
    assert "below 0.05 (1 in 20)" in change.test_words()


# --- command line -------------------------------------------------------------------------------

def test_cli_rank_file_reproduces_maldon_exactly(tmp_path, capsys):
    path = write(tmp_path, "category,count\n" + "".join(f"{c},{n}\n" for c, n in MALDON[::-1]))
    assert main(["consultation", "rank", str(path), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "rank,category,count,share,ci_low,ci_high"
    got = [line.split(",") for line in out[1:]]
    assert [(int(r[0]), r[1], int(r[2])) for r in got] == [(i + 1, c, n) for i, (c, n) in enumerate(MALDON)]
    assert float(got[0][3]) == 0.225
    assert [float(x) for x in got[0][4:6]] == pytest.approx([0.14819581, 0.3263582])
    assert sum(int(r[2]) for r in got) == 160


def test_cli_import_then_rank_from_the_database_equals_the_file(tmp_path, capsys):
    dbfile = str(tmp_path / "cli.duckdb")
    assert main(["consultation", "import", str(DEMO), "--db", dbfile]) == 0
    assert "loaded 9 consultation events" in capsys.readouterr().out
    assert main(["consultation", "import", str(DEMO), "--db", dbfile]) == 0
    assert "replaced 9 already loaded" in capsys.readouterr().out
    db.close(dbfile)
    assert main(["consultation", "rank", "--event", MALDON_EVENT, "--db", dbfile, "--format", "csv"]) == 0
    from_db = capsys.readouterr().out
    assert main(["consultation", "rank", str(DEMO), "--event", MALDON_EVENT, "--format", "csv"]) == 0
    assert capsys.readouterr().out == from_db
    assert main(["consultation", "events", "--db", dbfile, "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") == 10
    db.close(dbfile)


@pytest.mark.parametrize("text, where", [
    ("category,count\nASB,3\nDrugs,-1\n", ":3: "),
    ("category,count\nASB,3\nDrugs,x\n", ":3: "),
    ("category,count\nASB,3\nDrugs,\n", ":3: "),
    ("", ": "),
    ("concern,votes\nASB,3\n", ":1: "),
])
def test_cli_bad_files_give_one_line_and_exit_2(tmp_path, capsys, text, where):
    path = write(tmp_path, text)
    assert main(["consultation", "rank", str(path), "--format", "csv"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith(f"error: {path}{where}")


def test_cli_import_refuses_a_rank_only_file_and_writes_nothing(tmp_path, capsys):
    dbfile = str(tmp_path / "cli.duckdb")
    path = write(tmp_path, "category,count\nASB,3\n")
    assert main(["consultation", "import", str(path), "--db", dbfile]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "every row needs event, event_date, area" in err
    con = db.connect(dbfile)
    assert con.execute("SELECT count(*) FROM consultation_tallies").fetchone()[0] == 0
    db.close(dbfile)


def test_cli_rank_needs_a_file_or_an_event(capsys):
    assert main(["consultation", "rank"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_cli_recorded_and_compare(tmp_path, capsys):
    dbfile = str(tmp_path / "cli.duckdb")
    main(["consultation", "import", str(DEMO), "--db", dbfile])
    capsys.readouterr()
    db.close(dbfile)
    assert main(["consultation", "recorded", MALDON_EVENT, "--db", dbfile, "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("category,resident_rank,crime_types,recorded_count,recorded_rank")
    assert "No police records are loaded yet" in captured.err
    assert main(["consultation", "compare", "Worcester Community Safety Day 2023",
                 "Worcester Community Safety Day 2024", "--db", dbfile]) == 0
    assert "Shoplifting rose from 8% to 21%" in capsys.readouterr().out
    assert main(["consultation", "compare", "Nope", MALDON_EVENT, "--db", dbfile]) == 2
    assert "no consultation event named 'Nope'" in capsys.readouterr().err
    db.close(dbfile)


def test_queries_are_registered():
    names = set(sql.registry())
    assert {"build/schema_consultation", "build/consultation_replace_events",
            "app/consultation_events", "app/consultation_recorded_by_type"} <= names


# --- components ---------------------------------------------------------------------------------

def test_ranking_chart_and_tables():
    from components import consultation_charts as cc

    ranked = report.rank_file(DEMO, [MALDON_EVENT])
    chart = cc.ranking_chart(ranked.table, MALDON_EVENT)
    option = chart.option
    assert option["title"]["text"].startswith("Share of tokens by concern, with 95% intervals")
    assert option["xAxis"]["name"].startswith("Share of all tokens (%)")
    assert option["xAxis"]["axisLabel"]["formatter"] == "{value}%"
    labels = option["yAxis"]["data"]  # rank 1 at the top: the axis is drawn top down
    assert len(labels) == 8 and option["yAxis"]["inverse"] is True
    assert labels[0] == "Anti Social Behaviour · 22%\nranked 1st, could be 1st–3rd"
    assert labels[-1].startswith("No concern · 2.5%\nranked 8th")
    bars = chart.series(MALDON_EVENT)
    assert bars["type"] == "bar" and [d["value"][1] for d in bars["data"]] == list(range(8))
    assert [d["value"][0] for d in bars["data"]] == pytest.approx(list(ranked.table["share"] * 100))
    # The tooltip shows the real interval and count, not offsets: "14.8% to 32.6%", "36 of 160".
    first = bars["data"][0]["value"]
    assert first[2] == f"{ranked.table['ci_low'][0] * 100:.1f}% to {ranked.table['ci_high'][0] * 100:.1f}%"
    assert first[3] == "36 of 160" and bars["encode"]["tooltip"] == ["share", "interval", "count"]
    assert bars["data"][-1]["itemStyle"]["color"] == cc.GREY  # 'No concern' is not a crime: drawn grey
    # The 95% interval: whiskers from the lower to the upper bound, through the share, on every concern.
    whiskers = chart.series("95% interval")
    assert whiskers["type"] == "boxplot" and whiskers["tooltip"] == {"show": False}
    assert [w[0] for w in whiskers["data"]] == pytest.approx(list(ranked.table["ci_low"] * 100))
    assert [w[-1] for w in whiskers["data"]] == pytest.approx(list(ranked.table["ci_high"] * 100))
    assert [w[2] for w in whiskers["data"]] == pytest.approx(list(ranked.table["share"] * 100))
    # Names are typed by officers: ECharts draws labels as plain text, so they reach the option exactly as typed.
    typed = ranked.table.assign(category=["<b>Drugs</b> & *dealing*", "{big|Fly} tipping"] + list(
        ranked.table["category"][2:]))
    pair = pd.DataFrame({"category": typed["category"][:2], "share_a": [.5, .5], "share_b": [.4, .6],
                         "count_a": [5, 5], "count_b": [4, 6], "moved": [False, True]})
    odd = cc.comparison_chart(pair, "<i>A</i>", "B & co").option
    assert cc.ranking_chart(typed, "<i>A</i>").option["yAxis"]["data"][0].startswith("<b>Drugs</b> & *dealing* · ")
    assert "rich" not in cc.ranking_chart(typed, "<i>A</i>").option["yAxis"]["axisLabel"]  # "{big|..." stays text
    assert [c["value"] for c in odd["yAxis"]["data"]] == ["<b>Drugs</b> & *dealing*", "{big|Fly} tipping (moved)"]
    assert [s["name"] for s in odd["series"]] == ["<i>A</i>", "B & co"] and "rich" not in odd["yAxis"]["axisLabel"]
    points = cc.ranking_chart(ranked.table, MALDON_EVENT, weighted=True).option
    assert points["title"]["text"].startswith("Share of points by concern")
    assert points["series"][0]["dimensions"][-1]["displayName"] == "Points"
    table = cc.ranking_table(ranked.table)
    assert table.loc[0, "95% interval"] == "15% to 33%" and table.loc[0, "Share"] == "22%"
    assert table.loc[0, "Could rank"] == "1st to 3rd" and table.loc[7, "Could rank"] == "8th only"
    label = cc.event_label({"event": MALDON_EVENT, "event_date": date(2011, 10, 12), "area": "Maldon"})
    assert label == "Maldon CSP charity pots 2011 · 12 Oct 2011 · Maldon"


def test_comparison_chart_marks_the_concerns_that_moved():
    from components import consultation_charts as cc, tables
    from cspdash.analysis.consultation import compare_events, event_counts

    tallies = consultations.read_tallies(DEMO)
    table, _ = compare_events(event_counts(tallies, ["Worcester Community Safety Day 2023"]),
                              event_counts(tallies, ["Kidderminster Carnival 2025"]))
    option = cc.comparison_chart(table, "A", "B").option
    assert [s["name"] for s in option["series"]] == ["A", "B"] and option["legend"]["show"] is True
    common = table.dropna(subset=["share_a", "share_b"]).reset_index(drop=True)
    categories = option["yAxis"]["data"]
    assert len(categories) == len(common) < len(table)  # concerns offered at one event only are left out
    for category, row in zip(categories, common.itertuples()):  # those that moved clearly: bold, and say so
        assert category == ({"value": f"{row.category} (moved)", "textStyle": {"fontWeight": "bold"}}
                            if row.moved else {"value": row.category})
    a = option["series"][0]["data"]
    assert [d["value"][0] for d in a] == pytest.approx(list(common["share_a"] * 100))
    assert a[0]["label"]["formatter"] == cc._pct(common["share_a"][0])  # each bar says its share
    assert a[0]["value"][2] == f"{common['count_a'][0]:,.0f} of {table['count_a'].sum():,.0f}"
    assert option["xAxis"]["name"] == "Share of tokens at the event (%)"
    shown, _ = tables.table_text(table, cc.COMPARISON_COLUMNS)
    assert list(shown.columns)[:3] == ["Concern", "Tokens, first", "Share, first"]
    assert shown["Moved clearly"].isin(["yes", "no"]).all()
    offered = shown["Share, first"] != "—"  # a concern offered at the second event only has no first share
    assert shown.loc[offered, "Share, first"].str.endswith("%").all() and not offered.all()

