"""Priority performance: XmR limits and the Making Data Count rules (as NHSRplotthedots applies
them), gaps, baselines, assurance, RAG, rates, targets and the plain sentence."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cspdash.analysis.performance import (
    evaluate_measure,
    performance_rows,
    plain_sentence,
    rag_for,
    rate_per_1000,
    regular_series,
    series_with_gaps,
    target_value,
    xmr,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def monthly(values, start="2023-01"):
    return pd.Series(values, index=pd.date_range(f"{start}-01", periods=len(values), freq="MS"), dtype=float)


def flagged(result, rule=None):
    p = result.points
    mask = p["special_cause"] if rule is None else p["rule"].str.split("|").apply(lambda r: rule in r)
    return list(np.flatnonzero(mask.to_numpy()))


# A steady process: alternating 10, 12 (mean 11, every moving range 2, limits 11 +/- 5.32).
def steady(n):
    return [10.0 if i % 2 == 0 else 12.0 for i in range(n)]


# ---------------------------------------------------------------------------------------------
# Limits


def test_limits_from_mean_moving_range():
    r = xmr(monthly(steady(20)))
    assert r.mean == pytest.approx(11)
    assert r.mean_moving_range == pytest.approx(2)
    assert (r.lpl, r.upl) == (pytest.approx(11 - 2.66 * 2), pytest.approx(11 + 2.66 * 2))
    assert (r.lower_2s, r.upper_2s) == (pytest.approx(11 - 2 / 3 * 2.66 * 2), pytest.approx(11 + 2 / 3 * 2.66 * 2))
    assert flagged(r) == []
    assert r.variation_icon == "common cause"


# NHSRplotthedots' own snapshot (tests/testthat/_snaps/ptd_spc_standard.md): R's set.seed(123);
# rnorm(20), then y[15] <- 10 with and without screening of moving-range outliers.
R_RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
               -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
               -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141]


def test_limits_match_nhsrplotthedots_snapshot():
    r1 = xmr(monthly(R_RNORM_123))
    assert (r1.mean, r1.lpl, r1.upl) == (pytest.approx(0.1416238, abs=1e-6), pytest.approx(-3.01138, abs=1e-5),
                                         pytest.approx(3.294627, abs=1e-6))
    y = list(R_RNORM_123)
    y[14] = 10
    r2 = xmr(monthly(y))
    assert (r2.mean, r2.lpl, r2.upl) == (pytest.approx(0.6694159, abs=1e-6), pytest.approx(-2.383666, abs=1e-6),
                                         pytest.approx(3.722497, abs=1e-6))
    r3 = xmr(monthly(y), screen_outliers=False)
    assert (r3.lpl, r3.upl) == (pytest.approx(-4.596625, abs=1e-6), pytest.approx(5.935457, abs=1e-6))


# ---------------------------------------------------------------------------------------------
# Rules, each on a hand-made series, firing exactly where it should


def test_astronomical_point_only():
    y = steady(20)
    y[15] = 20.0
    r = xmr(monthly(y))
    assert r.upl < 20
    assert flagged(r) == [15]
    assert r.points["rule"].iloc[15] == "astronomical"


def test_point_on_the_limit_is_not_astronomical():
    upl = xmr(monthly(steady(14))).upl
    y = steady(20)
    y[15] = upl  # exactly on the limit: the rule is strict (beyond, not on)
    assert flagged(xmr(monthly(y), baseline=("2023-01", "2024-02"))) == []
    y[15] = upl + 0.01
    assert flagged(xmr(monthly(y), baseline=("2023-01", "2024-02"))) == [15]


RISE7 = [9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0]


@pytest.mark.parametrize("run, expected", [
    (RISE7, list(range(6, 13))),          # 7 rising points (6 changes): all 7 flagged
    (RISE7[1:], []),                      # 6 rising points: nothing
    (RISE7[::-1], list(range(6, 13))),    # 7 falling points
    (RISE7[::-1][:-1], []),               # 6 falling points (12 after a 12 does not fall)
])
def test_trend_of_seven_not_six(run, expected):
    y = steady(6) + run + steady(7)
    r = xmr(monthly(y))
    assert flagged(r, "trend") == expected
    assert flagged(r) == expected  # and no other rule fires anywhere


def test_repeated_value_breaks_a_trend():
    run = [9.0, 9.5, 10.0, 10.0, 10.5, 11.0, 11.5, 12.0]  # 8 points, but one change is zero
    r = xmr(monthly(steady(6) + run + steady(6)))
    assert flagged(r, "trend") == []


def test_trend_direction_by_better():
    y = steady(6) + RISE7 + steady(7)
    up_good = xmr(monthly(y), better="higher")
    up_bad = xmr(monthly(y), better="lower")
    assert set(up_good.points["variation"].iloc[6:13]) == {"improvement"}
    assert set(up_bad.points["variation"].iloc[6:13]) == {"concern"}
    falling = xmr(monthly(steady(6) + RISE7[::-1] + steady(7)), better="lower")
    assert set(falling.points["variation"].iloc[6:13]) == {"improvement"}


HIGH7 = [11.5, 11.8, 11.6, 11.9, 11.5, 11.7, 11.6]  # above the mean, zig-zag so no trend


@pytest.mark.parametrize("run, expected", [
    (HIGH7, list(range(5, 12))),
    (HIGH7[:6], []),
])
def test_shift_of_seven_not_six(run, expected):
    y = [10.0, 12.0, 10.0, 12.0, 10.0] + run + [10.0, 12.0, 10.0, 12.0, 10.0, 12.0, 10.0, 12.0]
    r = xmr(monthly(y))
    assert r.mean < min(run)
    assert flagged(r, "shift") == expected
    assert flagged(r) == expected


@pytest.mark.parametrize("middle, expected", [(11.0, []), (12.0, list(range(7, 14)))])
def test_point_on_the_mean_breaks_a_shift(middle, expected):
    y = steady(6) + [10.0] + [12.0] * 3 + [middle] + [12.0] * 3 + [10.0] + steady(6)
    r = xmr(monthly(y), baseline=("2023-01", "2023-06"))  # pins the mean at 11
    assert r.mean == pytest.approx(11.0)
    assert flagged(r, "shift") == expected


def test_shift_direction_by_better():
    y = [10.0, 12.0, 10.0, 12.0, 10.0] + HIGH7 + [10.0, 12.0] * 4
    assert set(xmr(monthly(y), better="higher").points["variation"].iloc[5:12]) == {"improvement"}
    assert set(xmr(monthly(y), better="lower").points["variation"].iloc[5:12]) == {"concern"}
    neither = xmr(monthly(y), better=None)
    assert set(neither.points["variation"].iloc[5:12]) == {"neither"}
    assert neither.assurance is None


# The first 14 months (steady, mean 11, limits 5.68-16.32, 2 sigma 7.45-14.55) set the limits,
# so the points under test cannot move them.
BASE14 = ("2023-01", "2024-02")


def test_two_of_three_close_to_a_limit():
    y = steady(20)
    y[15], y[16], y[17] = 15.0, 12.0, 15.0  # two near the upper limit, the middle one above the mean
    r = xmr(monthly(y), baseline=BASE14)
    assert r.upper_2s < 15.0 < r.upl
    assert flagged(r, "two_in_three") == [15, 17]  # the close points, not the one between
    assert flagged(r) == [15, 17]
    y[15], y[16], y[17] = 6.0, 10.0, 7.0  # and near the lower limit
    assert flagged(xmr(monthly(y), baseline=BASE14), "two_in_three") == [15, 17]


def test_two_of_three_needs_all_three_on_one_side():
    y = steady(20)
    y[15], y[16], y[17] = 15.0, 10.0, 15.0  # middle point below the mean
    r = xmr(monthly(y), baseline=BASE14)
    assert r.upper_2s < 15.0 < r.upl
    assert flagged(r) == []


def test_two_of_three_one_close_is_not_enough():
    y = steady(20)
    y[15] = 15.0
    r = xmr(monthly(y), baseline=BASE14)
    assert r.upper_2s < 15.0 < r.upl
    assert flagged(r) == []


def test_point_beyond_the_limit_does_not_count_as_close():
    # plotthedots counts only points between the 2 sigma line and the limit as "close".
    y = steady(20)
    y[15], y[16], y[17] = 18.0, 12.0, 15.0
    r = xmr(monthly(y), baseline=BASE14)
    assert 18.0 > r.upl and r.upper_2s < 15.0 < r.upl
    assert flagged(r) == [15]
    assert r.points["rule"].iloc[15] == "astronomical"


def test_variation_icon_is_the_latest_points():
    y = steady(13) + HIGH7  # ends in a shift above the mean
    y[0:5] = [10.0, 12.0, 10.0, 12.0, 10.0]
    r = xmr(monthly(y), better="lower")
    assert r.points["variation"].iloc[-1] == "concern"
    assert r.variation_icon == "special cause concern"
    assert xmr(monthly(y), better="higher").variation_icon == "special cause improvement"
    assert xmr(monthly(y)).variation_icon == "special cause neither"


# ---------------------------------------------------------------------------------------------
# Gaps: a missing month is never a zero


def test_gap_is_not_zero_and_fires_nothing():
    y = steady(20)
    y[9] = math.nan
    r = xmr(monthly(y))
    gap = r.points.iloc[9]
    assert math.isnan(gap["value"]) and gap["variation"] == "missing" and not gap["special_cause"]
    assert r.mean == pytest.approx(np.nanmean(y))
    assert flagged(r) == []  # a zero here would sit far below the lower limit
    zero = list(y)
    zero[9] = 0.0
    assert 9 in flagged(xmr(monthly(zero)), "astronomical")


def test_gap_breaks_the_moving_range():
    y = [10.0, 12.0, math.nan, 20.0, 22.0]
    r = xmr(monthly(y))
    # moving ranges 2 and 2 only: 12 -> 20 spans the gap and is not compared
    assert r.mean_moving_range == pytest.approx(2.0)


def test_gap_breaks_trend_and_shift_runs():
    trend = steady(6) + [9.0, 9.5, 10.0, math.nan, 10.5, 11.0, 11.5, 12.0] + steady(6)
    assert flagged(xmr(monthly(trend)), "trend") == []
    shift = [10.0, 12.0, 10.0, 12.0, 10.0] + HIGH7[:3] + [math.nan] + HIGH7[3:] + [10.0, 12.0] * 4
    assert flagged(xmr(monthly(shift)), "shift") == []


def test_absent_month_in_the_index_becomes_a_gap():
    s = monthly(steady(12)).drop(pd.Timestamp("2023-05-01"))
    r = xmr(s)
    assert len(r.points) == 12
    assert r.points.loc[r.points["period"] == "2023-05-01", "variation"].item() == "missing"
    rows = performance_rows(r, "P", "M")
    assert rows.loc[rows["period"] == "2023-05-01", "spc_signal"].item() == "missing"
    assert rows.loc[rows["period"] == "2023-05-01", "rag"].isna().all()


def test_series_with_gaps_tells_zero_from_missing():
    counts = pd.DataFrame({"month": ["2023-01-01", "2023-03-01"], "count": [5, 7]})
    covered = ["2023-01-01", "2023-02-01", "2023-03-01", "2023-05-01"]
    s = series_with_gaps(counts, covered)
    assert s.index.min() == pd.Timestamp("2023-01-01") and len(s) == 5
    assert s.loc["2023-02-01"] == 0  # loaded, nothing matched: a real zero
    assert math.isnan(s.loc["2023-04-01"])  # not loaded: a gap
    assert s.loc["2023-03-01"] == 7


# ---------------------------------------------------------------------------------------------
# Baseline, trial limits, assurance and RAG


def test_baseline_period_sets_the_limits():
    y = steady(12) + [v + 10 for v in steady(12)]
    r = xmr(monthly(y), baseline=("2023-01", "2023-12"))
    alone = xmr(monthly(steady(12)))
    assert r.baseline_applied
    assert (r.mean, r.lpl, r.upl) == (pytest.approx(alone.mean), pytest.approx(alone.lpl), pytest.approx(alone.upl))
    assert r.points["in_baseline"].sum() == 12
    assert flagged(r, "astronomical") == list(range(12, 24))
    assert xmr(monthly(y)).mean == pytest.approx(16)


def test_baseline_without_data_falls_back_to_every_point():
    r = xmr(monthly(steady(14)), baseline=("2020-01", "2020-12"))
    assert not r.baseline_applied and r.n_limit_points == 14
    assert r.mean == pytest.approx(11)
    assert "baseline period has no figures" in plain_sentence("M", "A", r, "count")


@pytest.mark.parametrize("n, trial", [(12, True), (13, False)])
def test_trial_limits_below_thirteen_points(n, trial):
    assert xmr(monthly(steady(n))).trial_limits is trial


def test_trial_counts_the_points_behind_the_limits():
    r = xmr(monthly(steady(24)), baseline=("2023-01", "2023-12"))
    assert r.n_limit_points == 12 and r.trial_limits


@pytest.mark.parametrize("better, target, expected", [
    ("lower", 20.0, "consistently passing"),   # target above the upper limit
    ("lower", 3.0, "consistently failing"),    # target below the lower limit
    ("lower", 11.0, "hit and miss"),
    ("higher", 20.0, "consistently failing"),
    ("higher", 3.0, "consistently passing"),
    ("higher", 11.0, "hit and miss"),
    (None, 11.0, None),
    ("lower", None, None),
])
def test_assurance_from_target_against_limits(better, target, expected):
    r = xmr(monthly(steady(20)), better=better, target=target)
    assert 3.0 < r.lpl and r.upl < 20.0
    assert r.assurance == expected


def test_target_on_a_limit_is_hit_and_miss():
    upl = xmr(monthly(steady(20))).upl
    assert xmr(monthly(steady(20)), better="lower", target=upl).assurance == "hit and miss"


@pytest.mark.parametrize("variation, assurance, rag", [
    ("common", "consistently passing", "green"),
    ("improvement", "consistently passing", "green"),
    ("concern", "consistently passing", "amber"),
    ("common", "hit and miss", "amber"),
    ("improvement", "hit and miss", "amber"),
    ("concern", "hit and miss", "red"),
    ("common", "consistently failing", "red"),
    ("improvement", "consistently failing", "amber"),
    ("concern", "consistently failing", "red"),
    ("improvement", None, "green"),
    ("concern", None, "red"),
    ("common", None, None),
    ("neither", None, None),
    ("missing", "hit and miss", None),
])
def test_rag_mapping(variation, assurance, rag):
    assert rag_for(variation, assurance) == rag


def test_no_rag_from_two_points():
    r = xmr(monthly([300.0, 420.0]), better="lower", target=350.0)
    assert r.rag is None
    assert performance_rows(r, "P", "M")["rag"].isna().all()
    assert xmr(monthly(steady(7)), better="lower", target=20.0).rag == "green"


# ---------------------------------------------------------------------------------------------
# Targets, rates, series preparation, rows


def test_target_value_from_value_or_change():
    assert target_value(400.0, {"value": 380}) == 380
    assert target_value(400.0, {"change_pct": -5}) == pytest.approx(380)
    assert target_value(400.0, {"target_value": math.nan, "target_change_pct": 10}) == pytest.approx(440)
    assert target_value(None, {"change_pct": -5}) is None
    assert target_value(400.0, None) is None
    with pytest.raises(ValueError):
        target_value(400.0, {"value": 1, "change_pct": 2})


def test_rate_per_1000():
    rates = rate_per_1000(pd.Series([50.0, math.nan, 10.0]), 25_000)
    assert rates.iloc[0] == pytest.approx(2.0) and math.isnan(rates.iloc[1]) and rates.iloc[2] == pytest.approx(0.4)
    assert math.isnan(rate_per_1000(pd.Series([5.0]), 0).iloc[0])  # no population: no rate
    assert math.isnan(rate_per_1000(pd.Series([5.0]), None).iloc[0])
    by_area = rate_per_1000(pd.Series([30.0, 30.0], index=["a", "b"]), pd.Series([10_000, math.nan], index=["a", "b"]))
    assert by_area["a"] == pytest.approx(3.0) and math.isnan(by_area["b"])


def test_regular_series_checks_the_grid():
    with pytest.raises(ValueError):
        regular_series(pd.Series([1.0, 2.0], index=pd.to_datetime(["2023-01-01", "2023-01-15"])))
    with pytest.raises(ValueError):
        regular_series(pd.Series([1.0, 2.0], index=pd.to_datetime(["2023-01-01", "2023-02-01"])), "quarterly")
    q = regular_series(pd.Series([1.0, 2.0], index=pd.to_datetime(["2023-01-01", "2023-07-01"])), "quarterly")
    assert len(q) == 3 and math.isnan(q.iloc[1])


def test_evaluate_measure_applies_percent_target_to_baseline_mean():
    measure = {"better": "lower", "baseline_from": pd.Timestamp("2023-01-01"), "baseline_to": pd.Timestamp("2023-12-01"),
               "target_value": math.nan, "target_change_pct": -10.0, "frequency": "monthly"}
    r = evaluate_measure(monthly(steady(24)), measure)
    assert r.target == pytest.approx(9.9)
    assert r.assurance == "hit and miss"
    no_base = evaluate_measure(monthly(steady(24), start="2015-01"), measure)
    assert no_base.target is None  # % of a baseline that has no data is no target


def test_performance_rows_columns():
    y = [10.0, 12.0, 10.0, 12.0, 10.0] + HIGH7 + [10.0, 12.0] * 4
    rows = performance_rows(xmr(monthly(y), better="lower", target=11.0), "ASB", "ASB incidents")
    assert list(rows.columns) == ["priority", "measure", "period", "value", "target", "rag", "spc_signal"]
    assert len(rows) == len(y)
    assert rows["spc_signal"].iloc[5] == "concern:shift" and rows["spc_signal"].iloc[0] == ""
    assert rows["rag"].iloc[5] == "red" and rows["rag"].iloc[0] == "amber"


def test_empty_series():
    r = xmr(pd.Series([], dtype=float))
    assert r.latest_period is None and r.rag is None and len(r.points) == 0
    assert plain_sentence("ASB incidents", "Norwich", r, "count") == "ASB incidents in Norwich: no figures yet."


# ---------------------------------------------------------------------------------------------
# The sentence


def test_sentence_for_a_steady_series():
    y = [300.0 if i % 2 == 0 else 420.0 for i in range(22)] + [350.0, 412.0]  # ends October 2024
    r = xmr(monthly(y, start="2022-11"), better="lower", target=380.0)
    assert r.latest_period == pd.Timestamp("2024-10-01")
    assert plain_sentence("ASB incidents", "Norwich", r, "count") == (
        "ASB incidents in Norwich: 412 in October 2024, within its usual range of 60–670; no sign of change "
        "since November 2022; the target of 380 is met in some months and missed in others.")


def test_sentence_for_a_shift_and_a_trial_quarterly_percentage():
    y = [10.0, 12.0, 10.0, 12.0, 10.0] + HIGH7
    r = xmr(monthly(y), better="lower")
    text = plain_sentence("Repeat victims", "Maldon", r, "count")
    assert "a sign of concern since June 2023 (7 months in a row above its average)" in text
    assert "no target is set" in text and "provisional: it rests on 12 months" in text
    q = pd.Series([60.0, 64.0, 61.0, 63.0], index=pd.date_range("2024-01-01", periods=4, freq="3MS"))
    qr = xmr(q, better="higher", target=50.0, frequency="quarterly")
    assert plain_sentence("Feel safe", "Norwich", qr, "percent") == (
        "Feel safe in Norwich: 63% in Oct–Dec 2024, within its usual range of 54–70%; no sign of change since "
        "Jan–Mar 2024; the target of 50% is met consistently (the usual range is provisional: it rests on 4 quarters).")


def test_sentence_keeps_counts_at_zero_or_above():
    r = xmr(monthly([0.0, 6.0, 1.0, 5.0, 0.0, 4.0, 2.0, 7.0]))
    assert r.lpl < 0
    assert "usual range of 0–" in plain_sentence("KSI casualties", "Maldon", r, "count")


def test_sentence_after_a_gap_starts_at_an_observed_month():
    y = steady(8) + [30.0, math.nan, math.nan] + steady(8)
    r = xmr(monthly(y), baseline=("2023-01", "2023-08"))
    assert flagged(r) == [8]
    assert "no sign of change since December 2023" in plain_sentence("M", "A", r, "count")


# ---------------------------------------------------------------------------------------------
# Real data: Essex police.uk files for 2018-01..2019-02 lack August and September 2018.


def test_real_essex_gap_months_stay_gaps():
    folder = SHARED / "realdata" / "essex" / "street"
    if not folder.exists():
        pytest.skip("shared real data not available")
    frames = [pd.read_csv(f, usecols=["Month", "LSOA name", "Crime type"]) for f in sorted(folder.glob("*.csv"))]
    months = [pd.Timestamp(f.name[:7] + "-01") for f in sorted(folder.glob("*.csv"))]
    crimes = pd.concat(frames)
    asb = crimes[crimes["LSOA name"].fillna("").str.match(r"^Maldon \d{3}[A-Z]$")
                 & (crimes["Crime type"] == "Anti-social behaviour")]
    counts = asb.groupby("Month").size().rename("count").reset_index().rename(columns={"Month": "month"})
    s = series_with_gaps(counts, months)
    assert len(s) == 14 and s.isna().sum() == 2
    assert s.loc["2018-07-01"] == 103 and s.loc["2019-02-01"] == 56
    r = xmr(s, better="lower")
    assert r.points.loc[r.points["value"].isna(), "variation"].eq("missing").all()
    assert flagged(r) == [6]  # July 2018's summer peak, above the limit; nothing bridges the gap
    assert "no sign of change since October 2018" in plain_sentence("ASB incidents", "Maldon", r, "count")
