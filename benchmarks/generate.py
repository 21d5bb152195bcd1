"""A generated data.police.uk archive at any scale, in the exact street-level layout.

Not the demo (which models one area carefully): this is fast and wide — many forces, many months,
a realistic type mix, records sharing snap points, ~1.5% without a location — for timing ingest
and queries. Deterministic for a given (rows, forces, months, seed).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from cspdash.ingest.police_uk import EXPECTED_HEADER

TYPES = pd.read_csv(Path(__file__).resolve().parent.parent / "data" / "demo" / "crime_mix.csv")
OUTCOMES = ["Investigation complete; no suspect identified", "Unable to prosecute suspect",
            "Under investigation", "Status update unavailable", "Awaiting court outcome"]


def generate(root: Path, rows: int, forces: int = 4, months: int = 12, seed: int = 7) -> list[Path]:
    """Write YYYY-MM/YYYY-MM-<force>-street.csv files totalling about `rows` records."""
    rng = np.random.default_rng(seed)
    per_file = max(1, rows // (forces * months))
    month_names = pd.date_range("2023-01-01", periods=months, freq="MS").strftime("%Y-%m")
    files = []
    for f in range(forces):
        force = f"Bench Force {f + 1:02d} Police"
        slug = force.lower().replace(" ", "-").removesuffix("-police")
        # Each force: ~40 districts of ~80 LSOAs, ~25 snap points per LSOA, spread over England.
        centre_lon, centre_lat = -2.5 + (f % 7) * 0.55, 51.0 + (f // 7) * 0.5
        n_points = 40 * 80 * 25 // max(1, forces // 4)
        p_lon = np.round(centre_lon + rng.normal(0, 0.12, n_points), 6)
        p_lat = np.round(centre_lat + rng.normal(0, 0.08, n_points), 6)
        p_lsoa = rng.integers(0, 3200, n_points)
        weights = rng.lognormal(0, 1.2, n_points)
        weights /= weights.sum()
        for month in month_names:
            idx = rng.choice(n_points, size=per_file, p=weights)
            types = rng.choice(TYPES["crime_type"].to_numpy(), size=per_file, p=(TYPES["share"] / TYPES["share"].sum()).to_numpy())
            asb = types == "Anti-social behaviour"
            lost = (~asb) & (rng.random(per_file) < 0.015)
            lsoa = p_lsoa[idx]
            frame = pd.DataFrame({
                "Crime ID": np.where(asb, "", [f"{seed}{f:02d}{month}{i:09d}" for i in range(per_file)]),
                "Month": month, "Reported by": force, "Falls within": force,
                "Longitude": np.where(lost, "", np.char.mod("%.6f", p_lon[idx])),
                "Latitude": np.where(lost, "", np.char.mod("%.6f", p_lat[idx])),
                "Location": np.where(lost, "No location", "On or near High Street"),
                "LSOA code": np.where(lost, "", np.char.add("E0", (1_000_000 + f * 4000 + lsoa).astype(str))),
                "LSOA name": np.where(lost, "", np.char.add(f"Bench District {f:02d}-", np.char.mod("%02d 001A", lsoa // 80))),
                "Crime type": types,
                "Last outcome category": np.where(asb, "", rng.choice(OUTCOMES, size=per_file)),
                "Context": "",
            })
            path = root / month / f"{month}-{slug}-street.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            frame.to_csv(path, index=False, columns=EXPECTED_HEADER)
            files.append(path)
    return files


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--forces", type=int, default=4)
    ap.add_argument("--months", type=int, default=12)
    a = ap.parse_args()
    print(f"{len(generate(a.root, a.rows, a.forces, a.months))} files written under {a.root}")
