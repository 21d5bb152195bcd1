"""Hotspot statistics core: grid, Gi* (checked against esda), FDR, PAI stability, concentration, KDE."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cspdash.analysis import hotspots as hs
from cspdash.analysis.grid import cell_corners, neighbour_offsets, to_bng, to_wgs84
from cspdash.errors import InputError

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
ESSEX_MONTH = SHARED / "realdata" / "essex" / "street" / "2018-10-essex-street.csv"

# A 100 m cell keeps hand-made fixtures in round numbers.
CELL = 100.0


def points(rows) -> pd.DataFrame:
    """Distinct points from (easting, northing, n) tuples."""
    return pd.DataFrame(rows, columns=["easting", "northing", "n"])


def block(cols: range, rows: range, n: float = 1, cell: float = CELL) -> list[tuple]:
    """One point at the centre of every cell of a block, n records each."""
    return [((c + 0.5) * cell, (r + 0.5) * cell, n) for c in cols for r in rows]


def cell_row(table: pd.DataFrame, col: int, row: int) -> pd.Series:
    hit = table[(table["col"] == col) & (table["row"] == row)]
    assert len(hit) == 1, f"cell {col},{row} not in table"
    return hit.iloc[0]


# ---------------------------------------------------------------------------------------------
# Gi* against esda
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["lattice", "scattered"])
def test_gi_star_matches_esda_g_local_star_binary(layout):
    esda = pytest.importorskip("esda")
    weights = pytest.importorskip("libpysal.weights")
    rng = np.random.default_rng(7)
    if layout == "lattice":
        xy = np.array([((c + 0.5) * CELL, (r + 0.5) * CELL) for c in range(9) for r in range(7)])
    else:
        xy = rng.uniform(0, 1000, size=(60, 2))
    y = rng.poisson(2.0, len(xy)).astype(float)
    y[10] += 15  # something to find, so z-scores span a real range
    band = 2.3 * CELL  # not a lattice distance, so inclusive/exclusive edges cannot differ

    w = weights.DistanceBand(xy, threshold=band, binary=True, silence_warnings=True)
    ref = esda.G_Local(y, w, star=True, transform="B", permutations=0)
    grid = pd.DataFrame({"easting_c": xy[:, 0], "northing_c": xy[:, 1], "count": y})
    z, p = hs.gi_star(grid, band)

    np.testing.assert_allclose(z, ref.Zs, atol=1e-6, rtol=0)
    # esda's p_norm is one-sided; ours is two-sided.
    np.testing.assert_allclose(p, 2 * ref.p_norm, atol=1e-9, rtol=0)


def test_importing_hotspots_does_not_import_esda():
    # esda compiles numba code for ~20 s on first use; it must stay off the request path.
    code = "import sys, cspdash.analysis.hotspots; print('esda' in sys.modules, 'numba' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


# ---------------------------------------------------------------------------------------------
# Finding hotspots
# ---------------------------------------------------------------------------------------------


def uniform_noise(seed: int, count: int = 4000, size_m: float = 5000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    east = rng.uniform(0, size_m, count)
    north = rng.uniform(0, size_m, count)
    return points(zip(east, north, np.ones(count)))


def test_planted_hotspots_are_found_top_ranked_and_significant():
    noise = uniform_noise(seed=11, count=2000)
    rng = np.random.default_rng(12)
    planted = [(1150.0, 3850.0), (3850.0, 1350.0)]  # centres of cells (11, 38) and (38, 13)
    extra = [
        (x + rng.uniform(-40, 40), y + rng.uniform(-40, 40), 1) for x, y in planted for _ in range(30)
    ]
    table = hs.hotspot_table(pd.concat([noise, points(extra)]), cell_m=CELL)
    dist = np.array([np.hypot(table["easting_c"] - x, table["northing_c"] - y) for x, y in planted])
    band = 2.5 * CELL

    # Gi* scores neighbourhoods, so the top of the ranking is the two plants' neighbourhoods
    # (21 cells each) before any cell of the noise, and both plants are in it.
    top = table["rank"] <= 42
    assert (dist.min(axis=0)[top] <= 2 * band).all()
    assert set(dist.argmin(axis=0)[top]) == {0, 1}
    for col, row in [(11, 38), (38, 13)]:
        cell = cell_row(table, col, row)
        assert cell["significant"]
        assert cell["confidence"] == "99% hot"
    # Significant cells sit around the two plants, not scattered over the noise.
    far = dist.min(axis=0) > 2 * band
    assert table.loc[~far, "significant"].sum() >= 20
    assert table.loc[far, "significant"].sum() <= 2
    assert list(table["rank"]) == list(range(1, len(table) + 1))
    assert table["gi_z"].is_monotonic_decreasing


def test_gi_star_on_pure_noise_finds_few_or_no_cells_after_fdr():
    # Poisson counts over a whole 50 x 50 region: every cell is a true null. Without the FDR
    # step about 2.5% of cells would be called hot at p < 0.05; with it, most seeds give none.
    xy = np.array([((c + 0.5) * CELL, (r + 0.5) * CELL) for c in range(50) for r in range(50)])
    found, raw = [], []
    for seed in range(10):
        counts = np.random.default_rng(seed).poisson(3.0, len(xy)).astype(float)
        grid = pd.DataFrame({"easting_c": xy[:, 0], "northing_c": xy[:, 1], "count": counts})
        z, p = hs.gi_star(grid, 2.5 * CELL)
        found.append(int(((hs.bh_fdr(p) < 0.05) & (z > 0)).sum()))
        raw.append(int(((p < 0.05) & (z > 0)).sum()))
    assert min(raw) > 20
    assert sum(f == 0 for f in found) >= 7
    assert max(found) <= 0.01 * len(xy)


def test_hotspot_table_on_uniform_noise_points_finds_few_cells():
    # Through the padded region: the empty rim pulls the mean down a little, so noise inside a
    # busy box leans hot (the analytic z is also a little generous with sparse counts); still
    # only a handful of the ~2,900 cells pass the FDR.
    found = [
        int(hs.hotspot_table(uniform_noise(seed=s, count=2000), cell_m=CELL)["significant"].sum())
        for s in range(6)
    ]
    assert sum(f <= 3 for f in found) >= 4
    assert max(found) <= 30


def test_hotspot_table_columns_and_labels():
    table = hs.hotspot_table(uniform_noise(seed=5, count=500, size_m=2000), cell_m=CELL)
    assert list(table.columns) == hs.HOTSPOT_COLUMNS
    assert set(table["confidence"]) <= {
        "99% hot", "95% hot", "90% hot", "not significant", "90% cold", "95% cold", "99% cold",
    }  # fmt: skip
    assert ((table["q_value"] >= table["p_value"] - 1e-15)).all()
    # Cell centres back in WGS84 land near Null Island's BNG origin, south-west of Cornwall.
    assert table["lat"].between(49, 50.5).all() and table["lon"].between(-8, -6.5).all()


def test_confidence_labels_follow_q_and_sign():
    z = np.array([3.0, 2.0, 1.5, 1.0, -1.5, -2.0, -3.0])
    q = np.array([0.005, 0.03, 0.07, 0.2, 0.07, 0.03, 0.005])
    assert list(hs.confidence_labels(z, q)) == [
        "99% hot", "95% hot", "90% hot", "not significant", "90% cold", "95% cold", "99% cold",
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Benjamini-Hochberg
# ---------------------------------------------------------------------------------------------


def test_bh_fdr_matches_hand_worked_example():
    # Sorted p: 0.005, 0.01, 0.03, 0.04 (m = 4). p * m / rank: 0.02, 0.02, 0.04, 0.04.
    # Running minimum from the largest rank down leaves them unchanged; back in input order:
    p = [0.01, 0.04, 0.03, 0.005]
    np.testing.assert_allclose(hs.bh_fdr(p), [0.02, 0.04, 0.04, 0.02])


def test_bh_fdr_takes_the_running_minimum_and_caps_at_one():
    # p * m / rank = 0.03, 0.04 (i=2: 0.02*4/2), 0.0333 (i=3: 0.025*4/3), 0.9*4/4 = 0.9.
    # The 0.04 at rank 2 is lowered to the 0.0333 of rank 3 (monotone q).
    q = hs.bh_fdr([0.9, 0.0075, 0.02, 0.025])
    np.testing.assert_allclose(q, [0.9, 0.03, 0.1 / 3, 0.1 / 3])
    assert hs.bh_fdr([]).size == 0


# ---------------------------------------------------------------------------------------------
# The grid
# ---------------------------------------------------------------------------------------------


def test_grid_cells_are_aligned_to_multiples_of_the_cell_size():
    pts = points([(250 * 10 + 1, 250 * 20 + 249, 2), (250 * 10 + 249, 250 * 20 + 0.5, 3)])
    grid = hs.grid_counts(pts, cell_m=250)
    occupied = grid[grid["count"] > 0]
    assert len(occupied) == 1
    cell = occupied.iloc[0]
    assert (cell["col"], cell["row"]) == (10, 20)
    assert (cell["easting_c"], cell["northing_c"]) == (2625.0, 5125.0)
    assert cell["count"] == 5


def test_grid_pads_zero_cells_within_the_band_only():
    # Two far-apart points: 21 cells each (a disc of radius 2.5 cells), not the box between them.
    pts = points([(50, 50, 1), (100_050, 80_050, 1)])
    grid = hs.grid_counts(pts, cell_m=CELL)
    assert len(grid) == 42
    assert grid["count"].sum() == 2 and (grid["count"] > 0).sum() == 2
    around_first = grid[(grid["col"].abs() <= 2) & (grid["row"].abs() <= 2)]
    steps = set(zip(around_first["col"], around_first["row"]))
    assert (2, 1) in steps and (2, 2) not in steps  # sqrt(5) <= 2.5 < sqrt(8)
    # A band of exactly one cell pads with the four edge neighbours.
    assert len(hs.grid_counts(pts.iloc[:1], cell_m=CELL, distance_m=CELL)) == 5
    assert len(neighbour_offsets(CELL, 2.5 * CELL)) == 21


def test_grid_ignores_rows_without_location_and_defaults_n_to_one():
    pts = pd.DataFrame({"easting": [150.0, np.nan, 150.0], "northing": [150.0, 3.0, np.nan]})
    grid = hs.grid_counts(pts, cell_m=CELL)
    assert grid["count"].sum() == 1


def test_cell_of_gives_nullable_cells_and_keeps_the_index():
    east = pd.Series([1.0, 250.0, np.nan, 499.9], index=[5, 6, 7, 8])
    north = pd.Series([0.0, 749.0, 10.0, -1.0], index=[5, 6, 7, 8])
    cells = hs.cell_of(east, north, 250)
    assert list(cells.index) == [5, 6, 7, 8]
    assert cells["col"].tolist() == [0, 1, pd.NA, 1]
    assert cells["row"].tolist() == [0, 2, 0, -1]
    assert str(cells["col"].dtype) == "Int64"


def test_transforms_build_proj_objects_once_whatever_thread_asks(monkeypatch):
    """Streamlit runs each page in a new thread, and pyproj builds a PROJ object (30-50 ms) per thread
    that uses a Transformer: the transforms run on one long-lived thread, so no page thread builds one."""
    import threading

    from cspdash.analysis import grid

    to_wgs84([530_000.0], [180_000.0])
    to_bng([-0.128], [51.504])
    built = []
    for source, target in ((27700, 4326), (4326, 27700)):
        transformer = grid._transformer(source, target)
        maker = transformer._transformer_maker
        monkeypatch.setattr(transformer, "_transformer_maker", lambda maker=maker: built.append(1) or maker())
    answers = []

    def page_run():
        answers.append((to_wgs84([530_000.0], [180_000.0]), to_bng([-0.128], [51.504])))

    threads = [threading.Thread(target=page_run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert built == [] and len(answers) == 3
    (lat, lon), (east, north) = answers[0]
    assert abs(lat[0] - 51.504) < 0.001 and abs(east[0] - 530_000) < 50


def test_wgs84_helpers_round_trip_and_corners_are_ordered():
    lat, lon = to_wgs84([530_000.0], [180_000.0])  # central London
    assert abs(lat[0] - 51.504) < 0.001 and abs(lon[0] + 0.128) < 0.001
    east, north = to_bng(lon, lat)
    assert abs(east[0] - 530_000) < 0.01 and abs(north[0] - 180_000) < 0.01
    grid = pd.DataFrame({"col": [2120], "row": [720], "count": [3.0]})
    corners = cell_corners(grid, 250)
    assert corners.shape == (1, 4, 2)
    sw, se, ne, nw = corners[0]
    assert abs(sw[0] - lat[0]) < 1e-6 and abs(sw[1] - lon[0]) < 1e-6
    assert se[1] > sw[1] and nw[0] > sw[0] and ne[0] > se[0]
    geo = hs.cells_geojson(grid.assign(count=np.float64(3)), 250, properties=["count"])
    feature = json.loads(json.dumps(geo))["features"][0]
    ring = feature["geometry"]["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert feature["properties"] == {"count": 3.0}


# ---------------------------------------------------------------------------------------------
# Degenerate inputs and bad parameters
# ---------------------------------------------------------------------------------------------


def test_empty_and_unlocated_input_give_an_empty_table_with_the_columns():
    for pts in (points([]), points([(np.nan, np.nan, 4)])):
        table = hs.hotspot_table(pts)
        assert table.empty and list(table.columns) == hs.HOTSPOT_COLUMNS


def test_one_point_and_equal_counts_give_zero_z_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = hs.hotspot_table(points([(1000.0, 1000.0, 7)]), cell_m=CELL)
        assert len(table) == 21 and not table["significant"].any()
        # Every cell of the region is within the band of the centre: nothing to compare with.
        assert cell_row(table, 10, 10)["gi_z"] == 0 and cell_row(table, 10, 10)["p_value"] == 1

        # 0.1 does not add up exactly in binary: the variance comes out as round-off, not 0.
        flat = pd.DataFrame(
            {"easting_c": np.arange(30) * CELL, "northing_c": np.zeros(30), "count": np.full(30, 0.1)}
        )
        z, p = hs.gi_star(flat, 2.5 * CELL)
        assert (z == 0).all() and (p == 1).all()
        z1, p1 = hs.gi_star(flat.iloc[:1], 2.5 * CELL)
        assert z1.tolist() == [0.0] and p1.tolist() == [1.0]
        z0, p0 = hs.gi_star(flat.iloc[:0], 2.5 * CELL)
        assert z0.size == 0 and p0.size == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cell_m": 50},
        {"cell_m": "wide"},
        {"cell_m": 250, "distance_m": 100},
        {"cell_m": 250, "distance_m": 5000},
    ],
)
def test_bad_cell_or_band_is_an_input_error(kwargs):
    with pytest.raises(InputError) as err:
        hs.hotspot_table(points([(1.0, 1.0, 1)]), **kwargs)
    assert "\n" not in str(err.value)


# ---------------------------------------------------------------------------------------------
# Stability: PAI over rolling windows
# ---------------------------------------------------------------------------------------------


def monthly(month: str, rows) -> pd.DataFrame:
    return points(rows).assign(month=pd.Timestamp(month))


def pai_fixture() -> pd.DataFrame:
    """30 x 30 block of one record per cell each month; January adds 40 records in cell (15, 15).

    January's hotspots are then exactly cell (15, 15) and the 20 cells within its band (their
    local sums hold the 40; every other cell's does not). The region is the block plus its
    padding: 900 + 4 sides x 30 x 2 + 4 corners x 3 = 1152 cells. February puts 6 extra records
    in (15, 15), 3 in (16, 17) (inside the band) and 21 in (3, 3) (far outside).
    """
    background = block(range(30), range(30))
    jan = monthly("2024-01-01", background + block(range(15, 16), range(15, 16), n=40))
    feb = monthly(
        "2024-02-01",
        background
        + block(range(15, 16), range(15, 16), n=6)
        + block(range(16, 17), range(17, 18), n=3)
        + block(range(3, 4), range(3, 4), n=21),
    )
    return pd.concat([jan, feb], ignore_index=True)


def test_pai_on_a_hand_made_example():
    windows, cells = hs.evaluate_stability(pai_fixture(), cell_m=CELL, months_in=1, months_out=1)
    assert list(windows.columns) == hs.WINDOW_COLUMNS
    assert len(windows) == 1
    w = windows.iloc[0]
    assert (w["fit_from"], w["fit_to"]) == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-01"))
    assert (w["test_from"], w["test_to"]) == (pd.Timestamp("2024-02-01"), pd.Timestamp("2024-02-01"))
    assert w["hotspot_cells"] == 21
    assert w["area_share"] == pytest.approx(21 / 1152)
    # February: 900 background records, 21 of them in the hotspot disc, plus 6 + 3 inside it
    # and 21 outside. Hits = 21 + 9 = 30 of 930.
    assert w["hit_rate"] == pytest.approx(30 / 930)
    assert w["pai"] == pytest.approx((30 / 930) / (21 / 1152))
    assert set(zip(cells["col"], cells["row"])) == {
        (15 + dc, 15 + dr) for dc, dr in neighbour_offsets(CELL, 2.5 * CELL)
    }


def test_top_share_fixes_the_hotspot_area():
    windows, _ = hs.evaluate_stability(
        pai_fixture(), cell_m=CELL, months_in=1, months_out=1, top_share=0.001
    )
    w = windows.iloc[0]
    # 0.1% of 1152 cells rounds up to 2 cells: (15, 15) first, then the highest-z neighbour.
    assert w["hotspot_cells"] == 2
    assert w["area_share"] == pytest.approx(2 / 1152)


def test_windows_never_span_a_missing_month_unless_told_it_was_zero():
    rows = block(range(10), range(10)) + block(range(5, 6), range(5, 6), n=30)
    months = ("2024-01-01", "2024-02-01", "2024-04-01", "2024-05-01")
    data = pd.concat([monthly(m, rows) for m in months])
    windows, _ = hs.evaluate_stability(data, cell_m=CELL, months_in=1, months_out=1)
    assert list(windows["fit_from"].dt.strftime("%Y-%m")) == ["2024-01", "2024-04"]

    told = pd.date_range("2024-01-01", "2024-05-01", freq="MS")
    windows, _ = hs.evaluate_stability(data, cell_m=CELL, months_in=1, months_out=1, months=told)
    assert len(windows) == 4
    feb_to_mar, mar_to_apr = windows.iloc[1], windows.iloc[2]
    assert np.isnan(feb_to_mar["hit_rate"])  # nothing recorded in March to score against
    assert mar_to_apr["hotspot_cells"] == 0 and np.isnan(mar_to_apr["pai"])


def test_stability_labels_on_a_constructed_sequence():
    """Nine months, fit on one and test on the next: eight windows (early = 1-4, late = 5-8).

    Four clusters far apart over a steady background: A every month (persistent), B from month 6
    (emerging), C in months 1-3 (fading), D in months 1, 3, 5, 7 (intermittent: early and late,
    but only half the windows).
    """
    background = block(range(60), range(20))
    spots = {"A": (5, 10), "B": (20, 10), "C": (35, 10), "D": (50, 10)}
    active = {
        "A": set(range(1, 10)),
        "B": {6, 7, 8, 9},
        "C": {1, 2, 3},
        "D": {1, 3, 5, 7},
    }
    frames = []
    for m in range(1, 10):
        rows = list(background)
        for name, (c, r) in spots.items():
            if m in active[name]:
                rows += block(range(c, c + 1), range(r, r + 1), n=30)
        frames.append(monthly(f"2023-{m:02d}-01", rows))
    windows, cells = hs.evaluate_stability(pd.concat(frames), cell_m=CELL, months_in=1, months_out=1)
    assert len(windows) == 8
    assert list(cells.columns) == hs.CELL_STABILITY_COLUMNS
    labels = {name: cell_row(cells, c, r)["label"] for name, (c, r) in spots.items()}
    assert labels == {"A": "persistent", "B": "emerging", "C": "fading", "D": "intermittent"}
    a = cell_row(cells, *spots["A"])
    assert a["windows_hot"] == 8 and a["windows"] == 8 and a["share_hot"] == 1
    b = cell_row(cells, *spots["B"])
    assert b["first_hot"] == pd.Timestamp("2023-06-01") and b["last_hot"] == pd.Timestamp("2023-08-01")


@pytest.mark.parametrize(
    "flags, label",
    [
        ([1, 1, 1, 1, 1, 1], "persistent"),
        ([1, 1, 0, 1, 1, 1], "persistent"),
        ([0, 0, 0, 1, 1, 1], "emerging"),
        ([0, 0, 0, 0, 0, 1], "emerging"),
        ([1, 1, 0, 0, 0, 0], "fading"),
        ([1, 0, 1, 0, 1, 0], "intermittent"),
        ([0, 0, 1, 0, 0], "intermittent"),  # only the middle window of an odd count
        ([1], "persistent"),
    ],
)
def test_stability_label_rules(flags, label):
    assert hs._stability_labels(np.array(flags, dtype=bool).reshape(-1, 1)).tolist() == [label]  # one cell


def test_stability_labels_for_many_cells_follow_the_rules_cell_by_cell():
    """The labels are computed for all cells at once; each equals the rules applied to that cell alone."""

    def by_the_rules(hot: np.ndarray) -> str:  # the docstring's rules, one cell, written out plainly
        half = len(hot) // 2
        early, late = hot[:half].any(), hot[len(hot) - half:].any()
        if half and not early and late:
            return "emerging"
        if half and early and not late:
            return "fading"
        return "persistent" if hot.sum() >= 2 / 3 * len(hot) - 1e-9 else "intermittent"

    rng = np.random.default_rng(7)
    for windows in range(1, 10):
        flags = rng.random((windows, 300)) < rng.choice([0.2, 0.5, 0.8])
        assert hs._stability_labels(flags).tolist() == [by_the_rules(flags[:, c]) for c in range(300)]


def test_stability_sentence_reads_plainly():
    windows = pd.DataFrame(
        {
            "fit_from": pd.date_range("2023-01-01", periods=9, freq="MS"),
            "fit_to": pd.date_range("2023-03-01", periods=9, freq="MS"),
            "test_from": pd.date_range("2023-04-01", periods=9, freq="MS"),
            "test_to": pd.date_range("2023-04-01", periods=9, freq="MS"),
            "hotspot_cells": 40,
            "area_share": 0.04,
            "hit_rate": 0.312,
            "pai": 7.8,
        }
    )
    assert hs.stability_sentence(windows) == (
        "Over 9 tests, the hotspots picked from 3 months of data held 31% of the next month's "
        "crime on 4% of the area — 7.8 times what an area that size would hold by chance."
    )
    mixed = windows.iloc[:3].assign(
        fit_to=windows["fit_from"].iloc[:3],
        test_from=windows["fit_from"].iloc[:3] + pd.DateOffset(months=1),
        test_to=windows["fit_from"].iloc[:3] + pd.DateOffset(months=2),
        hotspot_cells=[10, 0, 10],
        area_share=[0.02, 0.0, 0.04],
        hit_rate=[0.2, 0.0, 0.4],
    )
    assert hs.stability_sentence(mixed) == (
        "Over 3 tests, the hotspots picked from 1 month of data held 30% of the next 2 months' "
        "crime on 3% of the area — 10.0 times what an area that size would hold by chance "
        "(not counting 1 test that picked no hotspot)."
    )
    assert "not enough" in hs.stability_sentence(windows.iloc[:0])
    assert "never picked out a hotspot" in hs.stability_sentence(windows.assign(hotspot_cells=0))


# ---------------------------------------------------------------------------------------------
# Concentration
# ---------------------------------------------------------------------------------------------


def test_concentration_on_a_known_distribution():
    # 100 cells with crime: one of 50, four of 10, five of 2, ninety of 1 (190 in all); plus 50
    # empty cells that must not count.
    counts = [50] + [10] * 4 + [2] * 5 + [1] * 90 + [0] * 50
    shuffled = np.random.default_rng(1).permutation(np.array(counts, dtype=float))
    grid = pd.DataFrame({"count": shuffled})
    summary = hs.concentration_summary(grid)
    assert summary["cells_with_crime"] == 100 and summary["crimes"] == 190
    assert summary["top_1pct_cells"] == 1 and summary["top_1pct"] == pytest.approx(50 / 190)
    assert summary["top_5pct_cells"] == 5 and summary["top_5pct"] == pytest.approx(90 / 190)
    assert summary["top_10pct_cells"] == 10 and summary["top_10pct"] == pytest.approx(100 / 190)

    curve = hs.concentration_curve(grid)
    assert len(curve) == 100
    assert curve.iloc[0].tolist() == pytest.approx([0.01, 50 / 190])
    assert curve.iloc[-1].tolist() == pytest.approx([1.0, 1.0])
    assert curve["crime_share"].is_monotonic_increasing


def test_concentration_of_nothing():
    grid = pd.DataFrame({"count": [0.0, 0.0]})
    assert hs.concentration_curve(grid).empty
    summary = hs.concentration_summary(grid)
    assert summary["cells_with_crime"] == 0 and summary["top_1pct"] is None


# ---------------------------------------------------------------------------------------------
# KDE surface
# ---------------------------------------------------------------------------------------------


def test_kde_surface_keeps_the_total_and_peaks_at_the_cluster():
    pts = points([(10_050, 20_050, 20), (10_350, 20_050, 1), (12_000, 21_000, 2)])
    surface = hs.kde_surface(pts, cell_m=CELL, bandwidth_m=300)
    assert list(surface.columns) == ["easting_c", "northing_c", "lat", "lon", "density"]
    area_km2 = (surface.attrs["cell_m"] / 1000) ** 2
    assert (surface["density"] * area_km2).sum() == pytest.approx(23)
    peak = surface.loc[surface["density"].idxmax()]
    assert (peak["easting_c"], peak["northing_c"]) == (10_050, 20_050)
    assert (surface["density"] > 0).all()


def test_kde_surface_coarsens_to_stay_under_the_cell_cap():
    rng = np.random.default_rng(4)
    spread = points(zip(rng.uniform(0, 40_000, 3000), rng.uniform(0, 40_000, 3000), np.ones(3000)))
    surface = hs.kde_surface(spread, cell_m=250, bandwidth_m=500, max_cells=2000)
    size = surface.attrs["cell_m"]
    assert size > 250 and size % 250 == 0
    assert surface.attrs["bandwidth_m"] >= size
    assert len(surface) <= 2000
    assert (surface["density"] * (size / 1000) ** 2).sum() == pytest.approx(3000)
    assert hs.kde_surface(points([]), 250, 500).empty


def test_kde_surface_ignores_the_empty_box_between_stray_points():
    # Force files hold a few records placed at the far end of the country; they must not make
    # the surface coarse by stretching a bounding box.
    far_apart = points([(500_000, 180_000, 5), (250_000, 60_000, 1), (420_000, 560_000, 1)])
    surface = hs.kde_surface(far_apart, cell_m=250, bandwidth_m=500, max_cells=2000)
    assert surface.attrs["cell_m"] == 250 and surface.attrs["bandwidth_m"] == 500
    assert len(surface) < 200
    assert (surface["density"] * 0.25**2).sum() == pytest.approx(7)


def test_kde_surface_widens_cells_for_a_wide_bandwidth():
    surface = hs.kde_surface(points([(1000, 1000, 1)]), cell_m=100, bandwidth_m=2000)
    assert surface.attrs["cell_m"] == 300  # a cell at least 1/8 of the bandwidth, in whole cells
    assert surface.attrs["bandwidth_m"] == 2000


# ---------------------------------------------------------------------------------------------
# Real data: one month of Essex anti-social behaviour
# ---------------------------------------------------------------------------------------------


def test_real_essex_asb_month_puts_the_top_cell_in_southend_town_centre():
    if not ESSEX_MONTH.exists():
        pytest.skip("shared real data not available")
    raw = pd.read_csv(ESSEX_MONTH, usecols=["Longitude", "Latitude", "LSOA name", "Crime type"])
    keep = raw["Crime type"].eq("Anti-social behaviour") & raw["LSOA name"].str.startswith(
        ("Chelmsford", "Southend-on-Sea"), na=False
    )
    asb = raw[keep & raw["Longitude"].notna()]
    east, north = to_bng(asb["Longitude"], asb["Latitude"])
    pts = (
        pd.DataFrame({"easting": east, "northing": north})
        .groupby(["easting", "northing"])
        .size()
        .rename("n")
        .reset_index()
    )
    assert 400 < len(pts) < len(asb)  # records share snapped points

    table = hs.hotspot_table(pts)
    assert table["count"].sum() == len(asb)
    assert 20 <= table["significant"].sum() <= 0.2 * len(table)
    top = table.iloc[0]
    # Southend-on-Sea town centre (High Street, the bus station, Pier Hill).
    assert 51.530 <= top["lat"] <= 51.548 and 0.700 <= top["lon"] <= 0.728
    assert top["significant"]
