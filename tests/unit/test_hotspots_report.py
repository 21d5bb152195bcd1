"""The hotspots report and command line, on a tiny database loaded through the real ingest path,
on the demo (planted hotspots), and on real Essex ASB where ../shared is present."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cspdash import db, demo
from cspdash.analysis.grid import to_wgs84
from cspdash.cli import main
from cspdash.ingest import police_uk
from cspdash.reports import hotspots as report
from tests.conftest import realdata

FORCE = "Testshire Police"
# A town centre on the grid: the cluster sits in the 250 m square (1600, 1000).
CENTRE_E, CENTRE_N = 1600 * 250 + 125.0, 1000 * 250 + 125.0


def _record(rng, month: str, east: float, north: float, location: str, crime_type: str, lsoa: str) -> dict:
    lat, lon = to_wgs84(np.array([east]), np.array([north]))
    return {"Crime ID": "" if crime_type == "Anti-social behaviour" else rng.bytes(16).hex(), "Month": month,
            "Reported by": FORCE, "Falls within": FORCE, "Longitude": f"{lon[0]:.6f}", "Latitude": f"{lat[0]:.6f}",
            "Location": location, "LSOA code": lsoa, "LSOA name": f"Testborough {lsoa[-4:]}",
            "Crime type": crime_type, "Last outcome category": "", "Context": ""}


def write_street_files(root: Path, months=("2024-01", "2024-02", "2024-04")) -> None:
    """A town-centre cluster (High Street) in 80 scattered points' noise; 2024-03 not published."""
    rng = np.random.default_rng(4)
    noise_points = [(CENTRE_E + rng.uniform(-4000, 4000), CENTRE_N + rng.uniform(-4000, 4000)) for _ in range(200)]
    noise_points = [(e, n) for e, n in noise_points if np.hypot(e - CENTRE_E, n - CENTRE_N) > 600]
    for month in months:
        rows = []
        for _ in range(25):
            rows.append(_record(rng, month, CENTRE_E + rng.uniform(-60, 60), CENTRE_N + rng.uniform(-60, 60),
                                "On or near High Street", "Shoplifting", "E01900001"))
        for _ in range(10):
            rows.append(_record(rng, month, CENTRE_E + 50, CENTRE_N - 40, "On or near Market Place",
                                "Anti-social behaviour", "E01900001"))
        for e, n in noise_points[:60]:
            rows.append(_record(rng, month, e, n, "On or near Green Lane", "Burglary", "E01900002"))
        blank = _record(rng, month, CENTRE_E, CENTRE_N, "No location", "Burglary", "")
        blank.update({"Longitude": "", "Latitude": "", "LSOA name": "", "Location": "No location"})
        rows.append(blank)
        folder = root / month
        folder.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(rows, columns=police_uk.EXPECTED_HEADER).to_csv(
            folder / f"{month}-testshire-street.csv", index=False)


@pytest.fixture
def tiny_db(tmp_path) -> Path:
    path = tmp_path / "tiny.duckdb"
    write_street_files(tmp_path / "street")
    con = db.connect(path)
    police_uk.ingest(con, [tmp_path / "street"])
    db.close(path)
    yield path
    db.close(path)


def _cur(path: Path):
    return db.connect(path, read_only=True).cursor()


# --------------------------------------------------------------------------------------------
# Tiny database
# --------------------------------------------------------------------------------------------


def test_report_finds_the_planted_centre_and_describes_it(tiny_db):
    view = report.hotspots(_cur(tiny_db), FORCE, date_from="2024-01", date_to="2024-04")
    centre = view.cells[(view.cells["col"] == 1600) & (view.cells["row"] == 1000)].iloc[0]
    assert centre["significant"] and centre["count"] == 3 * 35 and centre["rank"] <= 21  # Gi* scores neighbourhoods: the 21 around the spike lead
    # Every record counted; the three without a location are reported, not mapped.
    assert view.records == 3 * 96 and view.without_location == 3 and view.located == 3 * 95
    assert view.missing_months == [pd.Timestamp("2024-03-01").date()]
    beat = view.beat_sheet.iloc[0]
    assert beat["place"] == "High Street and Market Place"
    assert beat["records"] == 105 and beat["crime_types"] == "Shoplifting 75, Anti-social behaviour 30"
    assert beat["trend"] == [35.0, 35.0, None, 35.0]  # the unpublished month is a gap, not zero
    assert beat["share"] == pytest.approx(105 / 285)
    assert view.hotspot_records >= 105 and 0 < view.hotspot_share <= 1
    assert "hotspot squares of 250 m" in view.summary()


def test_cli_csv_has_the_contract_columns_ranked_by_gi_z(tiny_db, capsys):
    assert main(["hotspots", "--db", str(tiny_db), "--from", "2024-01", "--to", "2024-04", "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(frame.columns) == ["rank", "lat", "lon", "count", "gi_z", "p_value", "q_value", "significant"]
    assert list(frame["rank"]) == list(range(1, len(frame) + 1))
    assert frame["gi_z"].is_monotonic_decreasing
    assert (frame["significant"] == ((frame["q_value"] < 0.05) & (frame["gi_z"] > 0))).all()
    busiest = frame.loc[frame["count"].idxmax()]
    assert busiest["count"] == 105 and busiest["rank"] <= 21 and busiest["significant"]
    lat, lon = to_wgs84(np.array([CENTRE_E]), np.array([CENTRE_N]))
    assert busiest["lat"] == pytest.approx(lat[0], abs=1e-5) and busiest["lon"] == pytest.approx(lon[0], abs=1e-5)


def test_cli_type_filter_top_and_json(tiny_db, capsys):
    args = ["hotspots", "--db", str(tiny_db), "--from", "2024-01", "--to", "2024-04", "--type", "Burglary",
            "--top", "3", "--format", "json"]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3 and rows[0]["count"] < 105  # the shoplifting centre is filtered out


def test_cli_table_defaults_to_the_latest_twelve_months_and_says_what_it_mapped(tiny_db, capsys):
    assert main(["hotspots", "--db", str(tiny_db)]) == 0
    out = capsys.readouterr().out
    assert "Feb 2023 – Jan 2024" not in out and "May 2023 – Apr 2024" in out
    assert "with a map location" in out


@pytest.mark.parametrize("args, words", [
    (["--area", "Atlantis"], "no area named 'Atlantis'"),
    (["--from", "2024-13"], "is not YYYY-MM"),
    (["--from", "2024-04", "--to", "2024-01"], "is after"),
    (["--cell-m", "50"], "at least 100 m"),
    (["--distance-m", "10000"], "distance band"),
    (["--evaluate", "--months-in", "0"], "at least 1"),
])
def test_cli_bad_input_is_one_line_and_exit_2(tiny_db, capsys, args, words):
    assert main(["hotspots", "--db", str(tiny_db), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


def test_evaluate_never_spans_the_missing_month(tiny_db, capsys):
    assert main(["hotspots", "--db", str(tiny_db), "--from", "2024-01", "--to", "2024-04", "--evaluate",
                 "--months-in", "1", "--months-out", "1", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    frame = pd.read_csv(io.StringIO(captured.out))
    assert list(frame.columns) == report.WINDOW_CLI_COLUMNS
    # Jan→Feb is the only pair of consecutive published months.
    assert list(frame["fit_from"]) == ["2024-01"] and list(frame["test_from"]) == ["2024-02"]
    assert frame.loc[0, "pai"] > 1
    assert "Over 1 test" in captured.err  # the sentence goes to stderr when stdout is data


def test_cell_detail_counts_the_clicked_square(tiny_db):
    lat, lon = to_wgs84(np.array([CENTRE_E + 10]), np.array([CENTRE_N - 10]))
    cell = report.cell_detail(_cur(tiny_db), FORCE, date_from="2024-01", date_to="2024-04",
                              lat=float(lat[0]), lon=float(lon[0]))
    assert (cell.col, cell.row, cell.records) == (1600, 1000, 105)
    assert dict(zip(cell.by_type["crime_type"], cell.by_type["n"])) == {"Shoplifting": 75, "Anti-social behaviour": 30}
    assert cell.by_month["n"].isna().tolist() == [False, False, True, False]
    assert cell.by_month["n"].fillna(-1).tolist() == [35.0, 35.0, -1.0, 35.0]  # March not published: unknown
    assert cell.locations.iloc[0]["location"] == "On or near High Street"
    assert cell.confidence.endswith("hot")


def _pixel_at(tiles, lat: float, lon: float):
    """The count the map's image shows at a point (None outside every tile)."""
    for image, ((south, west), (north, east)) in tiles:
        if south <= lat < north and west <= lon < east:
            top, bottom = report._mercator_y(north), report._mercator_y(south)
            row = int((top - report._mercator_y(lat)) / (top - bottom) * image.shape[0])
            col = int((lon - west) / (east - west) * image.shape[1])
            return int(image[row, col])
    return None


def test_map_layers_are_an_image_and_patches_not_points_or_squares(tiny_db):
    view = report.hotspots(_cur(tiny_db), FORCE, date_from="2024-01", date_to="2024-04")
    occupied = view.cells[view.cells["count"] > 0]
    # Records per square: an image whose pixel under every square's centre is that square's count.
    assert view.count_tiles and all(image.shape == (report.COUNT_TILE,) * 2 for image, _ in view.count_tiles)
    assert [_pixel_at(view.count_tiles, la, lo) for la, lo in zip(occupied["lat"], occupied["lon"])] == \
        occupied["count"].astype(int).tolist()
    assert sorted(view.occupied_counts) == sorted(occupied["count"])
    # Hot and cold squares joined into patches: every labelled square in exactly one patch.
    features = view.spots_geojson["features"]
    labelled = view.cells[view.cells["confidence"] != "not significant"]
    assert 0 < len(features) < len(labelled)
    assert sum(f["properties"]["squares"] for f in features) == len(labelled)
    assert sum(f["properties"]["n"] for f in features) == int(labelled["count"].sum())
    for conf, part in labelled.groupby("confidence"):
        assert sum(f["properties"]["squares"] for f in features if f["properties"]["conf"] == conf) == len(part)
    ring = features[0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and all(len(str(v).split(".")[-1]) <= report.MAP_DECIMALS for v in ring[1])
    (south, west), (north, east) = view.map_bounds
    assert south < occupied["lat"].min() and north > occupied["lat"].max() and west < occupied["lon"].min()
    assert view.kde_image is not None and np.nanmax(view.kde_image) > 0
    (south, west), (north, east) = view.kde_bounds
    assert south < north and west < east
    # The demo-style data has population but no boundaries: LSOA counts, no shapes.
    assert set(view.lsoa["lsoa_code"]) == {"E01900001", "E01900002"} and view.lsoa["geometry"].isna().all()
    assert view.outlines.empty


def test_patches_join_squares_of_one_confidence_that_share_a_side():
    import shapely

    cells = pd.DataFrame({"col": [10, 11, 12, 11, 20, 21, 30], "row": [5, 5, 5, 6, 5, 6, 5],
                          "count": [5.0, 6, 7, 8, 1, 1, 0],
                          "confidence": ["99% hot"] * 4 + ["95% hot"] * 2 + ["90% cold"]})
    features = report.hotspot_patches(cells, 250)["features"]
    # The four 99% squares are one patch; the two 95% squares touch only at a corner: two patches.
    assert sorted((f["properties"]["conf"], f["properties"]["squares"], f["properties"]["n"]) for f in features) == \
        [("90% cold", 1, 0), ("95% hot", 1, 1), ("95% hot", 1, 1), ("99% hot", 4, 26)]
    big = next(f for f in features if f["properties"]["squares"] == 4)
    ring = big["geometry"]["coordinates"][0]
    assert len(ring) == 9  # a T of four squares has 8 corners (no corner left where squares met)
    area = shapely.area(shapely.geometry.shape(big["geometry"]))
    one = shapely.area(shapely.geometry.shape(next(f for f in features if f["properties"]["conf"] == "90% cold")["geometry"]))
    assert area == pytest.approx(4 * one, rel=1e-3)
    assert features[0]["properties"]["conf"] == "90% cold"  # cold first, the strongest hot last (on top)
    assert features[-1]["properties"]["conf"] == "99% hot"


def test_count_image_stays_bounded_and_map_opens_on_the_area_not_a_stray_record():
    rng = np.random.default_rng(1)
    col = np.repeat(np.arange(2000, 2060), 40)
    row = np.tile(np.arange(800, 840), 60)
    cells = pd.DataFrame({"col": np.r_[col, 300], "row": np.r_[row, 2000], "count": np.r_[rng.integers(1, 50, 2400), 1.0]})
    cells["easting_c"], cells["northing_c"] = (cells["col"] + 0.5) * 250, (cells["row"] + 0.5) * 250
    cells["lat"], cells["lon"] = to_wgs84(cells["easting_c"].to_numpy(), cells["northing_c"].to_numpy())
    (south, west), (north, east) = report.map_bounds(cells, 250)
    assert north < 52.5  # the stray record in the far north is left out of the opening view
    tiles = report.count_raster(cells, 250)
    assert _pixel_at(tiles, cells["lat"].iloc[-1], cells["lon"].iloc[-1]) == 1  # ...but still drawn
    assert sum(image.nnz for image, _ in tiles) == pytest.approx(report.COUNT_PIXELS_PER_CELL ** 2 * len(cells), rel=0.05)
    small = report.count_raster(cells, 250, max_pixels=20_000)
    assert sum(image.nnz for image, _ in small) < 20_000  # coarser pixels, never more than asked
    assert [_pixel_at(small, la, lo) for la, lo in zip(cells["lat"][:50], cells["lon"][:50])] == \
        cells["count"][:50].astype(int).tolist()


# --------------------------------------------------------------------------------------------
# The demo: planted hotspots (cspdash.demo.HOTSPOTS)
# --------------------------------------------------------------------------------------------


def _near(frame: pd.DataFrame, lat: float, lon: float, metres: float) -> pd.DataFrame:
    d = np.hypot((frame["lat"] - lat) * 111_320, (frame["lon"] - lon) * 111_320 * np.cos(np.radians(lat)))
    return frame[d <= metres]


def test_demo_planted_hotspots_are_significant(demo_db):
    view = report.hotspots(_cur(demo_db), demo.FORCE, date_from="2025-01", date_to="2025-12")
    significant = view.cells[view.cells["significant"]]
    for name, lat, lon, radius, *_ in demo.HOTSPOTS:
        if "fading" in name:
            continue  # planted only until early 2024
        near = _near(significant, lat, lon, radius)
        assert len(near) >= 2, name
        assert (near["confidence"] == "99% hot").any(), name
    # The busiest square of the beat sheet is in one of the planted town centres.
    first = view.beat_sheet.iloc[0]
    assert any(len(_near(pd.DataFrame([first]), lat, lon, radius + 400)) for _, lat, lon, radius, *_ in demo.HOTSPOTS)


def test_demo_persistent_hotspots_are_labelled(demo_db):
    stab = report.stability(_cur(demo_db), demo.FORCE, date_from="2023-01", date_to="2025-12")
    assert len(stab.windows) == 33 and (stab.windows["pai"] > 1).all()
    for name, lat, lon, radius, *_ in demo.HOTSPOTS[:4]:
        assert (_near(stab.cells, lat, lon, radius)["label"] == "persistent").sum() >= 3, name
    assert "times what an area that size would hold by chance" in stab.sentence


def test_demo_emerging_hotspot_is_labelled_for_its_crime_types(demo_db):
    # Stourport's town centre is busy throughout; the plant (ASB and criminal damage from 2024-09)
    # stands out as new when those types are chosen.
    _, lat, lon, radius, types, *_ = demo.HOTSPOTS[4]
    stab = report.stability(_cur(demo_db), demo.FORCE, date_from="2023-01", date_to="2025-12", types=sorted(types))
    stourport = _near(stab.cells, lat, lon, radius)
    emerging = stourport[stourport["label"] == "emerging"]
    assert len(emerging) >= 3
    assert emerging["first_hot"].min() >= pd.Timestamp("2024-08-01")
    first = stab.places[stab.places["label"] == "emerging"].iloc[0]
    assert len(_near(pd.DataFrame([first]), lat, lon, radius + 250)) == 1


def test_demo_fading_hotspot_shows_for_its_own_district_and_types(demo_db):
    _, lat, lon, radius, types, *_ = demo.HOTSPOTS[5]  # Malvern Link, until 2024-03
    stab = report.stability(_cur(demo_db), "Malvern Hills", date_from="2023-01", date_to="2025-12",
                            types=sorted(types))
    malvern_link = _near(stab.cells, lat, lon, radius)
    assert (malvern_link["label"] == "fading").sum() >= 3
    assert malvern_link.loc[malvern_link["label"] == "fading", "last_hot"].max() <= pd.Timestamp("2024-06-01")
    fading = stab.places[stab.places["label"] == "fading"].iloc[0]
    assert len(_near(pd.DataFrame([fading]), lat, lon, radius + 250)) == 1


def test_demo_force_map_over_36_months_is_small(demo_db):
    from components import maps

    view = report.hotspots(_cur(demo_db), demo.FORCE, date_from="2023-01", date_to="2025-12")
    fmap, _ = maps.hotspot_map(view.spots_geojson, view.count_tiles, view.occupied_counts, view.kde_image,
                               view.kde_bounds, view.lsoa, view.outlines, bounds=view.map_bounds)
    html = maps.map_html(fmap)
    # Was 0.99 MB with one GeoJSON square per cell; an image and joined patches are ~60 kB.
    assert len(html.encode("utf-8")) < 250_000
    assert "cdn.jsdelivr" not in html and "code.jquery" not in html and "/app/static/vendor/leaflet/leaflet.js" in html


# --------------------------------------------------------------------------------------------
# Real data
# --------------------------------------------------------------------------------------------


def test_real_essex_asb_hotspots_sit_in_chelmsford_and_southend_town_centres(tmp_path):
    street = realdata("essex", "street")
    path = tmp_path / "essex.duckdb"
    con = db.connect(path)
    police_uk.ingest(con, sorted(street.glob("2018-1*-essex-street.csv")) + sorted(street.glob("2019-0*-essex-street.csv")))
    db.close(path)
    cur = _cur(path)
    for district, (lat, lon) in {"Chelmsford": (51.7343, 0.4691), "Southend-on-Sea": (51.5390, 0.7125)}.items():
        view = report.hotspots(cur, district, date_from="2018-10", date_to="2019-02", types=["Anti-social behaviour"],
                               with_map=False)
        top = view.beat_sheet.iloc[0]
        distance = np.hypot((top["lat"] - lat) * 111_320, (top["lon"] - lon) * 111_320 * np.cos(np.radians(lat)))
        assert distance < 1000, (district, top["place"], distance)
        assert top["confidence"] == "99% hot"
    db.close(path)
