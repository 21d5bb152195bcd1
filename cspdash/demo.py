"""The demo database: synthetic street-level records in the exact data.police.uk format for
West Mercia's Worcestershire and Herefordshire districts, plus the seed reports' real figures,
all loaded through the same ingest path a user's own files take.

Deterministic (fixed seed) and quick (well under 60 s). Every page says when it shows this.
The synthetic records are made to look like the real thing in the ways that matter to the
analysis: volumes (~8,000 a month), crime-type mix, summer seasonality, concentration in town
centres and a few planted hotspots (one emerging, one fading), anonymous snap points shared by
many records, and some records with no location.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from cspdash import config, db, sql, storage
from cspdash.errors import InputError
from cspdash.ingest import geography, police_uk

FORCE = "West Mercia Police"
FIRST_MONTH = "2023-01"
MONTHS = 36
MONTHLY_RECORDS = 8000
SEED = 20231122
STREETS = [
    "High Street", "Church Street", "Station Road", "Park Road", "Victoria Road", "Green Lane",
    "Manor Road", "Church Lane", "Mill Lane", "Queens Road", "New Road", "School Lane",
    "The Avenue", "Kings Road", "London Road", "Bridge Street", "Broad Street", "Castle Street",
    "Market Place", "Albert Road", "York Road", "George Street", "Chapel Lane", "Orchard Close",
    "Meadow Way", "Windsor Road", "Stanley Road", "Grange Road", "North Street", "South Street",
]
PLACES = ["Supermarket", "Parking Area", "Petrol Station", "Shopping Area", "Sports/Recreation Area",
          "Further/Higher Educational Building", "Nightclub", "Pedestrian Subway", "Hospital"]
OUTCOMES = [
    ("Investigation complete; no suspect identified", 0.44), ("Unable to prosecute suspect", 0.27),
    ("Under investigation", 0.08), ("Status update unavailable", 0.05),
    ("Awaiting court outcome", 0.04), ("Offender given a caution", 0.03),
    ("Local resolution", 0.04), ("Further investigation is not in the public interest", 0.02),
    ("Court result unavailable", 0.03),
]
# Planted hotspots: (name, lat, lon, radius_m, crime types, multiplier, first month index, last)
HOTSPOTS = [
    ("Worcester city centre", 52.1925, -2.2205, 350, {"Violence and sexual offences", "Public order", "Anti-social behaviour"}, 7, 0, MONTHS),
    ("Kidderminster town centre", 52.3885, -2.2495, 300, {"Shoplifting", "Other theft"}, 9, 0, MONTHS),
    ("Redditch town centre", 52.3070, -1.9440, 300, {"Shoplifting", "Theft from the person"}, 8, 0, MONTHS),
    ("Hereford High Town", 52.0565, -2.7165, 300, {"Anti-social behaviour", "Drugs"}, 8, 0, MONTHS),
    ("Stourport riverside (emerging)", 52.3380, -2.2780, 400, {"Anti-social behaviour", "Criminal damage and arson"}, 14, 20, MONTHS),
    ("Malvern Link (fading)", 52.1250, -2.3200, 400, {"Criminal damage and arson", "Anti-social behaviour"}, 12, 0, 14),
]


def _metres_to_degrees(lat: float) -> tuple[float, float]:
    return 1 / 111_320, 1 / (111_320 * np.cos(np.radians(lat)))


def build_geography(rng: np.random.Generator, area: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic LSOAs (codes E019xxxxx, outside the real range) and their snap points."""
    lsoas, code = [], 1_900_000
    for district, towns in area.groupby("district", sort=True):
        population = float(towns["population"].dropna().iloc[0])
        n_lsoa = int(round(population / 1600))
        weights = towns["town_weight"].to_numpy() / towns["town_weight"].sum()
        picks = rng.choice(len(towns), size=n_lsoa, p=weights)
        for i in range(n_lsoa):
            town = towns.iloc[picks[i]]
            dlat, dlon = _metres_to_degrees(town["lat"])
            radius = abs(rng.normal(0, 1800 * np.sqrt(weights[picks[i]] + 0.2)))
            angle = rng.uniform(0, 2 * np.pi)
            code += 1
            lsoas.append({
                "lsoa_code": f"E0{code}", "lsoa_name": f"{district} {i // 4 + 1:03d}{'ABCD'[i % 4]}",
                "district": district, "town": town["town"], "town_lat": town["lat"], "town_lon": town["lon"],
                "lat": town["lat"] + radius * np.sin(angle) * dlat,
                "lon": town["lon"] + radius * np.cos(angle) * dlon,
                "population": int(rng.normal(1650, 220)),
            })
    lsoas = pd.DataFrame(lsoas)
    points = []
    for row in lsoas.itertuples():
        k = int(rng.integers(10, 26))
        dlat, dlon = _metres_to_degrees(row.lat)
        for _ in range(k):
            place = rng.random() < 0.12
            points.append({
                "lsoa_code": row.lsoa_code, "lsoa_name": row.lsoa_name, "district": row.district,
                "lat": round(row.lat + rng.normal(0, 260) * dlat, 6),
                "lon": round(row.lon + rng.normal(0, 260) * dlon, 6),
                "location": "On or near " + (rng.choice(PLACES) if place else rng.choice(STREETS)),
                "weight": rng.lognormal(0, 1.0),
                "town_lat": row.town_lat, "town_lon": row.town_lon,
            })
    points = pd.DataFrame(points).drop_duplicates(["lat", "lon"]).reset_index(drop=True)
    dlat, dlon = _metres_to_degrees(52.2)
    d_km = np.hypot((points["lat"] - points["town_lat"]) / dlat, (points["lon"] - points["town_lon"]) / dlon) / 1000
    points["centrality"] = np.exp(-d_km / 1.2)
    return lsoas, points


def _hotspot_multiplier(points: pd.DataFrame, crime_type: str, month_index: int) -> np.ndarray:
    mult = np.ones(len(points))
    for _name, lat, lon, radius, types, factor, start, end in HOTSPOTS:
        if crime_type in types and start <= month_index < end:
            dlat, dlon = _metres_to_degrees(lat)
            d = np.hypot((points["lat"] - lat) / dlat, (points["lon"] - lon) / dlon)
            mult = np.where(d <= radius, mult * factor, mult)
    return mult


def generate_records(rng: np.random.Generator, points: pd.DataFrame, mix: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Month → DataFrame of street-level records in data.police.uk's columns."""
    months = pd.date_range(f"{FIRST_MONTH}-01", periods=MONTHS, freq="MS")
    outcome_names = [o for o, _ in OUTCOMES]
    outcome_p = np.array([p for _, p in OUTCOMES]) / sum(p for _, p in OUTCOMES)
    out = {}
    for m_idx, month in enumerate(months):
        season = np.sin(2 * np.pi * (month.month - 4) / 12)  # peaks in July
        drift = 1 - 0.004 * m_idx  # a gentle fall over three years
        frames = []
        for t in mix.itertuples():
            expected = MONTHLY_RECORDS * t.share * (1 + t.summer_lift * season) * drift
            n = int(rng.poisson(max(expected, 0)))
            w = points["weight"].to_numpy() * points["centrality"].to_numpy() ** t.centre_pull
            w = w * _hotspot_multiplier(points, t.crime_type, m_idx)
            chosen = points.iloc[rng.choice(len(points), size=n, p=w / w.sum())]
            is_asb = t.crime_type == "Anti-social behaviour"
            frame = pd.DataFrame({
                "Crime ID": "" if is_asb else [rng.bytes(32).hex() for _ in range(n)],
                "Month": month.strftime("%Y-%m"), "Reported by": FORCE, "Falls within": FORCE,
                "Longitude": chosen["lon"].map("{:.6f}".format).to_numpy(),
                "Latitude": chosen["lat"].map("{:.6f}".format).to_numpy(),
                "Location": chosen["location"].to_numpy(),
                "LSOA code": chosen["lsoa_code"].to_numpy(), "LSOA name": chosen["lsoa_name"].to_numpy(),
                "Crime type": t.crime_type,
                "Last outcome category": "" if is_asb else rng.choice(outcome_names, size=n, p=outcome_p),
                "Context": "",
            })
            if not is_asb:  # ~1.5% of crimes are published with no location at all
                lost = rng.random(n) < 0.015
                frame.loc[lost, ["Longitude", "Latitude", "LSOA code", "LSOA name"]] = ""
                frame.loc[lost, "Location"] = "No location"
            frames.append(frame)
        records = pd.concat(frames, ignore_index=True)
        out[month.strftime("%Y-%m")] = records.iloc[rng.permutation(len(records))]
    return out


def write_archive(records: dict[str, pd.DataFrame], root: Path) -> None:
    """Write the months in the data.police.uk archive layout YYYY-MM/YYYY-MM-<force>-street.csv."""
    for month, frame in records.items():
        folder = root / month
        folder.mkdir(parents=True, exist_ok=True)
        frame.to_csv(folder / f"{month}-west-mercia-street.csv", index=False, columns=police_uk.EXPECTED_HEADER)


# Modules that load the seed reports' figures into the demo: each has load_demo(con) -> str,
# which loads its files from data/demo through its normal import path and says what it loaded.
SEED_LOADER_MODULES: list[str] = [
    "cspdash.ingest.grants",
    "cspdash.ingest.priorities",
    "cspdash.ingest.consultations",
]


def build(target: Path | None = None, progress: Callable[[str], None] | None = None) -> Path:
    """Build the demo database at target (default: the configured database), replacing an old demo."""
    say = progress or (lambda _m: None)
    target = config.db_path(target)
    if storage.is_snapshot(target):
        raise storage.read_only_error(target)
    if target.exists() and not _is_demo(target):
        raise InputError(target, "holds data you loaded, not the demo; choose another file with --db")
    target.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    area = pd.read_csv(config.DEMO_DIR / "demo_area.csv")
    mix = pd.read_csv(config.DEMO_DIR / "crime_mix.csv")
    say("making synthetic West Mercia street records (36 months)")
    lsoas, points = build_geography(rng, area)
    records = generate_records(rng, points, mix)
    with tempfile.TemporaryDirectory(prefix="cspdash-demo-") as tmp:
        tmp = Path(tmp)
        write_archive(records, tmp / "archive")
        pop = lsoas[["lsoa_code", "lsoa_name", "population"]].rename(columns={
            "lsoa_code": "LSOA Code", "lsoa_name": "LSOA Name", "population": "Mid-2022 population"})
        pop.to_csv(tmp / "demo-lsoa-population-mid-2022.csv", index=False)
        building = target.with_name(target.name + ".building")
        building.unlink(missing_ok=True)
        con = db.connect(building)
        say("loading them through the data.police.uk ingest path")
        result = police_uk.ingest(con, [tmp / "archive"], progress=say)
        geography.load(con, tmp / "demo-lsoa-population-mid-2022.csv")
        geography.load(con, config.DEMO_DIR / "partnerships.csv")
        for module in SEED_LOADER_MODULES:
            say(importlib.import_module(module).load_demo(con))
        sql.run(con.cursor(), "build/mark_demo", built_at=datetime.now().isoformat(timespec="seconds"))
        con.execute("CHECKPOINT")
        db.close(building)
    db.close(target)
    os.replace(building, target)
    Path(str(building) + ".wal").unlink(missing_ok=True)
    say(f"demo ready: {result.rows:,} records in {target}")
    return target


def _is_demo(path: Path) -> bool:
    import duckdb

    try:
        with duckdb.connect(str(path), read_only=True) as con:
            row = sql.run(con, "app/meta_value", key="demo").fetchone()
            return bool(row and row[0] == "synthetic")
    except duckdb.Error:
        return False
