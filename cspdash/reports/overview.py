"""The overview and about pages: results composed from queries and analysis, shared by CLI and app.

The app calls exactly these functions (through app_data.py), so every number on a page can be
reproduced with `python -m cspdash ...`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from cspdash import areas, sql
from cspdash.analysis import overview as ov
from cspdash.periods import add_months, month_label, parse_month


@dataclass
class Overview:
    area: areas.Area
    first: date
    last: date
    months_covered: list[date]
    comparison: pd.DataFrame     # twelve_vs_twelve
    by_type: pd.DataFrame        # wide month × crime type (NaN = not published)
    totals: pd.DataFrame         # month, crime, asb, total
    districts: pd.DataFrame      # district shares over the last 12 months

    def sentences(self) -> list[str]:
        return [ov.change_sentence(row) for _, row in self.comparison.iterrows()]

    def missing_months(self) -> list[str]:
        """Months in the 24-month window that the area's force(s) did not publish."""
        gaps = self.totals.index[self.totals["total"].isna()]
        return [month_label(m) for m in gaps]


def loaded_months(cur) -> tuple[date | None, date | None]:
    first, last = sql.run(cur, "app/month_range").fetchone()
    return first, last


def months_covered(cur, area: areas.Area) -> list[date]:
    return list(sql.df(cur, "app/months_covered", **areas.area_params(area))["month"].dt.date)


def overview(cur, area_name: str | None = None, *, to_month: str | date | None = None,
             area: areas.Area | None = None, types: list[str] | None = None) -> Overview:
    area = area or areas.resolve(cur, area_name)
    _, latest = loaded_months(cur)
    if latest is None:
        latest = date.today().replace(day=1)
    last = parse_month(to_month, "--to") if isinstance(to_month, str) else (to_month or latest)
    first = add_months(last, -23)
    params = areas.filter_params(area, first, last, types)
    by_month_type = sql.df(cur, "app/crime_by_month_type", **params)
    covered = months_covered(cur, area)
    wide = ov.monthly_by_type(by_month_type, pd.Series(covered, dtype="datetime64[ns]"), first, last)
    totals = ov.monthly_totals(wide)
    comparison = ov.twelve_vs_twelve(totals, last)
    last12 = areas.filter_params(area, add_months(last, -11), last, types)
    districts = ov.district_shares(sql.df(cur, "app/crime_by_district", **last12))
    return Overview(area, first, last, covered, comparison, wide, totals, districts)


def coverage_table(cur) -> pd.DataFrame:
    frame = sql.df(cur, "app/coverage_by_force")
    frame["month"] = pd.to_datetime(frame["month"]).dt.strftime("%Y-%m")
    return frame


COVERAGE_SUMMARY_COLUMNS = ["force", "first_month", "last_month", "months", "gaps", "rows", "rows_without_location",
                            "share_without_location"]


def coverage_summary(coverage: pd.DataFrame) -> pd.DataFrame:
    """One row per force from coverage_table: its first and last month loaded, how many months, the months
    missing between them (runs of months written as ranges, "none" without a gap), its records, and how many
    and what share had no location. A reader sees at once which force-months are missing, which the
    every-month table (43 forces x 36 months nationally) hides in its length."""
    rows = []
    for force, part in coverage.groupby("force", sort=True):
        months = pd.PeriodIndex(part["month"], freq="M").sort_values()
        loaded = set(months)
        span = pd.period_range(months[0], months[-1], freq="M")
        missing = [m for m in span if m not in loaded]
        records, without = int(part["rows"].sum()), int(part["rows_without_location"].sum())
        rows.append({"force": force, "first_month": months[0].strftime("%b %Y"),
                     "last_month": months[-1].strftime("%b %Y"), "months": len(loaded), "gaps": _runs(missing),
                     "rows": records, "rows_without_location": without,
                     "share_without_location": without / records if records else None})
    return pd.DataFrame(rows, columns=COVERAGE_SUMMARY_COLUMNS)


def _runs(months: list[pd.Period]) -> str:
    """Months as runs: "Mar 2024, Jun–Aug 2024, Dec 2024 – Feb 2025"; "none" for no months."""
    if not months:
        return "none"
    runs, start = [], months[0]
    for before, month in zip(months, months[1:] + [None]):
        if month is None or month != before + 1:
            if start == before:
                runs.append(start.strftime("%b %Y"))
            elif start.year == before.year:
                runs.append(f"{start.strftime('%b')}–{before.strftime('%b %Y')}")
            else:
                runs.append(f"{start.strftime('%b %Y')} – {before.strftime('%b %Y')}")
            start = month
    return ", ".join(runs)
