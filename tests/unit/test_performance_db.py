"""Priority performance through the database: the loaders (errors with lines, nothing written on a
refused load, idempotence), the report (gaps not zeros, default measures, rates, district shares),
the command line, and the page's pure chart/table builders. The SPC rules themselves are tested
in test_performance.py."""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from cspdash import db, sql
from cspdash.cli import main
from cspdash.errors import InputError
from cspdash.ingest import geography, police_uk, priorities
from cspdash.reports import performance as report
from tests.unit.street_files import row, write

# Test Police: Worcester and Bromsgrove (partnership Testshire) and Redditch (on its own), ten
# months 2023-01..2023-11 with 2023-05 never published (not in coverage: a gap, not a zero).
MONTHS = ["2023-01", "2023-02", "2023-03", "2023-04", "2023-06", "2023-07", "2023-08", "2023-09",
          "2023-10", "2023-11"]
ASB_WORCESTER = [5, 6, 4, 5, 6, 5, 4, 6, 5, 5]        # per published month
BURGLARY_BROMSGROVE = [2, 1, 3, 0, 2, 2, 1, 3, 2, 2]   # 2023-04 has none: a real zero
LSOAS = {"Worcester": ("E01032001", "Worcester 001A"), "Bromsgrove": ("E01032002", "Bromsgrove 001A"),
         "Redditch": ("E01032003", "Redditch 001A")}

CONFIG = """\
partnership: Testshire
area: Testshire
districts: [Worcester, Bromsgrove]
priorities:
  - name: Anti-social behaviour
    measures:
      - name: ASB incidents
        kind: police
        crime_types: [Anti-social behaviour]
        unit: count
        better: lower
        baseline: {from: 2023-01, to: 2023-06}
        target: {value: 4}
      - name: Burglaries
        kind: police
        crime_types: [Burglary]
        unit: count
        better: lower
        baseline: {from: 2023-01, to: 2023-06}
  - name: Confidence
    measures:
      - name: Feel safe
        kind: manual
        unit: percent
        better: higher
        frequency: quarterly
        baseline: {from: 2023-01, to: 2023-12}
        target: {value: 70}
        synthetic: true
"""
VALUES = """\
partnership,measure,period,value,note
Testshire,Feel safe,2023-01,61.5,synthetic demo value
Testshire,Feel safe,2023-04,62,synthetic demo value
Testshire,Feel safe,2023-10,64,synthetic demo value
"""


def _text(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _street_files(folder: Path) -> list[Path]:
    files = []
    for i, month in enumerate(MONTHS):
        rows = []
        for k in range(ASB_WORCESTER[i]):
            code, name = LSOAS["Worcester"]
            rows.append(row(month, code=code, name=name, crime_type="Anti-social behaviour", crime_id="", outcome=""))
        for k in range(BURGLARY_BROMSGROVE[i]):
            code, name = LSOAS["Bromsgrove"]
            rows.append(row(month, code=code, name=name, crime_type="Burglary", crime_id=f"b{month}{k}"))
        code, name = LSOAS["Redditch"]
        rows += [row(month, code=code, name=name, crime_type="Shoplifting", crime_id=f"r{month}{k}") for k in range(3)]
        rows.append(row(month, code=code, name=name, crime_type="Anti-social behaviour", crime_id="", outcome=""))
        files.append(write(folder / f"{month}-test-street.csv", rows))
    return files


@pytest.fixture
def loaded(tmp_path):
    path = tmp_path / "t.duckdb"
    con = db.connect(path)
    police_uk.ingest(con, _street_files(tmp_path / "street"))
    _text(tmp_path / "pop.csv", "LSOA Code,LSOA Name,Mid-2022 population\n"
          "E01032001,Worcester 001A,2000\nE01032002,Bromsgrove 001A,3000\nE01032003,Redditch 001A,1000\n")
    geography.load(con, tmp_path / "pop.csv")
    _text(tmp_path / "p.csv", "partnership,district\nTestshire,Worcester\nTestshire,Bromsgrove\n")
    geography.load(con, tmp_path / "p.csv")
    priorities.load_config(con, _text(tmp_path / "testshire.yaml", CONFIG))
    priorities.load_values(con, _text(tmp_path / "values.csv", VALUES))
    yield path, con
    db.close_all()


def _counts(con) -> tuple:
    return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("priorities", "measures", "measure_values", "load_log"))


def _cli_csv(capsys, *args) -> tuple[pd.DataFrame, str]:
    from io import StringIO

    assert main(["performance", *args, "--format", "csv"]) == 0
    captured = capsys.readouterr()
    return pd.read_csv(StringIO(captured.out), keep_default_na=False, na_values=[""]), captured.err


# ---------------------------------------------------------------------------------------------
# Loaders


def test_config_and_values_load_into_tables(loaded):
    _, con = loaded
    assert _counts(con)[:3] == (2, 3, 3)
    m = con.execute("SELECT measure, kind, districts, target_value, baseline_from FROM measures "
                    "ORDER BY measure_order").fetchall()
    assert m[0][:4] == ("ASB incidents", "police", "Worcester|Bromsgrove", 4.0)
    assert str(m[0][4]) == "2023-01-01"
    synthetic = con.execute("SELECT bool_and(synthetic) FROM measure_values").fetchone()[0]
    assert synthetic is True


def test_imports_are_idempotent_and_replace(loaded, tmp_path):
    path, con = loaded
    before = _counts(con)
    priorities.load_config(con, tmp_path / "testshire.yaml")
    priorities.load_values(con, tmp_path / "values.csv")
    after = _counts(con)
    assert after[:3] == before[:3] and after[3] == before[3] + 2  # two more loads logged, same rows
    _text(tmp_path / "fix.csv", "partnership,measure,period,value\nTestshire,Feel safe,2023-04,63.5\n")
    priorities.load_values(con, tmp_path / "fix.csv")
    values = con.execute("SELECT period, value FROM measure_values ORDER BY period").fetchall()
    assert [v for _, v in values] == [61.5, 63.5, 64.0]


@pytest.mark.parametrize("row_text, line, words", [
    ("Testshire,Feel safe,2023-07,lots", 3, "'lots' is not a number"),
    ("Testshire,Feel safe,2023-07,104", 3, "over 100"),
    ("Testshire,Feel safe,2023-08,50", 3, "quarterly"),
    ("Testshire,ASB incidents,2023-07,5", 3, "counted from police data"),
    ("Testshire,Nonsense,2023-07,5", 3, "not in the priorities configuration"),
])
def test_bad_values_refused_whole_with_their_line(loaded, tmp_path, capsys, row_text, line, words):
    path, con = loaded
    before = _counts(con)
    version = sql.run(con.cursor(), "app/data_version").fetchone()[0]
    bad = _text(tmp_path / "bad.csv", f"partnership,measure,period,value\nTestshire,Feel safe,2023-07,66\n{row_text}\n")
    db.close_all()
    assert main(["measures", "import", "--db", str(path), str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"bad.csv:{line}:" in err and words in err and "Traceback" not in err
    con = db.connect(path)
    assert _counts(con) == before  # the good first row was not written either
    assert sql.run(con.cursor(), "app/data_version").fetchone()[0] == version


@pytest.mark.parametrize("old, new, line, words", [
    ("        better: lower\n        baseline: {from: 2023-01, to: 2023-06}\n        target: {value: 4}",
     "        better: down\n        baseline: {from: 2023-01, to: 2023-06}\n        target: {value: 4}", 11, "must be one of"),
    ("crime_types: [Burglary]", "crime_types: [Burglery]", 16, "not a police.uk crime type"),
    ("target: {value: 70}", "target: {value: 170}", 28, "over 100%"),
])
def test_bad_config_refused_with_its_line(loaded, tmp_path, capsys, old, new, line, words):
    path, con = loaded
    assert old in CONFIG
    before = _counts(con)
    bad = _text(tmp_path / "bad.yaml", CONFIG.replace(old, new, 1))
    db.close_all()
    assert main(["priorities", "import", "--db", str(path), str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"bad.yaml:{line}:" in err and words in err, err
    assert _counts(db.connect(path)) == before


def test_values_need_a_configuration_first(tmp_path):
    con = db.connect(tmp_path / "empty.duckdb")
    with pytest.raises(InputError, match="no priorities are configured yet"):
        priorities.load_values(con, _text(tmp_path / "v.csv", VALUES))
    db.close_all()


def test_cli_imports_print_what_they_loaded(tmp_path, capsys):
    target = str(tmp_path / "cli.duckdb")
    assert main(["priorities", "import", "--db", target, str(_text(tmp_path / "t.yaml", CONFIG))]) == 0
    assert main(["measures", "import", "--db", target, str(_text(tmp_path / "v.csv", VALUES))]) == 0
    out = capsys.readouterr().out
    assert "loaded 2 priorities with 3 measures" in out and "loaded 3 measure values" in out
    db.close_all()


# ---------------------------------------------------------------------------------------------
# The report and the command line


def test_cli_columns_and_one_row_per_measure_and_period(loaded, capsys):
    path, _ = loaded
    db.close_all()
    frame, err = _cli_csv(capsys, "--db", str(path), "--area", "Testshire")
    assert list(frame.columns) == ["priority", "measure", "period", "value", "target", "rag", "spc_signal"]
    assert not frame.duplicated(["measure", "period"]).any()
    per_measure = frame.groupby("measure")["period"].agg(list).to_dict()
    months = [f"2023-{m:02d}" for m in range(1, 12)]
    assert per_measure["ASB incidents"] == months and per_measure["Burglaries"] == months
    assert per_measure["Feel safe"] == ["2023-01", "2023-04", "2023-07", "2023-10"]  # quarterly; July a gap
    asb = frame[frame["measure"] == "ASB incidents"].set_index("period")
    assert asb.loc["2023-01", "value"] == 5 and (asb["target"] == 4).all()
    assert "Testshire partnership's priorities" in err


def test_month_missing_from_coverage_is_a_gap_not_zero(loaded):
    path, _ = loaded
    cur = db.connect(path).cursor()
    rows = report.performance(cur, "Testshire").rows().set_index(["measure", "period"])
    gap = rows.loc[("ASB incidents", "2023-05")]
    assert math.isnan(gap["value"]) and gap["spc_signal"] == "missing" and gap["rag"] is None
    assert rows.loc[("Burglaries", "2023-04"), "value"] == 0  # published month with none: a real zero
    assert rows.loc[("Burglaries", "2023-05"), "spc_signal"] == "missing"


@pytest.mark.parametrize("name", ["Testshire", "Redditch", "Worcester"])
def test_the_measures_table_is_read_once_per_report(loaded, monkeypatch, name):
    """The configurations come from the same read as the measures: a page of the performance report under a
    crowd ran the same query and grouping three times (~10% of its time)."""
    path, _ = loaded
    cur = db.connect(path).cursor()
    seen = []
    real_df = sql.df
    monkeypatch.setattr(sql, "df", lambda c, name_, **kw: seen.append(name_) or real_df(c, name_, **kw))
    report.performance(cur, name)
    assert seen.count("app/performance_measures") == 1


def test_another_forces_stray_record_does_not_turn_a_gap_into_a_count(loaded, tmp_path):
    # Other Police published May 2023 (which Test Police did not), with one record placed in Worcester.
    _, con = loaded
    code, name = LSOAS["Worcester"]
    stray = [row("2023-05", force="Other Police", code=code, name=name, crime_type="Anti-social behaviour",
                 crime_id="", outcome="")]
    stray += [row("2023-05", force="Other Police", code="E01032009", name="Malvern Hills 001A",
                  crime_id=f"o{k}") for k in range(40)]
    police_uk.ingest(con, [write(tmp_path / "other" / "2023-05-other-street.csv", stray)])
    view = report.performance(con.cursor(), "Testshire")
    rows = view.rows().set_index(["measure", "period"])
    assert rows.loc[("ASB incidents", "2023-05"), "spc_signal"] == "missing"
    assert math.isnan(rows.loc[("ASB incidents", "2023-05"), "value"])
    assert set(view.districts["district"]) == {"Worcester", "Bromsgrove"}
    other = report.performance(con.cursor(), "Other Police")
    assert list(other.districts["district"]) == ["Malvern Hills"]  # Worcester's stray record is not a district of it


def test_report_numbers_equal_the_cli(loaded, capsys):
    path, con = loaded
    view = report.performance(con.cursor(), "Testshire")
    asb = next(m for m in view.measures if m.name == "ASB incidents")
    assert asb.result.latest_value == 5 and asb.result.latest_period == pd.Timestamp("2023-11-01")
    assert asb.result.baseline_applied and asb.result.n_limit_points == 5  # Jan-Jun less the May gap
    db.close_all()
    frame, _ = _cli_csv(capsys, "--db", str(path), "--area", "testshire")
    cli = frame[frame["measure"] == "ASB incidents"]["value"].dropna().tolist()
    assert cli == ASB_WORCESTER


def test_unconfigured_areas_get_the_default_police_measures(loaded, capsys):
    path, con = loaded
    cur = con.cursor()
    defaults = ["ASB incidents", "All recorded crime (excluding ASB)", "Violence and sexual offences",
                "Drug offences", "Shoplifting", "Burglary", "Vehicle crime", "Criminal damage and arson"]
    for name in ("Test Police", "Redditch"):
        view = report.performance(cur, name)
        assert view.partnership is None and [m.name for m in view.measures] == defaults
        assert "standard police measures" in view.note.lower()
    redditch = report.performance(cur, "Redditch")
    shop = next(m for m in redditch.measures if m.name == "Shoplifting")
    values = shop.result.points["value"]
    assert values.iloc[:4].tolist() == [3, 3, 3, 3] and math.isnan(values.iloc[4])
    # A district of a larger configured partnership: standard measures, pointing to the partnership.
    worcester = report.performance(cur, "Worcester")
    assert worcester.partnership is None and "part of Testshire" in worcester.note
    db.close_all()
    frame, _ = _cli_csv(capsys, "--db", str(path), "--area", "Redditch")
    assert len(frame) == len(defaults) * 11 and set(frame["measure"]) == set(defaults)


def test_single_district_partnership_config_applies_to_its_district(loaded, tmp_path):
    path, con = loaded
    solo = CONFIG.replace("partnership: Testshire\narea: Testshire\ndistricts: [Worcester, Bromsgrove]",
                          "partnership: Redditch CSP\narea: Redditch CSP\ndistricts: [Redditch, Redditch (old name)]")
    priorities.load_config(con, _text(tmp_path / "solo.yaml", solo))
    view = report.performance(con.cursor(), "Redditch")
    assert view.partnership == "Redditch CSP" and "only district with police data" in view.note


def test_configured_partnership_without_police_data_says_so(loaded, tmp_path, capsys):
    path, con = loaded
    elsewhere = CONFIG.replace("partnership: Testshire\narea: Testshire\ndistricts: [Worcester, Bromsgrove]",
                               "partnership: Norwich\narea: Norwich")
    priorities.load_config(con, _text(tmp_path / "norwich.yaml", elsewhere))
    view = report.performance(con.cursor(), "Norwich")
    police = [m for m in view.measures if m.kind == "police"]
    assert police and all(not m.has_data and "no police records" in m.no_data_reason for m in police)
    assert view.districts.empty and view.population is None
    db.close_all()
    frame, err = _cli_csv(capsys, "--db", str(path), "--area", "Norwich")
    assert frame.empty and "note: ASB incidents: no police records are loaded for Norwich" in err


def test_rates_per_1000_residents(loaded, capsys):
    path, con = loaded
    view = report.performance(con.cursor(), "Testshire")
    assert view.population == 5000 and view.population_year == 2022
    asb = next(m for m in view.measures if m.name == "ASB incidents")
    counts, rates = asb.result.points["value"], asb.rate.points["value"]
    pd.testing.assert_series_equal(rates, counts / 5000 * 1000, check_names=False)
    assert asb.rate.target == pytest.approx(4 / 5000 * 1000)
    assert "per 1,000 residents" in asb.rate_sentence
    feel = next(m for m in view.measures if m.name == "Feel safe")
    assert feel.rate is None  # a percentage has no rate
    db.close_all()
    frame, _ = _cli_csv(capsys, "--db", str(path), "--area", "Testshire", "--per-1000")
    jan = frame[(frame["measure"] == "ASB incidents per 1,000 residents") & (frame["period"] == "2023-01")]
    assert jan["value"].item() == pytest.approx(1.0)


def test_district_shares_of_the_force(loaded, capsys):
    path, con = loaded
    view = report.performance(con.cursor(), "Testshire")
    d = view.districts.set_index("district")
    # Last 12 months to 2023-11: Test Police has 51 ASB (Worcester) + 10 (Redditch), 18 burglaries + 30 shoplifting.
    assert d.loc["Worcester", "asb"] == 51 and d.loc["Worcester", "force_asb_share"] == pytest.approx(51 / 61)
    assert d.loc["Bromsgrove", "crimes"] == 18 and d.loc["Bromsgrove", "force_crime_share"] == pytest.approx(18 / 48)
    assert d.loc["Bromsgrove", "crimes_per_1000"] == pytest.approx(18 / 3000 * 1000)
    assert "Redditch" not in d.index
    assert view.share_sentences()[0] == ("Bromsgrove: about 38% of Test Police's recorded crime and "
                                         "0.0% of its anti-social behaviour")
    db.close_all()
    frame, _ = _cli_csv(capsys, "--db", str(path), "--area", "Testshire", "--districts")
    assert set(frame["district"]) == {"Worcester", "Bromsgrove"}


def test_to_month_limits_the_series(loaded):
    _, con = loaded
    rows = report.performance(con.cursor(), "Testshire", to_month="2023-08").rows()
    assert rows["period"].max() == "2023-08"


def test_summary_rag_never_from_few_points(loaded):
    _, con = loaded
    summary = report.performance(con.cursor(), "Testshire").summary().set_index("measure")
    feel = summary.loc["Feel safe"]
    assert feel["points"] == 3 and feel["rag"] is None and "a rating needs 7" in feel["note"]
    assert summary.loc["ASB incidents", "limits_from"] == 5 and summary.loc["ASB incidents", "rag"] is None


def test_unknown_area_exits_2_with_one_line(loaded, capsys):
    path, _ = loaded
    db.close_all()
    assert main(["performance", "--db", str(path), "--area", "Atlantis"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no area named 'Atlantis'" in err


# ---------------------------------------------------------------------------------------------
# The demo and the page's builders


def test_demo_loads_every_partnerships_priorities(demo_db):
    import duckdb

    with duckdb.connect(str(demo_db), read_only=True) as con:
        parts = {r[0] for r in con.execute("SELECT DISTINCT partnership FROM measures").fetchall()}
        assert parts == {"Norwich", "Maldon", "Herefordshire", "North Worcestershire", "South Worcestershire"}
        assert con.execute("SELECT count(*), bool_and(synthetic) FROM measure_values").fetchone() == (311, True)


def test_xmr_figure_marks_signals_gaps_target_and_trial_limits():
    from cspdash.analysis.performance import xmr
    from components import spc_charts

    values = [10, 12, 10, 12, 10, float("nan"), 12, 10, 12, 30]
    s = pd.Series(values, index=pd.date_range("2023-01-01", periods=10, freq="MS"))
    res = xmr(s, better="lower", target=9.0, baseline=("2023-01", "2023-08"))
    fig = spc_charts.xmr_figure(res, "ASB incidents", "Testshire", "count")
    option = fig.option
    json.dumps(option, allow_nan=False)  # strict JSON, as st.echarts_chart wants it
    names = [s["name"] for s in option["series"]]
    assert "Trial process limits (fewer than 13 figures)" in names
    assert "Target (9)" in names and "Signal: concern" in names and "No figure for the month (gap)" in names
    legend = [item["name"] for item in option["legend"]["data"]]
    assert {"Trial process limits (fewer than 13 figures)", "Target (9)", "Signal: concern",
            "No figure for the month (gap)", "Average (10.9)", "No sign of change"} == set(legend)
    # A signal differs in shape as well as colour, and its hover box says which rule it broke.
    concern = fig.series("Signal: concern")
    assert concern["symbol"] == "diamond" and concern["itemStyle"]["color"] == spc_charts.CONCERN
    assert fig.series("No sign of change")["symbol"] == "circle"
    assert concern["data"] == [["Oct 2023", 30.0, "outside the usual range"]]
    # The figures: a gap (None, never joined across, never zero) for the missing month.
    line = fig.series("Figure per month")
    assert line["connectNulls"] is False and line["data"][5] is None and len(line["data"]) == 10
    assert option["xAxis"][0]["data"][:2] == ["Jan 2023", "Feb 2023"]
    # The limits: upper and lower under one legend name, dashed, at the XmR values, named in the hover box.
    limits = [s for s in option["series"] if s["name"] == "Trial process limits (fewer than 13 figures)"]
    assert [s["data"][0] for s in limits] == pytest.approx([res.upl, res.lpl])
    assert all(s["lineStyle"]["type"] == "dashed" and len(s["data"]) == 10 for s in limits)
    assert [s["tooltip"]["valueFormatter"] for s in limits] == ["upper %,.1f", "lower %,.1f"]
    assert fig.series("Target (9)")["data"] == [9.0] * 10
    assert fig.series("Average (10.9)")["data"][0] == pytest.approx(res.mean)
    # Shaded spans on the hidden value axis, each category i from i - 0.5 to i + 0.5: the gap month (index 5)
    # and the baseline (Jan to Aug 2023, indexes 0 to 7), labelled.
    assert option["xAxis"][1] == {"type": "value", "show": False, "min": -0.5, "max": 9.5,
                                  "axisPointer": {"show": False, "triggerTooltip": False}}
    gap = fig.series("No figure for the month (gap)")["markArea"]["data"]
    assert gap == [[{"xAxis": 4.5}, {"xAxis": 5.5}]]
    baseline = fig.series("Baseline period")["markArea"]
    assert baseline["data"] == [[{"xAxis": -0.5, "name": "Baseline period"}, {"xAxis": 7.5}]]
    assert baseline["label"]["show"] is True
    assert fig.title.startswith("ASB incidents, Testshire")
    assert option["yAxis"]["name"] == "Records per month" and option["yAxis"]["min"] == 0


def test_xmr_figure_quarterly_percent_and_process_limits():
    from cspdash.analysis.performance import xmr
    from components import spc_charts

    q = pd.Series([28, 26, 27, 24, 25, 23, 26, 22, 20, 19, 18, 17, 18, 17],
                  index=pd.date_range("2022-10-01", periods=14, freq="QS"))
    res = xmr(q, better="lower", target=25.0, frequency="quarterly")
    fig = spc_charts.xmr_figure(res, "Proven reoffending rate", "Norwich", "percent", "quarterly", "manual")
    names = {s["name"] for s in fig.option["series"]}
    assert {"Process limits (usual range)", "Figure per quarter", "Target (25.0%)"} <= names
    assert "No figure for the quarter (gap)" not in names and "Baseline period" not in names
    assert fig.option["xAxis"][0]["data"][:2] == ["Oct–Dec 2022", "Jan–Mar 2023"]
    assert fig.option["yAxis"]["name"] == "Per cent (%)"
    assert fig.option["yAxis"]["axisLabel"]["formatter"] == "{value}%"
    assert fig.series("Figure per quarter")["tooltip"]["valueFormatter"] == "%.1f%%"
    assert fig.title == "Proven reoffending rate, Norwich: each quarter's figure against its usual range"


def test_xmr_figure_title_and_legend_have_room_at_every_width():
    """A narrow chart breaks its title into lines and its legend wraps onto more: the chart is tall enough for
    them there, and on a wider chart the plot starts higher (ECharts media queries on the chart's width)."""
    from components import spc_charts

    title = "ASB incidents per 1,000 residents, North Worcestershire: each month's figure against its usual range"
    names = ["No sign of change", "Signal: concern", "Average (10.9)", "Trial process limits (fewer than 13 figures)",
             "Target (9)", "No figure for the month (gap)"]
    fit = spc_charts._fitted(title, names, 430)
    media = fit["media"]
    assert [m["query"] for m in media] == [{"maxWidth": w} for w in (1299, 1099, 899, 699, 559)]  # narrowest last
    tops = [fit["top"]] + [m["option"]["grid"]["top"] for m in media]
    assert tops == sorted(tops) and fit["height"] == 430 + tops[-1] - spc_charts.TOP
    assert media[0]["option"]["title"]["text"] == title  # one line on a wide chart
    assert media[2]["option"]["title"]["text"] == title.replace(": ", ":\n")  # after the colon on a narrower one
    assert all(max(map(len, m["option"]["title"]["text"].split("\n"))) * 8.6 + 40 <= w + 1
               for m, w in zip(media, (1100, 900, 700, 560, 440)))
    # Short enough for every width: no media, the usual height.
    assert spc_charts._fitted("Short", ["Average (3)"], 430) == {"height": 430, "top": spc_charts.TOP, "media": [],
                                                                  "title": {"textStyle": {"lineHeight": 24}}}
    drawn = spc_charts.xmr_figure(_small_result(), "ASB incidents per 1,000 residents", "North Worcestershire",
                                  "rate_per_1000")
    assert drawn.option["media"] and drawn.title == title  # the title the page and the tests read: whole


def _small_result():
    from cspdash.analysis.performance import xmr

    s = pd.Series([1.0, 1.2, 1.1, 1.3, 1.2], index=pd.date_range("2024-01-01", periods=5, freq="MS"))
    return xmr(s, better="lower")


def test_summary_table_words_and_symbols():
    from components import spc_charts

    summary = pd.DataFrame([{
        "priority": "ASB", "measure": "ASB incidents", "unit": "count", "better": "lower",
        "latest_period": pd.Timestamp("2025-12-01"), "latest_value": 356.0, "baseline": "Jan 2023–Dec 2024",
        "baseline_mean": 601.9, "target": 571.8, "variation": "improvement", "assurance": "hit and miss",
        "rag": "amber", "points": 36, "limits_from": 24, "frequency": "monthly", "synthetic": False, "note": "",
    }, {
        "priority": "DA", "measure": "Domestic abuse", "unit": "percent", "better": "higher",
        "latest_period": pd.NaT, "latest_value": float("nan"), "baseline": "", "baseline_mean": float("nan"),
        "target": float("nan"), "variation": None, "assurance": None, "rag": None, "points": 0,
        "limits_from": 0, "frequency": "monthly", "synthetic": True, "note": "no values have been imported",
    }])
    table = spc_charts.summary_table(summary)
    first, second = table.to_dict("records")
    assert first["Latest"] == "356 (Dec 2025)" and first["Baseline average"] == "602 (Jan 2023–Dec 2024)"
    assert first["Variation"] == "▼ Improving" and first["RAG"] == "■ Amber"
    assert first["Assurance"] == "↕ Hit and miss"
    assert second["Measure"] == "Domestic abuse *" and second["RAG"] == "– Not rated"
    assert second["Note"].startswith("synthetic demo values") and second["Target"] == "none"
    assert spc_charts.variation_text("concern", "higher").startswith("▼ Concern")
    from components import tables

    styled = tables.table_html(table, spc_charts.SUMMARY_COLUMNS)
    assert "background-color: #E69F00; color: black" in styled  # the amber cell is coloured as well as worded
    assert "font-weight: bold" in styled  # Improving, in its colour


def test_district_figure_shares_and_rates():
    from components import spc_charts, tables

    d = pd.DataFrame({"district": ["A", "B"], "force": ["F", "F"], "population": [1000.0, 2000.0],
                      "crimes": [30, 10], "asb": [5, 15], "crimes_per_1000": [30.0, 5.0], "asb_per_1000": [5.0, 7.5],
                      "force_crime_share": [0.3, 0.1], "force_asb_share": [0.25, 0.75]})
    fig = spc_charts.district_shares_figure(d, "Area", "Jan 2025 – Dec 2025")
    assert fig.title == "Each district's share of F's crime and ASB, Jan 2025 – Dec 2025"
    crime = fig.series("Crime (excluding ASB)")
    # The most crime at the top (the names axis runs top down), each bar labelled with its share.
    assert fig.option["yAxis"]["data"] == ["A", "B"] and fig.option["yAxis"]["inverse"] is True
    assert [b["value"] for b in crime["data"]] == [30.0, 10.0]
    assert [b["label"]["formatter"] for b in crime["data"]] == ["30.0%", "10.0%"]
    assert crime["itemStyle"]["color"] == "#0072B2" and crime["tooltip"]["valueFormatter"] == "%.1f%% of the force's"
    assert fig.option["xAxis"]["name"] == "Share of F's records (%)"
    rates = spc_charts.district_shares_figure(d, "Area", "x", per_1000=True)
    assert "per 1,000 residents" in rates.option["xAxis"]["name"]
    assert [b["label"]["formatter"] for b in rates.series("Anti-social behaviour")["data"]] == ["5.0", "7.5"]
    table, _ = tables.table_text(d, spc_charts.DISTRICT_COLUMNS)
    assert table["Share of force's crime"].tolist() == ["30.0%", "10.0%"]
    assert table["Crimes per 1,000 residents"].tolist() == ["30.0", "5.0"] and table["Residents"][1] == "2,000"
