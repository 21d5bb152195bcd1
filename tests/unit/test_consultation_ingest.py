"""Reading consultation tally files and checking the in-app form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from cspdash.errors import InputError
from cspdash.ingest.consultations import (
    TALLY_COLUMNS,
    entry_to_tallies,
    read_concern_mapping,
    read_tallies,
    validate_entry,
)

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo" / "consultation_tallies.csv"
FULL_HEADER = "event,event_date,area,method,category,tokens,weight\n"


def write(tmp_path: Path, text: str, name: str = "tallies.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_tallies(path)
    err = caught.value
    assert "\n" not in str(err) and str(err).startswith(str(path))
    return err


# --- good files -------------------------------------------------------------------------------

def test_rank_file_needs_only_category_and_count(tmp_path):
    path = write(tmp_path, "category,count\nASB,36\nDrug Misuse,26\n", name="fete.csv")
    got = read_tallies(path)
    assert list(got.columns) == TALLY_COLUMNS
    assert got["category"].tolist() == ["ASB", "Drug Misuse"]
    assert got["tokens"].tolist() == [36, 26] and str(got["tokens"].dtype) == "int64"
    assert got["event"].unique().tolist() == ["fete"]
    assert got["method"].unique().tolist() == ["charity pot"]
    assert got["weight"].tolist() == [1, 1]
    assert got["event_date"].isna().all()


def test_rank_file_with_optional_event_date_and_area(tmp_path):
    path = write(tmp_path, "Event,Date,Area,Category,Count\n"
                           "Heybridge Fete,01/07/2011,Maldon,Burglary,18\n"
                           "Heybridge Fete,01/07/2011,Maldon,Robbery,14.0\n")
    got = read_tallies(path)
    assert got["event_date"].tolist() == [pd.Timestamp("2011-07-01")] * 2
    assert got["area"].tolist() == ["Maldon", "Maldon"] and got["tokens"].tolist() == [18, 14]


def test_full_tally_file_with_bom_crlf_and_extra_columns(tmp_path):
    text = ("event,event_date,area,method,category,tokens,weight,source\r\n"
            "Show,2024-06-14,Malvern Hills,Sticky Dots,Speeding,11,3,made up\r\n"
            "Show,2024-06-14,Malvern Hills,sticky_dots,Speeding,8,2,made up\r\n"
            "Show,2024-06-14,Malvern Hills,dots,ASB,5,1,made up\r\n")
    got = read_tallies(write(tmp_path, "\ufeff" + text))
    assert got["method"].unique().tolist() == ["dots"]
    assert got["weight"].tolist() == [3, 2, 1]
    assert got["event_date"].iloc[0] == pd.Timestamp("2024-06-14")


def test_excel_cp1252_file_is_read(tmp_path):
    path = write(tmp_path, "category,count\nCaf\u00e9 nuisance,3\n", encoding="cp1252")
    assert read_tallies(path)["category"].tolist() == ["Caf\u00e9 nuisance"]


def test_same_category_in_two_events_or_methods_is_fine(tmp_path):
    path = write(tmp_path, FULL_HEADER + "A,2024-01-01,X,charity pot,ASB,3,\n"
                                         "B,2024-02-01,X,charity pot,ASB,4,\n"
                                         "A,2024-01-01,X,questionnaire,ASB,2,\n")
    assert read_tallies(path)["tokens"].sum() == 9


def test_demo_file_reads_cleanly():
    got = read_tallies(DEMO)
    assert got["event"].nunique() >= 6
    assert set(got["method"]) == {"charity pot", "questionnaire", "dots"}
    west_mercia = {"Worcester", "Wychavon", "Malvern Hills", "Bromsgrove", "Redditch",
                   "Wyre Forest", "Herefordshire, County of"}
    assert set(got["area"]) - {"Maldon"} <= west_mercia
    years = set(got.loc[got["area"] != "Maldon", "event_date"].dt.year)
    assert years == {2023, 2024, 2025}
    source = pd.read_csv(DEMO)
    synthetic = source["area"] != "Maldon"
    assert source.loc[synthetic, "source"].str.startswith("synthetic").all()
    assert source.loc[~synthetic, "source"].str.contains("Maldon District Council").all()


# --- bad files: one line, the right line --------------------------------------------------------

def test_missing_file(tmp_path):
    err = error_of(tmp_path / "nope.csv")
    assert err.line is None and "no such file" in str(err)


@pytest.mark.parametrize("text", ["", "\n\n", "\ufeff"])
def test_empty_file(tmp_path, text):
    assert "empty" in str(error_of(write(tmp_path, text)))


def test_header_without_rows(tmp_path):
    err = error_of(write(tmp_path, "category,count\n\n"))
    assert err.line == 1 and "no rows" in str(err)


@pytest.mark.parametrize("header, missing", [
    ("concern_name,count", "category"),
    ("category,number", "count"),
    ("area,label,n", "category, count"),
])
def test_missing_columns(tmp_path, header, missing):
    err = error_of(write(tmp_path, header + "\nASB,3\n"))
    assert err.line == 1 and f"missing column(s) {missing}" in str(err)


def test_tally_file_missing_its_columns(tmp_path):
    err = error_of(write(tmp_path, "event,category,tokens\nFete,ASB,3\n"))
    assert err.line == 1 and "event_date, area, method" in str(err)


@pytest.mark.parametrize("bad, why", [
    ("-3", "negative"), ("lots", "not a number"), ("2.5", "not a whole number"),
    ("", "missing"), ("nan", "not a number"),
])
def test_bad_counts_name_the_line(tmp_path, bad, why):
    path = write(tmp_path, f"category,count\nASB,36\nDrugs,26\nBurglary,{bad}\nRobbery,14\n")
    err = error_of(path)
    assert err.line == 4 and why in str(err) and "Burglary" in str(err)
    assert str(err).startswith(f"{path}:4: ")


def test_missing_count_field_at_end_of_short_row(tmp_path):
    assert error_of(write(tmp_path, "category,count\nASB,36\nDrugs\n")).line == 3


def test_duplicate_category_in_an_event(tmp_path):
    err = error_of(write(tmp_path, "category,count\nASB,36\nDrugs,4\nasb ,2\n"))
    assert err.line == 4 and "appears twice" in str(err) and "line 2" in str(err)


@pytest.mark.parametrize("bad, why", [
    ("2023-02-30", "not a real date"), ("2023/02/01", "not YYYY-MM-DD or dd/mm/yyyy"),
    ("31/13/2023", "not a real date"), ("1 June 2023", "not YYYY-MM-DD"), ("", "date is missing"),
])
def test_bad_dates(tmp_path, bad, why):
    err = error_of(write(tmp_path, FULL_HEADER + "A,2023-06-01,X,pot,ASB,3,\n"
                                                 f"B,{bad},X,pot,Drugs,3,\n"))
    assert err.line == 3 and why in str(err)


def test_unknown_method(tmp_path):
    err = error_of(write(tmp_path, FULL_HEADER + "A,2023-06-01,X,pot,ASB,3,\nA,2023-06-01,X,"
                                                 "raffle,Drugs,3,\n"))
    assert err.line == 3 and "unknown method 'raffle'" in str(err)


def test_weights(tmp_path):
    dots_without = write(tmp_path, FULL_HEADER + "A,2023-06-01,X,dots,ASB,3,\n")
    assert error_of(dots_without).line == 2 and "needs a weight" in str(error_of(dots_without))
    pot_weighted = write(tmp_path, FULL_HEADER + "A,2023-06-01,X,pot,ASB,3,1\n"
                                                 "A,2023-06-01,X,pot,Drugs,3,2\n")
    assert error_of(pot_weighted).line == 3
    zero = write(tmp_path, FULL_HEADER + "A,2023-06-01,X,dots,ASB,3,0\n")
    assert "at least 1" in str(error_of(zero))


def test_one_event_one_date_and_area(tmp_path):
    err = error_of(write(tmp_path, FULL_HEADER + "A,2023-06-01,X,pot,ASB,3,\n"
                                                 "A,2023-06-02,X,pot,Drugs,3,\n"))
    assert err.line == 3 and "line 2" in str(err) and "date" in str(err)
    err = error_of(write(tmp_path, FULL_HEADER + "A,2023-06-01,X,pot,ASB,3,\n"
                                                 "A,2023-06-01,Y,pot,Drugs,3,\n"))
    assert err.line == 3 and "area" in str(err)


def test_event_with_no_tokens(tmp_path):
    err = error_of(write(tmp_path, "category,count\n\nASB,0\nDrugs,0\n"))
    assert err.line == 3 and "no tokens" in str(err)


def test_required_field_blank_in_a_tally_file(tmp_path):
    err = error_of(write(tmp_path, FULL_HEADER + "A,2023-06-01,,pot,ASB,3,\n"))
    assert err.line == 2 and "area is missing" in str(err)
    err = error_of(write(tmp_path, "category,count\n,3\n"))
    assert err.line == 2 and "category is missing" in str(err)


def test_too_many_fields(tmp_path):
    err = error_of(write(tmp_path, "category,count\nASB,36\nVehicle crime, theft,15\n"))
    assert err.line == 3 and "quotes" in str(err)


def test_line_numbers_count_quoted_line_breaks(tmp_path):
    text = ('category,count,note\n'
            'ASB,36,"said at the\nstall, twice"\n'
            'Drugs,x,\n')
    assert error_of(write(tmp_path, text)).line == 4


def test_mapping_rejects_names_that_are_not_police_uk(tmp_path):
    path = write(tmp_path, "concern,crime_type\nASB,Anti-social behaviour\nDrugs,Drug offences\n")
    with pytest.raises(InputError) as caught:
        read_concern_mapping(path)
    assert caught.value.line == 3 and "not a police.uk crime type" in str(caught.value)
    ok = write(tmp_path, "concern,crime_type\nSpeeding,\nASB,Anti-social behaviour\n", name="m.csv")
    assert read_concern_mapping(ok)["crime_type"].tolist() == ["", "Anti-social behaviour"]


# --- the in-app form ----------------------------------------------------------------------------

GOOD_ROWS = [{"category": "ASB", "tokens": 12}, {"category": "Drugs", "tokens": "4"}]


def test_validate_entry_accepts_a_good_event():
    assert validate_entry("Fete", date(2024, 7, 6), "Worcester", "charity pot", GOOD_ROWS) == []
    assert validate_entry("Fete", "06/07/2024", "Worcester", "Charity Pot", GOOD_ROWS) == []


def test_validate_entry_required_fields():
    problems = validate_entry("  ", None, "", "raffle", GOOD_ROWS)
    assert problems == ["Give the event a name.",
                        "Give the event's date as YYYY-MM-DD or dd/mm/yyyy.",
                        "Say which area the event was in.",
                        "Choose a method: charity pot, questionnaire, dots."]
    bad_date = validate_entry("Fete", "2024-02-30", "X", "pot", GOOD_ROWS)
    assert bad_date == ["Give the event's date as YYYY-MM-DD or dd/mm/yyyy "
                        "(the date '2024-02-30' is not a real date)."]


def test_validate_entry_counts_and_duplicates():
    rows = [{"category": "ASB", "tokens": -1}, {"category": "Drugs", "tokens": 2.5},
            {"category": "Burglary", "tokens": "x"}, {"category": "asb", "tokens": 3},
            {"category": "", "tokens": 4}]
    assert validate_entry("Fete", "2024-07-06", "X", "pot", rows) == [
        "Row 1: the count -1 is negative.",
        "Row 2: the count 2.5 is not a whole number.",
        "Row 3: the count 'x' is not a number.",
        "Row 4: asb is already on row 1.",
        "Row 5: give the concern a name.",
    ]


def test_validate_entry_needs_tokens_and_ignores_blank_rows():
    blank_rows = pd.DataFrame({"category": ["ASB", None], "tokens": [0, float("nan")]})
    assert validate_entry("Fete", "2024-07-06", "X", "pot", blank_rows) == [
        "Every count is 0: record at least one token."]
    assert validate_entry("Fete", "2024-07-06", "X", "pot", []) == [
        "Add at least one concern and its count."]
    editor = pd.DataFrame({"category": ["ASB", None], "tokens": [3, None]})
    assert validate_entry("Fete", "2024-07-06", "X", "pot", editor) == []


def test_validate_entry_dots_weights():
    rows = [{"category": "ASB", "tokens": 5, "weight": 3}, {"category": "ASB", "tokens": 4, "weight": 2},
            {"category": "Drugs", "tokens": 2}]
    assert validate_entry("Board", "2024-07-06", "X", "dots", rows) == [
        "Row 3: a dots row needs a weight (3, 2 or 1 for first, second, third choice)."]
    assert validate_entry("Board", "2024-07-06", "X", "pot", rows[:1]) == [
        "Row 1: the weight 3 only makes sense for dots; charity pot rows count 1 each."]


def test_entry_to_tallies_matches_file_shape():
    got = entry_to_tallies(" Fete ", date(2024, 7, 6), "Worcester", "pots", GOOD_ROWS + [{}])
    assert list(got.columns) == TALLY_COLUMNS
    assert got["tokens"].tolist() == [12, 4] and got["method"].unique().tolist() == ["charity pot"]
    assert got["event"].unique().tolist() == ["Fete"]
    with pytest.raises(ValueError):
        entry_to_tallies("", None, "", "pot", [])
