"""AppTest for the hotspots page on the demo database."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.app.charts import chart_options, chart_titles, series_named
from tests.app.html_tables import shown_tables
from tests.conftest import REPO


def _hotspots(**params) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("views/hotspots.py").run()
    return at


def test_hotspots_page_on_the_demo(demo_env):
    at = _hotspots(area="district:Worcester", **{"from": "2025-01", "to": "2025-12"})
    assert not at.exception
    assert at.title[0].value == "Where crime and ASB concentrate"
    text = " ".join(m.value for m in at.markdown)
    assert "Worcester (district)" in text and "hotspot squares of 250 m" in text
    assert "Hotspot, 99% confidence" in " ".join(h.proto.body for h in at.get("html"))  # the legend
    assert "times what an area that size would hold by chance" in text
    assert "busiest 1%" in text
    assert "anonymous map points" in " ".join(c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 0  # every chart is ECharts now
    pai, concentration = chart_options(at)
    assert chart_titles(at) == ["How well hotspots from 3 months predicted the next month",
                                "Share of records in the busiest 250 m squares"]
    # PAI per month tested, with the chance line at 1; the tooltip reads each month's words.
    line = series_named(pai, "Predictive Accuracy Index")
    assert len(line["data"]) >= 6 and all(p[1] is None or p[1] > 1 for p in line["data"])
    assert line["data"][0][2].startswith(line["data"][0][0] + ": PAI ")
    assert line["markLine"]["data"] == [{"yAxis": 1, "name": "1 = no better than chance"}]
    assert pai["yAxis"]["name"] == "PAI (times what chance gives)" and pai["xAxis"]["name"] == "Month tested"
    # The concentration curve from (0, 0) to (100, 100) over the no-concentration diagonal, busiest shares marked.
    curve = series_named(concentration, "This area")["data"]
    assert curve[0][:2] == [0.0, 0.0] and curve[-1][:2] == [100.0, 100.0]
    assert series_named(concentration, "If every square had the same")["data"] == [[0, 0], [100, 100]]
    marked = series_named(concentration, "Busiest 1%, 5% and 10% of squares")["data"]
    assert [m[0] for m in marked] == [1, 5, 10]
    # The marked shares are the ones the sentence under the chart gives.
    assert f"busiest 5% hold {marked[1][2]}" in text
    beat = shown_tables(at)[0]
    assert len(beat) == 10 and beat.iloc[0]["District"] == "Worcester"
    assert at.slider(key="hs_cell").value == 250
    assert "Demo data" in " ".join(i.value for i in at.info)
    # The folium map: streamlit-folium's component, loading Leaflet from the app, with a small payload.
    (component,) = [c for c in at.get("component_instance") if c.proto.component_name == "streamlit_folium.st_folium"]
    args = json.loads(component.proto.json_args)
    assert args["js_links"] == ["/app/static/vendor/leaflet/leaflet.js"]
    # Rendered once, by st_folium itself (render=False): the layers, the layer box and the view are all there.
    assert "L.imageOverlay" in args["script"] and "L.control.layers" in args["script"] and "fitBounds" in args["script"]
    assert args["css_links"] == ["/app/static/vendor/leaflet/leaflet.css"]
    assert args["returned_objects"] == ["last_clicked"]  # panning and zooming never rerun the page
    assert len(component.proto.json_args) < 150_000  # an image of the squares and joined hotspot patches


def test_page_numbers_equal_the_command_line(demo_env, capsys):
    from cspdash.cli import main

    at = _hotspots(area="district:Redditch", **{"from": "2025-01", "to": "2025-12"})
    summary = next(m.value for m in at.markdown if "hotspot squares of 250 m" in m.value)
    assert main(["hotspots", "--area", "Redditch", "--from", "2025-01", "--to", "2025-12"]) == 0
    assert summary in capsys.readouterr().out


def test_changing_cell_size_and_stability_split(demo_env):
    at = _hotspots(area="district:Worcester", **{"from": "2025-01", "to": "2025-12"})
    at.number_input(key="hs_in").set_value(6).run()
    assert not at.exception
    assert "How well hotspots from 6 months predicted the next month" in chart_titles(at)
    at.slider(key="hs_cell").set_value(500).run()
    assert not at.exception
    assert "Share of records in the busiest 500 m squares" in chart_titles(at)
