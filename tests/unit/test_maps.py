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
    fig = hc.pai_chart(windows, 3, 1)
    assert fig.layout.title.text == "How well hotspots from 3 months predicted the next month"
    assert "PAI" in fig.layout.yaxis.title.text
    curve = pd.DataFrame({"cell_share": [0.5, 1.0], "crime_share": [0.8, 1.0]})
    summary = {"cells_with_crime": 2, "top_1pct": 0.8, "top_1pct_cells": 1, "top_5pct": 0.8, "top_5pct_cells": 1,
               "top_10pct": 0.8, "top_10pct_cells": 1}
    fig = hc.concentration_chart(curve, summary, 250)
    assert fig.layout.xaxis.title.text.startswith("% of squares") and fig.layout.yaxis.title.text == "% of records"
    assert "busiest 1% (1) hold 80%" in hc.concentration_sentence(summary, 250)
    json.dumps(fig.to_plotly_json(), default=str)
