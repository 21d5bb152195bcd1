"""Financial years, and reading grants: tidy CSV, 360Giving CSV and JSON, export round trip."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from cspdash.errors import InputError
from cspdash.fiscal import (
    FinancialYearError, financial_year, fy_end, fy_range, fy_shift, fy_sort_key, fy_start,
    is_financial_year, normalise_fy,
)
from cspdash.ingest.grants import (
    ALL_COLUMNS, UNNAMED_RECIPIENT, award_date_to_day, read_grants, read_stated_totals,
    to_360giving_csv,
)

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "grants"
SHARED = REPO / ".." / "shared"
REAL_GRANTS = SHARED / "realdata" / "grants_360giving"
FLOW_COLUMNS = ["financial_year", "funder", "recipient", "stream", "priority", "amount_gbp",
                "status", "grant_key"]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_grants(path)
    return caught.value


# --- financial years -------------------------------------------------------------------------


@pytest.mark.parametrize("day, expected", [
    (date(2011, 3, 31), "2010-11"),
    (date(2011, 4, 1), "2011-12"),
    (datetime(2011, 3, 31, 23, 59, 59), "2010-11"),
    (pd.Timestamp("2011-04-01 00:00:00"), "2011-12"),
    (date(2012, 2, 29), "2011-12"),           # leap day sits in the year that started in April 2011
    (date(2016, 3, 31), "2015-16"),           # leap-year March
    (date(2000, 1, 1), "1999-00"),            # century: second part wraps to 00
    (date(1999, 4, 1), "1999-00"),
    ("2010-04-01", "2010-11"),
])
def test_financial_year_boundaries(day, expected):
    assert financial_year(day) == expected


def test_financial_year_refuses_ambiguous_text_dates():
    # '01/04/2011' is 1 April to a British reader and 4 January to others: callers parse it.
    with pytest.raises(FinancialYearError):
        financial_year("01/04/2011")


@pytest.mark.parametrize("text, expected", [
    ("2010-11", "2010-11"), ("10/11", "2010-11"), ("2010/11", "2010-11"),
    ("2010-2011", "2010-11"), ("FY2010-11", "2010-11"), ("fy 2010/11", "2010-11"),
    (" 2010/2011 ", "2010-11"), ("99/00", "1999-00"), ("1999-2000", "1999-00"), ("2009-10", "2009-10"),
])
def test_normalise_fy_forms(text, expected):
    assert normalise_fy(text) == expected


@pytest.mark.parametrize("text", ["2010-12", "2010", "10-10", "2010/2012", "FY10", "", "2010-1", "April 2010"])
def test_normalise_fy_refuses_non_years(text):
    with pytest.raises(FinancialYearError):
        normalise_fy(text)


def test_fy_helpers():
    assert fy_start("2010-11") == date(2010, 4, 1)
    assert fy_end("10/11") == date(2011, 3, 31)
    assert fy_shift("2009-10", 1) == "2010-11"
    assert fy_range("2009-10", "2011-12") == ["2009-10", "2010-11", "2011-12"]
    assert sorted(["2012-13", "1999-00", "2010-11"], key=fy_sort_key) == ["1999-00", "2010-11", "2012-13"]
    assert is_financial_year("2010-11") and not is_financial_year("10/11") and not is_financial_year(None)


def test_award_dates_become_uk_days():
    assert award_date_to_day("31/03/2011 23:59") == date(2011, 3, 31)
    assert award_date_to_day("01/04/2011") == date(2011, 4, 1)
    # 23:30 UTC on 31 March 2015 was 00:30 BST on 1 April: the next financial year.
    assert award_date_to_day("2015-03-31T23:30:00+00:00") == date(2015, 4, 1)
    assert award_date_to_day("2015-01-31T23:30:00Z") == date(2015, 1, 31)  # GMT in winter
    with pytest.raises(ValueError):
        award_date_to_day("31/02/2011")


# --- tidy CSV --------------------------------------------------------------------------------


def test_tidy_csv_read():
    flows = read_grants(FIXTURES / "tidy_small.csv")
    assert list(flows.columns) == ALL_COLUMNS
    assert flows["financial_year"].tolist() == ["2010-11", "2010-11", "2012-13", "2011-12"]
    assert flows["amount_gbp"].iloc[0] == 898190.0
    assert flows["amount_gbp"].iloc[3] == 73000.0
    assert pd.isna(flows["amount_gbp"].iloc[2])  # TBC is absent, never zero
    assert flows["status"].tolist() == ["actual", "actual", "provisional", "actual"]
    assert flows["priority"].iloc[1] == "Anti-social behaviour" and pd.isna(flows["priority"].iloc[0])
    assert flows["source"].iloc[3] == "tidy_small.csv"  # no source given: the file is the source
    assert flows["grant_key"].is_unique
    assert flows[["area", "award_date", "identifier", "title"]].isna().all().all()


def test_tidy_import_twice_gives_same_keys(tmp_path):
    first = read_grants(FIXTURES / "tidy_small.csv")
    copy = write(tmp_path, "renamed.csv", (FIXTURES / "tidy_small.csv").read_text())
    again = read_grants(copy)
    assert first["grant_key"].tolist() == again["grant_key"].tolist()


def test_identical_rows_stay_two_grants(tmp_path):
    path = write(tmp_path, "twice.csv",
                 "financial_year,funder,recipient,stream,amount_gbp,status\n"
                 "2016-17,PCC,CSP A,Grant,500,actual\n"
                 "2016-17,PCC,CSP A,Grant,500,actual\n")
    flows = read_grants(path)
    assert len(flows) == 2 and flows["grant_key"].is_unique
    assert read_grants(path)["grant_key"].tolist() == flows["grant_key"].tolist()


def test_windows_1252_file_and_header_only_file(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("financial_year,funder,recipient,stream,amount_gbp,status\n"
                     "2011-12,Norfolk Police,Norfolk CSP,One-off,\"£73,000\",actual\n".encode("cp1252"))
    assert read_grants(path)["amount_gbp"].tolist() == [73000.0]
    header_only = write(tmp_path, "header.csv", "financial_year,funder,recipient,stream,amount_gbp,status\n")
    empty = read_grants(header_only)
    assert len(empty) == 0 and list(empty.columns) == ALL_COLUMNS


def test_changed_amount_is_a_new_key(tmp_path):
    header = "financial_year,funder,recipient,stream,amount_gbp,status\n"
    a = read_grants(write(tmp_path, "a.csv", header + "2016-17,PCC,CSP A,Grant,500,actual\n"))
    b = read_grants(write(tmp_path, "b.csv", header + "2016-17,PCC,CSP A,Grant,501,actual\n"))
    assert a["grant_key"].iloc[0] != b["grant_key"].iloc[0]


# --- 360Giving CSV and JSON ------------------------------------------------------------------


def test_360giving_csv_multiline_and_day_first_dates():
    flows = read_grants(FIXTURES / "giving_small.csv")
    assert len(flows) == 3
    assert flows["financial_year"].tolist() == ["2010-11", "2011-12", "2011-12"]
    assert flows["amount_gbp"].tolist() == [12500.0, 8000.5, 3000.0]
    assert flows["funder"].unique().tolist() == ["Example Foundation"]
    assert flows["recipient"].tolist() == ["Safe Homes Trust", "Youth Link", "City Pastors"]
    assert flows["stream"].iloc[0] == "Community Safety" and pd.isna(flows["stream"].iloc[1])
    assert flows["area"].tolist()[:2] == ["Norwich; South Norfolk", "Norwich"]
    assert flows["grant_key"].tolist() == ["360G-example:G1", "360G-example:G2", "360G-example:G3"]
    assert flows["award_date"].iloc[0] == pd.Timestamp("2011-03-31")
    assert (flows["status"] == "actual").all()
    assert flows["source"].iloc[0] == "360Giving file giving_small.csv"


def test_360giving_json():
    flows = read_grants(FIXTURES / "giving_small.json")
    assert flows["grant_key"].tolist() == ["360G-example:J1", "360G-example:J2"]
    assert flows["financial_year"].tolist() == ["2015-16", "2014-15"]  # BST moves J1 into April
    assert flows["amount_gbp"].tolist() == [15000.0, 250.75]
    assert flows["funder"].tolist() == ["Example PCC", "Example PCC"]  # a list or a lone object
    assert flows["recipient"].tolist() == ["Second Chance", "Individual Recipient"]
    assert flows["stream"].iloc[0] == "Community Safety Fund"
    assert flows["area"].iloc[0] == "Herefordshire"
    assert flows["title"].iloc[1] == "Hardship grant"


def test_360giving_import_twice_gives_same_keys():
    for name in ("giving_small.csv", "giving_small.json"):
        first, again = read_grants(FIXTURES / name), read_grants(FIXTURES / name)
        assert first["grant_key"].tolist() == again["grant_key"].tolist()


def test_360giving_csv_without_recipient_name_is_kept(tmp_path):
    path = write(tmp_path, "anon.csv",
                 "Identifier,Currency,Amount Awarded,Award Date,Funding Org:Name,Recipient Org:Name\n"
                 "360G-x-1,GBP,100,2020-05-01,Fund,\n")
    assert read_grants(path)["recipient"].tolist() == [UNNAMED_RECIPIENT]


# --- export round trip -----------------------------------------------------------------------


def test_export_round_trip(tmp_path):
    original = pd.concat([
        read_grants(FIXTURES / "tidy_small.csv"),
        read_grants(FIXTURES / "giving_small.csv"),
        read_grants(FIXTURES / "giving_small.json"),
    ], ignore_index=True)
    text = to_360giving_csv(original)
    back = read_grants(write(tmp_path, "export.csv", text))
    known = original[original["amount_gbp"].notna()].reset_index(drop=True)  # TBC is not an award
    pd.testing.assert_frame_equal(back[FLOW_COLUMNS + ["source", "area"]],
                                  known[FLOW_COLUMNS + ["source", "area"]])
    header = next(csv.reader([text.splitlines()[0]]))
    for title in ("Identifier", "Amount Awarded", "Award Date", "Currency", "Funding Org:Name",
                  "Recipient Org:Name", "Grant Programme:Title", "Beneficiary Location:Name"):
        assert title in header
    rows = list(csv.DictReader(text.splitlines(keepends=True)))
    assert rows[0]["Identifier"].startswith("360G-cspdash-row-")  # made up for tidy rows
    assert rows[0]["Award Date"] == "2010-04-01"                 # FY start when unknown
    assert {r["Currency"] for r in rows} == {"GBP"}


def test_export_of_nothing_is_a_header():
    empty = read_grants(FIXTURES / "tidy_small.csv").iloc[0:0]
    assert to_360giving_csv(empty).count("\n") == 1


# --- bad input: one line naming the file and line --------------------------------------------

TIDY_HEADER = "financial_year,funder,recipient,stream,amount_gbp,status\n"
GIVING_HEADER = "Identifier,Title,Description,Currency,Amount Awarded,Award Date,Funding Org:Name,Recipient Org:Name\n"


@pytest.mark.parametrize("body, line, words", [
    (TIDY_HEADER + "2010-11,HO,CSP,S,12x,actual\n", 2, "amount"),
    (TIDY_HEADER + "2010-11,HO,CSP,S,-5,actual\n", 2, "negative"),
    (TIDY_HEADER + "2010-11,HO,CSP,S,5,actual\n2010-12,HO,CSP,S,5,actual\n", 3, "financial year"),
    (TIDY_HEADER + "2010-11,HO,CSP,S,5,maybe\n", 2, "actual or provisional"),
    (TIDY_HEADER + "2010-11,,CSP,S,5,actual\n", 2, "funder is empty"),
    (TIDY_HEADER + "2010-11,HO,CSP,S,1,000,actual\n", 2, "fields"),
    ("financial_year,funder,recipient,stream,amount,status\n", 1, "missing column(s) amount_gbp"),
    ("year,money\n2010-11,5\n", 1, "unknown header"),
    ("\n\n" + TIDY_HEADER + "\n2010-11,HO,CSP,S,zz,actual\n", 5, "amount"),
])
def test_bad_tidy_files(tmp_path, body, line, words):
    err = error_of(write(tmp_path, "bad.csv", body))
    assert err.line == line
    assert words in str(err)
    assert str(err).startswith(str(tmp_path / "bad.csv") + f":{line}: ")
    assert "\n" not in str(err)


def test_bad_amount_after_multiline_field_names_the_physical_line(tmp_path):
    body = (GIVING_HEADER
            + '360G-a-1,One,"first line\nsecond line\nthird line",GBP,100,2011-05-01,F,R\n'
            + '360G-a-2,Two,"x\ny",GBP,lots,2011-05-01,F,R\n')
    err = error_of(write(tmp_path, "bad.csv", body))
    assert err.line == 5  # the record starts on line 5, not record 3
    assert "Amount Awarded 'lots'" in str(err)


@pytest.mark.parametrize("row, words", [
    ('360G-a-1,T,D,USD,100,2011-05-01,F,R', "currency USD"),
    ('360G-a-1,T,D,GBP,100,31/02/2011,F,R', "Award Date '31/02/2011'"),
    ('360G-a-1,T,D,GBP,100,,F,R', "Award Date is empty"),
    (',T,D,GBP,100,2011-05-01,F,R', "Identifier is empty"),
    ('360G-a-1,T,D,GBP,,2011-05-01,F,R', "Amount Awarded is empty"),
])
def test_bad_360giving_csv_rows(tmp_path, row, words):
    err = error_of(write(tmp_path, "bad.csv", GIVING_HEADER + "360G-a-0,T,D,GBP,1,2011-05-01,F,R\n" + row + "\n"))
    assert err.line == 3 and words in str(err)


def test_duplicate_360giving_identifier(tmp_path):
    body = GIVING_HEADER + "360G-a-1,T,D,GBP,1,2011-05-01,F,R\n360G-a-1,T,D,GBP,2,2011-05-01,F,R\n"
    err = error_of(write(tmp_path, "dup.csv", body))
    assert err.line == 3 and "first on line 2" in str(err)


def test_unclosed_quote_names_the_record_start(tmp_path):
    body = GIVING_HEADER + "360G-a-1,T,D,GBP,1,2011-05-01,F,R\n360G-a-2,T,\"never closed,GBP,1\nmore\n"
    err = error_of(write(tmp_path, "q.csv", body))
    assert err.line == 3 and "quoted" in str(err)


def test_360giving_without_needed_columns(tmp_path):
    err = error_of(write(tmp_path, "cols.csv", "Identifier,Title,Amount Awarded\n360G-a-1,T,5\n"))
    assert err.line == 1 and "Award Date" in str(err) and "Currency" in str(err)


def test_missing_and_empty_files(tmp_path):
    assert "not found" in str(error_of(tmp_path / "nope.csv"))
    assert "empty" in str(error_of(write(tmp_path, "empty.csv", "")))
    assert "empty" in str(error_of(write(tmp_path, "blank.csv", "\n \n")))


def test_malformed_json_gives_decoder_line(tmp_path):
    err = error_of(write(tmp_path, "bad.json", '{"grants": [\n  {"id": "a",\n   "title" "x"}\n]}\n'))
    assert err.line == 3 and "not valid JSON" in str(err)


def test_bad_json_grant_names_grant_and_line(tmp_path):
    grants = {"grants": [
        {"id": "360G-j-1", "currency": "GBP", "amountAwarded": 1, "awardDate": "2015-05-01",
         "fundingOrganization": [{"name": "F"}], "recipientOrganization": [{"name": "R"}]},
        {"id": "360G-j-2", "currency": "EUR", "amountAwarded": 1, "awardDate": "2015-05-01",
         "fundingOrganization": [{"name": "F"}], "recipientOrganization": [{"name": "R"}]},
    ]}
    text = json.dumps(grants, indent=1)
    err = error_of(write(tmp_path, "g.json", text))
    assert "grant 2 (360G-j-2)" in str(err) and "currency EUR" in str(err)
    id_line = next(n for n, line in enumerate(text.splitlines(), start=1) if '"360G-j-2"' in line)
    assert err.line == id_line


def test_json_without_grants_list(tmp_path):
    assert "360Giving JSON" in str(error_of(write(tmp_path, "x.json", '{"data": []}')))


def test_stated_totals_reader(tmp_path):
    totals = read_stated_totals(REPO / "data" / "demo" / "grant_stated_totals.csv")
    worcs = totals[totals["scope"] == "Worcestershire expenditure"]
    assert worcs.set_index("financial_year")["stated_gbp"].to_dict() == {"2010-11": 707000.0, "2011-12": 644338.0}
    bad = write(tmp_path, "t.csv", "source,financial_year,scope,stated_gbp\nr,2010-11,x,\n")
    with pytest.raises(InputError) as caught:
        read_stated_totals(bad)
    assert caught.value.line == 2


def test_demo_grant_flows_read_cleanly():
    flows = read_grants(REPO / "data" / "demo" / "grant_flows.csv")
    assert flows["grant_key"].is_unique
    worcs_2012 = flows[(flows["financial_year"] == "2012-13") & (flows["funder"] == "Worcestershire County Council")]
    assert (worcs_2012["status"] == "provisional").all()
    assert worcs_2012["amount_gbp"].isna().sum() == 3  # SCB, DAAT and WCC team are TBC
    synthetic = flows[flows["source"] == "synthetic demo"]
    assert synthetic["financial_year"].min() == "2013-14" and synthetic["financial_year"].max() == "2025-26"
    hereford = flows[(flows["recipient"] == "Herefordshire CSP") & (flows["financial_year"] == "2016-17")]
    assert hereford["amount_gbp"].sum() == 80000 and hereford["priority"].nunique() == 4


# --- real 360Giving publications (skipped without /work/shared) ------------------------------

needs_real = pytest.mark.skipif(not REAL_GRANTS.is_dir(), reason="shared real data not present")


def plain_csv_totals(path: Path) -> tuple[int, float]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    return len(rows), sum(float(r["Amount Awarded"]) for r in rows)


@needs_real
@pytest.mark.parametrize("name", [
    "IndigoTrust_360giving.csv",
    "LloydsBankFoundation_grants_360giving_flattened.csv",
    "covid19_multi_funder_grants_360giving_flattened.csv",
])
def test_real_360giving_csv_all_rows(name):
    flows = read_grants(REAL_GRANTS / name)
    count, total = plain_csv_totals(REAL_GRANTS / name)
    assert len(flows) == count
    assert flows["amount_gbp"].sum() == pytest.approx(total, abs=0.01)
    assert flows["financial_year"].map(is_financial_year).all()


@needs_real
def test_real_indigo_figures():
    flows = read_grants(REAL_GRANTS / "IndigoTrust_360giving.csv")
    assert len(flows) == 269
    assert round(flows["amount_gbp"].sum() / 1e6, 2) == 8.05
    physical_lines = (REAL_GRANTS / "IndigoTrust_360giving.csv").read_text(encoding="utf-8").count("\n")
    assert physical_lines > 270  # multi-line descriptions: more lines than records


@needs_real
@pytest.mark.parametrize("json_name, csv_name", [
    ("LloydsBankFoundation_360giving_a002400000OiDBQAA3.json", "LloydsBankFoundation_grants_360giving_flattened.csv"),
    ("covid19_multi_funder_360giving_awefw001p00000zgyHZAAY.json", "covid19_multi_funder_grants_360giving_flattened.csv"),
])
def test_real_360giving_json_matches_its_flattened_csv(json_name, csv_name):
    from_json = read_grants(REAL_GRANTS / json_name)
    data = json.loads((REAL_GRANTS / json_name).read_text(encoding="utf-8"))
    assert len(from_json) == len(data["grants"])
    assert from_json["amount_gbp"].sum() == pytest.approx(sum(g["amountAwarded"] for g in data["grants"]))
    from_csv = read_grants(REAL_GRANTS / csv_name)
    cols = ["grant_key", "financial_year", "funder", "amount_gbp"]
    pd.testing.assert_frame_equal(from_json[cols].sort_values("grant_key", ignore_index=True),
                                  from_csv[cols].sort_values("grant_key", ignore_index=True))


@needs_real
def test_real_lloyds_figures():
    flows = read_grants(REAL_GRANTS / "LloydsBankFoundation_360giving_a002400000OiDBQAA3.json")
    assert len(flows) == 4116
    assert round(flows["amount_gbp"].sum() / 1e6, 1) == 115.8
