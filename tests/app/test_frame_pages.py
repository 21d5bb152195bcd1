"""AppTest for the frame, the overview and the about page on the demo database."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.charts import chart_options, chart_titles, series_named
from tests.app.html_tables import shown_tables
from tests.conftest import REPO


def _app(**params) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def test_overview_on_the_demo(demo_env):
    at = _app().run()
    assert not at.exception
    assert [m.value for m in at.metric][0].replace(",", "").isdigit()
    titles = chart_titles(at)
    assert any(t.startswith("Recorded crime and ASB per month") for t in titles)
    assert any(t.startswith("Crime and ASB by district") for t in titles)
    # Drawn as built (components/plots.py): no Streamlit chart theme, the charts' own colours.
    assert all(el.proto.theme == "" for el in at.get("echarts_chart"))
    trend = chart_options(at)[0]
    assert trend["color"][0] == "#0072B2" and trend["animation"] is False
    # The line's last 12 months are the headline figure above it.
    crime = series_named(trend, "Crime (excluding ASB)")["data"]
    assert sum(crime[-12:]) == int(at.metric[0].value.replace(",", ""))
    assert trend["xAxis"]["data"][-1] == "Dec 2025" and trend["yAxis"]["name"] == "Records per month"
    assert "Demo data" in " ".join(i.value for i in at.info)


def test_url_parameters_choose_the_view(demo_env):
    # Changing a widget and seeing the URL follow is checked in the browser (tests/e2e): AppTest
    # drops the frame's sidebar on widget reruns under st.navigation.
    at = _app(area="partnership:North Worcestershire", to="2024-12", **{"from": "2024-01"}).run()
    assert not at.exception
    assert at.selectbox(key="f_area").value == "partnership:North Worcestershire"
    assert "12 months to **Dec 2024**" in at.markdown[0].value
    assert at.query_params["from"] == "2024-01" and at.query_params["to"] == "2024-12"


def test_unknown_url_area_falls_back_without_error(demo_env):
    at = _app(area="district:Atlantis", to="1999-01").run()
    assert not at.exception
    assert at.selectbox(key="f_area").value.startswith("force:")


def test_overview_numbers_equal_the_command_line(demo_env, capsys):
    from cspdash.cli import main

    at = _app(area="district:Worcester", to="2025-12").run()
    shown = at.metric[0].value
    assert main(["overview", "--area", "Worcester", "--to", "2025-12", "--format", "csv"]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert float(line.split(",")[1]) == float(shown.replace(",", ""))


def test_about_page_shows_sources_and_coverage(demo_env):
    at = _app().run()
    at.switch_page("views/about.py").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Open Government Licence v3.0" in text and "anonymous map points" in text
    # Each force in one row with its gaps written out (the demo's one force has none), and the loads.
    forces = shown_tables(at)[0]
    assert forces["Force"].tolist() == ["West Mercia Police"] and forces["Months loaded"].tolist() == ["36"]
    assert forces["Months missing in between"].tolist() == ["none"]
    loads = shown_tables(at)[1]
    assert {"police.uk street records", "grants", "consultation tallies"} <= set(loads["What"])
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", when) for when in loads["Loaded"])
    assert not at.dataframe and not at.table  # plain HTML tables: the grid's code is 1.3 MB, st.table's 1 MB
    # The coverage heatmap: one row per force, a cell per month loaded, each cell's records.
    heat = chart_options(at)[0]
    assert heat["title"]["text"].startswith("Months loaded per force")
    assert heat["yAxis"]["data"] == ["West Mercia Police"] and len(heat["xAxis"]["data"]) == 36
    cells = heat["series"][0]["data"]
    assert len(cells) == 36 and all(n > 0 for _, _, n in cells)


def test_no_database_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setenv("CSPDASH_DB", str(tmp_path / "missing.duckdb"))
    at = _app().run()
    assert not at.exception
    assert "no database here yet" in " ".join(w.value for w in at.warning)
