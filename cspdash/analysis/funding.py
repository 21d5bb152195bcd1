"""Funding analysis: trends in cash and real terms, change against a baseline, Sankey links,
reconciliation of stated totals, and the allocation-formula what-if.

Pure functions over grant-flow frames (the columns of cspdash.ingest.grants.GRANT_COLUMNS);
no database access. A flow whose amount is unknown ("TBC" in a council table) has a NaN
amount: sums skip it, and a group made only of unknowns sums to NaN, never to zero.

Real terms use HM Treasury's GDP deflators at market prices (financial years). The shipped
table is the March 2026 edition (2024-25 = 100; outturn to 2024-25 from ONS series L8GG, later
years the OBR forecast growth compounded, marked forecast); a user may replace it with any
CSV holding financial_year and index columns.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from cspdash.config import REFERENCE_DIR
from cspdash.errors import InputError
from cspdash.fiscal import FinancialYearError, fy_sort_key, normalise_fy
from cspdash.ingest.grants import csv_table

DEFAULT_DEFLATORS = REFERENCE_DIR / "gdp_deflator_hmt_2026-03.csv"
GROUPINGS = ("funder", "recipient", "stream", "priority")
NOT_GIVEN = "(not given)"
_TRUE = {"true", "yes", "y", "1", "forecast"}
_FALSE = {"false", "no", "n", "0", "outturn", ""}


# --------------------------------------------------------------------------------------------
# Deflators and real terms


def load_deflators(path: str | Path = DEFAULT_DEFLATORS) -> pd.DataFrame:
    """Read a GDP deflator table -> DataFrame[financial_year, index, forecast, edition].

    Needs `financial_year` and `index` columns; `forecast` (true/false) is optional and
    otherwise read from an `edition_source` or `status` column mentioning "forecast".
    `edition` defaults to the file name. A year with a blank index is not covered.
    """
    path = Path(path)
    header_line, header, records = csv_table(path)
    keys = [h.strip().lower() for h in header]
    for needed in ("financial_year", "index"):
        if needed not in keys:
            raise InputError(path, f"deflator table without a '{needed}' column "
                                   "(columns: financial_year,index[,forecast,edition])", line=header_line)
    rows, seen = [], {}
    for line, cells in records:
        row = dict(zip(keys, [c.strip() for c in cells] + [""] * (len(keys) - len(cells))))
        try:
            year = normalise_fy(row["financial_year"])
        except FinancialYearError as err:
            raise InputError(path, f"financial_year: {err}", line=line) from None
        if year in seen:
            raise InputError(path, f"{year} appears twice (first on line {seen[year]})", line=line)
        seen[year] = line
        if row["index"] == "":
            continue
        try:
            index = float(row["index"].replace(",", ""))
        except ValueError:
            raise InputError(path, f"index '{row['index']}' is not a number", line=line) from None
        if not math.isfinite(index) or index <= 0:
            raise InputError(path, f"index {row['index']} must be a positive number", line=line)
        rows.append({
            "financial_year": year,
            "index": index,
            "forecast": _forecast_flag(path, line, row),
            "edition": row.get("edition") or path.stem,
        })
    if not rows:
        raise InputError(path, "deflator table has no index values")
    table = pd.DataFrame(rows).sort_values("financial_year", key=_fy_keys, ignore_index=True)
    table = table.astype({"index": "float64", "forecast": "bool", "financial_year": "str", "edition": "str"})
    table.attrs["path"] = str(path)
    return table


def default_base_year(deflators: pd.DataFrame) -> str:
    """The latest outturn (not forecast) year: the prices real terms are shown in by default."""
    outturn = deflators.loc[~deflators["forecast"], "financial_year"]
    years = outturn if len(outturn) else deflators["financial_year"]
    return max(years, key=fy_sort_key)


def to_real_terms(amounts, years, deflators: pd.DataFrame, base_year: str | None = None):
    """Cash amounts -> base-year prices: amount x index[base] / index[year].

    Returns a Series (same index) when given a Series, else a numpy array. A year the table
    does not cover raises InputError naming the table, so the user can extend or replace it.
    """
    base_year = normalise_fy(base_year) if base_year else default_base_year(deflators)
    lookup = dict(zip(deflators["financial_year"], deflators["index"]))
    year_list = [normalise_fy(y) for y in years]
    missing = sorted({y for y in year_list + [base_year] if y not in lookup}, key=fy_sort_key)
    if missing:
        covered = deflators["financial_year"]
        raise InputError(
            deflators.attrs.get("path"),
            f"no GDP deflator for {', '.join(missing)}: the table covers "
            f"{covered.iloc[0]} to {covered.iloc[-1]} (extend it or load a newer edition)",
        )
    factors = np.array([lookup[base_year] / lookup[y] for y in year_list], dtype="float64")
    if isinstance(amounts, pd.Series):
        return amounts.astype("float64") * factors
    return np.asarray(amounts, dtype="float64") * factors


# --------------------------------------------------------------------------------------------
# Trends and baselines


def select_flows(flows: pd.DataFrame, **equals: str | None) -> pd.DataFrame:
    """Rows whose columns equal the given values, ignoring case (None means any)."""
    mask = pd.Series(True, index=flows.index)
    for column, value in equals.items():
        if value is not None:
            mask &= flows[column].str.casefold() == str(value).strip().casefold()
    return flows[mask]


def trend(flows: pd.DataFrame, by: str = "funder", real: bool = False,
          deflators: pd.DataFrame | None = None, base_year: str | None = None) -> pd.DataFrame:
    """Totals by financial year and group -> [financial_year, group, amount, change_pct, provisional].

    change_pct is the % change from the group's previous year present (NaN for its first
    year, or when either amount is unknown or the earlier one is zero). provisional is True
    when any flow in the total is provisional or has an unknown amount. With real=True the
    amounts are in base-year prices and a `deflator_forecast` column marks forecast deflators.
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")
    if real and deflators is None:
        raise ValueError("real terms need a deflator table (see load_deflators)")
    frame = pd.DataFrame({
        "financial_year": flows["financial_year"].astype("str"),
        "group": flows[by].astype("str").fillna(NOT_GIVEN),
        "amount": flows["amount_gbp"].astype("float64"),
        "provisional": (flows["status"] == "provisional") | flows["amount_gbp"].isna(),
    })
    totals = frame.groupby(["financial_year", "group"], as_index=False).agg(
        amount=("amount", lambda a: a.sum(min_count=1)),
        provisional=("provisional", "any"),
    )
    totals = totals.sort_values(["financial_year", "group"], key=_fy_keys_or_text, ignore_index=True)
    if real:
        totals["amount"] = to_real_terms(totals["amount"], totals["financial_year"], deflators, base_year)
    previous = totals.groupby("group")["amount"].shift(1)
    change = (totals["amount"] / previous - 1.0) * 100.0
    totals["change_pct"] = change.where(previous.notna() & (previous != 0))
    columns = ["financial_year", "group", "amount", "change_pct", "provisional"]
    if real:
        forecast = dict(zip(deflators["financial_year"], deflators["forecast"]))
        totals["deflator_forecast"] = totals["financial_year"].map(forecast).astype("bool")
        columns.append("deflator_forecast")
    return totals[columns]


def baseline_change(flows: pd.DataFrame, year: str, baseline_year: str,
                    deflators: pd.DataFrame | None = None, base_year: str | None = None) -> dict:
    """Total of `flows` in `year` against `baseline_year`, in cash and (with deflators) real terms.

    Returns year, baseline_year, cash, cash_baseline, cash_change_pct, real, real_baseline,
    real_change_pct, prices (the base year, None without deflators), provisional,
    provisional_years (which of the two have provisional or unknown parts), deflator_forecast.
    Percentages are NaN when either total is unknown or the baseline is 0.
    """
    year, baseline_year = normalise_fy(year), normalise_fy(baseline_year)
    fy = flows["financial_year"]

    def total(which: str) -> float:
        amounts = flows.loc[fy == which, "amount_gbp"]
        return float(amounts.sum(min_count=1)) if len(amounts) else math.nan

    cash, cash_baseline = total(year), total(baseline_year)
    unsure = (flows["status"] == "provisional") | flows["amount_gbp"].isna()
    provisional_years = [y for y in (baseline_year, year) if (unsure & (fy == y)).any()]
    result = {
        "year": year,
        "baseline_year": baseline_year,
        "cash": cash,
        "cash_baseline": cash_baseline,
        "cash_change_pct": _pct(cash, cash_baseline),
        "real": math.nan,
        "real_baseline": math.nan,
        "real_change_pct": math.nan,
        "prices": None,
        "provisional": bool(provisional_years),
        "provisional_years": provisional_years,
        "deflator_forecast": False,
    }
    if deflators is not None:
        prices = normalise_fy(base_year) if base_year else default_base_year(deflators)
        real, real_baseline = to_real_terms([cash, cash_baseline], [year, baseline_year], deflators, prices)
        forecast = dict(zip(deflators["financial_year"], deflators["forecast"]))
        result.update(
            real=float(real), real_baseline=float(real_baseline),
            real_change_pct=_pct(real, real_baseline), prices=prices,
            deflator_forecast=bool(forecast[year] or forecast[baseline_year] or forecast[prices]),
        )
    return result


def baseline_sentence(change: dict) -> str:
    """Plain words for baseline_change(): '2012-13 is 60% below 2010-11 in cash, 61% in real
    terms (2024-25 prices).' followed by a note when figures are provisional or a deflator is
    a forecast. Percentages are rounded to whole numbers."""
    year, baseline = change["year"], change["baseline_year"]
    if math.isnan(change["cash"]):
        return f"There are no figures for {year}."
    if math.isnan(change["cash_baseline"]):
        return f"There are no figures for {baseline} to compare {year} with."
    if change["cash_baseline"] == 0:
        return f"{baseline} had no funding, so {year} cannot be given as a % change from it."
    cash_words = _change_words(change["cash_change_pct"])
    sentence = f"{year} is {cash_words} {baseline} in cash"
    real_pct = change["real_change_pct"]
    if change.get("prices") and not math.isnan(real_pct):
        real_words = _change_words(real_pct)
        prices = f"({change['prices']} prices)"
        if real_words.split()[-1] == cash_words.split()[-1]:  # same direction: say only the size
            size = "about the same" if real_words.startswith("about") else real_words.rsplit(" ", 1)[0]
            sentence += f", {size} in real terms {prices}"
        else:
            sentence += f", but {real_words.replace(' as', '')} in real terms {prices}"
    notes = [sentence + "."]
    unsure = change.get("provisional_years") or ([year] if change["provisional"] else [])
    if unsure:
        notes.append(f"The {' and '.join(unsure)} figures are provisional or not all known yet.")
    if change.get("deflator_forecast"):
        notes.append("The real-terms figure uses a forecast deflator.")
    return " ".join(notes)


# --------------------------------------------------------------------------------------------
# Sankey and reconciliation


def sankey_links(flows: pd.DataFrame, levels=("funder", "recipient", "priority")) -> pd.DataFrame:
    """Links between consecutive levels -> DataFrame[source, target, value].

    Flows with an unknown amount, or with no value at either end of a link, add nothing to
    that link: money with no priority stops at its recipient. Where a recipient passes money
    on (it is also a funder), its links chain: Home Office -> council -> CSP.
    """
    known = flows[flows["amount_gbp"].notna()]
    links = []
    for left, right in zip(levels, levels[1:]):
        pair = known[known[left].notna() & known[right].notna()]
        summed = pair.groupby([left, right], as_index=False)["amount_gbp"].sum()
        links.append(summed.set_axis(["source", "target", "value"], axis=1))
    if not links:
        return pd.DataFrame({"source": pd.Series(dtype="str"), "target": pd.Series(dtype="str"),
                             "value": pd.Series(dtype="float64")})
    out = pd.concat(links, ignore_index=True)
    out = out[out["value"] > 0]
    return out.sort_values(["value", "source", "target"], ascending=[False, True, True], ignore_index=True)


def reconcile(flows: pd.DataFrame, stated_totals: pd.DataFrame, tolerance_gbp: float = 0.5) -> pd.DataFrame:
    """Stated totals against the sum of their parts.

    -> DataFrame[source, financial_year, scope, stated, sum_of_parts, gap, flag, parts, note]
    The parts of a total are the flows in its year matching its funder/recipient/stream filters
    ('|' separates alternatives; blank matches anything). gap = sum_of_parts - stated. flag is
    True when the gap exceeds the tolerance, a part is unknown (TBC), or nothing matches.
    """
    rows = []
    for _, stated in stated_totals.iterrows():
        mask = flows["financial_year"] == stated["financial_year"]
        for column in ("funder", "recipient", "stream"):
            wanted = stated.get(column)
            if isinstance(wanted, str) and wanted.strip():
                options = {w.strip().casefold() for w in wanted.split("|")}
                mask &= flows[column].str.casefold().isin(options)
        parts = flows.loc[mask, "amount_gbp"]
        unknown = int(parts.isna().sum())
        total = float(parts.sum()) if len(parts) else math.nan
        gap = total - float(stated["stated_gbp"])
        flag = bool(len(parts) == 0 or unknown > 0 or abs(gap) > tolerance_gbp)
        rows.append({
            "source": stated["source"],
            "financial_year": stated["financial_year"],
            "scope": stated["scope"],
            "stated": float(stated["stated_gbp"]),
            "sum_of_parts": total,
            "gap": gap,
            "flag": flag,
            "parts": int(len(parts)),
            "note": _reconcile_note(len(parts), unknown, total, float(stated["stated_gbp"]), gap,
                                    tolerance_gbp),
        })
    columns = ["source", "financial_year", "scope", "stated", "sum_of_parts", "gap", "flag", "parts", "note"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"stated": "float64", "sum_of_parts": "float64", "gap": "float64", "flag": "bool", "parts": "int64"})


# --------------------------------------------------------------------------------------------
# Allocation formula what-if


def needs_table(counts: pd.DataFrame, population: pd.DataFrame,
                crime_types: list[str] | None = None,
                asb_type: str = "Anti-social behaviour") -> pd.DataFrame:
    """Need indicators per recipient -> DataFrame[recipient, population, crime, asb].

    counts: [recipient, crime_type, count] (recorded crime and ASB by partnership or district);
    population: [recipient, population]. crime counts only `crime_types` when given (the
    partnership's priority categories), never ASB; a recipient with no records counts 0.
    """
    is_asb = counts["crime_type"] == asb_type
    crime_rows = counts[~is_asb]
    if crime_types is not None:
        crime_rows = crime_rows[crime_rows["crime_type"].isin(crime_types)]
    crime = crime_rows.groupby("recipient")["count"].sum()
    asb = counts[is_asb].groupby("recipient")["count"].sum()
    out = population[["recipient", "population"]].copy()
    out["crime"] = out["recipient"].map(crime).fillna(0).astype("float64")
    out["asb"] = out["recipient"].map(asb).fillna(0).astype("float64")
    return out.reset_index(drop=True)


def allocation_whatif(pot_gbp: float, needs: pd.DataFrame, weights: dict[str, float],
                      actual: pd.DataFrame | None = None) -> pd.DataFrame:
    """Split a pot by a needs formula and set it beside what each recipient actually got.

    -> DataFrame[recipient, formula_share, formula_gbp, actual_gbp, difference_gbp]
    Each weighted need (a column of `needs`) becomes shares of its total; formula_share is the
    weighted sum of those shares (weights scaled to sum to 1), so shares sum to 1. formula_gbp
    is whole pounds summing exactly to the pot (largest remainder). difference_gbp = actual -
    formula (positive: got more than the formula gives). `actual` is [recipient, amount];
    a recipient missing from it has NaN actual; one missing from `needs` is listed with NaN
    formula figures.
    """
    pot = float(pot_gbp)
    if not math.isfinite(pot) or pot < 0 or not pot.is_integer():
        raise ValueError(f"the pot must be a whole number of pounds, not {pot_gbp!r}")
    if needs["recipient"].duplicated().any():
        dupes = needs.loc[needs["recipient"].duplicated(), "recipient"].tolist()
        raise ValueError(f"recipients listed twice in the needs table: {dupes}")
    used = {k: float(w) for k, w in weights.items() if float(w) != 0}
    if any(w < 0 for w in used.values()):
        raise ValueError("weights cannot be negative")
    if not used:
        raise ValueError("give at least one need a weight above zero")
    share = np.zeros(len(needs))
    weight_total = sum(used.values())
    for column, weight in used.items():
        if column not in needs.columns:
            raise ValueError(f"the needs table has no '{column}' column")
        values = pd.to_numeric(needs[column], errors="coerce").to_numpy(dtype="float64")
        if np.isnan(values).any() or (values < 0).any():
            raise ValueError(f"'{column}' needs a non-negative number for every recipient")
        if values.sum() == 0:
            raise ValueError(f"'{column}' is zero for every recipient, so it cannot share anything")
        share += (weight / weight_total) * values / values.sum()
    out = pd.DataFrame({
        "recipient": needs["recipient"].to_numpy(),
        "formula_share": share,
        "formula_gbp": _largest_remainder(pot * share, int(pot)),
    })
    if actual is not None:
        got = actual.groupby("recipient")["amount"].sum(min_count=1)
        extra = sorted(set(got.index) - set(out["recipient"]))
        if extra:
            out = pd.concat([out, pd.DataFrame({"recipient": extra})], ignore_index=True)
        out["actual_gbp"] = out["recipient"].map(got).astype("float64")
    else:
        out["actual_gbp"] = np.nan
    out["formula_gbp"] = out["formula_gbp"].astype("float64")
    out["difference_gbp"] = out["actual_gbp"] - out["formula_gbp"]
    return out[["recipient", "formula_share", "formula_gbp", "actual_gbp", "difference_gbp"]]


def _largest_remainder(exact: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers summing to `total`, each the floor of its exact value or one more."""
    floors = np.floor(exact + 1e-9)  # 1e-9 stops 99.99999999 (float noise) losing a pound
    left = int(round(total - floors.sum()))
    # Ties go to the earlier row, so the result never depends on sort instability.
    order = np.lexsort((np.arange(len(exact)), -(exact - floors)))
    floors[order[:left]] += 1
    return floors.astype("int64")


# --------------------------------------------------------------------------------------------
# Small helpers


def _forecast_flag(path: Path, line: int, row: dict) -> bool:
    if "forecast" in row:
        text = row["forecast"].strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise InputError(path, f"forecast '{row['forecast']}' must be true or false", line=line)
    hint = (row.get("edition_source", "") + " " + row.get("status", "")).lower()
    return "forecast" in hint


def _pct(value: float, base: float) -> float:
    if math.isnan(value) or math.isnan(base) or base == 0:
        return math.nan
    return float((value / base - 1.0) * 100.0)


def _change_words(pct: float) -> str:
    size = round(abs(pct))
    if size == 0:
        return "about the same as"
    return f"{size}% {'above' if pct > 0 else 'below'}"


def _reconcile_note(parts: int, unknown: int, total: float, stated: float, gap: float,
                    tolerance: float) -> str:
    if parts == 0:
        return "no flows match this total"
    if unknown:
        return f"{unknown} of {parts} parts not yet known (TBC): the sum is incomplete"
    if abs(gap) <= tolerance:
        return f"parts add up to the stated {_money(stated)}"
    more_less = "more" if gap > 0 else "less"
    return f"parts add up to {_money(total)}, {_money(abs(gap))} {more_less} than the stated {_money(stated)}"


def _money(value: float) -> str:
    return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"


def _fy_keys(years: pd.Series) -> pd.Series:
    return years.map(fy_sort_key)


def _fy_keys_or_text(column: pd.Series) -> pd.Series:
    return column.map(fy_sort_key) if column.name == "financial_year" else column.str.casefold()
