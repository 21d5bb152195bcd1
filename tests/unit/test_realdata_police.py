"""Against reality: real data.police.uk files load with every row kept (skipped without ../shared)."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from cspdash import db
from cspdash.ingest import police_uk
from tests.conftest import realdata


def _count_districts(folder) -> Counter:
    counts: Counter = Counter()
    for path in sorted(folder.glob("*-street.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for rec in csv.DictReader(fh):
                name = rec["LSOA name"].strip()
                counts[name.rsplit(" ", 1)[0] if name else None] += 1
    return counts


def test_essex_twelve_months_district_counts_match_the_files(tmp_path):
    folder = realdata("essex", "street")
    con = db.connect(tmp_path / "essex.duckdb")
    try:
        result = police_uk.ingest(con, [folder])
        assert result.rows == 199_298 and result.files == 12
        got = dict(con.execute("SELECT district, count(*) FROM crimes GROUP BY district").fetchall())
        assert got == dict(_count_districts(folder))
        months = [r[0].strftime("%Y-%m") for r in con.execute("SELECT month FROM coverage ORDER BY 1").fetchall()]
        assert "2018-08" not in months and len(months) == 12  # Essex's missing months stay missing
        again = police_uk.ingest(con, [folder])
        assert again.rows == 199_298
        assert con.execute("SELECT count(*) FROM crimes").fetchone()[0] == 199_298
    finally:
        db.close_all()


@pytest.mark.parametrize("force", ["city_of_london", "west_yorkshire", "cleveland", "west_mercia"])
def test_other_real_forces_load_every_row(tmp_path, force):
    folder = realdata(force, "street")
    expected = sum(sum(1 for _ in csv.reader(open(p, encoding="utf-8-sig"))) - 1 for p in folder.glob("*-street.csv"))
    con = db.connect(tmp_path / f"{force}.duckdb")
    try:
        assert police_uk.ingest(con, [folder]).rows == expected
    finally:
        db.close_all()
