"""Against reality: the hotspot map of a whole real force over three years is under 2 MB
(skipped without ../shared). Essex's twelve published months are loaded three times, shifted
by 14 months each, so the map holds 36 months (~600k records) of real places."""

from __future__ import annotations

import csv
from pathlib import Path

from cspdash import db
from cspdash.ingest import geography, police_uk
from cspdash.reports import hotspots as report
from components import maps
from tests.conftest import realdata

FORCE = "Essex Police"
SHIFTS = (0, 14, 28)  # months: 2018-01..2019-02, 2019-03..2020-04, 2020-05..2021-06


def _shift(month: str, k: int) -> str:
    year, mon = map(int, month.split("-"))
    t = year * 12 + mon - 1 + k
    return f"{t // 12:04d}-{t % 12 + 1:02d}"


def essex_36_months(folder: Path) -> Path:
    """Essex street files three times over, relabelled as later months, in ``folder``."""
    source = realdata("essex", "street")
    folder.mkdir(parents=True, exist_ok=True)
    for k in SHIFTS:
        for path in sorted(source.glob("*-essex-street.csv")):
            month = _shift(path.name[:7], k)
            with open(path, encoding="utf-8-sig", newline="") as fin, \
                    open(folder / f"{month}-essex-street.csv", "w", encoding="utf-8", newline="") as fout:
                rows, out = csv.reader(fin), csv.writer(fout)
                out.writerow(next(rows))
                for row in rows:
                    row[1] = month
                    out.writerow(row)
    return folder


def test_whole_essex_over_36_months_maps_in_under_2_mb(tmp_path):
    boundaries = realdata("essex", "boundaries", "essex_lsoa_2011_by_lad_martinjc.geojson")
    population = realdata("population", "lsoa_mid2018_population_density_SAPE21DT11.csv")
    street = essex_36_months(tmp_path / "street")
    path = tmp_path / "essex36.duckdb"
    con = db.connect(path)
    try:
        assert police_uk.ingest(con, [street]).rows == 3 * 199_298
        geography.load(con, boundaries)
        geography.load(con, population)
    finally:
        db.close(path)
    cur = db.connect(path, read_only=True).cursor()
    try:
        view = report.hotspots(cur, FORCE, date_from="2018-01", date_to="2021-06")
    finally:
        db.close(path)
    assert view.records == 3 * 199_298 and view.cells_with_crime > 8_000 and view.hotspot_cells > 2_000
    fmap, legend = maps.hotspot_map(view.spots_geojson, view.count_tiles, view.occupied_counts, view.kde_image,
                                    view.kde_bounds, view.lsoa, view.outlines, bounds=view.map_bounds)
    size = len(maps.map_html(fmap).encode("utf-8"))
    # Was 6.3 MB: 8,800 count squares, 3,000 hotspot squares and two copies of 1,077 LSOAs as GeoJSON.
    assert size < 2_000_000, size
    # Every layer is there: counts (as an image), hotspots (joined), both LSOA choropleths.
    assert {"counts", "hot", "lsoa_n", "lsoa_rate", "density"} <= set(legend)
    assert view.lsoa["geometry"].notna().sum() >= 1_000
    assert len(view.spots_geojson["features"]) < view.hotspot_cells / 3
    # The map opens on Essex, not on the few records the file places elsewhere in England.
    (south, west), (north, east) = view.map_bounds
    assert 51.3 < south < 51.6 and 51.9 < north < 52.2 and -0.2 < west < 0.1 and 1.2 < east < 1.4
