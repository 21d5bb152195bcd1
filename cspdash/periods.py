"""Months: parsing YYYY-MM, month ranges, and the 12-vs-12 comparison windows."""

from __future__ import annotations

from datetime import date

import pandas as pd

from cspdash.errors import InputError

ASB = "Anti-social behaviour"


def parse_month(text: str, what: str = "month") -> date:
    try:
        ts = pd.Timestamp(f"{text.strip()}-01") if len(text.strip()) == 7 else None
    except ValueError:
        ts = None
    if ts is None or pd.isna(ts):
        raise InputError(None, f"{what} {text!r} is not YYYY-MM")
    return ts.date()


def month_range(first: date, last: date) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(first), pd.Timestamp(last), freq="MS")


def add_months(d: date, n: int) -> date:
    return (pd.Timestamp(d) + pd.DateOffset(months=n)).date()


def month_label(d) -> str:
    return pd.Timestamp(d).strftime("%b %Y")
