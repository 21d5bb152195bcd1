"""12 months against the 12 before, with missing months as gaps, never zeros."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from cspdash.analysis import overview as ov


def _by_month(months: list[str], crime: int, asb: int) -> pd.DataFrame:
    rows = []
    for m in months:
        rows += [{"month": pd.Timestamp(m), "crime_type": "Burglary", "n": crime},
                 {"month": pd.Timestamp(m), "crime_type": "Anti-social behaviour", "n": asb}]
    return pd.DataFrame(rows)


MONTHS = [d.strftime("%Y-%m-%d") for d in pd.date_range("2023-01-01", "2024-12-01", freq="MS")]


def test_full_windows_compare_sums():
    wide = ov.monthly_by_type(pd.concat([_by_month(MONTHS[:12], 10, 5), _by_month(MONTHS[12:], 12, 4)]),
                              pd.Series(pd.to_datetime(MONTHS)), date(2023, 1, 1), date(2024, 12, 1))
    cmp = ov.twelve_vs_twelve(ov.monthly_totals(wide), date(2024, 12, 1)).set_index("measure")
    assert cmp.loc[ov.CRIME, "last_12"] == 144 and cmp.loc[ov.CRIME, "previous_12"] == 120
    assert cmp.loc[ov.CRIME, "change_pct"] == pytest.approx(20.0)
    assert cmp.loc["Anti-social behaviour", "change_pct"] == pytest.approx(-20.0)
    assert cmp.loc[ov.CRIME, "note"] == ""


def test_unpublished_month_is_missing_not_zero():
    covered = [m for m in MONTHS if m != "2024-06-01"]
    wide = ov.monthly_by_type(_by_month(covered, 10, 5), pd.Series(pd.to_datetime(covered)),
                              date(2023, 1, 1), date(2024, 12, 1))
    totals = ov.monthly_totals(wide)
    assert np.isnan(totals.loc["2024-06-01", "total"])
    cmp = ov.twelve_vs_twelve(totals, date(2024, 12, 1)).set_index("measure")
    # 11 months of 10 against 12 of 10: no change once compared month for month.
    assert cmp.loc[ov.CRIME, "change_pct"] == pytest.approx(0.0)
    assert cmp.loc[ov.CRIME, "months_last"] == 11
    assert "11 and 12 of 12" in cmp.loc[ov.CRIME, "note"]


def test_covered_month_with_no_records_of_a_type_is_zero():
    covered = pd.Series(pd.to_datetime(MONTHS))
    frame = _by_month(MONTHS, 10, 5)
    frame = frame[~((frame["month"] == "2024-03-01") & (frame["crime_type"] == "Burglary"))]
    wide = ov.monthly_by_type(frame, covered, date(2023, 1, 1), date(2024, 12, 1))
    assert wide.loc["2024-03-01", "Burglary"] == 0


def test_change_sentence_reads_plainly():
    wide = ov.monthly_by_type(pd.concat([_by_month(MONTHS[:12], 10, 5), _by_month(MONTHS[12:], 12, 4)]),
                              pd.Series(pd.to_datetime(MONTHS)), date(2023, 1, 1), date(2024, 12, 1))
    cmp = ov.twelve_vs_twelve(ov.monthly_totals(wide), date(2024, 12, 1))
    assert ov.change_sentence(cmp.iloc[0]) == (
        "Crime (excluding ASB): 144 in Jan 2024 – Dec 2024, 20.0% more than the 12 months before (120).")


def test_district_shares_sum_to_one():
    frame = pd.DataFrame({"district": ["A", "B"], "crimes": [30, 10], "asb": [1, 3], "records": [31, 13]})
    shares = ov.district_shares(frame)
    assert shares["crime_share"].sum() == pytest.approx(1) and shares.loc[0, "crime_share"] == pytest.approx(0.75)


def test_coverage_summary_lists_each_forces_missing_months_as_runs():
    from cspdash.reports.overview import coverage_summary

    months = {"Avon": ["2023-11", "2023-12", "2024-03", "2024-05", "2024-06", "2024-07", "2024-11", "2025-02"],
              "Kent": ["2024-01", "2024-02"]}
    coverage = pd.DataFrame([{"force": f, "month": m, "rows": 100, "rows_without_location": 2 if f == "Kent" else 0}
                             for f, ms in months.items() for m in ms])
    summary = coverage_summary(coverage.sample(frac=1, random_state=3)).set_index("force")  # any row order
    avon, kent = summary.loc["Avon"], summary.loc["Kent"]
    assert (avon["first_month"], avon["last_month"], avon["months"]) == ("Nov 2023", "Feb 2025", 8)
    # one month, a run within a year, a run across the new year
    assert avon["gaps"] == "Jan–Feb 2024, Apr 2024, Aug–Oct 2024, Dec 2024 – Jan 2025"
    assert avon["rows"] == 800 and avon["share_without_location"] == 0
    assert kent["gaps"] == "none" and kent["rows_without_location"] == 4 and kent["share_without_location"] == 0.02
    assert coverage_summary(coverage.iloc[:0]).empty


def test_coverage_by_force_on_the_command_line(tmp_path, capsys):
    from cspdash import db
    from cspdash.cli import main
    from cspdash.ingest import police_uk
    from tests.unit.test_hotspots_report import write_street_files

    write_street_files(tmp_path / "street")  # 2024-01, 2024-02, 2024-04: March not published
    path = tmp_path / "c.duckdb"
    police_uk.ingest(db.connect(path), [tmp_path / "street"])
    db.close(path)
    assert main(["coverage", "--by-force", "--db", str(path), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("force,first_month,last_month,months,gaps")
    assert lines[1].startswith("Testshire Police,Jan 2024,Apr 2024,3,Mar 2024,")
