"""Population, lookups and hand-made partnerships (including merges over time)."""

from __future__ import annotations

import pytest

from cspdash import db
from cspdash.errors import InputError
from cspdash.ingest import geography
from tests.conftest import realdata


@pytest.fixture
def con(tmp_path):
    c = db.connect(tmp_path / "g.duckdb")
    yield c
    db.close_all()


def test_population_csv_with_thousands_separators(con, tmp_path):
    f = tmp_path / "pop.csv"
    f.write_text('LSOA Code,LSOA Name,Mid-2018 population\nE01000001,City of London 001A,"1,563"\nE01000002,City of London 001B,1200\n')
    assert geography.load(con, f) == ("population", 2)
    assert con.execute("SELECT population, district, population_year FROM areas ORDER BY 1 DESC").fetchall()[0] == (1563.0, "City of London", 2018)


def test_population_bad_value_names_the_line(con, tmp_path):
    f = tmp_path / "pop.csv"
    f.write_text("LSOA Code,LSOA Name,Mid-2018 population\nE01000001,A 001A,100\nE01000002,A 001B,lots\n")
    with pytest.raises(InputError, match=r"pop.csv:3: population 'lots'"):
        geography.load(con, f)
    assert con.execute("SELECT count(*) FROM areas").fetchone()[0] == 0


def test_partnerships_with_merges_and_reload_is_idempotent(con, tmp_path):
    f = tmp_path / "partnerships.csv"
    f.write_text("partnership,district,valid_from,valid_to\nBromsgrove,Bromsgrove,,2012-03-31\n"
                 "North Worcestershire,Bromsgrove,2012-04-01,\nNorth Worcestershire,Redditch,2012-04-01,\n")
    geography.load(con, f)
    geography.load(con, f)
    assert con.execute("SELECT count(*) FROM partnerships").fetchone()[0] == 3


def test_partnership_bad_date_names_the_line(con, tmp_path):
    f = tmp_path / "partnerships.csv"
    f.write_text("partnership,district,valid_from\nA,B,2012-04-01\nA,C,April 2012\n")
    with pytest.raises(InputError, match=r"partnerships.csv:3: valid_from 'April 2012'"):
        geography.load(con, f)


def test_semicolon_lookup(con, tmp_path):
    f = tmp_path / "lad_to_csp.csv"
    f.write_text("lad-code;lad-name;csp-code;csp-name;PFA21CD;PFA21NM\nE07000234;Bromsgrove;E22000001;North Worcestershire;E23000016;West Mercia\n")
    assert geography.load(con, f) == ("lookup", 1)
    assert con.execute("SELECT partnership, district FROM partnerships").fetchone() == ("North Worcestershire", "Bromsgrove")


def test_real_ons_lookup_and_population(con):
    lookup = realdata("lookups", "LAD_to_CSP_to_PFA_Jan2017_Lookup_EW_v2.csv")
    assert geography.load(con, lookup) == ("lookup", 348)
    pop = realdata("population", "lsoa_mid2018_population_density_SAPE21DT11.csv")
    assert geography.load(con, pop) == ("population", 34753)
    assert con.execute("SELECT population FROM areas WHERE lsoa_code = 'E01020634'").fetchone()[0] == 1665


def test_real_lsoa_boundaries(con):
    path = realdata("west_mercia", "boundaries", "west_mercia_lsoa_2011_by_lad_martinjc.geojson")
    assert geography.load(con, path) == ("boundaries", 781)
    assert con.execute("SELECT count(*) FROM areas WHERE geometry_geojson LIKE '{\"type\": \"%Polygon%'").fetchone()[0] == 781


def test_real_ons_population_workbook(con):
    workbook = realdata("population", "SAPE21DT11-mid-2018-lsoa-population-density.xlsx")
    assert geography.load(con, workbook) == ("population", 34753)
    assert con.execute("SELECT population, population_year FROM areas WHERE lsoa_code = 'E01020634'").fetchone() == (1665.0, 2018)


def test_workbook_with_titles_above_a_code_name_table(con, tmp_path):
    import pandas as pd

    f = tmp_path / "sape.xlsx"
    rows = [["Contents", None, None], [None, None, None], ["Table X: Mid-2020 population", None, None],
            ["Code", "Name", "Mid-2020 population"], ["E01000001", "City of London 001A", 1500],
            ["E01000002", "City of London 001B", "1,200"]]
    pd.DataFrame(rows).to_excel(f, header=False, index=False, sheet_name="Mid-2020 Persons")
    assert geography.load(con, f) == ("population", 2)
    assert con.execute("SELECT sum(population), max(population_year) FROM areas").fetchone() == (2700.0, 2020)


def test_real_national_district_topojson(con):
    path = realdata("boundaries_national", "england_lad_topojson_martinjc.json")
    assert geography.load(con, path) == ("boundaries", 326)
    assert con.execute("SELECT count(*) FROM district_boundaries WHERE district = 'Worcester'").fetchone()[0] == 1
