"""AppTest for the performance page on the demo database: summary, XmR charts, rates, districts."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from components import spc_charts
from tests.app.charts import chart_options, chart_titles, series_named
from tests.app.html_tables import shown_tables
from tests.conftest import REPO


def _page(**params) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("views/performance.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _text(at) -> str:
    return " ".join(m.value for m in at.markdown) + " " + " ".join(c.value for c in at.caption)


def test_configured_partnership_shows_summary_charts_and_districts(demo_env):
    at = _page(area="partnership:North Worcestershire", to="2025-12", **{"from": "2025-01"})
    assert at.title[0].value == "Are our priorities being met?"
    table = shown_tables(at)[0]
    assert list(table.columns)[:3] == ["Priority", "Measure", "Latest"]
    # The synthetic marker is a plain "*" (an HTML table: nothing in a cell is read as Markdown).
    assert "ASB incidents" in set(table["Measure"]) and "Proven reoffending rate *" in set(table["Measure"])
    titles = chart_titles(at)
    assert "ASB incidents, North Worcestershire: each month's figure against its usual range" in titles
    assert any(t.startswith("Each district's share of West Mercia Police's crime and ASB") for t in titles)
    text = _text(at)
    assert "How the RAG is set" in text and "Never from comparing two months" in text
    assert "ASB incidents in North Worcestershire:" in text  # the plain sentence above the chart
    assert "Wyre Forest: about" in text and "of West Mercia Police's recorded crime" in text
    assert "synthetic demo values" in " ".join(w.value for w in at.warning)
    charts = at.get("echarts_chart")
    # Drawn as built (components/plots.py): Streamlit's chart theme is off, and the charts carry their own look.
    assert charts and all(c.proto.theme == "" for c in charts)
    option = chart_options(at)[0]
    assert option["color"][0] == "#0072B2"  # the Okabe-Ito colours
    names = {s.get("name") for s in option["series"]}
    # The first chart is the quarterly reoffending rate: 8 baseline quarters give trial limits.
    assert {"Trial process limits (fewer than 13 figures)", "Figure per quarter", "Target (25.0%)"} <= names
    key = {"name": "Trial process limits (fewer than 13 figures)", "icon": spc_charts.DASHED_KEY}  # a dashed line
    assert key in option["legend"]["data"]
    assert option["yAxis"]["name"] == "Per cent (%)" and option["yAxis"]["axisLabel"]["formatter"] == "{value}%"
    assert series_named(option, "Figure per quarter")["connectNulls"] is False
    districts = chart_options(at)[-1]
    assert districts["title"]["text"].startswith("Each district's share of West Mercia Police's")
    assert districts["xAxis"]["name"] == "Share of West Mercia Police's records (%)"


def test_numbers_equal_the_command_line(demo_env, capsys):
    from cspdash.cli import main

    at = _page(area="partnership:Herefordshire", to="2025-12")
    table = shown_tables(at)[0]
    shown = table.set_index("Measure").loc["ASB incidents", "Latest"]
    assert main(["performance", "--area", "Herefordshire", "--to", "2025-12", "--format", "csv"]) == 0
    lines = [l for l in capsys.readouterr().out.splitlines() if ",ASB incidents,2025-12," in l]
    value = float(lines[0].split(",")[3])
    assert shown == f"{value:,.0f} (Dec 2025)"


def test_rates_toggle_redraws_per_1000(demo_env):
    at = _page(area="district:Wychavon", to="2025-12")
    assert "standard police measures" in _text(at).lower()
    at.toggle(key="perf_per_1000").set_value(True).run()
    assert not at.exception
    titles = chart_titles(at)
    assert "ASB incidents per 1,000 residents, Wychavon: each month's figure against its usual range" in titles
    option = chart_options(at)[0]
    assert option["yAxis"]["name"] == "Per 1,000 residents per month"
    assert series_named(option, "Figure per month")["tooltip"]["valueFormatter"] == "%,.2f per 1,000"
    districts = chart_options(at)[-1]
    assert districts["title"]["text"].startswith("Crime and ASB per 1,000 residents by district, Wychavon")
    assert districts["xAxis"]["name"] == "Records per 1,000 residents in the period"


def test_partnership_without_police_data_says_so_instead_of_empty_charts(demo_env):
    at = _page(area="district:Worcester", to="2025-12")
    at.selectbox(key="perf_whose_district_Worcester").set_value("Norwich").run()
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "**ASB incidents**: no figures for Norwich — no police records are loaded for Norwich" in infos
    assert "No police records are loaded for Norwich's districts" in infos
    titles = chart_titles(at)
    assert titles and all("Norwich" in t for t in titles)  # only the manual measures with values are drawn
    assert "Domestic abuse incidents, Norwich: each month's figure against its usual range" in titles
