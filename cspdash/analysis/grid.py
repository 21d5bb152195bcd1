"""Square cells on the British National Grid: counting snapped points, the study region, map coordinates.

Cells are aligned to multiples of the cell size, so a cell is named by two integers
``col = floor(easting / cell_m)`` and ``row = floor(northing / cell_m)`` and the same place falls in
the same cell whatever the filter; that is what lets cells be compared across months and joined
back to records.

Input points are *distinct snapped locations* (police.uk publishes records on anonymous map points),
one row per point with ``easting, northing`` (EPSG:27700 metres) and ``n`` (records there). Rows
without a location (NaN easting or northing) are skipped here; counting and reporting them is the
caller's job.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np
import pandas as pd
from pyproj import Transformer

from cspdash.errors import InputError

# police.uk moves every record to an anonymous map point; cells finer than about 100 m would show
# the snapping pattern rather than where crime happens (DESIGN.md §5).
MIN_CELL_M = 100.0

# The default Gi* neighbourhood, in cell widths. 2.5 widths gives every cell the 20 cells whose
# centres lie within 2.5 widths (the 8 touching it, the 4 two steps away in a straight line and
# the 8 a knight's move away): enough neighbours for a stable local sum (ArcGIS advises at least
# about 8), while at 250 m cells the band (625 m) is still a walkable beat, not a whole town.
# No lattice point lies exactly 2.5 widths away (6.25 is not a sum of two squares), so rounding in
# the coordinates can never flip a neighbour in or out.
DEFAULT_BAND_CELLS = 2.5

# Larger bands make the padded region and neighbour lists grow with the square of the band, and a
# "hotspot" several kilometres across is no longer a place a patrol can be sent to.
MAX_BAND_CELLS = 10.0


def default_distance(cell_m: float) -> float:
    """The default Gi* distance band for a cell size (2.5 cell widths; see DEFAULT_BAND_CELLS)."""
    return DEFAULT_BAND_CELLS * float(cell_m)


def check_cell_size(cell_m: float) -> float:
    """Return cell_m as a float, or raise InputError when it is too fine or not a number."""
    try:
        cell = float(cell_m)
    except (TypeError, ValueError):
        raise InputError(None, f"cell size must be a number of metres, got {cell_m!r}") from None
    if not np.isfinite(cell) or cell < MIN_CELL_M:
        raise InputError(
            None,
            f"cell size must be at least {MIN_CELL_M:g} m (police.uk locations are snapped to "
            f"map points, so finer cells mislead), got {cell_m!r}",
        )
    return cell


def check_band(cell_m: float, distance_m: float | None) -> float:
    """Return the distance band in metres (the default when None), or raise InputError."""
    if distance_m is None:
        return default_distance(cell_m)
    try:
        band = float(distance_m)
    except (TypeError, ValueError):
        raise InputError(
            None, f"distance band must be a number of metres, got {distance_m!r}"
        ) from None
    if not np.isfinite(band) or band < cell_m or band > MAX_BAND_CELLS * cell_m:
        raise InputError(
            None,
            f"distance band must be between 1 and {MAX_BAND_CELLS:g} cell widths "
            f"({cell_m:g}-{MAX_BAND_CELLS * cell_m:g} m), got {distance_m!r}",
        )
    return band


def located_points(points: pd.DataFrame) -> pd.DataFrame:
    """easting, northing, n (float) for the rows that have a location and a positive count.

    ``n`` defaults to 1 per row when the column is absent.
    """
    missing = {"easting", "northing"} - set(points.columns)
    if missing:
        raise ValueError(f"points need columns easting and northing; missing {sorted(missing)}")
    east = pd.to_numeric(points["easting"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    north = pd.to_numeric(points["northing"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if "n" in points.columns:
        n = pd.to_numeric(points["n"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        n = np.ones(len(points))
    keep = np.isfinite(east) & np.isfinite(north) & np.isfinite(n) & (n > 0)
    out = pd.DataFrame({"easting": east[keep], "northing": north[keep], "n": n[keep]})
    for extra in ("month", "crime_type"):
        if extra in points.columns:
            out[extra] = points[extra].to_numpy()[keep]
    return out


def cell_of(easting, northing, cell_m: float = 250) -> pd.DataFrame:
    """The cell (col, row) of each location, as nullable integers (<NA> where there is no location).

    Used to join records back to cells (the beat sheet). Keeps the index of ``easting`` when it is
    a Series.
    """
    cell = check_cell_size(cell_m)
    index = easting.index if isinstance(easting, pd.Series) else None

    def to_cells(values) -> pd.arrays.IntegerArray:
        metres = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        cells = np.floor(metres / cell)
        missing = ~np.isfinite(cells)
        return pd.arrays.IntegerArray(np.where(missing, 0, cells).astype(np.int64), missing)

    out = pd.DataFrame({"col": to_cells(easting), "row": to_cells(northing)})
    if index is not None:
        out.index = index
    return out


def neighbour_offsets(cell_m: float, distance_m: float) -> np.ndarray:
    """Integer (dcol, drow) lattice steps whose centres lie within distance_m, (0, 0) included."""
    reach = int(np.floor(distance_m / cell_m))
    steps = np.arange(-reach, reach + 1)
    dc, dr = np.meshgrid(steps, steps, indexing="ij")
    # A hair of tolerance so a band given as an exact multiple (e.g. 500 m for 250 m cells)
    # includes the cells at exactly that distance, as a distance band conventionally does.
    inside = (dc**2 + dr**2) * cell_m**2 <= distance_m**2 * (1 + 1e-9)
    return np.column_stack([dc[inside], dr[inside]]).astype(np.int64)


def _cell_key(col: np.ndarray, row: np.ndarray) -> np.ndarray:
    # BNG cells at >= 100 m have |col|, |row| well under 2**20; packing both into one int64 lets
    # numpy's 1-d unique/searchsorted do the set work instead of slow row-wise unique.
    return (col.astype(np.int64) << 32) + (row.astype(np.int64) + (1 << 31))


def _key_to_cell(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    col = key >> 32
    row = (key - (col << 32)) - (1 << 31)
    return col, row


def grid_counts(
    points: pd.DataFrame, cell_m: float = 250, distance_m: float | None = None
) -> pd.DataFrame:
    """Records per square cell over the study region, zero-count cells included.

    Returns columns col, row (int), easting_c, northing_c (cell centre, BNG metres), count (float,
    summed ``n``), one row per cell, sorted by col then row.

    The study region is every cell whose centre lies within the Gi* distance band (``distance_m``,
    default 2.5 cell widths) of an occupied cell's centre. Gi* needs the empty cells around crime
    (they carry the contrast), but the whole bounding box of a rural county would be mostly fields
    whose zeros drag the mean down and make every town look hot. Cells beyond the band of any crime
    cannot touch a single occupied neighbourhood, so leaving them out changes no cell's local sum,
    only the global mean and variance, and it does so the same way whatever the box.
    """
    cell = check_cell_size(cell_m)
    band = check_band(cell, distance_m)
    pts = located_points(points)
    if pts.empty:
        return pd.DataFrame(
            {
                "col": pd.Series(dtype="int64"),
                "row": pd.Series(dtype="int64"),
                "easting_c": pd.Series(dtype="float64"),
                "northing_c": pd.Series(dtype="float64"),
                "count": pd.Series(dtype="float64"),
            }
        )
    col = np.floor(pts["easting"].to_numpy() / cell).astype(np.int64)
    row = np.floor(pts["northing"].to_numpy() / cell).astype(np.int64)
    occupied, inverse = np.unique(_cell_key(col, row), return_inverse=True)
    counts = np.bincount(inverse, weights=pts["n"].to_numpy(), minlength=len(occupied))

    occ_col, occ_row = _key_to_cell(occupied)
    offsets = neighbour_offsets(cell, band)
    region = np.unique(
        _cell_key(
            (occ_col[:, None] + offsets[None, :, 0]).ravel(),
            (occ_row[:, None] + offsets[None, :, 1]).ravel(),
        )
    )
    region_count = np.zeros(len(region))
    region_count[np.searchsorted(region, occupied)] = counts
    reg_col, reg_row = _key_to_cell(region)
    return pd.DataFrame(
        {
            "col": reg_col,
            "row": reg_row,
            "easting_c": (reg_col + 0.5) * cell,
            "northing_c": (reg_row + 0.5) * cell,
            "count": region_count,
        }
    )


# pyproj shares a Transformer between threads by building a separate PROJ object in each thread that
# uses it, and for British National Grid <-> WGS84 that build takes 30-50 ms with the interpreter lock
# held. Streamlit runs every page run in a new thread, so each hotspot page paid it twice, and the
# server's warm-up warmed only its own thread. So every transform runs on this one long-lived thread:
# each PROJ object is built once per process. A page's transform (a few thousand points) takes well
# under a millisecond, so sessions queueing for the thread wait for nothing that matters.
_PROJ_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cspdash-proj")


@lru_cache(maxsize=2)
def _transformer(source: int, target: int) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def _transform(source: int, target: int, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x, y in `source` -> x, y in `target` (EPSG codes; longitude first), on the PROJ thread."""
    return _PROJ_THREAD.submit(lambda: _transformer(source, target).transform(x, y)).result()


def to_wgs84(easting, northing) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) arrays in WGS84 for BNG easting/northing arrays."""
    east = np.asarray(easting, dtype=float)
    north = np.asarray(northing, dtype=float)
    if east.size == 0:
        return np.empty(0), np.empty(0)
    lon, lat = _transform(27700, 4326, east, north)
    return np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)


def to_bng(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """(easting, northing) arrays in BNG metres for WGS84 lon/lat arrays."""
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    if lon_a.size == 0:
        return np.empty(0), np.empty(0)
    east, north = _transform(4326, 27700, lon_a, lat_a)
    return np.asarray(east, dtype=float), np.asarray(north, dtype=float)


def with_wgs84(grid: pd.DataFrame) -> pd.DataFrame:
    """A copy of a cell table with lat, lon of each cell centre added."""
    lat, lon = to_wgs84(grid["easting_c"].to_numpy(), grid["northing_c"].to_numpy())
    return grid.assign(lat=lat, lon=lon)


def cell_corners(grid: pd.DataFrame, cell_m: float = 250) -> np.ndarray:
    """WGS84 corners of each cell: array (n_cells, 4, 2) of (lat, lon), SW, SE, NE, NW.

    Corners are projected one by one (not offset in degrees) because BNG squares are not
    squares in lat/lon.
    """
    cell = check_cell_size(cell_m)
    col = grid["col"].to_numpy(dtype=np.int64)
    row = grid["row"].to_numpy(dtype=np.int64)
    steps = np.array([[0, 0], [1, 0], [1, 1], [0, 1]])
    east = ((col[:, None] + steps[None, :, 0]) * cell).ravel()
    north = ((row[:, None] + steps[None, :, 1]) * cell).ravel()
    lat, lon = to_wgs84(east, north)
    return np.stack([lat, lon], axis=-1).reshape(len(col), 4, 2)


def cells_geojson(grid: pd.DataFrame, cell_m: float = 250, properties: list[str] | None = None) -> dict:
    """A GeoJSON FeatureCollection of cell squares (lon, lat order, closed rings) for the map.

    ``properties`` names columns of ``grid`` to copy onto each feature (numpy scalars become
    plain Python values so the result serialises with json.dumps).
    """
    corners = cell_corners(grid, cell_m)
    names = list(properties or [])
    values = {name: grid[name].tolist() for name in names}
    features = []
    for i, ring in enumerate(corners):
        coords = [[float(lon), float(lat)] for lat, lon in ring]
        coords.append(coords[0])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [coords]},
                "properties": {name: values[name][i] for name in names},
            }
        )
    return {"type": "FeatureCollection", "features": features}
