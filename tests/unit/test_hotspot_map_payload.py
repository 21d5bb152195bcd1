"""The hotspot map's payload stays bounded however many squares hold records: records per square
travel as an image, hot and cold squares as joined patches, LSOAs once for both choropleths."""

from __future__ import annotations

import numpy as np
import pandas as pd

from components import maps
from cspdash.analysis import hotspots as hs
from cspdash.analysis.grid import to_wgs84
from cspdash.reports import hotspots as report

LIMIT = 2_000_000  # bytes of map HTML for a whole force over three years


def _synthetic_force(rng) -> pd.DataFrame:
    """Snap points over a 45 x 30 km area: scattered records everywhere, a few dense town centres."""
    east0, north0 = 560_000.0, 180_000.0
    east = rng.uniform(0, 45_000, 60_000)
    north = rng.uniform(0, 30_000, 60_000)
    towns = rng.uniform([5_000, 5_000], [40_000, 25_000], size=(12, 2))
    for te, tn in towns:
        east = np.r_[east, rng.normal(te, 700, 4_000)]
        north = np.r_[north, rng.normal(tn, 700, 4_000)]
    return pd.DataFrame({"easting": east0 + east, "northing": north0 + north, "n": rng.integers(1, 20, len(east))})


def _lsoas(rng, n_side: int = 40) -> pd.DataFrame:
    """n_side^2 LSOA-like polygons (60 wobbly points each) tiling the same area."""
    shapes, names = [], []
    size_e, size_n = 45_000 / n_side, 30_000 / n_side
    angles = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    for i in range(n_side):
        for j in range(n_side):
            ce, cn = 560_000 + (i + 0.5) * size_e, 180_000 + (j + 0.5) * size_n
            radius = 0.5 * min(size_e, size_n) * (1 + 0.15 * rng.uniform(-1, 1, len(angles)))
            lat, lon = to_wgs84(ce + radius * np.cos(angles), cn + radius * np.sin(angles))
            ring = [[round(float(x), 4), round(float(y), 4)] for x, y in zip(lon, lat)]
            shapes.append({"type": "Polygon", "coordinates": [ring + [ring[0]]]})
            names.append(f"Somewhere {i:03d}{chr(65 + j % 26)}")
    n = rng.integers(10, 2_000, len(shapes))
    population = rng.integers(1_000, 3_000, len(shapes))
    return pd.DataFrame({"lsoa_code": [f"E0{k:07d}" for k in range(len(shapes))], "lsoa_name": names,
                         "district": "Somewhere", "n": n, "population": population,
                         "rate": n / population * 1000, "geometry": shapes})


def test_map_of_ten_thousand_squares_stays_under_2_mb_with_no_square_shapes():
    rng = np.random.default_rng(7)
    cells = hs.hotspot_table(_synthetic_force(rng), 250, 625)
    occupied = int((cells["count"] > 0).sum())
    labelled = int((cells["confidence"] != hs.NOT_SIGNIFICANT).sum())
    assert occupied >= 10_000 and labelled >= 1_000
    spots = report.hotspot_patches(cells, 250)
    tiles = report.count_raster(cells, 250)
    lsoa = _lsoas(rng)
    fmap, legend = maps.hotspot_map(spots, tiles, cells.loc[cells["count"] > 0, "count"], lsoa=lsoa,
                                    bounds=report.map_bounds(cells, 250))
    html = maps.map_html(fmap)
    assert len(html.encode("utf-8")) < LIMIT, len(html)
    # No layer carries one shape per square: counts are images, patches far fewer than squares.
    children = list(fmap._children.values())
    counts = next(c for c in children if getattr(c, "layer_name", "") == maps.LAYER_COUNTS)
    assert all(isinstance(o, folium_image_overlay()) for o in counts._children.values())
    shapes = sum(len(c.features) for c in children if isinstance(c, maps.GeoJsonData))
    assert shapes < len(lsoa) + labelled / 4
    assert legend["counts"] and legend["lsoa_n"] and legend["lsoa_rate"]
    # Twice the records on the same squares: the same size, near enough (it grows with area, not records).
    doubled = cells.assign(count=cells["count"] * 2)
    fmap2, _ = maps.hotspot_map(report.hotspot_patches(doubled, 250), report.count_raster(doubled, 250),
                                doubled.loc[doubled["count"] > 0, "count"], lsoa=lsoa)
    assert abs(len(maps.map_html(fmap2)) - len(html)) < 0.05 * len(html)


def folium_image_overlay():
    import folium

    return folium.raster_layers.ImageOverlay
