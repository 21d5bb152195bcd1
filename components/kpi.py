"""Headline figures: this year against last, with the change said in words."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st


def delta_text(change_pct: float) -> str | None:
    if change_pct is None or math.isnan(change_pct):
        return None
    return f"{change_pct:+.1f}% on the 12 months before"


def comparison_metrics(comparison: pd.DataFrame) -> None:
    """One metric per row of a twelve-vs-twelve table; fewer records shows green (inverse)."""
    cols = st.columns(len(comparison))
    for col, row in zip(cols, comparison.itertuples()):
        value = "–" if math.isnan(row.last_12) else f"{row.last_12:,.0f}"
        col.metric(f"{row.measure}, {row.period_last}", value, delta_text(row.change_pct),
                   delta_color="inverse", border=True,
                   help=f"Previous 12 months ({row.period_previous}): "
                        + ("–" if math.isnan(row.previous_12) else f"{row.previous_12:,.0f}")
                        + (f". {row.note}." if row.note else "."))
