"""Describing groups of squares (the beat sheet's squares, the stability places): the database sums each group's
places, crime types, district and months (queries/app/hotspots_group_breakdown.sql); checked on a tiny database
loaded through the real ingest path."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from cspdash import db
from cspdash.ingest import police_uk
from cspdash.reports import hotspots as report
from tests.unit.test_hotspots_report import FORCE, _record

A = (1600, 1000)  # two 250 m squares, not touching
B = (1603, 1000)


def _centre(square) -> tuple[float, float]:
    return square[0] * 250 + 125.0, square[1] * 250 + 125.0


@pytest.fixture
def groups_db(tmp_path):
    rng = np.random.default_rng(1)
    # (month, square, location, crime type, how many)
    planted = [
        ("2024-01", A, "On or near High Street", "Shoplifting", 3),
        ("2024-01", A, "On or near Market Place", "Anti-social behaviour", 3),  # ties High Street: by name
        ("2024-01", A, "on or near   Bridge St", "Burglary", 1),  # any case, any spaces
        ("2024-01", A, "No Location", "Burglary", 2),  # mapped, but names no place
        ("2024-04", A, "Station Road", "Drugs", 1),  # no prefix: the name as it is
        ("2024-02", B, "On or near Green Lane", "Burglary", 2),
    ]
    rows: dict[str, list] = {"2024-01": [], "2024-02": [], "2024-04": []}  # 2024-03 not published
    for month, square, location, kind, n in planted:
        east, north = _centre(square)
        rows[month] += [_record(rng, month, east, north, location, kind, "E01900001") for _ in range(n)]
    for month, found in rows.items():
        folder = tmp_path / "street" / month
        folder.mkdir(parents=True)
        pd.DataFrame(found, columns=police_uk.EXPECTED_HEADER).to_csv(folder / f"{month}-testshire-street.csv",
                                                                      index=False)
    path = tmp_path / "groups.duckdb"
    police_uk.ingest(db.connect(path), [tmp_path / "street"])
    db.close(path)
    yield db.connect(path, read_only=True).cursor()
    db.close(path)


def _groups(cur, cells: pd.DataFrame, by: str | None = "label") -> pd.DataFrame:
    area = report._area(cur, FORCE, None)
    first, last = date(2024, 1, 1), date(2024, 4, 1)
    covered = {pd.Timestamp(m) for m in report.months_covered(cur, area)}
    return report.group_cells(cur, report._filter(area, first, last, ()), cells, 250, first, last, covered, by=by)


def _cells(*rows) -> pd.DataFrame:
    return pd.DataFrame([{"col": sq[0], "row": sq[1], "lat": 52.0, "lon": -2.0, "count": 1.0, "label": label}
                         for sq, label in rows])


def test_each_group_is_described_from_its_own_records(groups_db):
    out = _groups(groups_db, _cells((A, "town"), (B, "lane")))
    town, lane = out.iloc[0], out.iloc[1]
    # Three commonest places, ties by name; the prefix and spaces gone; "No Location" is no place.
    assert town["place"] == "High Street, Market Place and Bridge St"
    assert town["records"] == 10  # every record in the square, "No Location" ones included
    assert town["crime_types"] == "Anti-social behaviour 3, Burglary 3, Shoplifting 3"
    assert town["district"] == "Testborough 0001"  # the LSOA name without its code (this fixture names no code)
    # A month per value; March was not published, so it is unknown, not zero.
    assert town["trend"] == [9.0, 0.0, None, 1.0]
    assert lane["place"] == "Green Lane" and lane["records"] == 2 and lane["trend"] == [0.0, 2.0, None, 0.0]
    assert town["squares"] == 1 and town["cells"] == [A]


def test_a_square_in_two_groups_counts_in_both_and_an_empty_group_says_so(groups_db):
    empty = (1700, 1100)
    out = _groups(groups_db, _cells((A, "persistent"), (A, "emerging"), (empty, "fading")))
    assert out["label"].tolist() == ["persistent", "emerging", "fading"]
    assert out["records"].tolist() == [10, 10, 0]
    nothing = out.iloc[2]
    assert nothing["place"] == "(no street names published)" and nothing["district"] == ""
    assert nothing["crime_types"] == "" and nothing["trend"] == [0.0, 0.0, None, 0.0]


def test_touching_squares_are_one_group(groups_db):
    beside = (A[0] + 1, A[1] + 1)  # corner to corner
    out = _groups(groups_db, _cells((A, "x"), (beside, "x"), (B, "x")))
    assert len(out) == 2 and sorted(out["squares"]) == [1, 2]
