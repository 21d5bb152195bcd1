"""Priority performance: XmR (SPC) charts with the Making Data Count rules, RAG and plain sentences.

The rules follow NHSRplotthedots (``ptd_spc`` with its defaults, checked against its source:
``ptd_spc_standard.R``, ``ptd_calculate_point_type.R``, ``ptd_calculate_assurance_type.R``,
``ptd_add_short_group_warnings.R``):

* mean and mean moving range (mMR) from the baseline period when one is given (plotthedots'
  ``fix_after_n_points``), else from every point;
* outlier screening of moving ranges (``screen_outliers = TRUE``): a moving range at or above
  3.267 x mMR is dropped and the mMR recomputed, so one wild month does not widen the limits;
* process limits = mean +/- 2.66 x mMR; the "2 sigma" band = mean +/- (2/3) x 2.66 x mMR;
* astronomical: a point strictly above the upper or below the lower limit;
* trend: 7 points each strictly higher (or each strictly lower) than the one before, i.e. 6
  consecutive changes of the same sign; a repeated value breaks the run;
* two in three: in some window of 3 consecutive points all on the same side of the mean, at
  least 2 lie between the 2 sigma line and the process limit (a point beyond the limit does not
  count as "close", exactly as plotthedots); only those close points are flagged;
* shift: 7 consecutive points on the same side of the mean; a point on the mean breaks it;
* every point of a qualifying run is flagged, not just the seventh;
* a point's direction comes from the first rule that fires in the order astronomical, trend,
  two-in-three, shift (plotthedots' ``case_when`` order) and is improvement or concern by the
  measure's better direction, "neither" without one;
* the variation icon is the latest point's variation; assurance compares the target with the
  limits (beyond the limit on the good side: consistently passing; beyond it on the bad side:
  consistently failing; between them, or on one: hit and miss);
* limits are "trial" when fewer than 13 points inform them (plotthedots' warning threshold).

Deliberate choices where plotthedots assumes complete data ("there should be no gaps"):

* A missing period is NaN, never zero. It breaks the moving range (the months either side are
  not compared, because the change between them spans two steps) and it breaks every run: a
  window that contains a gap never fires trend, shift or two-in-three, because we cannot claim
  "7 months in a row" without seeing all seven. Missing points carry variation ``'missing'``.
* When the baseline period holds fewer than two observed points, the limits come from every
  point instead and ``baseline_applied`` is False, so the page can say so.
* A constant baseline (mMR = 0) keeps limits equal to the mean (plotthedots would give none).

RAG is only a summary of those rules, never a comparison of two points (see ``rag_for``).
Pure functions: pandas/numpy in and out, no database access.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

LIMIT_SIGMAS = 2.66  # 3 sigma expressed in moving ranges (3 / d2, d2 = 1.128)
NEAR_LIMIT = 2 * LIMIT_SIGMAS / 3  # the 2 sigma line
MR_SCREEN = 3.267  # upper limit of the moving-range chart (D4 for n = 2)
RUN_LENGTH = 7
TRIAL_BELOW = 13
# The run rules need 7 points to say anything, so limits from fewer points cannot back a RAG.
MIN_POINTS_FOR_RAG = RUN_LENGTH

FREQUENCIES = {"monthly": 1, "quarterly": 3, "annual": 12}
RULES = ("astronomical", "trend", "two_in_three", "shift")
VARIATION_ICONS = {
    "common": "common cause",
    "improvement": "special cause improvement",
    "concern": "special cause concern",
    "neither": "special cause neither",
}
ASSURANCES = ("consistently passing", "hit and miss", "consistently failing")


@dataclass(frozen=True)
class XmrResult:
    """One measure's XmR chart: per-point frame plus the summary a page or CLI needs."""

    points: pd.DataFrame
    mean: float
    lpl: float
    upl: float
    lower_2s: float
    upper_2s: float
    mean_moving_range: float
    n_limit_points: int
    trial_limits: bool
    baseline: tuple[pd.Timestamp, pd.Timestamp] | None
    baseline_applied: bool
    better: str | None
    target: float | None
    frequency: str
    variation_icon: str | None
    assurance: str | None
    rag: str | None
    latest_value: float | None
    latest_period: pd.Timestamp | None


# ---------------------------------------------------------------------------------------------
# Series preparation


def _month(value) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return pd.Timestamp(year=ts.year, month=ts.month, day=1)


def regular_series(series: pd.Series, frequency: str = "monthly") -> pd.Series:
    """Put a series on a complete grid of periods so that absent periods become NaN gaps.

    The index is normalised to the first of the month; periods not in the input index (or
    present with NaN) are gaps. Raises ValueError for duplicate periods or off-grid periods.
    """
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {sorted(FREQUENCIES)}, not {frequency!r}")
    if len(series) == 0:
        return pd.Series([], index=pd.DatetimeIndex([], name="period"), dtype=float)
    index = pd.DatetimeIndex([_month(p) for p in series.index])
    if index.has_duplicates:
        raise ValueError("series has more than one value for the same period")
    values = pd.Series(pd.to_numeric(series.to_numpy(), errors="raise"), index=index, dtype=float)
    values = values.sort_index()
    step = FREQUENCIES[frequency]
    grid = pd.date_range(values.index[0], values.index[-1], freq=f"{step}MS")
    off_grid = values.index.difference(grid)
    if len(off_grid):
        raise ValueError(f"period {off_grid[0]:%Y-%m} is not on the {frequency} grid")
    out = values.reindex(grid)
    out.index.name = "period"
    return out


def series_with_gaps(counts: pd.DataFrame, covered_months: Iterable,
                     month_col: str = "month", count_col: str = "count") -> pd.Series:
    """Monthly police counts where a loaded month with no matching crime is 0 and an unloaded
    month is a gap (NaN): only the coverage table can tell those two apart.

    ``counts`` holds one row per month that had at least one matching record.
    """
    covered = sorted({_month(m) for m in covered_months})
    if not covered:
        return pd.Series([], index=pd.DatetimeIndex([], name="period"), dtype=float)
    grid = pd.date_range(covered[0], covered[-1], freq="MS")
    by_month = pd.Series(counts[count_col].to_numpy(dtype=float),
                         index=pd.DatetimeIndex([_month(m) for m in counts[month_col]]))
    by_month = by_month.groupby(level=0).sum()
    out = pd.Series(np.nan, index=grid, dtype=float)
    out.loc[pd.DatetimeIndex(covered)] = 0.0
    present = by_month.index.intersection(grid)
    out.loc[present] = by_month.loc[present]
    out.index.name = "period"
    return out


def rate_per_1000(values, population):
    """Values per 1,000 residents. A missing, zero or negative population gives NaN (no rate),
    never a division by zero or an invented figure. Series align on their index."""
    if isinstance(population, pd.Series):
        pop = population.astype(float).where(population.astype(float) > 0)
    else:
        pop = float(population) if population is not None else math.nan
        pop = pop if pop > 0 else math.nan
    if isinstance(values, pd.Series):
        return values.astype(float) / pop * 1000.0
    return np.asarray(values, dtype=float) / (np.asarray(pop, dtype=float)) * 1000.0


def _present(x) -> bool:
    if x is None:
        return False
    try:
        return not pd.isna(x)
    except (TypeError, ValueError):
        return True


def target_value(baseline_mean: float | None, target_spec: Mapping | None) -> float | None:
    """The target as a number. ``target_spec`` is ``{'value': N}`` or ``{'change_pct': P}``
    (P% change against the baseline mean; -5 means 5% below), or a measures-table row with
    ``target_value`` / ``target_change_pct``. None when there is no target, or when a
    percentage target has no baseline mean to apply to."""
    if not target_spec:
        return None
    value = target_spec.get("value", target_spec.get("target_value"))
    pct = target_spec.get("change_pct", target_spec.get("target_change_pct"))
    if _present(value) and _present(pct):
        raise ValueError("a target is either a value or a % change, not both")
    if _present(value):
        return float(value)
    if _present(pct):
        if not _present(baseline_mean):
            return None
        return float(baseline_mean) * (1.0 + float(pct) / 100.0)
    return None


# ---------------------------------------------------------------------------------------------
# Rules (arrays in, arrays out; NaN marks a gap)


def _windows(a: np.ndarray, width: int) -> np.ndarray:
    return np.lib.stride_tricks.sliding_window_view(a, width)


def _part_of_run(run_ends: np.ndarray) -> np.ndarray:
    """Flag every point of a run of RUN_LENGTH given flags on the runs' last points."""
    n = len(run_ends)
    padded = np.concatenate([run_ends != 0, np.zeros(RUN_LENGTH - 1, dtype=bool)])
    return np.array([padded[i:i + RUN_LENGTH].any() for i in range(n)], dtype=bool)


def _steps(y: np.ndarray) -> np.ndarray:
    """Sign of each change; a change into or out of a gap is 0, so it breaks runs."""
    d = np.sign(np.diff(y))
    return np.nan_to_num(d, nan=0.0)


def _trend_ends(y: np.ndarray) -> np.ndarray:
    n = len(y)
    ends = np.zeros(n)
    if n < RUN_LENGTH:
        return ends
    w = _windows(_steps(y), RUN_LENGTH - 1)  # window k covers changes into points k+1..k+6
    ends[RUN_LENGTH - 1:] = np.where((w == 1).all(axis=1), 1, np.where((w == -1).all(axis=1), -1, 0))
    return ends


def _shift_ends(side: np.ndarray) -> np.ndarray:
    n = len(side)
    ends = np.zeros(n)
    if n < RUN_LENGTH:
        return ends
    w = _windows(side, RUN_LENGTH)
    same = (w == w[:, :1]).all(axis=1) & (w[:, 0] != 0)
    ends[RUN_LENGTH - 1:] = np.where(same, w[:, 0], 0)
    return ends


def _two_in_three(close: np.ndarray, side: np.ndarray) -> np.ndarray:
    n = len(close)
    c = np.concatenate([[0, 0], close.astype(int), [0, 0]])
    s = np.concatenate([[0, 0], side, [0, 0]])
    hit = np.zeros(n, dtype=bool)
    for i in range(n):
        for start in (i, i + 1, i + 2):  # the three windows holding point i (padded offsets)
            if c[start:start + 3].sum() >= 2 and abs(s[start:start + 3].sum()) == 3:
                hit[i] = True
                break
    return hit & close


def _trend_direction(y: np.ndarray, in_trend: np.ndarray) -> np.ndarray:
    """plotthedots: a trend point takes the sign of the change after it when the next point is
    in the trend too, else the change before it (so a peak shared by two trends goes with the
    later one)."""
    n = len(y)
    if n < 2:
        return np.zeros(n)
    d = _steps(y)
    right = np.append(d, d[-1])
    left = np.insert(d, 0, 0.0)
    nxt = np.append(in_trend[1:], False)
    sdy = np.where(nxt & in_trend, right, left)
    return np.where(sdy == 1, 1.0, -1.0)


# ---------------------------------------------------------------------------------------------
# The chart


def _check_better(better):
    if better not in ("higher", "lower", None):
        raise ValueError(f"better must be 'higher', 'lower' or None, not {better!r}")


def _limits(y: np.ndarray, use: np.ndarray, screen_outliers: bool) -> tuple[float, float]:
    fixed = np.where(use, y, np.nan)
    if not np.isfinite(fixed).any():
        return math.nan, math.nan
    mean = float(np.nanmean(fixed))
    mr = np.abs(np.diff(fixed))  # NaN across a gap or outside the baseline: never bridged
    mr = mr[np.isfinite(mr)]
    if len(mr) == 0:
        return mean, math.nan
    amr = float(mr.mean())
    if screen_outliers and amr > 0:
        amr = float(mr[mr < MR_SCREEN * amr].mean())
    return mean, amr


def _assurance(target, better, lpl, upl) -> str | None:
    if target is None or better is None or not (np.isfinite(lpl) and np.isfinite(upl)):
        return None
    if target > upl:
        return "consistently failing" if better == "higher" else "consistently passing"
    if target < lpl:
        return "consistently passing" if better == "higher" else "consistently failing"
    return "hit and miss"


_RAG_STEPS = ("green", "amber", "red")
_ASSURANCE_RAG = {"consistently passing": 0, "hit and miss": 1, "consistently failing": 2}


def rag_for(variation: str | None, assurance: str | None) -> str | None:
    """RAG as a summary of the SPC rules, never of two points.

    With a target: assurance sets the base (consistently passing = green, hit and miss = amber,
    consistently failing = red); a special-cause concern makes it one step worse; a
    special-cause improvement lifts a failing process to amber (a change is under way but the
    target is still out of reach). Without a target (or better direction): improvement = green,
    concern = red, common cause or no direction = None (nothing to judge against).
    Missing points and unknown variation give None.
    """
    if variation in (None, "missing"):
        return None
    if assurance is None:
        return {"improvement": "green", "concern": "red"}.get(variation)
    step = _ASSURANCE_RAG[assurance]
    if variation == "concern":
        step = min(step + 1, 2)
    elif variation == "improvement" and step == 2:
        step = 1
    return _RAG_STEPS[step]


def xmr(series: pd.Series, better: str | None = None, target: float | None = None,
        baseline: tuple | None = None, *, frequency: str = "monthly",
        screen_outliers: bool = True) -> XmrResult:
    """XmR chart of a series indexed by period (NaN or an absent period = missing).

    ``better``: 'higher', 'lower' or None; ``target``: a number or None; ``baseline``:
    (first, last) period, inclusive, for the limits. Returns an XmrResult whose ``points`` has
    one row per period on the complete grid: period, value, mean, lpl, upl, lower_2s,
    upper_2s, target, in_baseline, special_cause, rule ('|'-joined names from RULES, '' for
    none), variation ('common'|'improvement'|'concern'|'neither'|'missing').
    """
    _check_better(better)
    if target is not None and not _present(target):
        target = None
    s = regular_series(series, frequency)
    periods = s.index
    y = s.to_numpy(dtype=float)
    n = len(y)
    observed = np.isfinite(y)

    base = None
    in_base = np.zeros(n, dtype=bool)
    if baseline is not None:
        base = (_month(baseline[0]), _month(baseline[1]))
        in_base = np.asarray((periods >= base[0]) & (periods <= base[1]), dtype=bool)
    baseline_applied = base is not None and int((in_base & observed).sum()) >= 2
    use = (in_base if baseline_applied else np.ones(n, dtype=bool)) & observed
    mean, amr = _limits(y, use, screen_outliers)
    upl, lpl = mean + LIMIT_SIGMAS * amr, mean - LIMIT_SIGMAS * amr
    upper_2s, lower_2s = mean + NEAR_LIMIT * amr, mean - NEAR_LIMIT * amr

    with np.errstate(invalid="ignore"):
        side = np.nan_to_num(np.sign(y - mean), nan=0.0)
        outside = observed & ((y > upl) | (y < lpl))
        close = observed & ~outside & ((y > upper_2s) | (y < lower_2s))
    in_trend = _part_of_run(_trend_ends(y))
    in_two_three = _two_in_three(close, side)
    in_shift = _part_of_run(_shift_ends(side))

    trend_dir = _trend_direction(y, in_trend)
    direction = np.select([outside, in_trend, in_two_three, in_shift],
                          [side, trend_dir, side, side], default=0.0)
    fired = np.column_stack([outside, in_trend, in_two_three, in_shift])
    rule = ["|".join(r for r, f in zip(RULES, row) if f) for row in fired]
    special = fired.any(axis=1)
    good = {"higher": 1.0, "lower": -1.0}.get(better)
    variation = np.where(
        ~observed, "missing",
        np.where(~special, "common",
                 "neither" if good is None else np.where(direction == good, "improvement", "concern")))

    points = pd.DataFrame({
        "period": periods,
        "value": y,
        "mean": mean,
        "lpl": lpl,
        "upl": upl,
        "lower_2s": lower_2s,
        "upper_2s": upper_2s,
        "target": np.nan if target is None else float(target),
        "in_baseline": in_base,
        "special_cause": special,
        "rule": rule,
        "variation": variation,
    })

    n_limit = int(use.sum())
    last = np.flatnonzero(observed)
    latest = int(last[-1]) if len(last) else None
    latest_var = str(variation[latest]) if latest is not None else None
    assurance = _assurance(None if target is None else float(target), better, lpl, upl)
    rag = rag_for(latest_var, assurance) if n_limit >= MIN_POINTS_FOR_RAG else None
    return XmrResult(
        points=points,
        mean=mean, lpl=lpl, upl=upl, lower_2s=lower_2s, upper_2s=upper_2s,
        mean_moving_range=amr,
        n_limit_points=n_limit,
        trial_limits=n_limit < TRIAL_BELOW,
        baseline=base,
        baseline_applied=baseline_applied,
        better=better,
        target=None if target is None else float(target),
        frequency=frequency,
        variation_icon=VARIATION_ICONS.get(latest_var) if latest_var else None,
        assurance=assurance,
        rag=rag,
        latest_value=float(y[latest]) if latest is not None else None,
        latest_period=periods[latest] if latest is not None else None,
    )


def evaluate_measure(series: pd.Series, measure: Mapping) -> XmrResult:
    """XmR for one row of the measures table (better, baseline_from/to, target_value or
    target_change_pct, frequency). A % target applies to the baseline mean, so it is dropped
    when the baseline period has no data (the limits then come from every point)."""
    base = None
    if _present(measure.get("baseline_from")) and _present(measure.get("baseline_to")):
        base = (measure["baseline_from"], measure["baseline_to"])
    frequency = measure.get("frequency") or "monthly"
    better = measure.get("better") if _present(measure.get("better")) else None
    first = xmr(series, better, None, base, frequency=frequency)
    pct_target = _present(measure.get("target_change_pct"))
    base_mean = first.mean if (first.baseline_applied or not pct_target) else None
    target = target_value(base_mean, measure)
    if target is None:
        return first
    return xmr(series, better, target, base, frequency=frequency)


def performance_rows(result: XmrResult, priority: str, measure: str) -> pd.DataFrame:
    """The CLI's rows for one measure: priority, measure, period, value, target, rag,
    spc_signal (one row per period). spc_signal is '' for common cause, 'missing' for a gap,
    else '<variation>:<rules>' e.g. 'concern:shift'; rag is each point's variation summarised
    with the measure's assurance (None before there are enough points to judge)."""
    p = result.points
    enough = result.n_limit_points >= MIN_POINTS_FOR_RAG
    rag = [rag_for(v, result.assurance) if enough else None for v in p["variation"]]
    signal = [
        "missing" if v == "missing" else ("" if v == "common" else f"{v}:{r}")
        for v, r in zip(p["variation"], p["rule"])
    ]
    return pd.DataFrame({
        "priority": priority,
        "measure": measure,
        "period": p["period"],
        "value": p["value"],
        "target": p["target"],
        "rag": rag,
        "spc_signal": signal,
    })


# ---------------------------------------------------------------------------------------------
# Plain sentence

_NON_NEGATIVE_UNITS = {"count", "percent", "rate_per_1000"}
_STEP_WORDS = {"monthly": ("month", "months"), "quarterly": ("quarter", "quarters"),
               "annual": ("year", "years")}


def _period_label(period: pd.Timestamp, frequency: str) -> str:
    if frequency == "quarterly":
        end = period + pd.DateOffset(months=2)
        if end.year == period.year:
            return f"{period:%b}–{end:%b %Y}"
        return f"{period:%b %Y}–{end:%b %Y}"
    if frequency == "annual":
        if period.month == 1:
            return f"{period:%Y}"
        end = period + pd.DateOffset(months=11)
        return f"the year {period:%b %Y}–{end:%b %Y}"
    return f"{period:%B %Y}"


def _decimals(unit: str, value: float) -> int:
    if unit == "count":  # a target or mean of a count keeps a decimal only when it is small
        return 0 if float(value).is_integer() or abs(value) >= 100 else 1
    if unit in ("percent", "rate_per_1000"):
        return 1 if abs(value) >= 1 or value == 0 else 2
    return 0 if abs(value) >= 100 else (1 if abs(value) >= 10 else 2)


def _fmt(value: float, unit: str, decimals: int | None = None) -> str:
    d = _decimals(unit, value) if decimals is None else decimals
    text = f"{value:,.{d}f}"
    if d > 0 and decimals is None:
        text = text.rstrip("0").rstrip(".")
    if unit == "percent":
        return text + "%"
    if unit == "rate_per_1000":
        return text + " per 1,000 residents"
    return text


def _fmt_range(lo: float, hi: float, unit: str, decimals: int) -> str:
    """'280–450', '60–75%', '2.1–3.4 per 1,000 residents': the unit once, after the range."""
    return f"{lo:,.{decimals}f}–" + _fmt(hi, unit, decimals)


def _nice_range(lpl: float, upl: float, unit: str) -> tuple[float, float, int]:
    """Round the limits to a step one order of magnitude below their spread (170 wide -> 10s),
    and keep them inside what the unit allows (no negative counts, no percent over 100)."""
    width = upl - lpl
    exponent = math.floor(math.log10(width)) - 1 if width > 0 else 0
    if unit == "count":
        exponent = max(exponent, 0)
    step = 10.0 ** exponent
    lo, hi = round(lpl / step) * step, round(upl / step) * step
    if unit in _NON_NEGATIVE_UNITS:
        lo = max(lo, 0.0)
    if unit == "percent":
        hi = min(hi, 100.0)
    return lo, hi, max(0, -exponent)


def _run_start(points: pd.DataFrame, end: int) -> int:
    """First index of the unbroken stretch of same-variation special-cause points ending at end."""
    var = points["variation"].to_numpy()
    i = end
    while i > 0 and var[i - 1] == var[end]:
        i -= 1
    return i


def _rule_phrase(points: pd.DataFrame, i: int, mean: float, frequency: str) -> str:
    """Every rule that fired on point i, in words: '7 months in a row above its average'."""
    many = _STEP_WORDS[frequency][1]
    y = points["value"].to_numpy()[: i + 1]
    rules = points["rule"].iloc[i].split("|")
    phrases = []
    if "astronomical" in rules:
        phrases.append("outside its usual range")
    if "trend" in rules:
        steps = _steps(y)
        changes = 0
        while changes < len(steps) and steps[-1 - changes] == steps[-1]:
            changes += 1
        phrases.append(f"{changes + 1} {many} in a row {'rising' if steps[-1] > 0 else 'falling'}")
    side = np.sign(y - mean)
    if "two_in_three" in rules:
        phrases.append(f"two of three {many} close to its {'upper' if side[-1] > 0 else 'lower'} limit")
    if "shift" in rules:
        k = 0
        while k < len(side) and side[-1 - k] == side[-1]:
            k += 1
        phrases.append(f"{k} {many} in a row {'above' if side[-1] > 0 else 'below'} its average")
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]


_ASSURANCE_WORDS = {  # (present, past)
    "consistently passing": ("is met consistently", "was met consistently"),
    "hit and miss": ("is met in some {many} and missed in others",
                     "was met in some {many} and missed in others"),
    "consistently failing": ("is missed consistently and will not be met without a change",
                             "was missed consistently"),
}


def plain_sentence(measure_name: str, area: str, result: XmrResult, unit: str) -> str:
    """One plain-English sentence for a committee paper, e.g. "ASB incidents in Norwich: 412 in
    October 2025, within its usual range of 280–450; no sign of change since April 2024; the
    target of 380 is met in some months and missed in others."""
    p = result.points
    head = f"{measure_name} in {area}" if area else measure_name
    if result.latest_period is None:
        return f"{head}: no figures yet."
    freq = result.frequency
    one, many = _STEP_WORDS[freq]
    latest_i = int(np.flatnonzero(p["value"].notna().to_numpy())[-1])
    parts = [f"{head}: {_fmt(result.latest_value, unit)} in {_period_label(result.latest_period, freq)}"]

    if np.isfinite(result.lpl) and np.isfinite(result.upl):
        lo, hi, d = _nice_range(result.lpl, result.upl, unit)
        usual = (f"its usual range of {_fmt_range(lo, hi, unit, d)}" if hi > lo
                 else f"its usual level of {_fmt(result.mean, unit)}")  # a constant baseline
        if result.latest_value > result.upl:
            parts[0] += f", above {usual}"
        elif result.latest_value < result.lpl:
            parts[0] += f", below {usual}"
        else:
            parts[0] += f", within {usual}"

        var = p["variation"].iloc[latest_i]
        if var in ("improvement", "concern", "neither"):
            word = {"improvement": "improvement", "concern": "concern", "neither": "change"}[var]
            start = _run_start(p, latest_i)
            when = ("in " if start == latest_i else "since ") + _period_label(p["period"].iloc[start], freq)
            parts.append(f"a sign of {word} {when} ({_rule_phrase(p, latest_i, result.mean, freq)})")
        else:
            special = np.flatnonzero(p["special_cause"].to_numpy()[:latest_i])
            observed = np.flatnonzero(p["value"].notna().to_numpy())
            # The first observed point after the last signal: a gap cannot start a quiet spell.
            since_i = int(observed[observed > special[-1]][0]) if len(special) else int(observed[0])
            if since_i >= latest_i and len(special):
                parts.append(f"no sign of change this {one}, after a signal in "
                             f"{_period_label(p['period'].iloc[int(special[-1])], freq)}")
            else:
                parts.append(f"no sign of change since {_period_label(p['period'].iloc[since_i], freq)}")
    else:
        parts.append("too few figures to set a usual range")

    if result.target is None:
        parts.append("no target is set")
    else:
        t = f"the target of {_fmt(result.target, unit)}"
        changed = p["variation"].iloc[latest_i] in ("improvement", "concern")
        if result.assurance is None:
            parts.append(f"{t} cannot be judged yet")
        elif changed:
            # The limits describe the process before the change, so the verdict is history.
            parts.append(f"{t} {_ASSURANCE_WORDS[result.assurance][1].format(many=many)} before this change")
        else:
            parts.append(f"{t} {_ASSURANCE_WORDS[result.assurance][0].format(many=many)}")

    sentence = "; ".join(parts)
    if result.trial_limits and np.isfinite(result.upl):
        sentence += (f" (the usual range is provisional: it rests on {result.n_limit_points} "
                     f"{one if result.n_limit_points == 1 else many})")
    if pd.isna(p["value"].iloc[-1]):
        sentence += f" (no figure yet for {_period_label(p['period'].iloc[-1], freq)})"
    if result.baseline is not None and not result.baseline_applied:
        sentence += f" (the baseline period has no figures, so the usual range uses every {one})"
    return sentence + "."
