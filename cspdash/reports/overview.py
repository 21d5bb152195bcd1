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
