"""The demo database: built by the real ingest path, realistic in volume and shape, deterministic."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from cspdash import config, demo
from cspdash.errors import InputError


@pytest.fixture(scope="module")
def demo_con(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


def test_demo_has_36_months_of_about_8000_records(demo_con):
    months = demo_con.execute("SELECT count(*), min(rows), max(rows) FROM coverage").fetchone()
    assert months[0] == 36
    assert 6000 < months[1] and months[2] < 10000


def test_demo_is_marked_synthetic_and_has_no_location_rows(demo_con):
    assert demo_con.execute("SELECT value FROM meta WHERE key = 'demo'").fetchone()[0] == "synthetic"
    no_loc = demo_con.execute("SELECT count(*) FROM crimes WHERE lon IS NULL").fetchone()[0]
    total = demo_con.execute("SELECT count(*) FROM crimes").fetchone()[0]
    assert 0.005 < no_loc / total < 0.03


def test_demo_records_concentrate_on_shared_snap_points(demo_con):
    points, located = demo_con.execute("SELECT count(DISTINCT (lon, lat)), count(lon) FROM crimes").fetchone()
    assert located / points > 10  # many records per anonymous point, as on police.uk
    shares = demo_con.execute(
        "SELECT n FROM (SELECT lon, lat, count(*) n FROM crimes WHERE lon IS NOT NULL GROUP BY ALL) ORDER BY n DESC").df()["n"]
    top5 = shares.head(int(len(shares) * 0.05)).sum() / shares.sum()
    assert top5 > 0.2  # the law of crime concentration holds in the demo


def test_demo_covers_the_seven_districts_and_their_partnerships(demo_con):
    districts = {r[0] for r in demo_con.execute("SELECT DISTINCT district FROM crimes WHERE district IS NOT NULL").fetchall()}
    assert districts == {"Worcester", "Wychavon", "Malvern Hills", "Bromsgrove", "Redditch", "Wyre Forest", "Herefordshire, County of"}
    assert demo_con.execute("SELECT count(*) FROM areas WHERE population > 0").fetchone()[0] > 400


def test_demo_crime_mix_is_realistic(demo_con):
    mix = demo_con.execute("SELECT crime_type, count(*) / sum(count(*)) OVER () AS share FROM crimes GROUP BY 1").df()
    share = dict(zip(mix["crime_type"], mix["share"]))
    assert 0.25 < share["Violence and sexual offences"] < 0.36
    assert 0.16 < share["Anti-social behaviour"] < 0.28
    assert len(share) == 14


def test_demo_generator_is_deterministic():
    area = pd.read_csv(config.DEMO_DIR / "demo_area.csv")
    a = demo.build_geography(np.random.default_rng(1), area)[1]
    b = demo.build_geography(np.random.default_rng(1), area)[1]
    pd.testing.assert_frame_equal(a, b)


def test_demo_refuses_to_overwrite_real_data(tmp_path):
    from cspdash import db

    path = tmp_path / "mine.duckdb"
    db.connect(path)
    db.close(path)
    with pytest.raises(InputError, match="not the demo"):
        demo.build(path)
