"""Month lists for pickers (UI-side; the core has its own period maths)."""

from __future__ import annotations

from datetime import date

import pandas as pd


def months_between(first: date, last: date) -> list[date]:
    return [ts.date() for ts in pd.date_range(pd.Timestamp(first), pd.Timestamp(last), freq="MS")]
