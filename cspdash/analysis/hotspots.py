"""Where crime concentrates, and whether those places hold: Gi* hotspots, PAI, concentration, KDE.

Pure functions, pandas/numpy in and out (DESIGN.md §5 "Hotspots"). Input is a table of distinct
snapped points (``easting, northing`` in BNG metres, ``n`` records there; ``month`` for the
stability test); rows without a location are skipped here and counted by the caller.

Gi* is computed here with the analytic z-score (the ArcGIS formula) rather than by esda on the
request path: esda's G_Local gives the same numbers (the tests check it to 1e-6) but compiles
numba code for ~20 s on first use, and its permutation inference is not needed for the analytic z.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import cKDTree
from statsmodels.stats.multitest import multipletests

from cspdash.analysis.grid import (
    _cell_key,
    _key_to_cell,
    cell_of,
    cell_corners,
    cells_geojson,
    check_band,
    check_cell_size,
    default_distance,
    grid_counts,
    located_points,
    neighbour_offsets,
    to_wgs84,
    with_wgs84,
)
from cspdash.errors import InputError

__all__ = [
    "HOTSPOT_COLUMNS",
    "bh_fdr",
    "cell_corners",
    "cell_of",
    "cells_geojson",
    "concentration_curve",
    "concentration_summary",
    "default_distance",
    "evaluate_stability",
    "gi_star",
    "grid_counts",
    "hotspot_table",
    "kde_surface",
    "stability_sentence",
    "to_wgs84",
]

HOTSPOT_COLUMNS = [
    "col", "row", "easting_c", "northing_c", "lat", "lon", "count",
    "gi_z", "p_value", "q_value", "significant", "confidence", "rank",
]  # fmt: skip

# The false discovery rate a cell must pass to be called a hotspot (DESIGN.md §4: q < 0.05).
SIGNIFICANCE_Q = 0.05

# Confidence labels from the FDR-adjusted q, strictest first: a cell is "99% hot" when q < 0.01.
CONFIDENCE_LEVELS = [(0.01, "99%"), (0.05, "95%"), (0.10, "90%")]
NOT_SIGNIFICANT = "not significant"


# --------------------------------------------------------------------------------------------
# Getis-Ord Gi*
# --------------------------------------------------------------------------------------------


def _band_pairs(east: np.ndarray, north: np.ndarray, distance_m: float) -> np.ndarray:
    """Index pairs (i < j) of cells whose centres are within distance_m: an (m, 2) int array."""
    if len(east) < 2:
        return np.empty((0, 2), dtype=np.intp)
    tree = cKDTree(np.column_stack([east, north]))
    # Same tolerance as grid.neighbour_offsets, so the region's padding and the band agree.
    return tree.query_pairs(distance_m * (1 + 1e-9), output_type="ndarray")


def _gi_star_from_pairs(y: np.ndarray, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Analytic Gi* z and two-sided p for values y with binary weights on pairs plus self."""
    n = len(y)
    if n == 0:
        return np.empty(0), np.empty(0)
    i, j = pairs[:, 0], pairs[:, 1]
    # Binary weights with w_ii = 1 (the "star"): the local sum is the cell plus its band neighbours,
    # and the weight total equals the sum of squared weights equals the neighbourhood size.
    from_pairs = np.bincount(i, weights=y[j], minlength=n) + np.bincount(j, weights=y[i], minlength=n)
    local_sum = y + from_pairs
    size = 1.0 + np.bincount(i, minlength=n) + np.bincount(j, minlength=n)

    mean = y.mean()
    variance = float(np.var(y))  # population variance (divide by n), as ArcGIS and esda
    # Equal counts can leave round-off of ~1e-32 instead of 0; that is no spread at all.
    if variance <= 1e-12 * max(mean * mean, 1e-300):
        variance = 0.0
    spread = math.sqrt(variance)
    # ArcGIS: z = (sum_j w_ij x_j - mean * sum_j w_ij) /
    #             (S * sqrt((n * sum_j w_ij^2 - (sum_j w_ij)^2) / (n - 1)))
    # which is esda's (G - E[G]) / sqrt(V[G]) rearranged.
    shape = n * size - size * size
    denominator = spread * np.sqrt(np.clip(shape, 0.0, None) / max(n - 1, 1))
    # No spread (every cell equal) or a neighbourhood that is the whole region leaves nothing to
    # compare against: z = 0, p = 1, rather than 0/0.
    usable = denominator > 0
    z = np.zeros(n)
    np.divide(local_sum - mean * size, denominator, out=z, where=usable)
    p = 2.0 * stats.norm.sf(np.abs(z))
    return z, p


def gi_star(grid: pd.DataFrame, distance_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Getis-Ord Gi* z-scores and two-sided normal p-values for each row of ``grid``.

    ``grid`` needs easting_c, northing_c and count. Weights are binary over a distance band,
    self included (Gi*), as esda.G_Local(y, w, star=True, transform='B'). Cells with no spread to
    compare against (all counts equal, or every cell in every neighbourhood) get z = 0, p = 1.
    """
    east = grid["easting_c"].to_numpy(dtype=float)
    north = grid["northing_c"].to_numpy(dtype=float)
    y = grid["count"].to_numpy(dtype=float)
    return _gi_star_from_pairs(y, _band_pairs(east, north, float(distance_m)))


def bh_fdr(p) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), in the order given."""
    p = np.asarray(p, dtype=float)
    if p.size == 0:
        return np.empty(0)
    return multipletests(p, method="fdr_bh")[1]


def confidence_labels(z: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Plain labels per cell: "99% hot" ... "90% cold" or "not significant", from FDR q and sign of z."""
    labels = np.full(len(z), NOT_SIGNIFICANT, dtype=object)
    # Loosest level first so stricter levels overwrite it.
    for threshold, level in reversed(CONFIDENCE_LEVELS):
        labels[(q < threshold) & (z > 0)] = f"{level} hot"
        labels[(q < threshold) & (z < 0)] = f"{level} cold"
    return labels


def _empty_hotspot_table() -> pd.DataFrame:
    dtypes = {
        "col": "int64", "row": "int64", "easting_c": "float64", "northing_c": "float64",
        "lat": "float64", "lon": "float64", "count": "float64", "gi_z": "float64",
        "p_value": "float64", "q_value": "float64", "significant": "bool",
        "confidence": "object", "rank": "int64",
    }  # fmt: skip
    return pd.DataFrame({name: pd.Series(dtype=dtypes[name]) for name in HOTSPOT_COLUMNS})


def hotspot_table(
    points: pd.DataFrame, cell_m: float = 250, distance_m: float | None = None
) -> pd.DataFrame:
    """One row per cell of the study region with Gi* z, p, FDR q, labels and rank.

    Columns: col, row, easting_c, northing_c, lat, lon (cell centre), count, gi_z, p_value
    (two-sided), q_value (Benjamini-Hochberg across all cells), significant (q < 0.05 and
    gi_z > 0), confidence (e.g. "95% hot"), rank (1 = highest gi_z; ties broken by count, then
    position). Sorted by rank. ``distance_m`` defaults to 2.5 cell widths (see
    grid.DEFAULT_BAND_CELLS for why).
    """
    cell = check_cell_size(cell_m)
    band = check_band(cell, distance_m)
    grid = grid_counts(points, cell, band)
    if grid.empty:
        return _empty_hotspot_table()
    z, p = gi_star(grid, band)
    q = bh_fdr(p)
    table = with_wgs84(grid).assign(
        gi_z=z,
        p_value=p,
        q_value=q,
        significant=(q < SIGNIFICANCE_Q) & (z > 0),
        confidence=confidence_labels(z, q),
    )
    table = table.sort_values(
        ["gi_z", "count", "col", "row"], ascending=[False, False, True, True], kind="mergesort"
    ).reset_index(drop=True)
    table["rank"] = np.arange(1, len(table) + 1, dtype=np.int64)
    return table[HOTSPOT_COLUMNS]


# --------------------------------------------------------------------------------------------
# Do hotspots hold? Rolling fit-then-test windows and the Predictive Accuracy Index
# --------------------------------------------------------------------------------------------

WINDOW_COLUMNS = [
    "fit_from", "fit_to", "test_from", "test_to", "hotspot_cells", "area_share", "hit_rate", "pai",
]  # fmt: skip
CELL_STABILITY_COLUMNS = [
    "col", "row", "easting_c", "northing_c", "lat", "lon",
    "windows_hot", "windows", "share_hot", "first_hot", "last_hot", "label",
]  # fmt: skip

# A cell hot in at least this share of the windows (and not caught by emerging/fading) is
# "persistent": two in three is "most" with room for a quiet month.
PERSISTENT_SHARE = 2 / 3


def _month_periods(values) -> pd.PeriodIndex:
    return pd.PeriodIndex(pd.to_datetime(pd.Series(values).to_numpy()), freq="M")


def _windows(calendar: list[pd.Period], months_in: int, months_out: int) -> list[tuple[int, int, int]]:
    """(start, fit_end, test_end) positions in ``calendar`` of windows made of consecutive months.

    A window that would span a month missing from the calendar is skipped: a month with no
    data is unknown, never zero (police.uk has had whole forces absent for months).
    """
    span = months_in + months_out
    out = []
    for start in range(len(calendar) - span + 1):
        chunk = calendar[start : start + span]
        if all((chunk[k + 1] - chunk[k]).n == 1 for k in range(span - 1)):
            out.append((start, start + months_in, start + span))
    return out


def _hot_cells(z: np.ndarray, p: np.ndarray, top_share: float | None) -> np.ndarray:
    """Boolean mask of the fitted hotspot cells: significant by FDR, or the top share by z."""
    if top_share is None:
        return (bh_fdr(p) < SIGNIFICANCE_Q) & (z > 0)
    # A fixed share of the area lets windows (and other methods) be compared on equal footing.
    k = min(len(z), max(1, math.ceil(top_share * len(z) - 1e-9)))
    order = np.lexsort((np.arange(len(z)), -z))[:k]
    hot = np.zeros(len(z), dtype=bool)
    hot[order] = True
    return hot & (z > 0)


def _stability_labels(flags: np.ndarray) -> np.ndarray:
    """persistent / emerging / fading / intermittent for each cell (column) of windows x cells hot flags.

    early = the first half of the windows, late = the last half (the middle window of an odd
    count is in neither). Rules, first match wins:
      emerging   hot in no early window and in at least one late window (new, or newly hot);
      fading     hot in at least one early window and in no late window;
      persistent hot in at least two-thirds of all windows;
      intermittent anything else (comes and goes).
    Whole columns at once: a large force has ~9,000 cells hot in some window.
    """
    w = flags.shape[0]
    half = w // 2
    early, late = flags[:half].any(axis=0), flags[w - half :].any(axis=0)
    persistent = flags.sum(axis=0) >= PERSISTENT_SHARE * w - 1e-9
    return np.select(
        [~early & late, early & ~late, persistent],  # with one window there is no early or late half: neither
        ["emerging", "fading", "persistent"],
        "intermittent",
    ).astype(object)


def evaluate_stability(
    points_by_month: pd.DataFrame,
    cell_m: float = 250,
    distance_m: float | None = None,
    months_in: int = 3,
    months_out: int = 1,
    top_share: float | None = None,
    *,
    months=None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit hotspots on ``months_in`` months, score them on the next ``months_out``, rolling by a month.

    ``points_by_month`` has easting, northing, n and month (first of month). ``months`` lists
    every month that was published for the area (the coverage table): a listed month with no rows
    counts as no crime. Without it the calendar is the months present in the data. Windows never
    span a month outside the calendar, since an unpublished month is unknown, not zero.

    Hotspots are the cells significant by Gi* (FDR q < 0.05, z > 0), or with ``top_share`` the top
    share of the region's cells by z (z > 0). The region is fixed over the whole period, so area
    shares compare across windows.

    windows_df (one row per window): fit_from, fit_to, test_from, test_to (Timestamps, first of
    month), hotspot_cells, area_share (hotspot cells / region cells), hit_rate (share of test
    crimes in hotspot cells; NaN with no test crimes), pai (hit_rate / area_share, NaN without
    hotspots) — the Predictive Accuracy Index of Chainey, Tompson & Uhlig (2008).

    cells_df (cells hot in at least one window): col, row, easting_c, northing_c, lat, lon,
    windows_hot, windows, share_hot, first_hot, last_hot (fit_to of the first and last window
    the cell was hot in), label (see _stability_labels).
    """
    if int(months_in) < 1 or int(months_out) < 1:
        raise InputError(None, "months to fit on and months to test on must each be at least 1")
    if top_share is not None and not 0 < float(top_share) <= 1:
        raise InputError(None, f"top share of cells must be between 0 and 1, got {top_share!r}")
    months_in, months_out = int(months_in), int(months_out)
    cell = check_cell_size(cell_m)
    band = check_band(cell, distance_m)
    if "month" not in points_by_month.columns:
        raise ValueError("points_by_month needs a month column")
    pts = located_points(points_by_month)
    pts = pts[pts["month"].notna()]

    period = _month_periods(pts["month"])
    given = set() if months is None else set(_month_periods(list(months)))
    calendar = sorted(set(period.unique()) | given)  # unique() first: a set of every point's Period boxes each one
    windows = _windows(calendar, months_in, months_out)
    empty_windows = pd.DataFrame({c: pd.Series(dtype="float64") for c in WINDOW_COLUMNS})
    for c in ("fit_from", "fit_to", "test_from", "test_to"):
        empty_windows[c] = pd.Series(dtype="datetime64[ns]")
    empty_windows["hotspot_cells"] = pd.Series(dtype="int64")
    empty_cells = pd.DataFrame({c: pd.Series(dtype="float64") for c in CELL_STABILITY_COLUMNS})
    empty_cells = empty_cells.astype(
        {"col": "int64", "row": "int64", "windows_hot": "int64", "windows": "int64",
         "first_hot": "datetime64[ns]", "last_hot": "datetime64[ns]", "label": "object"}
    )  # fmt: skip
    if not windows or pts.empty:
        return empty_windows, empty_cells

    region = grid_counts(pts, cell, band)
    cells = cell_of(pts["easting"], pts["northing"], cell)
    # Each point's position in the region table (sorted by col, row, like its keys).
    where = np.searchsorted(
        _cell_key(region["col"].to_numpy(), region["row"].to_numpy()),
        _cell_key(cells["col"].to_numpy(dtype=np.int64), cells["row"].to_numpy(dtype=np.int64)),
    )
    month_pos = np.searchsorted(np.array([m.ordinal for m in calendar]), period.asi8)
    by_month = np.zeros((len(calendar), len(region)))
    np.add.at(by_month, (month_pos, where), pts["n"].to_numpy())

    pairs = _band_pairs(region["easting_c"].to_numpy(), region["northing_c"].to_numpy(), band)
    rows, hot_flags = [], []
    for start, fit_end, test_end in windows:
        z, p = _gi_star_from_pairs(by_month[start:fit_end].sum(axis=0), pairs)
        hot = _hot_cells(z, p, top_share)
        test = by_month[fit_end:test_end].sum(axis=0)
        total = test.sum()
        hit_rate = test[hot].sum() / total if total > 0 else np.nan
        area_share = hot.sum() / len(region)
        rows.append(
            {
                "fit_from": calendar[start].to_timestamp(),
                "fit_to": calendar[fit_end - 1].to_timestamp(),
                "test_from": calendar[fit_end].to_timestamp(),
                "test_to": calendar[test_end - 1].to_timestamp(),
                "hotspot_cells": int(hot.sum()),
                "area_share": area_share,
                "hit_rate": hit_rate,
                "pai": hit_rate / area_share if area_share > 0 else np.nan,
            }
        )
        hot_flags.append(hot)
    windows_df = pd.DataFrame(rows, columns=WINDOW_COLUMNS)
    windows_df["hotspot_cells"] = windows_df["hotspot_cells"].astype("int64")

    flags = np.array(hot_flags)  # windows x cells
    ever = np.flatnonzero(flags.any(axis=0))
    if ever.size == 0:
        return windows_df, empty_cells
    fit_to = windows_df["fit_to"].to_numpy()
    hot_ever = flags[:, ever]
    first = fit_to[hot_ever.argmax(axis=0)]  # the first window each cell was hot in
    last = fit_to[len(flags) - 1 - hot_ever[::-1].argmax(axis=0)]  # and the last
    cells_df = with_wgs84(region.iloc[ever].reset_index(drop=True)).drop(columns="count")
    cells_df["windows_hot"] = flags[:, ever].sum(axis=0).astype(np.int64)
    cells_df["windows"] = len(windows)
    cells_df["share_hot"] = cells_df["windows_hot"] / len(windows)
    cells_df["first_hot"] = pd.to_datetime(first)
    cells_df["last_hot"] = pd.to_datetime(last)
    cells_df["label"] = _stability_labels(hot_ever)
    cells_df = cells_df.sort_values(
        ["windows_hot", "col", "row"], ascending=[False, True, True], kind="mergesort"
    ).reset_index(drop=True)
    return windows_df, cells_df[CELL_STABILITY_COLUMNS]


def _months_between(first, last) -> int:
    a, b = pd.Timestamp(first), pd.Timestamp(last)
    return (b.year - a.year) * 12 + (b.month - a.month) + 1


def _plural(k: int, noun: str) -> str:
    return f"{k} {noun}" if k == 1 else f"{k} {noun}s"


def _months_phrase(k: int) -> str:
    return _plural(k, "month")


def stability_sentence(windows_df: pd.DataFrame) -> str:
    """One plain sentence for a councillor summarising the rolling PAI test.

    Figures are the means over the tests; the multiple is the mean hit rate over the mean area
    share, so the sentence's own numbers agree with each other.
    """
    if windows_df is None or windows_df.empty:
        return "There are not enough consecutive months of data yet to test whether hotspots hold."
    tests = len(windows_df)
    fit_months = _months_between(windows_df["fit_from"].iloc[0], windows_df["fit_to"].iloc[0])
    test_months = _months_between(windows_df["test_from"].iloc[0], windows_df["test_to"].iloc[0])
    test_words = _plural(tests, "test")
    later = "next month's" if test_months == 1 else f"next {test_months} months'"
    scored = windows_df[windows_df["hotspot_cells"] > 0]
    if scored.empty:
        return (
            f"Over {test_words}, {_months_phrase(fit_months)} of data never picked out a hotspot, "
            "so there is nothing to test yet."
        )
    hit = float(scored["hit_rate"].mean())
    area = float(scored["area_share"].mean())
    if not np.isfinite(hit):
        return f"Over {test_words}, no crime was recorded in the months tested, so nothing to score."
    multiple = hit / area if area > 0 else float("nan")
    skipped = tests - len(scored)
    caveat = (
        f" (not counting {_plural(skipped, 'test')} that picked no hotspot)" if skipped else ""
    )
    return (
        f"Over {test_words}, the hotspots picked from {_months_phrase(fit_months)} of data held "
        f"{_percent(hit)} of the {later} crime on {_percent(area)} of the area — "
        f"{multiple:.1f} times what an area that size would hold by chance{caveat}."
    )


def _percent(share: float) -> str:
    """Whole percent, but never "0%" for a share that is not zero."""
    pct = 100 * share
    if 0 < pct < 1:
        return "under 1%"
    return f"{pct:.0f}%"


# --------------------------------------------------------------------------------------------
# Concentration: how much crime sits in the busiest few cells
# --------------------------------------------------------------------------------------------


def concentration_curve(grid: pd.DataFrame) -> pd.DataFrame:
    """Cumulative share of crime against cumulative share of cells, busiest cells first.

    Only cells with crime count: the region's empty padding cells would make the curve depend
    on how wide the band is. Columns cell_share, crime_share (both 0..1), one row per cell
    with crime, the last row (1, 1). Empty when there is no crime.
    """
    counts = np.sort(grid["count"].to_numpy(dtype=float))[::-1]
    counts = counts[counts > 0]
    if counts.size == 0:
        return pd.DataFrame(
            {"cell_share": pd.Series(dtype="float64"), "crime_share": pd.Series(dtype="float64")}
        )
    return pd.DataFrame(
        {
            "cell_share": np.arange(1, counts.size + 1) / counts.size,
            "crime_share": np.cumsum(counts) / counts.sum(),
        }
    )


def concentration_summary(grid: pd.DataFrame, shares=(0.01, 0.05, 0.10)) -> dict:
    """Share of crime in the busiest 1%, 5% and 10% of cells with crime.

    Returns {"cells_with_crime", "crimes", "top_1pct", "top_1pct_cells", "top_5pct", ...}:
    ``top_Xpct`` is the share (0..1) of crime in the busiest ``top_Xpct_cells`` cells, the
    smallest whole number of cells that is at least X% of the cells with crime (at least one).
    Shares are None when there is no crime.
    """
    counts = np.sort(grid["count"].to_numpy(dtype=float))[::-1]
    counts = counts[counts > 0]
    total = counts.sum()
    out: dict = {"cells_with_crime": int(counts.size), "crimes": float(total)}
    for share in shares:
        key = f"top_{round(share * 100):g}pct"
        if counts.size == 0:
            out[key], out[key + "_cells"] = None, 0
            continue
        # The 1e-9 keeps 0.05 * 100 (= 5.000000000000001) from rounding up to 6 cells.
        k = min(counts.size, max(1, math.ceil(share * counts.size - 1e-9)))
        out[key] = float(counts[:k].sum() / total)
        out[key + "_cells"] = int(k)
    return out


# --------------------------------------------------------------------------------------------
# Density surface (a visual aid for the map, never a statistic)
# --------------------------------------------------------------------------------------------

# Browsers choke on much more than this many drawn cells; the surface is coarsened to fit.
KDE_MAX_CELLS = 20_000

# The kernel is applied as a list of cell offsets, so its reach in cells bounds the work per cell;
# beyond this many cells the surface would be smoother than the cells can show anyway.
KDE_MAX_REACH_CELLS = 8


def _binned_mass(east, north, weight, size: float) -> tuple[np.ndarray, np.ndarray]:
    """Linear binning: each point's weight shared between the four surrounding cell centres.

    Returns (cell keys, mass) for the cells that received any weight.
    """
    u = east / size - 0.5
    v = north / size - 0.5
    iu, iv = np.floor(u).astype(np.int64), np.floor(v).astype(np.int64)
    fu, fv = u - iu, v - iv
    keys = np.concatenate(
        [_cell_key(iu, iv), _cell_key(iu + 1, iv), _cell_key(iu, iv + 1), _cell_key(iu + 1, iv + 1)]
    )
    shares = np.concatenate(
        [weight * (1 - fu) * (1 - fv), weight * fu * (1 - fv), weight * (1 - fu) * fv, weight * fu * fv]
    )
    cells, inverse = np.unique(keys, return_inverse=True)
    return cells, np.bincount(inverse, weights=shares, minlength=len(cells))


def kde_surface(
    points: pd.DataFrame,
    cell_m: float = 250,
    bandwidth_m: float = 500,
    max_cells: int = KDE_MAX_CELLS,
) -> pd.DataFrame:
    """Quartic-kernel density of crime (records per km²), weighted by ``n``, for the map.

    A visual aid, never a statistic. Columns easting_c, northing_c (BNG cell centre, cells aligned
    to multiples of the cell size), lat, lon, density; one row per cell the kernel reaches, so only
    cells with density above zero. Only cells near crime are computed, not the bounding box: force
    files carry a few records placed at the far end of the country, and a box around them would be
    almost all empty.

    Bounds: when the surface would have more than ``max_cells`` cells, the cell is widened to a
    whole multiple of ``cell_m`` until it fits; the cell is also at least an eighth of the
    bandwidth, and the bandwidth at least one cell, so every point reaches a cell centre. Points
    are shared linearly between the four nearest cell centres and the kernel is normalised on the
    grid, so the surface's total (density x cell area) equals the number of records.
    ``attrs`` records cell_m and bandwidth_m as used.
    """
    cell = check_cell_size(cell_m)
    try:
        band = float(bandwidth_m)
    except (TypeError, ValueError):
        raise InputError(
            None, f"bandwidth must be a number of metres, got {bandwidth_m!r}"
        ) from None
    if not np.isfinite(band) or band <= 0:
        raise InputError(None, f"bandwidth must be a positive number of metres, got {bandwidth_m!r}")
    columns = ["easting_c", "northing_c", "lat", "lon", "density"]
    pts = located_points(points)
    if pts.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    east, north, weight = (pts[c].to_numpy() for c in ("easting", "northing", "n"))

    factor = max(1, math.ceil(band / (KDE_MAX_REACH_CELLS * cell) - 1e-9))
    while True:
        size = cell * factor
        h = max(band, size)
        cells, mass = _binned_mass(east, north, weight, size)
        if len(cells) > max_cells:
            # Already too many before the kernel spreads: skip the costly spreading step.
            factor = max(factor + 1, math.floor(factor * math.sqrt(len(cells) / max_cells)))
            continue
        offsets = neighbour_offsets(size, h)
        col, row = _key_to_cell(cells)
        targets = _cell_key(
            (col[:, None] + offsets[None, :, 0]).ravel(), (row[:, None] + offsets[None, :, 1]).ravel()
        )
        region, inverse = np.unique(targets, return_inverse=True)
        if len(region) <= max_cells:
            break
        # Cells shrink with the square of the factor; jump most of the way, then creep.
        factor = max(factor + 1, math.floor(factor * math.sqrt(len(region) / max_cells)))

    d2 = (offsets[:, 0] ** 2 + offsets[:, 1] ** 2) * (size * size) / (h * h)
    kernel = np.where(d2 < 1, (1 - d2) ** 2, 0.0)
    kernel /= kernel.sum()
    spread = (mass[:, None] * kernel[None, :]).ravel()
    expected = np.bincount(inverse, weights=spread, minlength=len(region))
    keep = expected > 0
    out_col, out_row = _key_to_cell(region[keep])
    out_east, out_north = (out_col + 0.5) * size, (out_row + 0.5) * size
    lat, lon = to_wgs84(out_east, out_north)
    out = pd.DataFrame(
        {
            "easting_c": out_east,
            "northing_c": out_north,
            "lat": lat,
            "lon": lon,
            "density": expected[keep] / (size * size) * 1e6,
        }
    )
    out.attrs["cell_m"] = size
    out.attrs["bandwidth_m"] = h
    return out
