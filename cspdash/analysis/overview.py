"""The overview's numbers: 12 months against the 12 before, monthly trends, district shares.

A month the force did not publish is missing (NaN), never zero: a false zero would read as a
fall in crime. Windows with missing months are compared on their monthly average, and say so.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from cspdash.periods import ASB, add_months, month_label, month_range

CRIME = "Crime (excluding ASB)"


def monthly_by_type(by_month_type: pd.DataFrame, covered: pd.Series, first: date, last: date) -> pd.DataFrame:
    """Wide table month × crime type over [first, last]; uncovered months are NaN, covered-but-absent 0."""
    months = month_range(first, last)
    wide = (
        by_month_type.assign(month=pd.to_datetime(by_month_type["month"]))
        .pivot_table(index="month", columns="crime_type", values="n", aggfunc="sum")
        .reindex(months)
    )
    covered_idx = pd.DatetimeIndex(pd.to_datetime(covered))
    is_covered = wide.index.isin(covered_idx)
    wide.loc[is_covered] = wide.loc[is_covered].fillna(0)
    wide.loc[~is_covered] = np.nan
    wide.index.name = "month"
    return wide


def monthly_totals(wide: pd.DataFrame) -> pd.DataFrame:
    """month, crime (excluding ASB), asb, total — NaN where the month was not published."""
    asb = wide[ASB] if ASB in wide else pd.Series(0.0, index=wide.index)
    total = wide.sum(axis=1, min_count=1)
    covered = wide.notna().any(axis=1) | (wide.shape[1] == 0)
    out = pd.DataFrame({"crime": total - asb.fillna(0), "asb": asb, "total": total}, index=wide.index)
    out.loc[~covered] = np.nan
    out.loc[covered & out["total"].isna()] = 0.0
    return out


def twelve_vs_twelve(totals: pd.DataFrame, last: date) -> pd.DataFrame:
    """Crime and ASB in the 12 months to `last` against the 12 before, with % change."""
    end = pd.Timestamp(last)
    now = totals.loc[pd.Timestamp(add_months(last, -11)): end]
    before = totals.loc[pd.Timestamp(add_months(last, -23)): pd.Timestamp(add_months(last, -12))]
    rows = []
    for col, label in (("crime", CRIME), ("asb", ASB)):
        a, b = now[col].dropna(), before[col].dropna()
        n_a, n_b = len(a), len(b)
        full = n_a == 12 and n_b == 12
        if n_a and n_b:
            # With missing months, compare like with like: the average month in each window.
            cur_v, prev_v = (a.sum(), b.sum()) if full else (a.mean() * 12, b.mean() * 12)
            change = (cur_v - prev_v) / prev_v * 100 if prev_v else np.nan
        else:
            cur_v = a.sum() if n_a else np.nan
            prev_v = b.sum() if n_b else np.nan
            change = np.nan
        rows.append({
            "measure": label,
            "last_12": cur_v, "previous_12": prev_v, "change_pct": change,
            "months_last": n_a, "months_previous": n_b,
            "period_last": f"{month_label(add_months(last, -11))} – {month_label(last)}",
            "period_previous": f"{month_label(add_months(last, -23))} – {month_label(add_months(last, -12))}",
            "note": "" if full else (
                "not enough months loaded to compare" if not (n_a and n_b) else
                f"based on {n_a} and {n_b} of 12 months published: monthly averages scaled to a year"),
        })
    return pd.DataFrame(rows)


def change_sentence(row: pd.Series) -> str:
    """'Crime (excluding ASB): 24,310 in Jan–Dec 2025, 6.1% fewer than the 12 months before.'"""
    if np.isnan(row["change_pct"]):
        return f"{row['measure']}: {row['note']}."
    direction = "more" if row["change_pct"] > 0 else "fewer"
    approx = "about " if row["note"] else ""
    return (f"{row['measure']}: {approx}{row['last_12']:,.0f} in {row['period_last']}, "
            f"{abs(row['change_pct']):.1f}% {direction} than the 12 months before ({approx}{row['previous_12']:,.0f}).")


def district_shares(by_district: pd.DataFrame) -> pd.DataFrame:
    """district, crimes, asb, records, share of the area's crime, share of its ASB (fractions)."""
    out = by_district.fillna({"crimes": 0, "asb": 0, "records": 0}).copy()
    for col, share in (("crimes", "crime_share"), ("asb", "asb_share")):
        total = out[col].sum()
        out[share] = out[col] / total if total else np.nan
    return out.sort_values("records", ascending=False).reset_index(drop=True)
