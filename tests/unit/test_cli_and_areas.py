"""The command line: exit codes, one-line errors, and areas by force, partnership or district."""

from __future__ import annotations

import pytest

from cspdash import areas, db
from cspdash.cli import main
from cspdash.errors import InputError
from cspdash.ingest import geography, police_uk
from tests.unit.street_files import realistic_rows, row, write


@pytest.fixture
def loaded(tmp_path):
    path = tmp_path / "t.duckdb"
    con = db.connect(path)
    rows = realistic_rows() + [row(name="Bromsgrove 002B", crime_id=f"b{i}") for i in range(4)]
    police_uk.ingest(con, [write(tmp_path / "2024-01-test-street.csv", rows)])
    (tmp_path / "p.csv").write_text("partnership,district\nNorth Worcestershire,Bromsgrove\nNorth Worcestershire,Redditch\n")
    geography.load(con, tmp_path / "p.csv")
    db.close(path)
    yield path
    db.close_all()


def test_ingest_bad_file_exits_2_with_one_line(tmp_path, capsys):
    bad = write(tmp_path / "2024-01-x-street.csv", [row(month="2024-99")])
    code = main(["ingest", "--db", str(tmp_path / "t.duckdb"), str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "2024-01-x-street.csv:2:" in err and "Traceback" not in err


def test_ingest_then_overview_csv(tmp_path, capsys, loaded):
    assert main(["overview", "--db", str(loaded), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("measure,last_12,previous_12,change_pct")
    assert out[1].startswith("Crime (excluding ASB),8.0")


def test_overview_missing_database_is_one_line(tmp_path, capsys):
    assert main(["overview", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no database here yet" in capsys.readouterr().err


def test_areas_resolve_force_partnership_district(loaded):
    cur = db.connect(loaded, read_only=True).cursor()
    assert areas.resolve(cur, "test police").force == "Test Police"
    part = areas.resolve(cur, "North Worcestershire")
    assert part.kind == "partnership" and part.districts == ("Bromsgrove", "Redditch")
    assert areas.resolve(cur, "Herefordshire, County of").districts == ("Herefordshire, County of",)
    with pytest.raises(InputError, match="no area named"):
        areas.resolve(cur, "Atlantis")


def test_unknown_area_exits_2(loaded, capsys):
    assert main(["overview", "--db", str(loaded), "--area", "Atlantis"]) == 2
    assert "no area named 'Atlantis'" in capsys.readouterr().err


def test_district_overview_counts(loaded, capsys):
    assert main(["overview", "--db", str(loaded), "--area", "Bromsgrove", "--format", "json"]) == 0
    assert '"last_12":4.0' in capsys.readouterr().out.replace(" ", "")


def test_stray_records_from_another_force_do_not_cover_a_districts_missing_months(tmp_path):
    from cspdash.reports.overview import months_covered

    path = tmp_path / "s.duckdb"
    con = db.connect(path)
    home = [row(name="Bromsgrove 002B", crime_id=f"b{i}") for i in range(20)]
    police_uk.ingest(con, [write(tmp_path / "2024-01-wm-street.csv", home),
                           # a neighbouring force published 2024-02 with one record in Bromsgrove
                           write(tmp_path / "2024-02-other-street.csv",
                                 [row(month="2024-02", force="Other Police", name="Bromsgrove 002B", crime_id="s1")] * 1)])
    cur = con.cursor()
    covered = months_covered(cur, areas.resolve(cur, "Bromsgrove"))
    assert [m.isoformat() for m in covered] == ["2024-01-01"]
    db.close_all()
