"""The hotspots page: where crime concentrates, whether those places hold, and what happens there.

Composes the hotspot queries (distinct snap points, never raw records) with the analysis core
(cspdash.analysis.hotspots: Gi*, FDR, PAI, concentration, KDE). The page (through app_data.py)
and `python -m cspdash hotspots` call these same functions, so their numbers agree.

Spatial work is done once per distinct snap point (police.uk publishes records on anonymous map
points), and what goes to the map is an image of the squares, patches of joined hotspot squares and
areas, never points or one shape per square: the payload stays bounded whatever the number of
records or squares (a whole force over three years is well under 2 MB).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import shapely
import shapely.geometry
from scipy import sparse
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from cspdash import areas, sql
from cspdash.analysis import hotspots as hs
from cspdash.analysis.grid import cell_corners, cell_of, check_band, check_cell_size, to_bng, to_wgs84
from cspdash.errors import InputError
from cspdash.periods import add_months, month_label, parse_month
from cspdash.reports.overview import loaded_months, months_covered

# Cells are named in queries by one integer: col * CELL_KEY + row (BNG northings are positive and
# under 1,300 km, so row < 13,000 at the 100 m minimum cell).
CELL_KEY = 1_000_000
CLI_COLUMNS = ["rank", "lat", "lon", "count", "gi_z", "p_value", "q_value", "significant"]
WINDOW_CLI_COLUMNS = ["fit_from", "fit_to", "test_from", "test_to", "hotspot_cells", "area_share", "hit_rate", "pai"]
# Coordinates on the map are rounded to 5 decimal places (about a metre): plenty for 100 m cells
# and it keeps the page's payload small.
MAP_DECIMALS = 5
# The records-per-square image: pixels an eighth of a square across (a square's edge is off by at
# most that when zoomed right in), at most this many pixels worked out (coarser beyond), in tiles
# of this many pixels a side.
COUNT_PIXELS_PER_CELL = 8
COUNT_MAX_PIXELS = 8_000_000
COUNT_TILE = 256
# The map opens on the squares holding all but this share of the records at each edge.
MAP_BOUNDS_TRIM = 0.001
# The density image: at most this many pixels on its longer side, and cells fainter than this
# share of the peak are left transparent (they would be invisible anyway).
KDE_MAX_PIXELS = 700
KDE_VISIBLE_SHARE = 0.02
OUTLINE_MIN_SHARE = 0.005
# LSOA and district shapes: 4 decimal places (about 10 m) is finer than a choropleth needs, and
# outlines simplified to 0.0002 degrees (about 14 m east-west, 22 m north-south), true at a force or
# town zoom. Boundary files are already simplified to 0.0001 degrees when loaded, so this trims only
# a few per cent more; the map's encoding (components.maps.compact_geometry) does the rest.
SHAPE_DECIMALS = 4
LSOA_SIMPLIFY_DEG = 0.0002


@dataclass
class Hotspots:
    area: areas.Area
    date_from: date
    date_to: date
    types: tuple[str, ...]
    cell_m: float
    distance_m: float
    cells: pd.DataFrame                 # hs.hotspot_table: one row per cell of the study region
    records: int                        # every record matching the filters
    without_location: int              # published with no location: counted, not mapped
    missing_months: list[date]          # months in the period the area's force(s) did not publish
    beat_sheet: pd.DataFrame            # one row per hotspot area (joined significant cells)
    hotspot_records: int                # mapped records inside significant hot cells
    concentration: pd.DataFrame         # cell_share, crime_share
    concentration_summary: dict
    hotspot_areas: int = 0              # groups of touching hotspot squares
    kde_bandwidth_m: float = 0.0
    kde_image: np.ndarray | None = None  # density on a lat/lon grid (rows north → south), NaN = none
    kde_bounds: list | None = None       # [[south, west], [north, east]]
    kde_cell_m: float = 0.0
    map_bounds: list | None = None       # [[south, west], [north, east]] of the squares with records
    count_tiles: list = field(default_factory=list)     # count_raster: [(sparse uint16 image, bounds)]
    spots_geojson: dict = field(default_factory=dict)   # hotspot_patches: hot and cold patches
    lsoa: pd.DataFrame = field(default_factory=pd.DataFrame)
    outlines: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def located(self) -> int:
        return int(self.cells["count"].sum()) if len(self.cells) else 0

    @property
    def occupied_counts(self) -> np.ndarray:
        """Records in each square that has any (what the map's count classes are cut from)."""
        return self.cells.loc[self.cells["count"] > 0, "count"].to_numpy(float) if len(self.cells) else np.empty(0)

    @property
    def hotspot_cells(self) -> int:
        return int(self.cells["significant"].sum()) if len(self.cells) else 0

    @property
    def cells_with_crime(self) -> int:
        return int((self.cells["count"] > 0).sum()) if len(self.cells) else 0

    @property
    def hotspot_share(self) -> float:
        return self.hotspot_records / self.located if self.located else float("nan")

    @property
    def months(self) -> list[pd.Timestamp]:
        """Every month of the period (the beat sheet's trend has one value per month)."""
        return list(pd.date_range(self.date_from, self.date_to, freq="MS"))

    @property
    def period_label(self) -> str:
        return f"{month_label(self.date_from)} – {month_label(self.date_to)}"

    def cli_table(self, top: int | None = None) -> pd.DataFrame:
        """The command line's columns: rank, lat, lon, count, gi_z, p_value, q_value, significant."""
        frame = self.cells[CLI_COLUMNS].copy()
        frame["count"] = frame["count"].round().astype("int64")
        frame["lat"] = frame["lat"].round(6)
        frame["lon"] = frame["lon"].round(6)
        return frame.head(top) if top else frame

    def beat_sheet_sentence(self) -> str:
        """How much of the area's crime the listed squares, and all hotspots, hold."""
        if self.beat_sheet.empty:
            return "No square stands out as a hotspot for this selection."
        listed = int(self.beat_sheet["records"].sum())
        squares = len(self.beat_sheet)
        areas_text = "one hotspot area" if self.hotspot_areas == 1 else f"{self.hotspot_areas:,} hotspot areas"
        lead = "This square holds" if squares == 1 else f"These {squares} squares hold"
        return (f"{lead} {_pct(listed / self.located)} of the area's mapped records; all "
                f"{self.hotspot_cells:,} hotspot squares ({areas_text}) hold {_pct(self.hotspot_share)}.")

    def summary(self) -> str:
        """One plain sentence: what was mapped and how much of it the hotspots hold."""
        types = "all crime types and ASB" if not self.types else ", ".join(self.types)
        head = (f"{self.area.label}, {self.period_label}, {types}: {self.records:,} records, "
                f"{self.located:,} with a map location")
        if not self.located:
            return head + "; nothing to map."
        km2 = self.hotspot_cells * (self.cell_m / 1000) ** 2
        if not self.hotspot_cells:
            return head + (f"; no {self.cell_m:g} m square stands out from its surroundings "
                           "beyond what chance would give (false discovery rate 5%).")
        return head + (f"; {self.hotspot_cells:,} hotspot squares of {self.cell_m:g} m ({km2:.1f} km², "
                       f"{_pct(self.hotspot_cells / self.cells_with_crime)} of the squares with any record) "
                       f"hold {_pct(self.hotspot_share)} of the mapped records.")


@dataclass
class Stability:
    windows: pd.DataFrame      # hs.evaluate_stability windows
    cells: pd.DataFrame        # cells hot in at least one window, with label
    places: pd.DataFrame       # label, place, district, squares, windows_hot, first_hot, last_hot, lat, lon
    sentence: str
    months_in: int
    months_out: int

    def counts(self) -> dict[str, int]:
        found = self.cells["label"].value_counts() if len(self.cells) else pd.Series(dtype="int64")
        return {k: int(found.get(k, 0)) for k in ("persistent", "emerging", "fading", "intermittent")}


@dataclass
class CellDetail:
    col: int
    row: int
    lat: float
    lon: float
    cell_m: float
    records: int
    by_type: pd.DataFrame      # crime_type, n
    by_month: pd.DataFrame     # month, n (every month of the period; NaN where not published)
    locations: pd.DataFrame    # location, n
    confidence: str


# --------------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------------


def period(cur, date_from: str | date | None = None, date_to: str | date | None = None) -> tuple[date, date]:
    """The months to use: given, else the latest 12 months loaded."""
    _, latest = loaded_months(cur)
    if latest is None:
        raise InputError(None, "no street-level records are loaded yet: run `python -m cspdash demo` "
                               "or `python -m cspdash ingest PATH`")
    last = parse_month(date_to, "--to") if isinstance(date_to, str) else (date_to or latest)
    first = parse_month(date_from, "--from") if isinstance(date_from, str) else (date_from or add_months(last, -11))
    if first > last:
        raise InputError(None, f"--from {first:%Y-%m} is after --to {last:%Y-%m}")
    return first, last


def _filter(area: areas.Area, first: date, last: date, types) -> dict:
    return areas.filter_params(area, first, last, list(types) if types else None)


def _area(cur, area_name: str | None, area: areas.Area | None) -> areas.Area:
    return area or areas.resolve(cur, area_name)


def _pct(share: float) -> str:
    if share is None or not np.isfinite(share):
        return "–"
    pct = 100 * share
    return "under 1%" if 0 < pct < 1 else f"{pct:.0f}%"


def _keys(col, row) -> list[int]:
    return [int(c) * CELL_KEY + int(r) for c, r in zip(col, row)]


BREAKDOWNS = ("location", "crime_type", "month", "district")


def cell_breakdown(cur, params: dict, cell_m: float, cols, rows) -> dict[str, pd.DataFrame]:
    """Records in chosen cells by location, crime type, month and district, as {breakdown: frame with col, row,
    <breakdown>, n}, each ordered by cell, most records first. One scan of the records (grouping sets), not four:
    a clicked square shows all four. (Groups of squares are summed by the database: group_cells.)"""
    found = sql.df(cur, "app/hotspots_cell_breakdown", **params, cell_m=float(cell_m), cells=_keys(cols, rows))
    return {part: found.loc[found["part"] == part, ["col", "row", part, "n"]].reset_index(drop=True)
            for part in BREAKDOWNS}


# --------------------------------------------------------------------------------------------
# The page's main result
# --------------------------------------------------------------------------------------------


def hotspots(cur, area_name: str | None = None, *, area: areas.Area | None = None,
             date_from: str | date | None = None, date_to: str | date | None = None,
             types=None, cell_m: float = 250, distance_m: float | None = None,
             top_areas: int = 10, with_map: bool = True) -> Hotspots:
    """Gi* hotspots for an area and period, with the beat sheet, concentration and map layers."""
    area = _area(cur, area_name, area)
    cell = check_cell_size(cell_m)
    band = check_band(cell, distance_m)
    first, last = period(cur, date_from, date_to)
    types = tuple(types or ())
    params = _filter(area, first, last, types)

    points = sql.df(cur, "app/hotspots_points", **params)
    records, without = sql.run(cur, "app/hotspots_record_totals", **params).fetchone()
    covered = {pd.Timestamp(m) for m in months_covered(cur, area)}
    missing = [m.date() for m in pd.date_range(first, last, freq="MS") if m not in covered]

    table = hs.hotspot_table(points, cell, band)
    hot = table[table["significant"]]
    beat = beat_sheet(cur, params, table, cell, first, last, covered, top_areas)
    result = Hotspots(
        area=area, date_from=first, date_to=last, types=types, cell_m=cell, distance_m=band,
        cells=table, records=int(records), without_location=int(without), missing_months=missing,
        beat_sheet=beat, hotspot_records=int(round(hot["count"].sum())),
        concentration=hs.concentration_curve(table), concentration_summary=hs.concentration_summary(table),
        hotspot_areas=int(len(np.unique(_clusters(hot["col"].to_numpy(), hot["row"].to_numpy())))),
    )
    if with_map:
        add_map_layers(cur, result, points, params)
    return result


def _clusters(col: np.ndarray, row: np.ndarray, reach: float = 1.5) -> np.ndarray:
    """Group cells that touch into numbered areas: by sides or corners (reach 1.5 cell widths, the
    default), or by sides only (reach 1)."""
    n = len(col)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    pairs = cKDTree(np.column_stack([col, row]).astype(float)).query_pairs(reach + 1e-6, output_type="ndarray")
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n)) if len(pairs) else \
        coo_matrix((n, n))
    return connected_components(graph, directed=False)[1]


def _with_gaps(counts: list[list[float]], calendar: list[date], covered: set) -> list[list[float | None]]:
    """Each list of records per calendar month with None where the month was not published (never zero)."""
    published = [pd.Timestamp(m) in covered for m in calendar]
    return [[float(v) if ok else None for v, ok in zip(line, published)] for line in counts]


def _confidence_rank(label: str) -> int:
    return {"99% hot": 3, "95% hot": 2, "90% hot": 1}.get(label, 0)


def _place_names(names: list[str]) -> str:
    if not names:
        return "(no street names published)"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def group_cells(cur, params: dict, cells: pd.DataFrame, cell_m: float, first: date, last: date,
                covered: set, by: str | None = None) -> pd.DataFrame:
    """Join touching cells into areas and describe each: place, district, records, types, trend.

    ``cells`` needs col, row, lat, lon and count (used to weight the centre); ``by`` optionally
    names a column whose values must match inside an area (the stability label).
    """
    columns = ["place", "district", "squares", "records", "crime_types", "trend", "lat", "lon", "cells"]
    if cells.empty:
        return pd.DataFrame(columns=columns + ([by] if by else []))
    cells = cells.reset_index(drop=True)
    # Each cell's group: touching cells (of the same `by` value) are one group, numbered in order of value.
    group = np.empty(len(cells), dtype=np.int64)
    values: list = []
    for value, part in (cells.groupby(by, sort=False) if by else [(None, cells)]):
        ids = _clusters(part["col"].to_numpy(), part["row"].to_numpy())  # numbered 0..k-1
        group[part.index.to_numpy()] = len(values) + ids
        values += [value] * (int(ids.max()) + 1)
    n_groups = len(values)
    cols, rows = cells["col"].to_numpy(), cells["row"].to_numpy()
    # The records in each group, summed by the database: each group's top places, crime types and district and its
    # months come back, a few rows a group (a large force's stability places are ~800 groups over ~200,000
    # breakdown rows by cell; summing those here held the interpreter lock for seconds).
    places: list[list[str]] = [[] for _ in range(n_groups)]
    kinds: list[list[tuple]] = [[] for _ in range(n_groups)]
    districts = [""] * n_groups
    records = [0] * n_groups
    calendar = [m.date() for m in pd.date_range(first, last, freq="MS")]
    at = {m: i for i, m in enumerate(calendar)}
    by_month = np.zeros((n_groups, len(calendar)))
    keys = _keys(cols, rows)
    found = sql.run(cur, "app/hotspots_group_breakdown", **params, cell_m=float(cell_m), cells=keys,
                    groups=group.tolist()).fetchall()
    for part, g, label, month, n, total in found:  # ordered by group, part, most records first
        if part == "location":
            places[g].append(label)
        elif part == "crime_type":
            kinds[g].append((label, n))
            records[g] = int(total)
        elif part == "district":
            districts[g] = label
        elif month in at:
            by_month[g, at[month]] += n
    trends = _with_gaps(by_month.tolist(), calendar, covered)
    # The centre of each group, weighted by its cells' counts (equal weights where a group counts nothing).
    weight = cells["count"].to_numpy(dtype=float)
    total = np.bincount(group, weights=weight, minlength=n_groups)
    weight = np.where(total[group] > 0, weight, 1.0)
    total = np.bincount(group, weights=weight, minlength=n_groups)
    lat = np.bincount(group, weights=weight * cells["lat"].to_numpy(dtype=float), minlength=n_groups) / total
    lon = np.bincount(group, weights=weight * cells["lon"].to_numpy(dtype=float), minlength=n_groups) / total
    squares = np.bincount(group, minlength=n_groups)
    members: list[list[tuple]] = [[] for _ in range(n_groups)]
    for g, c, r in zip(group.tolist(), cols.astype(int).tolist(), rows.astype(int).tolist()):
        members[g].append((c, r))
    return pd.DataFrame([{
        **({by: values[g]} if by else {}),
        "place": _place_names(places[g]),
        "district": districts[g],
        "squares": int(squares[g]),
        "records": records[g],
        "crime_types": ", ".join(f"{t} {int(n):,}" for t, n in kinds[g]),
        "trend": trends[g],
        "lat": float(lat[g]),
        "lon": float(lon[g]),
        "cells": members[g],
    } for g in range(n_groups)])


def beat_sheet(cur, params: dict, table: pd.DataFrame, cell_m: float, first: date, last: date,
               covered: set, top: int = 10) -> pd.DataFrame:
    """The busiest hotspot squares, each described for a patrol: places, types, trend.

    One row per significant hot square (q < 0.05, z > 0), the ``top`` with most records.
    Touching hotspot squares form hotspot areas, numbered busiest first; ``area`` says which
    area a square belongs to and ``area_squares`` how big that area is, so a team sees that three
    rows are one town centre. Columns: rank, place, district, records, share (of the area's
    mapped records), crime_types, trend (records per month, None where not published),
    confidence, gi_z, area, area_squares, area_records, lat, lon.
    """
    hot = table[table["significant"]].reset_index(drop=True)
    columns = ["rank", "place", "district", "records", "share", "crime_types", "trend", "confidence", "gi_z",
               "area", "area_squares", "area_records", "lat", "lon"]
    if hot.empty or top <= 0:
        return pd.DataFrame(columns=columns)
    ids = _clusters(hot["col"].to_numpy(), hot["row"].to_numpy())
    sizes = pd.Series(ids).value_counts()
    totals = hot.groupby(ids)["count"].sum().sort_values(ascending=False, kind="mergesort")
    area_rank = {cid: i + 1 for i, cid in enumerate(totals.index)}
    hot = hot.assign(area=[area_rank[c] for c in ids], area_squares=[int(sizes[c]) for c in ids],
                     area_records=[int(round(totals[c])) for c in ids])
    chosen = hot.sort_values(["count", "gi_z"], ascending=[False, False], kind="mergesort").head(top)
    chosen = chosen.reset_index(drop=True).assign(square=lambda f: np.arange(len(f)))
    groups = group_cells(cur, params, chosen, cell_m, first, last, covered, by="square")
    groups = groups.merge(chosen[["square", "confidence", "gi_z", "area", "area_squares", "area_records"]],
                          on="square").sort_values("square")
    located = float(table["count"].sum())
    groups["gi_z"] = groups["gi_z"].round(2)
    groups["share"] = groups["records"] / located if located else np.nan
    groups["rank"] = np.arange(1, len(groups) + 1)
    return groups[columns].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Map layers (bounded: an image, patches and areas, never points or one shape per square)
# --------------------------------------------------------------------------------------------


def _mercator_y(lat) -> np.ndarray:
    return np.arcsinh(np.tan(np.radians(lat)))


def _mercator_lat(y) -> np.ndarray:
    return np.degrees(np.arctan(np.sinh(y)))


def _weighted_quantiles(values: np.ndarray, weights: np.ndarray, shares) -> np.ndarray:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return values[order][np.searchsorted(cumulative, np.asarray(shares) * cumulative[-1])]


def map_bounds(table: pd.DataFrame, cell_m: float, trim: float = MAP_BOUNDS_TRIM) -> list | None:
    """[[south, west], [north, east]] where the map opens: around the squares with records, leaving
    out the few records furthest out on each side (``trim`` of them: police files place a handful of
    records hundreds of miles away, and the map should open on the area, not on England).
    None when no square has a record.
    """
    occupied = table[table["count"] > 0]
    if occupied.empty:
        return None
    weights = occupied["count"].to_numpy(float)
    south, north = _weighted_quantiles(occupied["lat"].to_numpy(float), weights, [trim, 1 - trim])
    west, east = _weighted_quantiles(occupied["lon"].to_numpy(float), weights, [trim, 1 - trim])
    # Half a square beyond the outermost centres, and a little room.
    pad_lat = cell_m / 111_320 + 0.02 * (north - south)
    pad_lon = cell_m / (111_320 * math.cos(math.radians((south + north) / 2))) + 0.02 * (east - west)
    return [[float(south - pad_lat), float(west - pad_lon)], [float(north + pad_lat), float(east + pad_lon)]]


def count_raster(table: pd.DataFrame, cell_m: float, pixels_per_cell: int = COUNT_PIXELS_PER_CELL,
                 max_pixels: int = COUNT_MAX_PIXELS, tile: int = COUNT_TILE) -> list[tuple[sparse.csr_matrix, list]]:
    """Records per square drawn as image tiles: what the map's "records per square" layer shows.

    Thousands of GeoJSON squares cost the browser megabytes; an image of the same squares costs
    kilobytes whatever their number. Pixels are square on the (Web Mercator) map, about
    1/``pixels_per_cell`` of a square across (coarser when the squares would need more than
    ``max_pixels``), and each takes the count of the BNG square under its centre, so the squares
    keep their true, slightly rotated, place. Only tiles holding a square with records are kept,
    and only the pixels near those squares are worked out: a stray record far away costs a small
    tile, not a huge empty image.

    Returns [(image, [[south, west], [north, east]])]: each image a ``tile`` x ``tile`` sparse
    matrix of records (uint16, saturating at 65,535; no entry = no records), rows north to south,
    evenly spaced in Web Mercator so it is drawn as is (no reprojection).
    """
    occupied = table[table["count"] > 0]
    if occupied.empty:
        return []
    corners = cell_corners(occupied, cell_m)
    mx, my = np.radians(corners[..., 1]), _mercator_y(corners[..., 0])
    x0, y1 = mx.min(), my.max()
    # Ground metres per Mercator unit where most records are (the Web Mercator sphere).
    (south, _), (north, _) = map_bounds(table, cell_m)
    metres = 6_378_137.0 * math.cos(math.radians((south + north) / 2))
    step = cell_m / pixels_per_cell / metres
    for _ in range(20):
        # Each square's pixel box, split by the tiles it touches (a square is smaller than a tile).
        cx0 = np.floor((mx.min(axis=1) - x0) / step).astype(np.int64)
        cx1 = np.floor((mx.max(axis=1) - x0) / step).astype(np.int64)
        cy0 = np.floor((y1 - my.max(axis=1)) / step).astype(np.int64)
        cy1 = np.floor((y1 - my.min(axis=1)) / step).astype(np.int64)
        parts = []
        for tx in (cx0 // tile, cx1 // tile):
            for ty in (cy0 // tile, cy1 // tile):
                parts.append(pd.DataFrame({
                    "tx": tx, "ty": ty, "x0": np.maximum(cx0, tx * tile), "x1": np.minimum(cx1, tx * tile + tile - 1),
                    "y0": np.maximum(cy0, ty * tile), "y1": np.minimum(cy1, ty * tile + tile - 1)}))
        windows = pd.concat(parts).groupby(["ty", "tx"]).agg(x0=("x0", "min"), x1=("x1", "max"),
                                                             y0=("y0", "min"), y1=("y1", "max")).reset_index()
        pixels = int(((windows["x1"] - windows["x0"] + 1) * (windows["y1"] - windows["y0"] + 1)).sum())
        if pixels <= max_pixels:
            break
        step *= max(1.1, math.sqrt(pixels / max_pixels))
    keys = occupied["col"].to_numpy(np.int64) * CELL_KEY + occupied["row"].to_numpy(np.int64)
    order = np.argsort(keys)
    keys = keys[order]
    counts = np.minimum(np.round(occupied["count"].to_numpy(float)[order]), 65_535).astype(np.uint16)
    tiles = []
    boxes = list(windows[["ty", "tx", "x0", "x1", "y0", "y1"]].itertuples(index=False))
    # Pixel centres → BNG, every tile's in one projection call (a large force has ~100 tiles).
    lattices = _bng_lattices([(x0 + (np.arange(wx0, wx1 + 1) + 0.5) * step, y1 - (np.arange(wy0, wy1 + 1) + 0.5) * step)
                              for _, _, wx0, wx1, wy0, wy1 in boxes])
    for (ty, tx, wx0, wx1, wy0, wy1), (east, north) in zip(boxes, lattices):
        pkey = np.floor(east / cell_m).astype(np.int64) * CELL_KEY + np.floor(north / cell_m).astype(np.int64)
        pos = np.clip(np.searchsorted(keys, pkey), 0, len(keys) - 1)
        hit = keys[pos] == pkey
        if not hit.any():
            continue
        rows, cols = np.nonzero(hit)
        image = sparse.csr_matrix((counts[pos[rows, cols]], (rows + wy0 - ty * tile, cols + wx0 - tx * tile)),
                                  shape=(tile, tile), dtype=np.uint16)
        west, top = x0 + tx * tile * step, y1 - ty * tile * step
        tiles.append((image, [[float(_mercator_lat(top - tile * step)), float(np.degrees(west))],
                              [float(_mercator_lat(top)), float(np.degrees(west + tile * step))]]))
    return tiles


def _bng_lattices(axes: list[tuple[np.ndarray, np.ndarray]], every: int = 32) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each (xs, ys) of Web Mercator points (xs radians of longitude, ys Mercator y), the BNG easting and
    northing of every point (arrays len(ys) x len(xs)): projecting a lattice of every ``every``-th point and
    interpolating between (linear to centimetres over that distance; projecting every pixel of a force took
    seconds). All lattices go through one projection call."""
    plans, lons, lats = [], [], []
    for xs, ys in axes:
        ix = np.unique(np.r_[np.arange(0, len(xs), every), len(xs) - 1])
        iy = np.unique(np.r_[np.arange(0, len(ys), every), len(ys) - 1])
        gx, gy = np.meshgrid(xs[ix], ys[iy])
        plans.append((len(xs), len(ys), ix, iy, gx.shape))
        lons.append(np.degrees(gx).ravel())
        lats.append(_mercator_lat(gy).ravel())
    if not plans:
        return []
    east_all, north_all = to_bng(np.concatenate(lons), np.concatenate(lats))
    bounds = np.cumsum([0] + [len(lon) for lon in lons])
    return [_spread_lattice(east_all[a:b].reshape(shape), north_all[a:b].reshape(shape), ix, iy, nx, ny)
            for (nx, ny, ix, iy, shape), a, b in zip(plans, bounds[:-1], bounds[1:])]


def _spread_lattice(east: np.ndarray, north: np.ndarray, ix: np.ndarray, iy: np.ndarray, nx: int,
                    ny: int) -> tuple[np.ndarray, np.ndarray]:
    """Bilinear interpolation of values at lattice columns ix and rows iy to every one of nx x ny points."""
    def weights(index: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        at = np.arange(n)
        k = np.clip(np.searchsorted(index, at, side="right") - 1, 0, max(len(index) - 2, 0))
        span = (index[np.minimum(k + 1, len(index) - 1)] - index[k]).astype(float)
        return k, np.divide(at - index[k], span, out=np.zeros(n), where=span > 0)

    kx, wx = weights(ix, nx)
    ky, wy = weights(iy, ny)
    kx1, ky1 = np.minimum(kx + 1, len(ix) - 1), np.minimum(ky + 1, len(iy) - 1)
    wx, wy = wx[None, :], wy[:, None]

    def spread(grid: np.ndarray) -> np.ndarray:
        top = grid[ky][:, kx] * (1 - wx) + grid[ky][:, kx1] * wx
        bottom = grid[ky1][:, kx] * (1 - wx) + grid[ky1][:, kx1] * wx
        return top * (1 - wy) + bottom * wy

    return spread(east), spread(north)


def hotspot_patches(table: pd.DataFrame, cell_m: float) -> dict:
    """Hot and cold squares of the same confidence, joined into patches, as GeoJSON.

    Squares sharing a side and a confidence label are one patch (a polygon, holes where a stronger
    label sits inside), so the map's payload grows with the number of patches and the length of
    their edges, not the number of squares. Coordinates are rounded to MAP_DECIMALS.
    Properties: conf (e.g. "95% hot"), squares, n (records in the patch's squares).
    """
    spots = table[table["confidence"] != hs.NOT_SIGNIFICANT]
    shapes, properties = [], []
    # Cold first, then hot from 90% to 99%: the strongest patches are drawn last, on top.
    order = sorted(spots["confidence"].unique(), key=lambda c: (c.endswith("hot"), c))
    for conf in order:
        part = spots[spots["confidence"] == conf]
        col, row = part["col"].to_numpy(np.int64), part["row"].to_numpy(np.int64)
        ids = _clusters(col, row, reach=1.0)
        squares = shapely.box(col * cell_m, row * cell_m, (col + 1) * cell_m, (row + 1) * cell_m)
        counts = part["count"].to_numpy(float)
        # Each patch's squares, by sorting once (not a scan of every square per patch: a large force has ~2,000
        # patches); a one-square patch is its square as it is (the union of one box is the same box).
        order = np.argsort(ids, kind="stable")
        for mine in np.split(order, np.flatnonzero(np.diff(ids[order])) + 1):
            shapes.append(squares[mine[0]] if len(mine) == 1 else shapely.union_all(squares[mine]))
            properties.append({"conf": str(conf), "squares": int(len(mine)), "n": int(round(counts[mine].sum()))})
    if not shapes:
        return {"type": "FeatureCollection", "features": []}
    # simplify(0) drops the corners left along straight edges where squares met; then every
    # patch is projected in one call and rounded.
    shapes = shapely.transform(shapely.simplify(np.array(shapes, dtype=object), 0), _bng_to_lonlat)
    shapes = shapely.transform(shapes, lambda xy: np.round(xy, MAP_DECIMALS))
    features = [{"type": "Feature", "geometry": json.loads(text), "properties": props}
                for text, props in zip(shapely.to_geojson(shapes), properties)]
    return {"type": "FeatureCollection", "features": features}


def _bng_to_lonlat(xy: np.ndarray) -> np.ndarray:
    lat, lon = to_wgs84(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def kde_raster(kde: pd.DataFrame, visible_share: float = KDE_VISIBLE_SHARE,
               max_pixels: int = KDE_MAX_PIXELS) -> tuple[np.ndarray | None, list | None]:
    """The density surface resampled onto a regular lat/lon grid for an image overlay.

    BNG squares are not squares in lat/lon, so each pixel looks up the BNG cell under its centre.
    The image covers only where the density is visible (at least ``visible_share`` of the peak),
    so a stray record at the far end of the country can't stretch it. Returns (image with rows
    north to south, NaN where there is nothing to draw; [[south, west], [north, east]]).
    """
    if kde.empty:
        return None, None
    size = float(kde.attrs.get("cell_m", 250))
    shown = kde[kde["density"] >= visible_share * kde["density"].max()]
    half = size / 2
    e0, e1 = shown["easting_c"].min() - half, shown["easting_c"].max() + half
    n0, n1 = shown["northing_c"].min() - half, shown["northing_c"].max() + half
    lat_c, lon_c = to_wgs84(np.array([e0, e1, e1, e0]), np.array([n0, n0, n1, n1]))
    south, north, west, east = lat_c.min(), lat_c.max(), lon_c.min(), lon_c.max()
    # Pixels about half a cell across, capped.
    mid = math.radians((south + north) / 2)
    height_m = (north - south) * 111_320
    width_m = (east - west) * 111_320 * math.cos(mid)
    step = max(half, max(height_m, width_m) / max_pixels)
    rows = max(2, int(math.ceil(height_m / step)))
    cols = max(2, int(math.ceil(width_m / step)))
    lats = north - (np.arange(rows) + 0.5) * (north - south) / rows
    lons = west + (np.arange(cols) + 0.5) * (east - west) / cols
    lon_grid, lat_grid = np.meshgrid(lons, lats)
    pe, pn = to_bng(lon_grid.ravel(), lat_grid.ravel())
    pcol, prow = np.floor(pe / size).astype(np.int64), np.floor(pn / size).astype(np.int64)
    kcol = np.floor(shown["easting_c"].to_numpy() / size).astype(np.int64)
    krow = np.floor(shown["northing_c"].to_numpy() / size).astype(np.int64)
    kkey = kcol * CELL_KEY + krow
    order = np.argsort(kkey)
    kkey, dens = kkey[order], shown["density"].to_numpy()[order]
    pkey = pcol * CELL_KEY + prow
    pos = np.clip(np.searchsorted(kkey, pkey), 0, len(kkey) - 1)
    found = kkey[pos] == pkey
    image = np.where(found, dens[pos], np.nan).reshape(rows, cols)
    return image, [[float(south), float(west)], [float(north), float(east)]]


def add_map_layers(cur, result: Hotspots, points: pd.DataFrame, params: dict) -> None:
    """Fill the result's map layers: count image, hotspot patches, density image, LSOAs, outlines."""
    result.map_bounds = map_bounds(result.cells, result.cell_m)
    result.count_tiles = count_raster(result.cells, result.cell_m)
    result.spots_geojson = hotspot_patches(result.cells, result.cell_m)
    kde = hs.kde_surface(points, result.cell_m, result.distance_m)
    result.kde_bandwidth_m = float(kde.attrs.get("bandwidth_m", result.distance_m))
    result.kde_cell_m = float(kde.attrs.get("cell_m", result.cell_m))
    result.kde_image, result.kde_bounds = kde_raster(kde)
    districts = main_districts(cur, params)
    result.lsoa = lsoa_layer(cur, params, districts)
    result.outlines = district_outlines(cur, params, districts)


def main_districts(cur, params: dict) -> list[str]:
    """The districts holding a real share (OUTLINE_MIN_SHARE) of the area's records.

    Force files carry a few records placed in districts far away: the map outlines and shades only
    these districts, not every one a stray record touched.
    """
    counts = sql.df(cur, "app/crime_by_district", **params).dropna(subset=["district"])
    return counts.loc[counts["records"] >= OUTLINE_MIN_SHARE * counts["records"].sum(), "district"].tolist()


def _map_shapes(texts, tolerance: float = 0.0, decimals: int = SHAPE_DECIMALS) -> list[dict | None]:
    """GeoJSON texts → GeoJSON dicts simplified to ``tolerance`` degrees (topology of each shape kept)
    and rounded to ``decimals`` (None or empty stays None). Vectorised: a force's LSOAs in ~0.1 s."""
    values = np.array([t if isinstance(t, str) and t else None for t in texts], dtype=object)
    if not len(values):
        return []
    shapes = shapely.from_geojson(values)
    if tolerance > 0:
        shapes = shapely.simplify(shapes, tolerance, preserve_topology=True)
    shapes = shapely.transform(shapes, lambda xy: np.round(xy, decimals))
    return [json.loads(t) if t is not None else None for t in shapely.to_geojson(shapes)]


def lsoa_layer(cur, params: dict, districts: list[str] | None = None) -> pd.DataFrame:
    """Records per LSOA with population, rate per 1,000 residents and boundary where loaded.

    Columns lsoa_code, lsoa_name, district, n, population, rate (records per 1,000 residents over
    the period; NaN without population), geometry (a GeoJSON geometry dict simplified to
    LSOA_SIMPLIFY_DEG and rounded; None when no boundary is loaded, or when ``districts`` is given
    and the LSOA's records lie outside them: a stray record's LSOA is counted, not drawn).
    """
    counts = sql.df(cur, "app/hotspots_lsoa_counts", **params)
    columns = ["lsoa_code", "lsoa_name", "district", "n", "population", "rate", "geometry"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    info = sql.df(cur, "app/hotspots_lsoa_areas", codes=counts["lsoa_code"].tolist())
    frame = counts.merge(info, on="lsoa_code", how="left")
    pop = pd.to_numeric(frame["population"], errors="coerce")
    frame["rate"] = np.where(pop > 0, frame["n"] / pop * 1000, np.nan)
    texts = frame["geometry_geojson"]
    if districts is not None:
        # By the district the records name (as main_districts counts them) or the boundary file names.
        texts = texts.where(frame["records_district"].isin(districts) | frame["district"].isin(districts))
    frame["geometry"] = _map_shapes(texts, LSOA_SIMPLIFY_DEG)
    return frame[columns]


def district_outlines(cur, params: dict, districts: list[str] | None = None) -> pd.DataFrame:
    """district, geometry (GeoJSON dict) for the area's main districts when boundaries are loaded."""
    names = main_districts(cur, params) if districts is None else districts
    if not names:
        return pd.DataFrame(columns=["district", "geometry"])
    frame = sql.df(cur, "app/hotspots_district_outlines", districts=names)
    frame["geometry"] = _map_shapes(frame["geometry_geojson"], LSOA_SIMPLIFY_DEG)
    return frame[["district", "geometry"]]


# --------------------------------------------------------------------------------------------
# One cell (the map's click)
# --------------------------------------------------------------------------------------------


def cell_detail(cur, area_name: str | None = None, *, area: areas.Area | None = None,
                date_from=None, date_to=None, types=None, cell_m: float = 250,
                lat: float, lon: float, distance_m: float | None = None) -> CellDetail:
    """What happened in the cell under a map point: records by type, by month, and its places."""
    area = _area(cur, area_name, area)
    cell = check_cell_size(cell_m)
    first, last = period(cur, date_from, date_to)
    params = _filter(area, first, last, types)
    east, north = to_bng([lon], [lat])
    where = cell_of(east, north, cell)
    col, row = int(where["col"].iloc[0]), int(where["row"].iloc[0])
    parts = cell_breakdown(cur, params, cell, [col], [row])
    by_type, by_month, locations = parts["crime_type"], parts["month"], parts["location"]
    covered = {pd.Timestamp(m) for m in months_covered(cur, area)}
    months = pd.date_range(first, last, freq="MS")
    counts = dict(zip(pd.to_datetime(by_month["month"]).dt.date, by_month["n"]))
    calendar = [m.date() for m in months]
    (trend,) = _with_gaps([[counts.get(m, 0) for m in calendar]], calendar, covered)
    centre_lat, centre_lon = to_wgs84(np.array([(col + 0.5) * cell]), np.array([(row + 0.5) * cell]))
    table = hs.hotspot_table(sql.df(cur, "app/hotspots_points", **params), cell, distance_m)
    hit = table[(table["col"] == col) & (table["row"] == row)]
    return CellDetail(
        col=col, row=row, lat=float(centre_lat[0]), lon=float(centre_lon[0]), cell_m=cell,
        records=int(by_type["n"].sum()) if len(by_type) else 0,
        by_type=by_type[["crime_type", "n"]].sort_values(["n", "crime_type"], ascending=[False, True])
        .reset_index(drop=True) if len(by_type) else pd.DataFrame(columns=["crime_type", "n"]),
        by_month=pd.DataFrame({"month": months, "n": trend}).astype({"n": "float64"}),
        locations=locations[["location", "n"]].reset_index(drop=True) if len(locations)
        else pd.DataFrame(columns=["location", "n"]),
        confidence=str(hit["confidence"].iloc[0]) if len(hit) else hs.NOT_SIGNIFICANT,
    )


# --------------------------------------------------------------------------------------------
# Do the hotspots hold?
# --------------------------------------------------------------------------------------------


def stability(cur, area_name: str | None = None, *, area: areas.Area | None = None,
              date_from=None, date_to=None, types=None, cell_m: float = 250,
              distance_m: float | None = None, months_in: int = 3, months_out: int = 1) -> Stability:
    """Fit hotspots on months_in months, score them on the next months_out, rolled over the period."""
    area = _area(cur, area_name, area)
    cell = check_cell_size(cell_m)
    band = check_band(cell, distance_m)
    first, last = period(cur, date_from, date_to)
    params = _filter(area, first, last, types)
    by_month = sql.df(cur, "app/hotspots_points_by_month", **params)
    covered = {pd.Timestamp(m) for m in months_covered(cur, area)}
    in_period = [m for m in sorted(covered) if pd.Timestamp(first) <= m <= pd.Timestamp(last)]
    windows, cells = hs.evaluate_stability(by_month, cell, band, months_in, months_out, months=in_period)
    labelled = cells[cells["label"] != "intermittent"].assign(count=1.0)
    places = group_cells(cur, params, labelled, cell, first, last, covered, by="label")
    if len(places):
        # Plain dicts, not .loc on a MultiIndex: a lookup per square cost 0.3 s on a district.
        keys = list(zip(cells["col"].astype(int), cells["row"].astype(int)))
        hot_in, first_hot, last_hot = (dict(zip(keys, cells[c])) for c in ("windows_hot", "first_hot", "last_hot"))
        places["windows_hot"] = [int(max(hot_in[c] for c in cs)) for cs in places["cells"]]
        places["first_hot"] = [min(first_hot[c] for c in cs) for cs in places["cells"]]
        places["last_hot"] = [max(last_hot[c] for c in cs) for cs in places["cells"]]
        order = {"persistent": 0, "emerging": 1, "fading": 2}
        places = places.sort_values(["label", "squares"], key=lambda s: s.map(order) if s.name == "label" else -s,
                                    kind="mergesort").reset_index(drop=True)
        places = places[["label", "place", "district", "squares", "records", "windows_hot", "first_hot",
                         "last_hot", "lat", "lon"]]
    return Stability(windows, cells, places, hs.stability_sentence(windows), int(months_in), int(months_out))


def windows_table(stab: Stability) -> pd.DataFrame:
    """The command line's stability windows: months as YYYY-MM, shares as fractions 0..1."""
    frame = stab.windows[WINDOW_CLI_COLUMNS].copy()
    for c in ("fit_from", "fit_to", "test_from", "test_to"):
        frame[c] = pd.to_datetime(frame[c]).dt.strftime("%Y-%m")
    for c in ("area_share", "hit_rate", "pai"):
        frame[c] = frame[c].round(4)
    return frame
