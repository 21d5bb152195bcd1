"""A generated data.police.uk archive at national scale, in the exact street-level layout.

Not the demo (which models one area carefully): this is fast and wide, for timing ingest and
queries. The 43 territorial forces of England and Wales carry their real names and roughly their
real share of the ~495,000 records a month (the Met about 18%, City of London about 0.2%), placed
near their real centres. Each force has districts of ~100 LSOAs, ~21 snap points per LSOA (about
744,000 points nationally, as in the real archive), a skewed spread of records over points (crime
concentrates), the national type mix, 64-hex Crime IDs (empty for ASB) and ~1.5% of crimes with
"No location". Deterministic for given arguments; each force-month file has its own seed, so the
files are written in parallel.

    python -m benchmarks.generate ROOT --rows 17800000 --forces 43 --months 36
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cspdash.ingest.police_uk import EXPECTED_HEADER

TYPES = pd.read_csv(Path(__file__).resolve().parent.parent / "data" / "demo" / "crime_mix.csv")
OUTCOMES = np.array(["Investigation complete; no suspect identified", "Unable to prosecute suspect",
                     "Under investigation", "Status update unavailable", "Awaiting court outcome",
                     "Offender given a caution", "Local resolution"])
STREETS = np.array([f"On or near {name}" for name in (
    "High Street", "Station Road", "Church Lane", "Park Road", "Victoria Road", "Green Lane",
    "Manor Road", "Church Street", "Mill Lane", "Queens Road", "New Road", "Kings Road",
    "Shopping Area", "Supermarket", "Parking Area", "Petrol Station", "Sports/Recreation Area",
    "Nightclub", "Hospital", "Further/Higher Educational Building", "Bus/Coach Station",
    "Conference/Exhibition Centre", "Theatre/Concert Hall", "Police Station", "Pedestrian Subway",
)])

# (name, approximate records per month, centre lon, centre lat): the shape of the real archive.
FORCES = [
    ("Metropolitan Police Service", 90000, -0.12, 51.50), ("West Midlands Police", 30000, -1.89, 52.48),
    ("Greater Manchester Police", 33000, -2.24, 53.48), ("West Yorkshire Police", 28000, -1.55, 53.80),
    ("Thames Valley Police", 16000, -1.10, 51.60), ("Kent Police", 17000, 0.80, 51.25),
    ("Lancashire Constabulary", 14000, -2.60, 53.85), ("Hampshire Constabulary", 14000, -1.30, 51.00),
    ("Essex Police", 17000, 0.55, 51.80), ("South Yorkshire Police", 14000, -1.40, 53.45),
    ("Northumbria Police", 14000, -1.60, 55.00), ("Avon and Somerset Constabulary", 13000, -2.70, 51.30),
    ("Merseyside Police", 12000, -2.95, 53.42), ("Sussex Police", 11000, -0.30, 50.90),
    ("Devon & Cornwall Police", 10000, -4.20, 50.50), ("West Mercia Police", 10000, -2.50, 52.40),
    ("Nottinghamshire Police", 9000, -1.10, 53.05), ("Humberside Police", 9000, -0.50, 53.70),
    ("South Wales Police", 11000, -3.40, 51.55), ("Leicestershire Police", 8000, -1.10, 52.65),
    ("Staffordshire Police", 8000, -2.00, 52.85), ("Derbyshire Constabulary", 8000, -1.55, 53.05),
    ("Hertfordshire Constabulary", 8000, -0.25, 51.80), ("Cheshire Constabulary", 8000, -2.55, 53.20),
    ("Durham Constabulary", 6500, -1.70, 54.70), ("Cleveland Police", 9000, -1.20, 54.55),
    ("Northamptonshire Police", 6000, -0.90, 52.30), ("Lincolnshire Police", 5500, -0.30, 53.10),
    ("Norfolk Constabulary", 6500, 1.00, 52.65), ("Suffolk Constabulary", 5000, 1.00, 52.20),
    ("Cambridgeshire Constabulary", 7000, 0.00, 52.40), ("Bedfordshire Police", 5500, -0.45, 52.05),
    ("Gwent Police", 5500, -3.00, 51.70), ("North Wales Police", 5000, -3.70, 53.10),
    ("Dyfed-Powys Police", 3000, -4.00, 52.10), ("Cumbria Constabulary", 4000, -2.90, 54.55),
    ("North Yorkshire Police", 5000, -1.30, 54.10), ("Dorset Police", 5000, -2.20, 50.75),
    ("Wiltshire Police", 4000, -1.90, 51.35), ("Gloucestershire Constabulary", 4000, -2.20, 51.85),
    ("Warwickshire Police", 4000, -1.55, 52.30), ("Surrey Police", 7000, -0.45, 51.25),
    ("City of London Police", 800, -0.09, 51.515),
]
LSOAS_PER_DISTRICT = 100
RECORDS_PER_LSOA_MONTH = 15     # ~35,000 LSOAs for ~495,000 records a month
POINTS_PER_LSOA = 21            # ~744,000 snap points nationally


@dataclass(frozen=True)
class ForcePlan:
    index: int
    name: str
    slug: str
    rows_per_month: int
    lon: float
    lat: float
    lsoa_offset: int            # LSOA codes are unique nationally
    n_lsoa: int                 # from the force's real size, so geography is the same at any scale


def plan(rows: int, forces: int, months: int) -> list[ForcePlan]:
    """Share `rows` over the first `forces` forces in proportion to their real size."""
    chosen = FORCES[:forces] if forces <= len(FORCES) else [
        (f"Bench Force {i + 1:02d} Police", 10000, -2.5 + (i % 7) * 0.55, 51.0 + (i // 7) * 0.5)
        for i in range(forces)]
    total = sum(size for _, size, _, _ in chosen)
    plans, offset = [], 0
    for i, (name, size, lon, lat) in enumerate(chosen):
        per_month = max(1, round(rows * size / total / months))
        slug = name.lower().replace("&", "and").replace(" ", "-").replace("-police-service", "")
        for suffix in ("-police", "-constabulary"):
            slug = slug.removesuffix(suffix)
        n_lsoa = max(LSOAS_PER_DISTRICT, size // RECORDS_PER_LSOA_MONTH)
        plans.append(ForcePlan(i, name, slug, per_month, lon, lat, offset, n_lsoa))
        offset += n_lsoa
    return plans


def _geography(p: ForcePlan, seed: int) -> dict:
    """A force's districts, LSOAs and snap points: fixed across months, as in the real archive."""
    rng = np.random.default_rng([seed, p.index])
    n_lsoa = p.n_lsoa
    n_district = max(1, n_lsoa // LSOAS_PER_DISTRICT)
    spread = 0.05 + 0.1 * np.sqrt(n_lsoa / 1000)          # bigger forces cover more ground
    d_lon = p.lon + rng.normal(0, spread, n_district)
    d_lat = p.lat + rng.normal(0, spread * 0.6, n_district)
    lsoa_district = np.arange(n_lsoa) % n_district
    l_lon = d_lon[lsoa_district] + rng.normal(0, 0.03, n_lsoa)
    l_lat = d_lat[lsoa_district] + rng.normal(0, 0.02, n_lsoa)
    n_points = n_lsoa * POINTS_PER_LSOA
    point_lsoa = np.arange(n_points) % n_lsoa
    short = p.name.split(" Police")[0].split(" Constabulary")[0]
    district_names = np.array([f"{short} District {d + 1:02d}" for d in range(n_district)])
    lsoa_seq = np.arange(n_lsoa) // n_district + 1
    weights = rng.lognormal(0, 1.3, n_points)
    return {
        "lon": np.char.mod("%.6f", np.round(l_lon[point_lsoa] + rng.normal(0, 0.004, n_points), 6)),
        "lat": np.char.mod("%.6f", np.round(l_lat[point_lsoa] + rng.normal(0, 0.003, n_points), 6)),
        "street": STREETS[rng.integers(0, len(STREETS), n_points)],
        "lsoa_code": np.char.add("E0", (1_000_000 + p.lsoa_offset + point_lsoa).astype(str)),
        "lsoa_name": np.char.add(np.char.add(district_names[lsoa_district[point_lsoa]], " "),
                                 np.char.add(np.char.zfill(lsoa_seq[point_lsoa].astype(str), 3), "A")),
        "p": weights / weights.sum(),
    }


def _write_force(root: str, p: ForcePlan, months: list[str], seed: int) -> list[str]:
    geo = _geography(p, seed)
    type_names = TYPES["crime_type"].to_numpy()
    type_p = (TYPES["share"] / TYPES["share"].sum()).to_numpy()
    written = []
    for m, month in enumerate(months):
        rng = np.random.default_rng([seed, p.index, m])
        n = p.rows_per_month
        idx = rng.choice(len(geo["p"]), size=n, p=geo["p"])
        types = rng.choice(type_names, size=n, p=type_p)
        asb = types == "Anti-social behaviour"
        lost = (~asb) & (rng.random(n) < 0.015)
        crime_ids = np.frombuffer(rng.bytes(32 * n).hex().encode(), dtype="S64").astype(str)
        frame = pd.DataFrame({
            "Crime ID": np.where(asb, "", crime_ids),
            "Month": month, "Reported by": p.name, "Falls within": p.name,
            "Longitude": np.where(lost, "", geo["lon"][idx]),
            "Latitude": np.where(lost, "", geo["lat"][idx]),
            "Location": np.where(lost, "No location", geo["street"][idx]),
            "LSOA code": np.where(lost, "", geo["lsoa_code"][idx]),
            "LSOA name": np.where(lost, "", geo["lsoa_name"][idx]),
            "Crime type": types,
            "Last outcome category": np.where(asb, "", OUTCOMES[rng.integers(0, len(OUTCOMES), n)]),
            "Context": "",
        })
        path = Path(root) / month / f"{month}-{p.slug}-street.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(path, index=False, columns=EXPECTED_HEADER)
        written.append(str(path))
    return written


def generate(root: Path, rows: int, forces: int = 4, months: int = 12, seed: int = 7,
             workers: int | None = None) -> list[Path]:
    """Write YYYY-MM/YYYY-MM-<force>-street.csv files totalling about `rows` records."""
    month_names = list(pd.date_range("2023-01-01", periods=months, freq="MS").strftime("%Y-%m"))
    plans = plan(rows, forces, months)
    workers = workers or min(len(plans), os.cpu_count() or 1)
    if workers <= 1:
        chunks = [_write_force(str(root), p, month_names, seed) for p in plans]
    else:
        with ProcessPoolExecutor(workers) as pool:
            chunks = list(pool.map(_write_force, [str(root)] * len(plans), plans,
                                   [month_names] * len(plans), [seed] * len(plans)))
    return sorted(Path(f) for chunk in chunks for f in chunk)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--forces", type=int, default=4)
    ap.add_argument("--months", type=int, default=12)
    a = ap.parse_args()
    print(f"{len(generate(a.root, a.rows, a.forces, a.months))} files written under {a.root}")
