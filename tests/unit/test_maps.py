"""Map and chart builders for the hotspots page: offline assets, layers, legend, classes, charts."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from components import hotspot_charts as hc
from components import maps, tables


def _patch(lon: float, lat: float, squares: int, n: int, conf: str) -> dict:
    d = 0.003
    ring = [[lon, lat], [lon + d * squares, lat], [lon + d * squares, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"conf": conf, "squares": squares, "n": n}}


# Hot and cold patches (joined squares of one confidence), as the report sends them.
SPOTS = {"type": "FeatureCollection", "features": [
    _patch(-2.31, 52.10, 1, 0, "95% cold"), _patch(-2.214, 52.19, 2, 9, "90% hot"),
    _patch(-2.217, 52.19, 1, 60, "95% hot"), _patch(-2.22, 52.19, 3, 120, "99% hot"),
]}
# Records per square as one image tile: 0 = none.
TILE = np.zeros((16, 16), dtype=np.uint16)
TILE[2:6, 2:6], TILE[2:6, 6:10], TILE[8:12, 2:6] = 120, 3, 40
TILES = [(TILE, [[52.18, -2.23], [52.20, -2.20]])]


def _layers(fmap) -> dict:
    return {child.layer_name: child for child in fmap._children.values() if hasattr(child, "layer_name")}


def test_offline_assets_are_copied_once_from_the_registry_package(tmp_path):
    target = maps.ensure_offline_assets(tmp_path)
    js = target / "leaflet.js"
    assert js.stat().st_size > 100_000 and (target / "leaflet.css").exists() and (target / "images/layers.png").exists()
    stamp = js.stat().st_mtime_ns
    maps.ensure_offline_assets(tmp_path)
    assert js.stat().st_mtime_ns == stamp  # idempotent: nothing rewritten
    js.write_text("broken")
    maps.ensure_offline_assets(tmp_path)
    assert js.stat().st_size > 100_000  # a damaged copy is replaced


def test_map_loads_leaflet_from_the_app_and_nothing_from_a_cdn():
    fmap, _ = maps.hotspot_map(SPOTS, TILES, static_url="/base/app/static")
    html = maps.map_html(fmap)
    assert '<script src="/base/app/static/vendor/leaflet/leaflet.js">' in html
    assert 'href="/base/app/static/vendor/leaflet/leaflet.css"' in html
    for cdn in ("cdn.jsdelivr", "code.jquery", "cdnjs.cloudflare", "bootstrapcdn", "d3js.org"):
        assert cdn not in html


def test_layers_split_patches_by_meaning_and_share_one_copy():
    fmap, legend = maps.hotspot_map(SPOTS, TILES)
    layers = _layers(fmap)
    hot, cold = layers[maps.LAYER_HOT], layers[maps.LAYER_COLD]
    assert hot.show and [f["properties"]["conf"] for f in hot.features] == ["90% hot", "95% hot", "99% hot"]
    assert not cold.show and [f["properties"]["conf"] for f in cold.features] == ["95% cold"]
    assert hot.source is cold.source  # one copy of the patches in the page, two layers drawing it
    html = maps.map_html(fmap)
    assert html.count('"squares":3') == 1
    assert [label for label, _ in legend["hot"]] == ["Hotspot, 99% confidence", "Hotspot, 95% confidence",
                                                    "Hotspot, 90% confidence"]
    assert maps.LAYER_LSOA_COUNT not in layers and maps.LAYER_DISTRICTS not in layers  # nothing loaded


def test_records_per_square_is_an_image_not_shapes():
    fmap, legend = maps.hotspot_map(SPOTS, TILES, count_values=[3, 40, 120])
    counts = _layers(fmap)[maps.LAYER_COUNTS]
    assert not counts.show
    (overlay,) = counts._children.values()
    assert overlay.url.startswith("data:image/png;base64,") and overlay.options["pane"] == maps.PANE_COUNTS
    edges = maps.class_breaks([3, 40, 120])
    assert legend["counts"] == list(zip(maps.class_labels(edges), maps.ramp(maps.COUNT_COLOURS, len(edges))))
    assert legend["counts"][-1] == ("89–120", maps.COUNT_COLOURS[-1])
    image = Image.open(io.BytesIO(base64.b64decode(overlay.url.split(",", 1)[1]))).convert("RGBA")
    assert image.size == (16, 16)
    assert image.getpixel((0, 0))[3] == 0  # no records: transparent
    darkest = tuple(int(maps.COUNT_COLOURS[4][i:i + 2], 16) for i in (1, 3, 5))
    assert image.getpixel((3, 3))[:3] == darkest and image.getpixel((3, 3))[3] > 150
    assert image.getpixel((7, 3))[:3] != darkest and image.getpixel((7, 3))[3] > 150
    # Hard pixel edges only from the zoom where an image pixel covers a screen pixel (smooth below,
    # so no square drops out of a force-wide view).
    assert maps.crisp_zoom([[0, 0], [1, 360 / 256]], 256) == 8
    html = maps.map_html(fmap)
    assert ".leaflet-counts-pane.crisp img {image-rendering: pixelated" in html and 'classList.toggle("crisp"' in html
    # Classes from the pixels when no counts are given; sparse tiles are accepted.
    from scipy import sparse

    _, legend = maps.hotspot_map(SPOTS, [(sparse.csr_matrix(TILE), TILES[0][1])])
    assert legend["counts"][-1][0].endswith("120")


def test_compact_geometry_round_trips():
    shape = {"type": "MultiPolygon", "coordinates": [[[[0.4691, 51.7343], [0.4702, 51.7343], [0.4702, 51.735],
                                                       [0.4691, 51.7343]]], [[[1.0, 52.0], [1.1, 52.0], [1.0, 52.1],
                                                                              [1.0, 52.0]]]]}
    packed = maps.compact_geometry(shape, 4)
    assert packed["d"][0][0][:4] == [4691, 517343, 11, 0]
    back = maps.decode_geometry(packed, 4)
    assert back["type"] == "MultiPolygon"
    assert np.allclose(np.array(back["coordinates"][0][0]), np.array(shape["coordinates"][0][0]))
    assert maps.compact_geometry(None, 4) is None


def test_lsoa_choropleths_share_one_copy_and_outlines_when_boundaries_are_loaded():
    shape = {"type": "Polygon", "coordinates": [[[-2.3, 52.1], [-2.2, 52.1], [-2.2, 52.2], [-2.3, 52.1]]]}
    lsoa = pd.DataFrame({"lsoa_code": ["E01", "E02"], "lsoa_name": ["A 001A", "A <001B>"], "district": ["A", "A"],
                         "n": [10, 400], "population": [1500, np.nan], "rate": [6.7, np.nan],
                         "geometry": [shape, shape]})
    outlines = pd.DataFrame({"district": ["A"], "geometry": [shape]})
    fmap, legend = maps.hotspot_map(SPOTS, lsoa=lsoa, outlines=outlines)
    layers = _layers(fmap)
    assert {maps.LAYER_LSOA_COUNT, maps.LAYER_LSOA_RATE, maps.LAYER_DISTRICTS} <= set(layers)
    counts, rates = layers[maps.LAYER_LSOA_COUNT], layers[maps.LAYER_LSOA_RATE]
    assert counts.source is rates.source and counts.classes[0] == "n" and rates.classes[0] == "rate"
    props = [f["properties"] for f in counts.features]
    assert props == [{"name": "A 001A", "n": 10, "rate": 6.7}, {"name": "A &lt;001B&gt;", "n": 400, "rate": None}]
    html = maps.map_html(fmap)
    assert html.count('"name":"A 001A"') == 1  # the LSOAs are in the page once
    assert legend["lsoa_n"] and legend["lsoa_rate"] and legend["districts"]


def test_density_image_is_transparent_where_there_is_nothing():
    image = np.array([[np.nan, 0.0], [5.0, 10.0]])
    rgba = maps.density_rgba(image)
    assert rgba.shape == (2, 2, 4)
    assert rgba[0, 0, 3] == 0 and rgba[0, 1, 3] == 0
    assert rgba[1, 1, 3] > rgba[1, 0, 3] > 0
    fmap, legend = maps.hotspot_map(SPOTS, kde_image=image, kde_bounds=[[52.0, -2.4], [52.3, -2.1]])
    assert legend["density"] and "data:image/png;base64" in maps.map_html(fmap)


def test_map_opens_on_the_given_bounds_else_around_what_it_draws():
    fmap, _ = maps.hotspot_map(SPOTS, TILES, bounds=[[52.0, -2.5], [52.4, -2.0]])
    assert "[[52.0, -2.5], [52.4, -2.0]]" in maps.map_html(fmap)
    assert maps.data_bounds(SPOTS, TILES) == [[52.1, -2.31], [52.2, -2.2]]


def test_class_breaks_and_labels():
    edges = maps.class_breaks([1, 1, 2, 3, 5, 8, 13, 40, 0])
    assert edges[-1] == 40 and edges == sorted(edges)
    labels = maps.class_labels(edges)
    assert labels[0].startswith("1") and labels[-1].endswith("40")
    assert maps.class_of(40, edges) == len(edges) - 1 and maps.class_of(1, edges) == 0
    assert maps.class_breaks([]) == []


def test_legend_says_what_the_colours_mean_in_plain_words():
    _, legend = maps.hotspot_map(SPOTS, TILES)
    text = maps.legend_html(legend, 250, 625)
    assert "250 m squares" in text and "625 m" in text and "less than 1 time in 100" in text
    assert "Hotspot, 99% confidence" in text


def test_sparkline_starts_from_zero_and_leaves_gaps():
    import xml.etree.ElementTree as ET

    svg = ET.fromstring(hc.sparkline_svg([0, 7, None, 14], width=40, height=26))
    bars = svg.findall(".//{http://www.w3.org/2000/svg}rect")
    heights = [float(b.get("height")) for b in bars]
    assert heights == [0.0, 12.0, 24.0]  # zero is no bar; half the busiest month is half the height
    assert [float(b.get("x")) for b in bars] == [0.0, 10.0, 30.0]  # the third month, not published, is a gap
    steady = [float(b.get("height")) for b in ET.fromstring(hc.sparkline_svg([10, 10])).iter()
              if b.tag.endswith("rect")]
    assert steady == [24.0, 24.0]
    assert not [b for b in ET.fromstring(hc.sparkline_svg([])).iter() if b.tag.endswith("rect")]


def test_trend_cell_gives_the_numbers_in_words_beside_the_picture():
    months = [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01"), pd.Timestamp("2025-03-01")]
    words = hc.trend_words([98.0, 140.0, None], months)
    assert words == "98 to 140 records a month, busiest Feb 2025 (140), last Feb 2025 (140)"
    cell = hc.sparkline_cell([1200.0, None, 1180.0], months)
    assert cell.startswith('<img src="data:image/svg+xml;base64,')
    words = "1,180 to 1,200 records a month, busiest Jan 2025 (1,200), last Mar 2025 (1,180)"
    assert f'alt="Records per month: {words}" title="{words}"' in cell
    assert cell.endswith('width="144" height="26"> 1,180–1,200 a month')
    assert hc.trend_words([None], months[:1]) == "no months published"


def test_beat_sheet_table_and_csv():
    beat = pd.DataFrame({"rank": [1], "place": ["High Street and Market Place"], "district": ["Worcester"],
                         "records": [1606], "share": [0.14], "crime_types": ["Shoplifting 75"],
                         "trend": [[35.0, None, 35.0]], "confidence": ["99% hot"], "gi_z": [17.6], "area": [1],
                         "area_squares": [36], "area_records": [8540], "lat": [52.19], "lon": [-2.22]})
    months = [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01"), pd.Timestamp("2025-03-01")]
    shown, numeric = tables.table_text(hc.beat_sheet_table(beat, months), hc.BEAT_SHEET_COLUMNS)
    row = shown.iloc[0]
    assert row["#"] == "1" and row["Monthly trend"].endswith(" 35 a month")
    assert row["Monthly trend"].startswith('<img src="data:image/svg+xml')  # our own HTML, not escaped
    assert row["Where (most frequent locations)"] == "On or near High Street and Market Place"
    assert row["Records"] == "1,606" and row["Share of area"] == "14.0%" and row["Confidence"] == "99%"
    assert row["Hotspot area"] == "1 (36 squares)"
    assert numeric == ["#", "Records", "Share of area"]  # right-aligned
    empty, _ = tables.table_text(hc.beat_sheet_table(beat.iloc[:0], months), hc.BEAT_SHEET_COLUMNS)
    assert empty.empty and "Monthly trend" in empty.columns
    csv = hc.beat_sheet_csv(beat, [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01"), pd.Timestamp("2025-03-01")])
    assert list(csv.columns[-3:]) == ["2025-01", "2025-02", "2025-03"] and pd.isna(csv.loc[0, "2025-02"])


def test_stability_and_concentration_charts_have_titles_and_units():
    windows = pd.DataFrame({"test_from": pd.to_datetime(["2025-04-01", "2025-05-01"]), "pai": [10.0, 12.0],
                            "hit_rate": [0.6, 0.7], "area_share": [0.06, 0.058]})
    chart = hc.pai_chart(windows, 3, 1)
    assert chart.title == "How well hotspots from 3 months predicted the next month"
    assert "PAI" in chart.option["yAxis"]["name"] and chart.option["xAxis"]["name"] == "Month tested"
    assert chart.option["xAxis"]["data"] == ["Apr 2025", "May 2025"]
    pai = chart.series("Predictive Accuracy Index")
    assert [p[1] for p in pai["data"]] == [10.0, 12.0]
    # The tooltip says each month in words (Streamlit's {@[2]} template reads the point's third value).
    assert chart.option["tooltip"]["formatter"] == "{@[2]}"
    assert pai["data"][0][2] == "Apr 2025: PAI 10.0. The hotspots held 60% of the month's records on 6.0% of the area"
    # The chance line, labelled, and the y axis from zero.
    (chance,) = pai["markLine"]["data"]
    assert chance == {"yAxis": 1, "name": "1 = no better than chance"}
    assert pai["markLine"]["label"]["formatter"] == "{b}" and pai["markLine"]["lineStyle"]["type"] == "dashed"
    assert chart.option["yAxis"]["min"] == 0 and "max" not in chart.option["yAxis"]
    assert hc.pai_chart(windows, 6, 2).title == "How well hotspots from 6 months predicted the next 2 months"

    curve = pd.DataFrame({"cell_share": [0.5, 1.0], "crime_share": [0.8, 1.0]})
    summary = {"cells_with_crime": 2, "top_1pct": 0.8, "top_1pct_cells": 1, "top_5pct": 0.8, "top_5pct_cells": 1,
               "top_10pct": 0.8, "top_10pct_cells": 1}
    chart = hc.concentration_chart(curve, summary, 250)
    assert chart.title == "Share of records in the busiest 250 m squares"
    assert chart.option["xAxis"]["name"].startswith("% of squares") and chart.option["yAxis"]["name"] == "% of records"
    assert chart.option["xAxis"]["axisLabel"]["formatter"] == "{value}%"
    assert (chart.option["xAxis"]["min"], chart.option["xAxis"]["max"]) == (0, 100)
    assert [p[:2] for p in chart.series("This area")["data"]] == [[0.0, 0.0], [50.0, 80.0], [100.0, 100.0]]
    assert chart.series("This area")["data"][1][2] == "The busiest 50.0% of squares hold 80% of records"
    assert chart.series("If every square had the same")["data"] == [[0, 0], [100, 100]]  # no concentration
    assert chart.series("If every square had the same")["lineStyle"]["type"] == "dashed"
    busiest = chart.series("Busiest 1%, 5% and 10% of squares")
    assert busiest["data"] == [[1, 80.0, "80%"], [5, 80.0, "80%"], [10, 80.0, "80%"]]
    assert busiest["label"]["show"] and busiest["label"]["formatter"] == "{@[2]}"
    assert "busiest 1% (1) hold 80%" in hc.concentration_sentence(summary, 250)
    json.dumps(chart.option, allow_nan=False)  # strict JSON, as st.echarts_chart wants


def test_pai_chart_leaves_untested_months_as_gaps():
    # No window tested Jun or Jul (a month of their windows was not published); May had no records to test on.
    windows = pd.DataFrame({"test_from": pd.to_datetime(["2025-04-01", "2025-05-01", "2025-08-01"]),
                            "pai": [0.9, np.nan, 0.8], "hit_rate": [0.054, np.nan, 0.048],
                            "area_share": [0.06, 0.06, 0.06]})
    chart = hc.pai_chart(windows, 3, 2)
    assert chart.option["xAxis"]["data"] == ["Apr 2025", "May 2025", "Jun 2025", "Jul 2025", "Aug 2025"]
    pai = chart.series("Predictive Accuracy Index")
    assert [p[1] for p in pai["data"]] == [0.9, None, None, None, 0.8] and pai["connectNulls"] is False
    words = [p[2] for p in pai["data"]]
    assert words[1] == "May 2025: no records in the months tested"
    assert words[2].startswith("Jun 2025: not tested") and "not published" in words[2]
    assert words[4] == "Aug 2025: PAI 0.8. The hotspots held 5% of the 2 months' records on 6.0% of the area"
    assert chart.option["yAxis"]["max"] == 2  # every PAI below 1: the axis still reaches the chance line
    json.dumps(chart.option, allow_nan=False)
    empty = hc.pai_chart(windows.iloc[:0], 3, 1)
    assert empty.option["xAxis"]["data"] == [] and empty.series("Predictive Accuracy Index")["data"] == []


def test_concentration_chart_draws_the_same_curve_from_fewer_points():
    # 1,000 squares: one with 50 records, nine with 5, the rest with 1 or 2. Only the points where the
    # curve bends are sent; every dropped point lies on the line between the kept ones.
    counts = np.array([50] + [5] * 9 + [2] * 290 + [1] * 700, dtype=float)
    curve = pd.DataFrame({"cell_share": np.arange(1, 1001) / 1000, "crime_share": np.cumsum(counts) / counts.sum()})
    chart = hc.concentration_chart(curve, {"top_1pct": None}, 100)
    kept = chart.series("This area")["data"]
    assert [p[0] for p in kept] == [0.0, 0.1, 1.0, 30.0, 100.0]
    x, y = [p[0] for p in kept], [p[1] for p in kept]
    full_x, full_y = 100 * curve["cell_share"], 100 * curve["crime_share"]
    assert np.allclose(np.interp(full_x, x, y), full_y, atol=1e-3)
    assert chart.series("Busiest 1%, 5% and 10% of squares")["data"] == []  # no shares given to mark
    # No records: the diagonal alone, and the curve's one point at zero.
    none = hc.concentration_chart(curve.iloc[:0], {"top_1pct": None, "top_5pct": None, "top_10pct": None}, 250)
    assert none.series("This area")["data"] == [[0.0, 0.0, "The busiest 0.0% of squares hold 0% of records"]]


def test_cell_month_chart_shades_unpublished_months():
    by_month = pd.DataFrame({"month": pd.date_range("2025-01-01", periods=6, freq="MS"),
                             "n": [3.0, np.nan, np.nan, 4.0, 0.0, np.nan]})
    chart = hc.cell_month_chart(by_month, "Records per month in this square")
    assert chart.title == "Records per month in this square"
    assert chart.option["yAxis"]["name"] == "Records per month"
    assert chart.option["xAxis"]["data"][:2] == ["Jan 2025", "Feb 2025"]
    records = chart.series("Records")
    assert records["type"] == "bar" and records["data"] == [3.0, None, None, 4.0, 0.0, None]  # a gap, not a zero
    assert records["markArea"]["data"] == [[{"xAxis": "Feb 2025", "name": "not published"}, {"xAxis": "Mar 2025"}],
                                           [{"xAxis": "Jun 2025", "name": "not published"}, {"xAxis": "Jun 2025"}]]
    assert chart.option["xAxis"]["axisTick"]["interval"] == 0  # shading spans whole months however labels thin
    json.dumps(chart.option, allow_nan=False)
    # Three years: only the first gap is labelled (the months are too narrow), every gap is shaded.
    long = pd.DataFrame({"month": pd.date_range("2022-01-01", periods=36, freq="MS"),
                         "n": [np.nan if i in (3, 17, 30) else 1.0 for i in range(36)]})
    spans = hc.cell_month_chart(long, "x").series("Records")["markArea"]["data"]
    assert [s[0].get("name") for s in spans] == ["not published", None, None]
    assert "markArea" not in hc.cell_month_chart(long.fillna(2.0), "x").series("Records")