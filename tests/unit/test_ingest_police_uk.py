"""Ingest of data.police.uk street files: real-file quirks, idempotence, and refusals."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cspdash import db
from cspdash.errors import InputError
from cspdash.ingest import police_uk
from tests.unit.street_files import HEADER, realistic_rows, row, write


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "t.duckdb")
    yield connection
    db.close(tmp_path / "t.duckdb")


def counts(con) -> tuple:
    return (con.execute("SELECT count(*) FROM crimes").fetchone()[0],
            con.execute("SELECT count(*) FROM coverage").fetchone()[0],
            con.execute("SELECT count(*) FROM crime_monthly").fetchone()[0] if con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'crime_monthly'").fetchone()[0] else 0,
            con.execute("SELECT count(*) FROM load_log").fetchone()[0])


def test_real_file_quirks_are_all_kept(con, tmp_path):
    f = write(tmp_path / "2024-01-test-street.csv", realistic_rows(), bom=True, crlf=True)
    result = police_uk.ingest(con, [f])
    assert result.rows == 5 and result.rows_without_location == 1
    got = dict(con.execute("SELECT crime_id, district FROM crimes WHERE crime_id IS NOT NULL").fetchall())
    assert got["c1"] == "Herefordshire, County of"
    assert got["c2"] == "King's Lynn and West Norfolk"
    asb = con.execute("SELECT crime_id, last_outcome FROM crimes WHERE crime_type = 'Anti-social behaviour'").fetchall()
    assert asb == [(None, None)]


# The district is the LSOA name less its trailing code (' 001A' after any whitespace); names not
# ending in a code are kept whole.
DISTRICT_NAMES = {
    "Leeds 001A": "Leeds",
    "Leeds  001A": "Leeds",             # two spaces
    "Leeds\t001A": "Leeds",            # a tab
    "Leeds 001a": "Leeds 001a",         # lower-case letter: not a code
    "Leeds 01A": "Leeds 01A",           # two digits: not a code
    "Leeds001A": "Leeds001A",           # no space: not a code
    "X 1234A": "X 1234A",               # four digits: not a code
    "Ynys Môn 003B": "Ynys Môn",        # a multi-byte character before the code
    "001A": "001A",                     # nothing before the code: kept whole
}


@pytest.mark.parametrize("name", sorted(DISTRICT_NAMES))
def test_district_is_the_lsoa_name_less_its_code(con, tmp_path, name):
    police_uk.ingest(con, [write(tmp_path / "2024-01-test-street.csv", [row(name=name)])])
    assert con.execute("SELECT district FROM crimes").fetchone()[0] == DISTRICT_NAMES[name]


# Values at the edges of sound still load, and those just past them are refused with the check's
# own words and their line.
EDGE_VALUES = {
    "first month": (dict(month="2008-01"), None),
    "last month": (dict(month="2100-12"), None),
    "coordinates on the box": (dict(lon="2.0", lat="49.8"), None),
    "coordinates with spaces": (dict(lon=" -2.22", lat="52.19 "), None),
    "month before 2008": (dict(month="2007-12"), "out of range"),
    "month with a space": (dict(month=" 2024-01"), "is not YYYY-MM"),
    "month of one digit": (dict(month="2024-1"), "is not YYYY-MM"),
    "month zero": (dict(month="2024-00"), "out of range"),
    "longitude just east": (dict(lon="2.01"), "outside England"),
    "latitude missing": (dict(lat=""), "one of longitude/latitude"),
    "longitude nan": (dict(lon="nan"), "outside England"),
    "force blank": (dict(force=" "), "is empty"),
}


@pytest.mark.parametrize("case", sorted(EDGE_VALUES))
def test_records_at_the_edge_of_sound(con, tmp_path, case):
    values, refusal = EDGE_VALUES[case]
    path = write(tmp_path / "2024-01-test-street.csv", [row(), row(**values)])
    if refusal is None:
        assert police_uk.ingest(con, [path]).rows == 2
    else:
        with pytest.raises(InputError, match=refusal) as err:
            police_uk.ingest(con, [path])
        assert "2024-01-test-street.csv:3:" in err.value.one_line()


def test_old_categories_are_harmonised_with_the_original_kept(con, tmp_path):
    police_uk.ingest(con, [write(tmp_path / "2024-01-test-street.csv", realistic_rows())])
    pairs = dict(con.execute("SELECT crime_type_original, crime_type FROM crimes").fetchall())
    assert pairs["Violent crime"] == "Violence and sexual offences"
    assert pairs["Public disorder and weapons"] == "Public order"
    assert pairs["Shoplifting"] == "Shoplifting"


def test_month_date_and_british_national_grid_are_derived(con, tmp_path):
    police_uk.ingest(con, [write(tmp_path / "2024-01-test-street.csv", realistic_rows())])
    month, e, n, src = con.execute(
        "SELECT month, easting, northing, source_file FROM crimes WHERE crime_id = 'c5'").fetchone()
    assert str(month) == "2024-01-01"
    # Worcester city centre is about (385000, 254800) on the British National Grid.
    assert 383_000 < e < 387_000 and 253_000 < n < 257_000
    assert src.endswith("2024-01-test-street.csv")
    no_loc = con.execute("SELECT easting, lsoa_code FROM crimes WHERE crime_id = 'c4'").fetchone()
    assert no_loc == (None, None)


def test_loading_the_same_files_twice_changes_nothing(con, tmp_path):
    f = write(tmp_path / "2024-01-test-street.csv", realistic_rows())
    police_uk.ingest(con, [f])
    first = con.execute("SELECT crime_type, count(*) FROM crimes GROUP BY 1 ORDER BY 1").fetchall()
    police_uk.ingest(con, [f])
    assert con.execute("SELECT crime_type, count(*) FROM crimes GROUP BY 1 ORDER BY 1").fetchall() == first
    assert con.execute("SELECT count(*) FROM coverage").fetchone()[0] == 1


def test_a_force_month_loaded_again_is_replaced(con, tmp_path):
    police_uk.ingest(con, [write(tmp_path / "a" / "2024-01-test-street.csv", realistic_rows())])
    police_uk.ingest(con, [write(tmp_path / "b" / "2024-01-test-street.csv", [row(crime_id="only")])])
    assert con.execute("SELECT list(crime_id) FROM crimes").fetchone()[0] == ["only"]
    assert con.execute("SELECT rows FROM coverage").fetchone()[0] == 1


def test_several_forces_and_months_in_one_database(con, tmp_path):
    files = [write(tmp_path / f"{m}-{f.lower()}-street.csv", realistic_rows(m, f"{f} Police"))
             for m in ("2024-01", "2024-02") for f in ("Essex", "Norfolk")]
    police_uk.ingest(con, files)
    assert con.execute("SELECT count(*) FROM coverage").fetchone()[0] == 4
    assert con.execute("SELECT count(DISTINCT falls_within) FROM crimes").fetchone()[0] == 2


def test_archive_layout_loads_and_skips_other_files(con, tmp_path):
    archive = tmp_path / "2024-02.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for m in ("2024-01", "2024-02"):
            zf.writestr(f"{m}/{m}-test-street.csv", "\n".join([HEADER, *realistic_rows(m)]) + "\n")
            zf.writestr(f"{m}/{m}-test-outcomes.csv", "Crime ID,Month\n")
    result = police_uk.ingest(con, [archive])
    assert result.rows == 10 and len(result.skipped) == 2
    assert con.execute("SELECT source_file FROM coverage LIMIT 1").fetchone()[0].startswith(str(archive) + "!")


def test_folder_of_files_loads(con, tmp_path):
    for m in ("2024-01", "2024-02", "2024-03"):
        write(tmp_path / "dl" / m / f"{m}-test-street.csv", realistic_rows(m))
    assert police_uk.ingest(con, [tmp_path / "dl"]).files == 3


def _snapshot(con) -> dict:
    """Every warehouse row a street load writes (less the load time), in a comparable order."""
    queries = {t: f"SELECT * FROM {t}" for t in ("crimes", "points", "crime_monthly", "crime_district_monthly")}
    queries["coverage"] = "SELECT * EXCLUDE (loaded_at) FROM coverage"
    return {t: sorted(map(repr, con.execute(q).fetchall())) for t, q in queries.items()}


def test_a_load_in_many_batches_equals_one_batch(tmp_path, monkeypatch):
    """Each batch is staged outside the load's transaction; the warehouse must not see the seams."""
    files = [write(tmp_path / "dl" / m / f"{m}-{f.lower()}-street.csv", realistic_rows(m, f"{f} Police"))
             for m in ("2024-01", "2024-02") for f in ("Essex", "Norfolk")]
    whole = db.connect(tmp_path / "whole.duckdb")
    police_uk.ingest(whole, [tmp_path / "dl"])
    monkeypatch.setattr(police_uk, "BATCH_BYTES", 1)  # one file per batch
    batched = db.connect(tmp_path / "batched.duckdb")
    result = police_uk.ingest(batched, [tmp_path / "dl"])
    assert result.rows == 20 and len(result.force_months) == 4
    assert _snapshot(batched) == _snapshot(whole)
    assert batched.execute("SELECT count(*) FROM crimes").fetchone()[0] == 20


def test_a_bad_file_in_a_later_batch_leaves_nothing_of_the_earlier_ones(con, tmp_path, monkeypatch):
    monkeypatch.setattr(police_uk, "BATCH_BYTES", 1)
    before = _good_db(con, tmp_path)
    good = [write(tmp_path / "new" / f"2024-0{m}-test-street.csv", realistic_rows(f"2024-0{m}")) for m in (1, 2)]
    bad = write(tmp_path / "new" / "2024-03-test-street.csv", [row(month="2024-03"), row(month="2024-03", lat="10.0")])
    with pytest.raises(InputError, match="2024-03-test-street.csv:3:"):
        police_uk.ingest(con, [*good, bad])
    assert counts(con) == before


# --- refusals: one line naming the file and line, and the database exactly as it was -----------

def _good_db(con, tmp_path):
    police_uk.ingest(con, [write(tmp_path / "good" / "2023-12-test-street.csv", realistic_rows("2023-12"))])
    return counts(con)


BAD_CASES = {
    "wrong header": (lambda p: write(p, [row()], header="a,b,c"), 1, "header"),
    "too few fields": (lambda p: write(p, [row(), row(), "x,2024-01,Test Police"]), 4, "number of fields"),
    "too many fields": (lambda p: write(p, [row(), row() + ",extra"]), 3, "number of fields"),
    "month out of range": (lambda p: write(p, [row(), row(month="2024-13")]), 3, "out of range"),
    "month not a month": (lambda p: write(p, [row(month="Jan-24")]), 2, "YYYY-MM"),
    "latitude out of range": (lambda p: write(p, [row(), row(), row(lat="10.0")]), 4, "outside"),
    "longitude not a number": (lambda p: write(p, [row(lon="west")]), 2, "not a number"),
    "empty file": (lambda p: (p.parent.mkdir(parents=True, exist_ok=True), p.write_bytes(b""))[0] or p, 1, "empty"),
    "header only": (lambda p: write(p, []), 2, "no records"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_file_is_refused_whole_with_file_and_line(con, tmp_path, case):
    before = _good_db(con, tmp_path)
    make, line, words = BAD_CASES[case]
    good = write(tmp_path / "new" / "2024-01-test-street.csv", realistic_rows())
    bad = make(tmp_path / "new" / "2024-02-test-street.csv")
    with pytest.raises(InputError) as err:
        police_uk.ingest(con, [good, bad])
    message = err.value.one_line()
    assert f"2024-02-test-street.csv:{line}:" in message, message
    assert words in message
    assert "\n" not in message
    assert counts(con) == before  # the good file in the same call was not written either


def test_non_utf8_bytes_are_refused_with_their_line(con, tmp_path):
    before = _good_db(con, tmp_path)
    path = tmp_path / "2024-01-test-street.csv"
    text = "\n".join([HEADER, row(), row(location="On or near Caf\xe9 Street")]) + "\n"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError) as err:
        police_uk.ingest(con, [path])
    assert "2024-01-test-street.csv:3:" in str(err.value) and "UTF-8" in str(err.value)
    assert counts(con) == before


def test_missing_path_is_refused(con, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        police_uk.ingest(con, [tmp_path / "nope.zip"])


def test_zip_entry_escaping_the_archive_is_refused_and_never_written(con, tmp_path):
    before = _good_db(con, tmp_path)
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2024-01/2024-01-test-street.csv", "\n".join([HEADER, row()]) + "\n")
        zf.writestr("../../escaped-street.csv", "\n".join([HEADER, row()]) + "\n")
    with pytest.raises(InputError, match="outside the archive"):
        police_uk.ingest(con, [archive])
    assert not list(tmp_path.parent.rglob("escaped-street.csv"))
    assert counts(con) == before


def test_outcomes_file_given_directly_is_refused_by_its_header(con, tmp_path):
    path = write(tmp_path / "2024-01-test-outcomes.csv", ["x,2024-01,Test Police"],
                 header="Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type")
    with pytest.raises(InputError, match=r"outcomes.csv:1: header"):
        police_uk.ingest(con, [path])


def test_mart_stays_equal_to_a_full_count_after_loads_and_replacements(con, tmp_path):
    police_uk.ingest(con, [write(tmp_path / "a" / "2024-01-test-street.csv", realistic_rows()),
                           write(tmp_path / "a" / "2024-02-test-street.csv", realistic_rows("2024-02"))])
    police_uk.ingest(con, [write(tmp_path / "b" / "2024-01-test-street.csv", [row(crime_id="x"), row(crime_id="y")])])
    full = con.execute("SELECT month, crime_type, count(*) FROM crimes GROUP BY ALL ORDER BY ALL").fetchall()
    for mart_table in ("crime_monthly", "crime_district_monthly"):
        mart = con.execute(f"SELECT month, crime_type, sum(n) FROM {mart_table} GROUP BY ALL ORDER BY ALL").fetchall()
        assert mart == full, mart_table
        assert con.execute(f"SELECT sum(n) FROM {mart_table} WHERE month = '2024-01-01'").fetchone()[0] == 2


def test_a_schema_1_database_gets_its_district_mart_filled_from_the_lsoa_mart(con, tmp_path):
    police_uk.ingest(con, [write(tmp_path / "a" / "2024-01-test-street.csv", realistic_rows())])
    expected = con.execute("SELECT district, crime_type, sum(n) FROM crime_district_monthly GROUP BY ALL ORDER BY ALL").fetchall()
    con.execute("DELETE FROM crime_district_monthly")  # as a database built before the mart existed
    db.ensure_schema(con)
    assert con.execute("SELECT district, crime_type, sum(n) FROM crime_district_monthly GROUP BY ALL ORDER BY ALL").fetchall() == expected
    db.ensure_schema(con)  # idempotent: a second pass adds nothing
    assert con.execute("SELECT district, crime_type, sum(n) FROM crime_district_monthly GROUP BY ALL ORDER BY ALL").fetchall() == expected


def test_a_schema_1_file_opened_read_only_is_upgraded_once_and_reads_the_same(tmp_path):
    path = tmp_path / "old.duckdb"
    con = db.connect(path)
    police_uk.ingest(con, [write(tmp_path / "a" / "2024-01-test-street.csv", realistic_rows())])
    expected = con.execute("SELECT district, sum(n) FROM crime_district_monthly GROUP BY ALL ORDER BY ALL").fetchall()
    con.execute("DROP TABLE crime_district_monthly")  # as the first release wrote it
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    db.close(path)
    reader = db.connect(path, read_only=True)
    assert reader.execute("SELECT district, sum(n) FROM crime_district_monthly GROUP BY ALL ORDER BY ALL").fetchall() == expected
    assert reader.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(db.SCHEMA_VERSION)
    db.close(path)
