"""Grants in the database: import (tidy, 360Giving CSV and JSON, stated totals) through the CLI,
idempotence and replacement, refused files, and the funding report's figures."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from cspdash import db
from cspdash.cli import main
from cspdash.ingest import grants
from cspdash.reports import funding
from tests.conftest import realdata

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "grants"
DEMO = REPO / "data" / "demo"
TIDY_HEADER = "financial_year,funder,recipient,stream,amount_gbp,status,source\n"


@pytest.fixture
def dbfile(tmp_path):
    path = tmp_path / "grants.duckdb"
    yield path
    db.close(path)


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def snapshot(path: Path) -> tuple[list, list, int]:
    con = db.connect(path)
    flows = con.execute("SELECT * EXCLUDE (loaded_at) FROM grant_flows ORDER BY grant_key").fetchall()
    totals = con.execute("SELECT * EXCLUDE (loaded_at) FROM grant_stated_totals ORDER BY ALL").fetchall()
    loads = con.execute("SELECT count(*) FROM load_log").fetchone()[0]
    return flows, totals, loads


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


# --- import through the command line ---------------------------------------------------------


def test_tidy_and_stated_totals_import_and_twice_changes_nothing(dbfile, capsys):
    code, out, _ = cli(capsys, "grants", "import", str(DEMO / "grant_flows.csv"),
                       str(DEMO / "grant_stated_totals.csv"), "--db", str(dbfile))
    assert code == 0
    assert "191 grants read; 191 added" in out and "5 stated totals read; 5 added" in out
    before = snapshot(dbfile)
    assert len(before[0]) == 191 and len(before[1]) == 5 and before[2] == 2
    code, out, _ = cli(capsys, "grants", "import", str(DEMO / "grant_flows.csv"),
                       str(DEMO / "grant_stated_totals.csv"), "--db", str(dbfile))
    assert code == 0 and out.count("nothing changed") == 2
    assert snapshot(dbfile) == before  # same rows, and no new load-log line either


def test_unknown_amounts_are_null_not_zero(dbfile):
    con = db.connect(dbfile)
    grants.load(con, DEMO / "grant_flows.csv")
    nulls = con.execute("SELECT count(*) FROM grant_flows WHERE amount_gbp IS NULL").fetchone()[0]
    zeros = con.execute("SELECT count(*) FROM grant_flows WHERE amount_gbp = 0").fetchone()[0]
    assert nulls == 4 and zeros == 1  # four TBC cells; capital funding 2011-12 really was £0


@pytest.mark.parametrize("name", ["giving_small.csv", "giving_small.json"])
def test_360giving_import_through_the_cli(dbfile, capsys, name):
    code, out, _ = cli(capsys, "grants", "import", str(FIXTURES / name), "--db", str(dbfile))
    assert code == 0 and "added" in out
    expected = grants.read_grants(FIXTURES / name)
    con = db.connect(dbfile)
    stored = con.execute("SELECT grant_key, financial_year, amount_gbp, identifier FROM grant_flows "
                         "ORDER BY grant_key").df()
    assert stored["grant_key"].tolist() == sorted(expected["grant_key"])
    assert stored["amount_gbp"].sum() == pytest.approx(expected["amount_gbp"].sum())
    assert stored["identifier"].notna().all()
    before = snapshot(dbfile)
    assert cli(capsys, "grants", "import", str(FIXTURES / name), "--db", str(dbfile))[1].startswith(
        f"{name}: nothing changed")
    assert snapshot(dbfile) == before


def test_360giving_identifier_with_new_content_replaces(dbfile, tmp_path):
    con = db.connect(dbfile)
    header = "Identifier,Currency,Amount Awarded,Award Date,Funding Org:Name,Recipient Org:Name\n"
    grants.load(con, write(tmp_path, "a.csv", header + "360G-x-1,GBP,100,2020-05-01,Fund,CSP\n"
                                                      "360G-x-2,GBP,50,2020-05-01,Fund,CSP\n"))
    result = grants.load(con, write(tmp_path, "b.csv", header + "360G-x-1,GBP,120,2020-05-01,Fund,CSP\n"))
    assert (result.added, result.replaced, result.removed) == (0, 1, 0)
    rows = dict(con.execute("SELECT grant_key, amount_gbp FROM grant_flows").fetchall())
    assert rows == {"360G-x-1": 120.0, "360G-x-2": 50.0}  # a partial file removes nothing


def test_provisional_made_actual_replaces_the_source_year(dbfile, tmp_path):
    # Decision: a tidy file is the whole truth for each (source, financial year) it holds. A
    # provisional figure later published as actual has new content (a new key); the old row of
    # the same source and year is removed so the year is not counted twice. Other years stay.
    con = db.connect(dbfile)
    grants.load(con, write(tmp_path, "v1.csv", TIDY_HEADER +
                           "2011-12,PCC,CSP A,Grant,900,actual,Report\n"
                           "2012-13,PCC,CSP A,Grant,1000,provisional,Report\n"
                           "2012-13,PCC,CSP B,Grant,,provisional,Report\n"
                           "2012-13,PCC,CSP A,Grant,7,actual,Other report\n"))
    result = grants.load(con, write(tmp_path, "v2.csv", TIDY_HEADER +
                                    "2012-13,PCC,CSP A,Grant,1010,actual,Report\n"
                                    "2012-13,PCC,CSP B,Grant,400,actual,Report\n"))
    assert (result.added, result.replaced, result.removed) == (2, 0, 2)
    rows = con.execute("SELECT financial_year, recipient, amount_gbp, status, source FROM grant_flows "
                       "ORDER BY ALL").fetchall()
    assert rows == [
        ("2011-12", "CSP A", 900.0, "actual", "Report"),          # another year: untouched
        ("2012-13", "CSP A", 7.0, "actual", "Other report"),      # another source: untouched
        ("2012-13", "CSP A", 1010.0, "actual", "Report"),
        ("2012-13", "CSP B", 400.0, "actual", "Report"),
    ]


def test_stated_total_with_a_new_figure_replaces(dbfile, tmp_path):
    con = db.connect(dbfile)
    head = "source,financial_year,scope,stated_gbp\n"
    grants.load(con, write(tmp_path, "t1.csv", head + "R,2010-11,Income,707000\n"))
    result = grants.load(con, write(tmp_path, "t2.csv", head + "R,2010-11,Income,707753\n"))
    assert result.added == 1
    assert con.execute("SELECT stated_gbp FROM grant_stated_totals").fetchall() == [(707753.0,)]


@pytest.mark.parametrize("body, line, words", [
    (TIDY_HEADER + "2010-11,HO,CSP,S,5,actual,R\n2010-11,HO,CSP,S,12x,actual,R\n", 3, "not an amount"),
    (TIDY_HEADER + "2010-11,HO,CSP,S,5,actual,R\n2010-12,HO,CSP,S,5,actual,R\n", 3, "financial year"),
    ("source,financial_year,scope,stated_gbp\nR,2010-11,Income,\n", 2, "stated_gbp is empty"),
])
def test_refused_file_exits_2_with_one_line_and_leaves_the_db_unchanged(dbfile, capsys, tmp_path, body, line, words):
    assert cli(capsys, "grants", "import", str(DEMO / "grant_flows.csv"), str(DEMO / "grant_stated_totals.csv"),
               "--db", str(dbfile))[0] == 0
    before = snapshot(dbfile)
    bad = write(tmp_path, "bad.csv", body)
    code, out, err = cli(capsys, "grants", "import", str(bad), "--db", str(dbfile))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {bad}:{line}: ") and words in err
    assert snapshot(dbfile) == before


def test_a_bad_json_file_is_refused(dbfile, capsys, tmp_path):
    bad = write(tmp_path, "bad.json", '{"grants": [\n {"id": "360G-a", "currency": "GBP"\n]}\n')
    code, _, err = cli(capsys, "grants", "import", str(bad), "--db", str(dbfile))
    assert code == 2 and err.startswith(f"error: {bad}:3: ") and err.count("\n") == 1


# --- the report and the CLI's figures on the demo files --------------------------------------


@pytest.fixture
def demo_grants(dbfile):
    con = db.connect(dbfile)
    for name in grants.DEMO_FILES:
        grants.load(con, DEMO / name)
    return dbfile


def test_trend_cli_columns_exactly(demo_grants, capsys):
    code, out, _ = cli(capsys, "grants", "trend", "--by", "recipient", "--funder", "home office",
                       "--format", "csv", "--db", str(demo_grants))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["financial_year", "group", "amount", "change_pct"]
    norfolk = [r for r in rows if r["group"] == "Norfolk CSP"]
    assert [(r["financial_year"], float(r["amount"])) for r in norfolk] == [
        ("2010-11", 898190.0), ("2011-12", 718552.0), ("2012-13", 363502.0)]
    assert norfolk[0]["change_pct"] == "" and float(norfolk[1]["change_pct"]) == -20.0


def test_trend_keeps_a_tbc_only_total_unknown(demo_grants, capsys):
    code, out, _ = cli(capsys, "grants", "trend", "--by", "funder", "--format", "csv", "--db", str(demo_grants))
    rows = {(r["financial_year"], r["group"]): r for r in csv.DictReader(io.StringIO(out))}
    tbc = rows[("2012-13", "Worcestershire County Council community safety budget")]
    assert tbc["amount"] == "" and tbc["change_pct"] == ""  # unknown, not zero
    assert float(rows[("2012-13", "Worcestershire County Council")]["amount"]) == 275383.0


def test_real_terms_trend_and_the_norwich_sentence(demo_grants, capsys):
    code, out, _ = cli(capsys, "grants", "trend", "--funder", "Home Office", "--recipient", "Norfolk CSP",
                       "--real", "--format", "csv", "--db", str(demo_grants))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert float(rows[0]["amount"]) == pytest.approx(898190 * 100 / 68.8561, abs=0.01)
    code, out, _ = cli(capsys, "grants", "change", "--year", "2012-13", "--baseline", "2010-11",
                       "--funder", "Home Office", "--recipient", "Norfolk CSP", "--db", str(demo_grants))
    assert out.startswith("2012-13 is 60% below 2010-11 in cash, 61% in real terms (2024-25 prices).")


def test_a_base_year_outside_the_deflator_table_exits_2(demo_grants, capsys):
    code, _, err = cli(capsys, "grants", "trend", "--real", "--base-year", "1990-91", "--db", str(demo_grants))
    assert code == 2 and "no GDP deflator for 1990-91" in err and err.count("\n") == 1


def test_reconciliation_through_the_report(demo_grants):
    cur = db.connect(demo_grants).cursor()
    result = funding.reconciliation(cur)
    rows = result.table.set_index(["financial_year", "scope"])
    spend = rows.loc[("2010-11", "Worcestershire expenditure")]
    assert (spend["stated"], spend["sum_of_parts"], spend["gap"]) == (707000, 707753, 753)
    assert spend["result"] == "gap"
    split = rows.loc[("2012-13", "Worcestershire Community Safety Fund split between CSPs (provisional)")]
    assert split["gap"] == 383 and split["flag"]
    assert result.sentences()[0] == "2 of 5 stated totals do not match the sum of their parts."


def test_reconcile_cli(demo_grants, capsys):
    code, out, _ = cli(capsys, "grants", "reconcile", "--format", "csv", "--db", str(demo_grants))
    frame = pd.read_csv(io.StringIO(out))
    assert code == 0 and frame["gap"].tolist().count(753) == 1


def test_sankey_through_the_report(demo_grants):
    links = funding.sankey(db.connect(demo_grants).cursor(), "2016-17")
    pcc = links[links["source"] == "West Mercia PCC"]
    assert pcc.set_index("target")["value"].to_dict()["Herefordshire CSP"] == 80000
    hereford = links[links["source"] == "Herefordshire CSP"]
    assert hereford["value"].sum() == 80000 and len(hereford) == 4


def test_export_round_trips_through_the_cli(demo_grants, capsys, tmp_path):
    code, out, err = cli(capsys, "grants", "export", "--funder", "Worcestershire County Council",
                         "--db", str(demo_grants))
    assert code == 0 and "left out 3 flow(s)" in err  # the TBC allocations are not awards
    exported = write(tmp_path, "export.csv", out)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 18 and {r["Funding Org:Name"] for r in rows} == {"Worcestershire County Council"}
    before = snapshot(demo_grants)
    code, out, _ = cli(capsys, "grants", "import", str(exported), "--db", str(demo_grants))
    assert "nothing changed" in out and snapshot(demo_grants) == before


# --- allocation what-if (needs from the database) --------------------------------------------


@pytest.fixture
def needs_db(demo_grants, tmp_path):
    """Demo grants plus partnerships, population and a few months of crime for two districts."""
    con = db.connect(demo_grants)
    from cspdash.ingest import geography

    geography.load(con, DEMO / "partnerships.csv")
    with db.transaction(con) as cur:
        cur.execute("INSERT INTO areas (lsoa_code, lsoa_name, district, population) VALUES "
                    "('E1', 'Worcester 001A', 'Worcester', 60000), ('E2', 'Bromsgrove 001A', 'Bromsgrove', 30000), "
                    "('E3', 'Redditch 001A', 'Redditch', 30000), ('E4', 'Herefordshire, County of 001A', "
                    "'Herefordshire, County of', 80000)")
        cur.execute("""INSERT INTO crime_district_monthly BY NAME SELECT 'F' AS reported_by, * FROM (VALUES
            ('F', 'Worcester', DATE '2025-06-01', 'Burglary', 90, 0),
            ('F', 'Worcester', DATE '2025-06-01', 'Anti-social behaviour', 30, 0),
            ('F', 'Bromsgrove', DATE '2025-06-01', 'Burglary', 60, 0),
            ('F', 'Redditch', DATE '2024-01-01', 'Burglary', 500, 0),
            ('F', 'Herefordshire, County of', DATE '2025-06-01', 'Anti-social behaviour', 10, 0))
            t(falls_within, district, month, crime_type, n, n_without_location)""")
    return demo_grants


def test_allocation_shares_sum_to_the_pot_through_the_report(needs_db):
    from datetime import date

    cur = db.connect(needs_db).cursor()
    result = funding.allocation(cur, "2016-17", "West Mercia PCC", {"population": 50, "crime": 30, "asb": 20},
                                to_month=date(2025, 12, 1))
    assert result.problem is None
    table = result.table.set_index("recipient")
    assert result.pot == 313000 and table["formula_gbp"].sum() == 313000
    assert table["formula_share"].sum() == pytest.approx(1.0)
    north = table.loc["North Worcestershire CSP"]
    assert north["matched_area"] == "North Worcestershire (partnership)"
    # Bromsgrove + Redditch + Wyre Forest; Redditch's 2024 burglaries fall outside the 12 months.
    assert (north["population"], north["crime"], north["asb"]) == (60000, 60, 0)
    assert table.loc["South Worcestershire CSP", "population"] == 60000
    assert table.loc["Herefordshire CSP", "actual_gbp"] == 80000
    expected = 313000 * (0.5 * 60000 / 200000 + 0.3 * 60 / 150 + 0.2 * 0 / 40)
    assert abs(north["formula_gbp"] - expected) <= 1
    assert (table["difference_gbp"] == table["actual_gbp"] - table["formula_gbp"]).all()


def test_allocation_of_an_older_pot_uses_partnerships_as_they_were(needs_db, capsys):
    code, out, _ = cli(capsys, "grants", "allocate", "--funder", "Worcestershire County Council", "--year", "2010-11",
                       "--to", "2025-12", "--pot", "100000", "--format", "csv", "--db", str(needs_db))
    assert code == 0
    frame = pd.read_csv(io.StringIO(out)).set_index("recipient")
    assert frame.loc["Bromsgrove CSP", "matched_area"] == "Bromsgrove (partnership)"
    assert frame.loc["Bromsgrove CSP", "population"] == 30000  # Bromsgrove alone in 2010-11
    assert frame["formula_gbp"].sum() == 100000
    # Wyre Forest CSP matches a partnership, but nothing is loaded for its district.
    assert "Wyre Forest CSP" not in frame.index
    result = funding.allocation(db.connect(needs_db).cursor(), "2010-11", "Worcestershire County Council",
                                {"population": 1}, to_month=None)
    assert result.unmatched == ["Drug and Alcohol Action Team", "SCB Commissioning", "WCC Community Safety Team"]
    assert result.no_data == ["Wyre Forest CSP"]
    assert math.isclose(result.left_out_gbp, 89000 + 32975 + 35000 + 102995)
    assert any("left out" in s for s in result.sentences())


def test_allocation_problems_are_one_line(needs_db, capsys):
    code, _, err = cli(capsys, "grants", "allocate", "--funder", "Home Office", "--year", "2011-12",
                       "--db", str(needs_db))
    assert code == 2 and "could be matched" in err and err.count("\n") == 1
    code, _, err = cli(capsys, "grants", "allocate", "--funder", "West Mercia PCC", "--year", "2016-17",
                       "--population", "0", "--crime", "0", "--asb", "0", "--db", str(needs_db))
    assert code == 2 and "at least one" in err


@pytest.mark.parametrize("name, expected", [
    ("North Worcestershire CSP", "north worcestershire"),
    ("Herefordshire, County of", "herefordshire"),
    ("King’s Lynn & West Norfolk Community Safety Partnership", "kings lynn and west norfolk"),
    ("Worcester City Council", "worcester"),
])
def test_match_name(name, expected):
    assert funding.match_name(name) == expected


# --- real 360Giving publications (skipped without ../shared) ---------------------------------


@pytest.mark.parametrize("name, count, total_m", [
    ("IndigoTrust_360giving.csv", 269, 8.05),
    ("LloydsBankFoundation_360giving_a002400000OiDBQAA3.json", 4116, 115.8),
])
def test_real_360giving_files_import_through_the_cli(dbfile, capsys, name, count, total_m):
    path = realdata("grants_360giving", name)
    code, out, _ = cli(capsys, "grants", "import", str(path), "--db", str(dbfile))
    assert code == 0 and f"{count:,} grants read; {count:,} added" in out
    con = db.connect(dbfile)
    n, total = con.execute("SELECT count(*), sum(amount_gbp) FROM grant_flows").fetchone()
    assert n == count and round(total / 1e6, 2 if total_m < 10 else 1) == total_m
    code, out, _ = cli(capsys, "grants", "trend", "--format", "csv", "--db", str(dbfile))
    trend = pd.read_csv(io.StringIO(out))
    assert trend["amount"].sum() == pytest.approx(total)
    assert cli(capsys, "grants", "import", str(path), "--db", str(dbfile))[1].startswith(f"{name}: nothing changed")
