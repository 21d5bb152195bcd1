"""Widgets and table formats for the funding page (no database, no cspdash: values in, values out)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import markup
from components.tables import Col

ALL_FUNDERS = "All funders"
ALL_RECIPIENTS = "All recipients"
GROUP_LABELS = {"funder": "Funder", "stream": "Funding stream", "recipient": "Recipient", "priority": "Priority"}

REAL_TERMS_WORDS = (
    "**Real terms** show what each year's money would be worth in one year's prices, so a cut by "
    "inflation shows as a cut. They use HM Treasury's GDP deflator, a measure of how prices across "
    "the whole economy have risen (not only council costs)."
)
FORMULA_WORDS = (
    "Each recipient's share of the pot is its share of the residents × the population weight, plus "
    "its share of recorded crime × the crime weight, plus its share of ASB × the ASB weight (weights "
    "are scaled to add up to 100%). It shows what a needs-based split would give — a what-if to "
    "inform a discussion, not an entitlement. Population comes from the loaded LSOA population "
    "figures; crime and ASB from the police records for the 12 months to the sidebar's end month "
    "(and the sidebar's crime types, when any are chosen)."
)

TREND_COLUMNS = {
    "financial_year": Col("Financial year"),
    "group": Col("Group"),
    "amount": Col("Amount", "gbp"),
    "change_pct": Col("Change on previous year", "change_pct"),
    "provisional": Col("Provisional or not all known", "yes_no"),
    "deflator_forecast": Col("Prices from a forecast deflator", "yes_no", optional=True),  # real terms only
}

RECONCILE_COLUMNS = {
    "financial_year": Col("Year"),
    "scope": Col("What the total covers"),
    "stated": Col("Stated total", "gbp"),
    "sum_of_parts": Col("Sum of the parts", "gbp"),
    "gap": Col("Gap", "gbp_signed"),
    "result": Col("Result"),
    "parts": Col("Parts", "count"),
}

ALLOCATION_COLUMNS = {
    "recipient": Col("Recipient"),
    "matched_area": Col("Matched to"),
    "population": Col("Residents", "count"),
    "crime": Col("Recorded crime", "count"),
    "asb": Col("ASB incidents", "count"),
    "formula_share": Col("Formula share", "share"),
    "formula_gbp": Col("Formula gives", "gbp"),
    "actual_gbp": Col("Actually got", "gbp"),
    "difference_gbp": Col("Got more (+) or less (−) than the formula", "gbp_signed"),
}


def no_grants() -> None:
    st.warning("No grant flows are loaded yet.", icon=":material/payments:")
    st.markdown("Import a grants file with `python -m cspdash grants import FILE` — a tidy CSV "
                "(financial_year, funder, recipient, stream, amount_gbp, status), or a 360Giving CSV or "
                "JSON file — or build the demo with `python -m cspdash demo`.")


def selection(funders: list[str], recipients: list[str]) -> tuple[str, str | None, str | None, bool, object]:
    """Grouping, funder, recipient, cash/real; returns the last column for the base-year picker."""
    cols = st.columns([1, 1.3, 1.3, 1])
    by = cols[0].selectbox("Group the money by", list(GROUP_LABELS), format_func=GROUP_LABELS.get, key="fund_by")
    funder = cols[1].selectbox("Funder", [ALL_FUNDERS] + funders, key="fund_funder")
    recipient = cols[2].selectbox("Recipient", [ALL_RECIPIENTS] + recipients, key="fund_recipient")
    terms = cols[3].radio("Amounts", ["Cash", "Real terms"], horizontal=True, key="fund_terms",
                          help="Cash: the pounds as paid. Real terms: adjusted for inflation.")
    return (by, None if funder == ALL_FUNDERS else funder, None if recipient == ALL_RECIPIENTS else recipient,
            terms == "Real terms", cols[3])


def base_year_picker(years: list[str], forecast_years: list[str], default: str, where) -> str:
    labels = {y: f"{y} (forecast)" if y in forecast_years else y for y in years}
    return where.selectbox("In the prices of", years, index=years.index(default), format_func=labels.get,
                           key="fund_base_year")


def deflator_upload() -> tuple[str, bytes] | None:
    upload = st.file_uploader("Replace the deflator table (CSV with financial_year and index columns; "
                              "optional forecast and edition)", type=["csv"], key="fund_deflators")
    return (upload.name, upload.getvalue()) if upload is not None else None


def deflator_notes(edition: str, first: str, last: str, forecast_years: list[str], problem: str | None) -> None:
    st.markdown(REAL_TERMS_WORDS)
    if problem:
        st.error(f"That table could not be used, so the shipped one is: {markup.plain(problem)}", icon=":material/error:")
    forecast = (f" Years {forecast_years[0]} to {forecast_years[-1]} are forecasts (the OBR's expected "
                "inflation), not yet measured." if forecast_years else "")
    st.caption(f"In use: {markup.plain(edition)}. Covers {first} to {last}.{forecast}")


def year_pair(years: list[str], key: str) -> tuple[str, str]:
    cols = st.columns(2)
    year = cols[0].selectbox("Year", years, index=len(years) - 1, key=f"{key}_year")
    baseline = cols[1].selectbox("Compared with (baseline year)", years, index=0, key=f"{key}_baseline")
    return year, baseline


def allocation_controls(pots: pd.DataFrame) -> tuple[str, str, int | None, dict[str, float]]:
    """Pot (funder and year, or a typed amount) and the three weights."""
    funders = list(dict.fromkeys(pots["funder"]))
    cols = st.columns(3)
    funder = cols[0].selectbox("Pot: money from", funders, key="fund_pot_funder")
    years = list(pots.loc[pots["funder"] == funder, "financial_year"])
    year = cols[1].selectbox("in financial year", years, index=len(years) - 1, key="fund_pot_year")
    typed = cols[2].number_input("Or split this amount (£, whole pounds)", min_value=0, step=1000, value=None,
                                 key="fund_pot_amount", help="Leave empty to split what the recipients actually got.")
    w = st.columns(3)
    weights = {
        "population": w[0].slider("Weight on population (%)", 0, 100, 50, step=5, key="fund_w_pop"),
        "crime": w[1].slider("Weight on recorded crime (%)", 0, 100, 30, step=5, key="fund_w_crime"),
        "asb": w[2].slider("Weight on ASB (%)", 0, 100, 20, step=5, key="fund_w_asb"),
    }
    return funder, year, (int(typed) if typed is not None else None), weights
