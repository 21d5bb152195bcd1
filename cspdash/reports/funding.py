"""The funding page: where the money came from and went, composed from queries and the funding core.

The app (through app_data.py) and `python -m cspdash grants ...` call exactly these functions, so
every figure on the page can be reproduced on the command line.

Money passed on is counted at each step of the flow model (Home Office -> county council ->
CSPs): a trend over every funder adds both steps. Pick a funder or a recipient to follow one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from cspdash import areas, sql
from cspdash.analysis import funding as fa
from cspdash.errors import InputError
from cspdash.fiscal import fy_sort_key, fy_start, normalise_fy
from cspdash.ingest.grants import ALL_COLUMNS, to_360giving_csv
from cspdash.periods import ASB, add_months
from cspdash.reports.overview import loaded_months, months_covered

TOTAL = "All selected flows"
WEIGHTS = ("population", "crime", "asb")


# --------------------------------------------------------------------------------------------
# Flows and choices


def flows(cur, funder: str | None = None, recipient: str | None = None) -> pd.DataFrame:
    """Grant flows (the reader's columns), optionally for one funder and/or recipient."""
    frame = sql.df(cur, "app/grants_flows", funder=funder or None, recipient=recipient or None)
    frame = frame.reindex(columns=ALL_COLUMNS)
    frame["amount_gbp"] = pd.to_numeric(frame["amount_gbp"]).astype("float64")
    for column in ALL_COLUMNS:
        if column not in ("amount_gbp", "award_date"):
            frame[column] = frame[column].astype("str")
    return frame


@dataclass
class Choices:
    funders: list[str]
    recipients: list[str]
    years: list[str]                 # every financial year with a flow, oldest first
    provisional_years: list[str]     # years with a provisional or not-yet-known figure
    flows: int


def choices(cur) -> Choices:
    data = flows(cur)
    unsure = (data["status"] == "provisional") | data["amount_gbp"].isna()
    return Choices(
        funders=sorted(data["funder"].unique(), key=str.casefold),
        recipients=sorted(data["recipient"].unique(), key=str.casefold),
        years=_sorted_years(data["financial_year"]),
        provisional_years=_sorted_years(data.loc[unsure, "financial_year"]),
        flows=len(data),
    )


# --------------------------------------------------------------------------------------------
# Deflators


def deflators(path=None) -> pd.DataFrame:
    """The HM Treasury GDP deflator table (the shipped March 2026 edition unless a path is given)."""
    return fa.load_deflators(path or fa.DEFAULT_DEFLATORS)


@dataclass
class DeflatorInfo:
    edition: str
    first: str
    last: str
    years: list[str]
    forecast_years: list[str]
    default_base_year: str


def deflator_info(table: pd.DataFrame) -> DeflatorInfo:
    years = list(table["financial_year"])
    return DeflatorInfo(
        edition=str(table["edition"].iloc[0]), first=years[0], last=years[-1], years=years,
        forecast_years=list(table.loc[table["forecast"], "financial_year"]),
        default_base_year=fa.default_base_year(table),
    )


# --------------------------------------------------------------------------------------------
# Trends and change


@dataclass
class TrendView:
    by: str
    real: bool
    prices: str | None              # base year of real terms, None in cash
    table: pd.DataFrame             # financial_year, group, amount, change_pct, provisional[, deflator_forecast]
    totals: pd.DataFrame            # the same for all selected flows together (group = TOTAL)
    edition: str | None = None
    problem: str | None = None      # why real terms could not be shown (the table is then in cash)

    def cli_table(self) -> pd.DataFrame:
        return self.table[["financial_year", "group", "amount", "change_pct"]]

    def years(self) -> list[str]:
        """The financial years this selection has flows in, oldest first."""
        return list(self.totals["financial_year"])

    def provisional_years(self) -> list[str]:
        return list(self.totals.loc[self.totals["provisional"], "financial_year"])

    def forecast_years(self) -> list[str]:
        if "deflator_forecast" not in self.totals:
            return []
        return list(self.totals.loc[self.totals["deflator_forecast"], "financial_year"])

    def sentences(self) -> list[str]:
        """The latest year against the one before, in plain words."""
        known = self.totals[self.totals["amount"].notna()]
        if known.empty:
            return ["No amounts are known for this selection yet."]
        last = known.iloc[-1]
        terms = f"in {self.prices} prices" if self.real else "in cash"
        out = f"{last['financial_year']}: {money(last['amount'])} {terms}"
        if len(known) > 1 and not math.isnan(last["change_pct"]):
            previous = known.iloc[-2]["financial_year"]
            out += f", {_pct_words(last['change_pct'])} {previous}"
        out += "."
        if last["provisional"]:
            out += f" Some {last['financial_year']} figures are provisional or not yet known."
        return [out]


def trend_view(cur, by: str = "funder", funder: str | None = None, recipient: str | None = None,
               real: bool = False, base_year: str | None = None,
               deflator_table: pd.DataFrame | None = None) -> TrendView:
    """Totals per financial year and group (cash, or real terms in base-year prices)."""
    if by not in fa.GROUPINGS:
        raise InputError(None, f"--by must be one of {', '.join(fa.GROUPINGS)}, not {by!r}")
    data = flows(cur, funder, recipient)
    table = deflator_table if deflator_table is not None else (deflators() if real else None)
    problem = None
    if real:
        try:
            prices = normalise_fy(base_year) if base_year else fa.default_base_year(table)
            grouped = fa.trend(data, by, real=True, deflators=table, base_year=prices)
            totals = fa.trend(data.assign(funder=TOTAL), "funder", real=True, deflators=table, base_year=prices)
            return TrendView(by, True, prices, _rounded(grouped), _rounded(totals),
                             edition=str(table["edition"].iloc[0]))
        except InputError as err:
            problem = err.one_line()
        except ValueError as err:  # a base year that is not a financial year
            problem = str(err)
    grouped = fa.trend(data, by)
    totals = fa.trend(data.assign(funder=TOTAL), "funder")
    return TrendView(by, False, None, _rounded(grouped), _rounded(totals), problem=problem)


def baseline(cur, year: str, baseline_year: str, funder: str | None = None, recipient: str | None = None,
             base_year: str | None = None, deflator_table: pd.DataFrame | None = None) -> tuple[dict, str]:
    """One year against a chosen baseline year, in cash and real terms, and the sentence."""
    data = flows(cur, funder, recipient)
    table = deflator_table if deflator_table is not None else deflators()
    try:
        change = fa.baseline_change(data, year, baseline_year, table, base_year)
    except InputError:  # the deflator table does not cover a year: say it in cash only
        change = fa.baseline_change(data, year, baseline_year)
    return change, fa.baseline_sentence(change)


# --------------------------------------------------------------------------------------------
# Sankey, reconciliation, export


def sankey(cur, year: str, funder: str | None = None, recipient: str | None = None) -> pd.DataFrame:
    """Links funder -> recipient -> priority for one year: source, target, value (£)."""
    data = flows(cur, funder, recipient)
    return fa.sankey_links(data[data["financial_year"] == normalise_fy(year)])


@dataclass
class Reconciliation:
    table: pd.DataFrame     # reconcile() columns plus `result` in words

    def sentences(self) -> list[str]:
        if self.table.empty:
            return ["No source states a total to check yet: import a stated-totals CSV "
                    "(source, financial_year, scope, stated_gbp, funder, recipient, stream)."]
        flagged = self.table[self.table["flag"]]
        head = (f"{len(flagged)} of {len(self.table)} stated totals do not match the sum of their parts."
                if len(flagged) else f"All {len(self.table)} stated totals match the sum of their parts.")
        return [head] + [f"{r.financial_year}, {r.scope}: {r.note}." for r in flagged.itertuples()]


def reconciliation(cur) -> Reconciliation:
    table = fa.reconcile(flows(cur), sql.df(cur, "app/grants_stated_totals"))
    table["result"] = [
        "no parts found" if parts == 0 else "incomplete (TBC parts)" if "not yet known" in note
        else "gap" if flag else "adds up"
        for parts, note, flag in zip(table["parts"], table["note"], table["flag"])
    ]
    return Reconciliation(table)


def export_360giving(cur, funder: str | None = None, recipient: str | None = None,
                     year: str | None = None) -> tuple[str, int]:
    """A 360Giving CSV of the selection, and how many flows were left out as not yet known."""
    data = flows(cur, funder, recipient)
    if year:
        data = data[data["financial_year"] == normalise_fy(year)]
    return to_360giving_csv(data), int(data["amount_gbp"].isna().sum())


# --------------------------------------------------------------------------------------------
# Allocation what-if


@dataclass
class Allocation:
    year: str
    funder: str
    pot: int
    pot_given: bool                   # True when the user typed the pot instead of the actual total
    weights: dict[str, float]
    date_from: date | None
    date_to: date | None
    months_covered: int
    crime_types: list[str] | None
    table: pd.DataFrame               # recipient, matched_area, population, crime, asb, formula_share, formula_gbp, actual_gbp, difference_gbp
    unmatched: list[str] = field(default_factory=list)      # recipients with no partnership/district here
    no_data: list[str] = field(default_factory=list)        # matched, but nothing recorded for them
    left_out_gbp: float = 0.0
    provisional: bool = False
    problem: str | None = None

    def sentences(self) -> list[str]:
        if self.problem:
            return [self.problem]
        total = sum(self.weights.values()) or 1.0
        terms = ", ".join(f"{_WEIGHT_WORDS[k]} {100 * w / total:.0f}%" for k, w in self.weights.items() if w)
        period = (f"the 12 months {self.date_from:%b %Y} to {self.date_to:%b %Y}" if self.date_from else "")
        out = [f"Splitting {money(self.pot)} ({'the amount you chose' if self.pot_given else f'what {self.funder} gave these recipients in {self.year}'}) "
               f"by {terms}" + (f", with crime and ASB counted over {period}" if period and
                                (self.weights.get('crime') or self.weights.get('asb')) else "") + "."]
        if self.date_from and self.months_covered < 12 and (self.weights.get("crime") or self.weights.get("asb")):
            out.append(f"Only {self.months_covered} of those 12 months are loaded: the counts are for those months.")
        if self.unmatched:
            out.append("Not matched to a partnership or district in the database, so left out: "
                       + ", ".join(self.unmatched) + f" ({money(self.left_out_gbp)} between them).")
        if self.no_data:
            out.append("Matched but with no population or records loaded, so left out: " + ", ".join(self.no_data) + ".")
        if self.provisional:
            out.append(f"Some {self.year} amounts were provisional when published.")
        return out


_WEIGHT_WORDS = {"population": "population", "crime": "recorded crime", "asb": "ASB"}
_DROP_WORDS = re.compile(
    r"\b(community safety partnership|safer communities partnership|csp|partnership|"
    r"city council|district council|borough council|county council|council|county of|the)\b")


def match_name(name: str) -> str:
    """A place name without the words that differ between a grant recipient and a partnership:
    'North Worcestershire CSP' and 'North Worcestershire' -> 'north worcestershire';
    'Herefordshire, County of' -> 'herefordshire'."""
    text = str(name).casefold().replace("&", " and ").replace("’", "'").replace("'", "")
    text = _DROP_WORDS.sub(" ", re.sub(r"[^\w\s]", " ", text))
    return " ".join(text.split())


def recipient_areas(recipients: list[str], members: pd.DataFrame, districts: list[str],
                    on: date) -> dict[str, tuple[str, list[str]]]:
    """Recipient -> (matched partnership or district, its districts on `on`) for those that match.

    A partnership is taken as it stood on `on` (the start of the pot's year): Bromsgrove CSP in
    2010-11 is the district of Bromsgrove; North Worcestershire from 2012 is three districts.
    A partnership with no membership on that day is taken with its current (or last) districts.
    """
    out = {}
    by_partnership = {match_name(p): p for p in members["partnership"].unique()} if len(members) else {}
    by_district = {match_name(d): d for d in districts}
    for recipient in recipients:
        key = match_name(recipient)
        if key and key in by_partnership:
            name = by_partnership[key]
            rows = members[members["partnership"] == name]
            start, end, day = pd.to_datetime(rows["valid_from"]), pd.to_datetime(rows["valid_to"]), pd.Timestamp(on)
            valid = rows[(start.isna() | (start <= day)) & (end.isna() | (end >= day))]
            if valid.empty:
                current = rows[rows["valid_to"].isna()]
                valid = current if len(current) else rows[end == end.max()]
            out[recipient] = (f"{name} (partnership)", sorted(valid["district"].unique()))
        elif key and key in by_district:
            out[recipient] = (f"{by_district[key]} (district)", [by_district[key]])
    return out


def allocation(cur, year: str, funder: str, weights: dict[str, float], *, pot: int | None = None,
               to_month: date | None = None, crime_types: list[str] | None = None) -> Allocation:
    """Split a pot by a needs formula (population, recorded crime, ASB per partnership or district
    from the database) and set each recipient's formula share beside what it actually got."""
    year = normalise_fy(year)
    weights = {k: float(weights.get(k, 0) or 0) for k in WEIGHTS}
    data = flows(cur, funder=funder)
    data = data[data["financial_year"] == year]
    if to_month is None:
        to_month = loaded_months(cur)[1]
    date_from = add_months(to_month, -11) if to_month else None
    result = Allocation(year, funder, 0, pot is not None, weights, date_from, to_month, 0,
                        [t for t in crime_types if t != ASB] if crime_types else None,
                        _empty_allocation())
    if data.empty:
        result.problem = f"{funder} gave nothing recorded here in {year}: choose another year or funder."
        return result
    result.provisional = bool(((data["status"] == "provisional") | data["amount_gbp"].isna()).any())
    got = data.groupby("recipient")["amount_gbp"].sum(min_count=1)
    members = sql.df(cur, "app/grants_partnership_members")
    population = sql.df(cur, "app/grants_district_population")
    counts = (sql.df(cur, "app/grants_district_counts", date_from=date_from, date_to=to_month)
              if to_month else pd.DataFrame(columns=["district", "crime_type", "count"]))
    known_districts = sorted(set(population["district"]) | set(counts["district"]))
    matched = recipient_areas(sorted(got.index, key=str.casefold), members, known_districts, fy_start(year))
    result.unmatched = [r for r in sorted(got.index, key=str.casefold) if r not in matched]
    result.left_out_gbp = float(got.reindex(result.unmatched).sum())
    if to_month:
        window = [m for m in months_covered(cur, areas.ALL) if date_from <= m <= to_month]
        result.months_covered = len(window)

    pop_by = population.set_index("district")["population"]
    rows, need_counts = [], []
    for recipient, (area_name, districts) in matched.items():
        people = float(pop_by.reindex(districts).fillna(0).sum())
        mine = counts[counts["district"].isin(districts)]
        if people == 0 and mine["count"].sum() == 0:
            result.no_data.append(recipient)
            continue
        rows.append({"recipient": recipient, "matched_area": area_name, "population": people})
        need_counts.append(mine.assign(recipient=recipient)[["recipient", "crime_type", "count"]])
    if not rows:
        result.problem = (f"None of {funder}'s {year} recipients could be matched to a partnership or "
                          "district with population or crime data in the database.")
        return result
    needs = fa.needs_table(pd.concat(need_counts, ignore_index=True) if need_counts else
                           pd.DataFrame(columns=["recipient", "crime_type", "count"]),
                           pd.DataFrame(rows), crime_types=result.crime_types, asb_type=ASB)
    actual = pd.DataFrame({"recipient": needs["recipient"], "amount": got.reindex(needs["recipient"]).to_numpy()})
    result.left_out_gbp = float(got.reindex(result.unmatched + result.no_data).sum())
    total_actual = actual["amount"].sum()
    result.pot = int(pot) if pot is not None else int(round(total_actual))
    try:
        split = fa.allocation_whatif(result.pot, needs, weights, actual)
    except ValueError as err:
        result.problem = str(err)[:1].upper() + str(err)[1:] + "."
        return result
    table = needs.merge(split, on="recipient", how="right")
    table.insert(1, "matched_area", table["recipient"].map({r: a for r, (a, _) in matched.items()}))
    result.table = table[_ALLOCATION_COLUMNS]
    return result


_ALLOCATION_COLUMNS = ["recipient", "matched_area", "population", "crime", "asb", "formula_share",
                       "formula_gbp", "actual_gbp", "difference_gbp"]


def _empty_allocation() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str" if c in ("recipient", "matched_area") else "float64")
                         for c in _ALLOCATION_COLUMNS})


def funder_years(cur) -> pd.DataFrame:
    """funder, financial_year, amount: the pots a what-if can re-split (known amounts only)."""
    data = flows(cur)
    out = data.groupby(["funder", "financial_year"], as_index=False)["amount_gbp"].sum(min_count=1)
    out = out[out["amount_gbp"].notna() & (out["amount_gbp"] > 0)].rename(columns={"amount_gbp": "amount"})
    # Funders with the most recent money first (the likeliest pot to look at), years oldest first.
    out["start"] = out["financial_year"].map(fy_sort_key)
    out["latest"] = -out.groupby("funder")["start"].transform("max")
    out["name"] = out["funder"].str.casefold()
    out = out.sort_values(["latest", "name", "start"], ignore_index=True)
    return out[["funder", "financial_year", "amount"]]


# --------------------------------------------------------------------------------------------
# Words and numbers


def money(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not known"
    return f"£{value:,.0f}"


def _pct_words(pct: float) -> str:
    size = round(abs(pct))
    if size == 0:
        return "about the same as"
    return f"{size}% {'above' if pct > 0 else 'below'}"


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(amount=frame["amount"].round(2), change_pct=frame["change_pct"].round(2))


def _sorted_years(years: pd.Series) -> list[str]:
    return sorted(set(years), key=fy_sort_key)
