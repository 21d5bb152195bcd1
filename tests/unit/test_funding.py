"""Funding analysis: real terms, trends, baselines, Sankey links, reconciliation, formula."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cspdash.analysis.funding import (
    DEFAULT_DEFLATORS, allocation_whatif, baseline_change, baseline_sentence, default_base_year,
    load_deflators, needs_table, reconcile, sankey_links, select_flows, to_real_terms, trend,
)
from cspdash.errors import InputError
from cspdash.ingest.grants import read_grants, read_stated_totals

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo"
SHARED_DEFLATORS = REPO / ".." / "shared" / "realdata" / "reference" / "gdp_deflator_hmt_2026-03.csv"


def flows(*rows) -> pd.DataFrame:
    """(financial_year, funder, recipient, amount[, status[, priority[, stream]]]) -> flows."""
    records = []
    for row in rows:
        fy, funder, recipient, amount, *rest = row
        status = rest[0] if len(rest) > 0 else "actual"
        priority = rest[1] if len(rest) > 1 else None
        stream = rest[2] if len(rest) > 2 else "Grant"
        records.append({"financial_year": fy, "funder": funder, "recipient": recipient,
                        "stream": stream, "priority": priority,
                        "amount_gbp": np.nan if amount is None else float(amount),
                        "status": status, "source": "test", "grant_key": f"k{len(records)}"})
    frame = pd.DataFrame(records)
    return frame.astype({c: "str" for c in frame.columns if c != "amount_gbp"})


def deflator_table(pairs, forecast=()) -> pd.DataFrame:
    table = pd.DataFrame({"financial_year": [y for y, _ in pairs], "index": [float(i) for _, i in pairs]})
    table["forecast"] = table["financial_year"].isin(forecast)
    table["edition"] = "test edition"
    table.attrs["path"] = "test_deflators.csv"
    return table


# Norwich City Council scrutiny report, 29 Sep 2011, para 20: 2011-12 £718,552 is "a 20%
# reduction from the 2010-11 Home Office grant", 2012-13 £363,502 "a 60% reduction". The
# 2010-11 figure is not printed; £718,552 / 0.8 = £898,190 exactly.
NORWICH = flows(
    ("2010-11", "Home Office", "Norfolk CSP", 898190),
    ("2011-12", "Home Office", "Norfolk CSP", 718552),
    ("2012-13", "Home Office", "Norfolk CSP", 363502, "provisional"),
)


# --- deflators and real terms ----------------------------------------------------------------


def test_real_terms_hand_example():
    table = deflator_table([("2010-11", 50), ("2011-12", 80), ("2012-13", 100)])
    # £100 in 2010-11 at an index of 50 buys what £200 buys at 100.
    out = to_real_terms([100.0, 100.0, 100.0], ["2010-11", "2011-12", "2012-13"], table, "2012-13")
    assert out.tolist() == pytest.approx([200.0, 125.0, 100.0])
    # In 2010-11 prices the later pounds are worth less.
    assert to_real_terms([100.0], ["2012-13"], table, "2010-11").tolist() == pytest.approx([50.0])
    series = pd.Series([10.0, 20.0], index=["a", "b"])
    real = to_real_terms(series, ["2010-11", "10/11"], table, "2012-13")
    assert real.index.tolist() == ["a", "b"] and real.tolist() == pytest.approx([20.0, 40.0])


def test_year_outside_deflator_table_is_a_clear_error():
    table = deflator_table([("2010-11", 50), ("2011-12", 80)])
    with pytest.raises(InputError) as caught:
        to_real_terms([1.0], ["2013-14"], table, "2011-12")
    assert "2013-14" in str(caught.value) and "test_deflators.csv" in str(caught.value)
    assert "2010-11 to 2011-12" in str(caught.value)


def test_shipped_deflators():
    table = load_deflators()
    assert table.loc[table["financial_year"] == "2024-25", "index"].item() == 100.0
    assert table.loc[table["financial_year"] == "2015-16", "index"].item() == 74.5804
    assert table.loc[table["forecast"], "financial_year"].min() == "2025-26"
    assert not table.loc[table["financial_year"] <= "2024-25", "forecast"].any()
    assert default_base_year(table) == "2024-25"
    assert table["edition"].str.contains("March 2026").all()
    assert table["financial_year"].is_monotonic_increasing


@pytest.mark.skipif(not SHARED_DEFLATORS.exists(), reason="shared real data not present")
def test_shipped_deflators_match_published_table():
    published = pd.read_csv(SHARED_DEFLATORS, dtype={"financial_year": "str"})
    ours = load_deflators()
    assert ours["financial_year"].tolist() == published["financial_year"].tolist()
    assert ours["index"].tolist() == published["index"].tolist()
    assert ours["forecast"].tolist() == published["edition_source"].str.contains("forecast").tolist()


def test_user_replacement_deflators(tmp_path):
    path = tmp_path / "my_deflators.csv"
    path.write_text("financial_year,index,status\n2018/19,100,outturn\n2019-20,101.9,forecast (OBR)\n"
                    "2020-21,,forecast (not published)\n")
    table = load_deflators(path)
    assert table["financial_year"].tolist() == ["2018-19", "2019-20"]  # blank index: not covered
    assert table["forecast"].tolist() == [False, True]
    assert table["edition"].unique().tolist() == ["my_deflators"]
    assert default_base_year(table) == "2018-19"


@pytest.mark.parametrize("body, line, words", [
    ("year,value\n2010-11,5\n", 1, "financial_year"),
    ("financial_year,index\n2010-11,abc\n", 2, "not a number"),
    ("financial_year,index\n2010-11,5\n2010-12,6\n", 3, "financial year"),
    ("financial_year,index\n2010-11,5\n10/11,6\n", 3, "twice"),
    ("financial_year,index\n2010-11,-5\n", 2, "positive"),
    ("financial_year,index,forecast\n2010-11,5,perhaps\n", 2, "true or false"),
])
def test_bad_deflator_tables(tmp_path, body, line, words):
    path = tmp_path / "d.csv"
    path.write_text(body)
    with pytest.raises(InputError) as caught:
        load_deflators(path)
    assert caught.value.line == line and words in str(caught.value)


# --- trends ----------------------------------------------------------------------------------


def test_trend_by_funder_with_change_and_provisional():
    data = flows(
        ("2011-12", "Home Office", "A", 80),
        ("2010-11", "Home Office", "A", 60),
        ("2010-11", "Home Office", "B", 40),
        ("2012-13", "Home Office", "A", 40, "provisional"),
        ("2011-12", "PCC", "A", 10),
        ("2013-14", "PCC", "A", 15),              # 2012-13 missing: compare with 2011-12
        ("2013-14", "Home Office", "A", None),    # TBC only: unknown, never zero
    )
    out = trend(data, by="funder")
    assert list(out.columns) == ["financial_year", "group", "amount", "change_pct", "provisional"]
    ho = out[out["group"] == "Home Office"].set_index("financial_year")
    assert ho["amount"].iloc[:3].tolist() == [100.0, 80.0, 40.0]
    assert math.isnan(ho.loc["2010-11", "change_pct"])
    assert ho.loc["2011-12", "change_pct"] == pytest.approx(-20.0)
    assert ho.loc["2012-13", "change_pct"] == pytest.approx(-50.0)
    assert math.isnan(ho.loc["2013-14", "amount"]) and math.isnan(ho.loc["2013-14", "change_pct"])
    assert ho["provisional"].tolist() == [False, False, True, True]
    pcc = out[out["group"] == "PCC"].set_index("financial_year")
    assert pcc.loc["2013-14", "change_pct"] == pytest.approx(50.0)
    assert out["financial_year"].tolist() == sorted(out["financial_year"])


def test_trend_by_priority_names_missing_priority():
    data = flows(("2016-17", "PCC", "H", 30, "actual", "Domestic violence"), ("2016-17", "PCC", "H", 5))
    out = trend(data, by="priority")
    assert dict(zip(out["group"], out["amount"])) == {"(not given)": 5.0, "Domestic violence": 30.0}


def test_trend_in_real_terms():
    table = deflator_table([("2010-11", 50), ("2011-12", 100)], forecast=["2011-12"])
    data = flows(("2010-11", "F", "A", 100), ("2011-12", "F", "A", 100))
    out = trend(data, by="recipient", real=True, deflators=table, base_year="2011-12")
    assert out["amount"].tolist() == pytest.approx([200.0, 100.0])
    assert out["change_pct"].iloc[1] == pytest.approx(-50.0)
    assert out["deflator_forecast"].tolist() == [False, True]
    with pytest.raises(ValueError):
        trend(data, real=True)
    with pytest.raises(ValueError):
        trend(data, by="colour")


def test_select_flows_ignores_case():
    data = flows(("2010-11", "Home Office", "A", 1), ("2010-11", "PCC", "A", 2))
    assert select_flows(data, funder="home office")["amount_gbp"].tolist() == [1.0]
    assert len(select_flows(data, funder=None)) == 2


# --- baseline change in plain words ----------------------------------------------------------


def test_norwich_baseline_cash():
    c11 = baseline_change(NORWICH, "2011-12", "2010-11")
    assert c11["cash_change_pct"] == pytest.approx(-20.0)
    assert baseline_sentence(c11) == "2011-12 is 20% below 2010-11 in cash."
    c12 = baseline_change(NORWICH, "2012-13", "10/11")
    assert round(c12["cash_change_pct"]) == -60
    assert c12["provisional_years"] == ["2012-13"]
    assert baseline_sentence(c12).startswith("2012-13 is 60% below 2010-11 in cash.")
    assert "2012-13 figures are provisional" in baseline_sentence(c12)


def test_norwich_baseline_real_terms_with_hmt_deflators():
    change = baseline_change(NORWICH, "2012-13", "2010-11", load_deflators())
    # 363,502 / 898,190 x 68.8561 / 71.5454 = 0.3895: 61% below in real terms.
    assert change["real_change_pct"] == pytest.approx((363502 / 898190 * 68.8561 / 71.5454 - 1) * 100)
    assert change["prices"] == "2024-25"
    assert baseline_sentence(change).startswith(
        "2012-13 is 60% below 2010-11 in cash, 61% in real terms (2024-25 prices).")


def test_demo_file_reproduces_norwich_sentence():
    demo = select_flows(read_grants(DEMO / "grant_flows.csv"), recipient="Norfolk CSP", funder="Home Office")
    sentence = baseline_sentence(baseline_change(demo, "2011-12", "2010-11"))
    assert sentence == "2011-12 is 20% below 2010-11 in cash."


@pytest.mark.parametrize("amounts, expected", [
    ((100, 103), "2011-12 is 3% above 2010-11 in cash, but 48% below in real terms (2011-12 prices)."),
    ((100, 100.2), "2011-12 is about the same as 2010-11 in cash, but 50% below in real terms (2011-12 prices)."),
    ((100, 250), "2011-12 is 150% above 2010-11 in cash, 25% in real terms (2011-12 prices)."),
])
def test_baseline_sentence_wording(amounts, expected):
    table = deflator_table([("2010-11", 50), ("2011-12", 100)])
    data = flows(("2010-11", "F", "A", amounts[0]), ("2011-12", "F", "A", amounts[1]))
    assert baseline_sentence(baseline_change(data, "2011-12", "2010-11", table, "2011-12")) == expected


def test_baseline_sentence_without_figures():
    data = flows(("2010-11", "F", "A", 0), ("2011-12", "F", "A", 5))
    assert "no funding" in baseline_sentence(baseline_change(data, "2011-12", "2010-11"))
    assert "no figures for 2014-15" in baseline_sentence(baseline_change(data, "2014-15", "2010-11"))
    assert "no figures for 2009-10" in baseline_sentence(baseline_change(data, "2011-12", "2009-10"))


def test_forecast_deflator_is_mentioned():
    table = deflator_table([("2010-11", 50), ("2011-12", 100)], forecast=["2011-12"])
    data = flows(("2010-11", "F", "A", 100), ("2011-12", "F", "A", 100))
    assert "forecast deflator" in baseline_sentence(baseline_change(data, "2011-12", "2010-11", table))


# --- Sankey ----------------------------------------------------------------------------------


def test_sankey_links_sum_to_flows():
    data = flows(
        ("2016-17", "PCC", "Herefordshire CSP", 30000, "actual", "Domestic violence"),
        ("2016-17", "PCC", "Herefordshire CSP", 15000, "actual", "ASB"),
        ("2016-17", "PCC", "Herefordshire CSP", 20000, "actual", "Reducing reoffending"),
        ("2016-17", "PCC", "Herefordshire CSP", 15000, "actual", "Analytical support"),
        ("2016-17", "Home Office", "Council", 500),
        ("2016-17", "Council", "CSP B", 400),
        ("2016-17", "Council", "CSP C", None),      # TBC adds nothing
    )
    links = sankey_links(data)
    assert list(links.columns) == ["source", "target", "value"]
    first = links[links["source"].isin(["PCC", "Home Office", "Council"])]
    assert first["value"].sum() == pytest.approx(data["amount_gbp"].sum())
    to_priorities = links[links["source"] == "Herefordshire CSP"]
    assert to_priorities["value"].sum() == 80000
    assert links.set_index(["source", "target"]).loc[("PCC", "Herefordshire CSP"), "value"] == 80000
    assert ("Council", "CSP C") not in set(zip(links["source"], links["target"]))
    # Money passed on chains: Home Office -> Council -> CSP B.
    assert {("Home Office", "Council"), ("Council", "CSP B")} <= set(zip(links["source"], links["target"]))


def test_sankey_two_levels():
    data = flows(("2010-11", "F", "A", 5), ("2011-12", "F", "A", 7))
    links = sankey_links(data, levels=("funder", "recipient"))
    assert links.to_dict("records") == [{"source": "F", "target": "A", "value": 12.0}]


# --- reconciliation --------------------------------------------------------------------------


def test_worcestershire_reconciliation_gap():
    result = reconcile(read_grants(DEMO / "grant_flows.csv"), read_stated_totals(DEMO / "grant_stated_totals.csv"))
    assert list(result.columns)[:7] == ["source", "financial_year", "scope", "stated", "sum_of_parts", "gap", "flag"]
    rows = result.set_index(["financial_year", "scope"])
    spend = rows.loc[("2010-11", "Worcestershire expenditure")]
    assert spend["stated"] == 707000 and spend["sum_of_parts"] == 707753
    assert spend["gap"] == 753 and bool(spend["flag"]) is True
    assert "£707,753, £753 more than the stated £707,000" in spend["note"]
    income = rows.loc[("2010-11", "Worcestershire income")]
    assert income["sum_of_parts"] == 707000 and income["gap"] == 0 and not income["flag"]
    for scope in ("Worcestershire income", "Worcestershire expenditure"):
        assert rows.loc[("2011-12", scope), "gap"] == 0 and not rows.loc[("2011-12", scope), "flag"]


def test_reconcile_unknown_parts_and_no_match():
    data = flows(("2012-13", "WCC", "A", 100), ("2012-13", "WCC", "B", None), ("2012-13", "HO", "WCC", 300))
    stated = pd.DataFrame({
        "source": ["r", "r", "r"], "financial_year": ["2012-13", "2012-13", "2011-12"],
        "scope": ["spend", "income", "old"], "stated_gbp": [100.0, 300.0, 5.0],
        "funder": ["WCC", None, None], "recipient": [None, "wcc|Other", None], "stream": [None, None, None],
    })
    out = reconcile(data, stated).set_index("scope")
    assert out.loc["spend", "flag"] and "not yet known" in out.loc["spend", "note"]
    assert out.loc["spend", "gap"] == 0
    assert not out.loc["income", "flag"] and out.loc["income", "sum_of_parts"] == 300
    assert out.loc["old", "flag"] and out.loc["old", "parts"] == 0


# --- allocation what-if ----------------------------------------------------------------------

NEEDS = pd.DataFrame({
    "recipient": ["North Worcestershire", "South Worcestershire", "Herefordshire"],
    "population": [300000, 300000, 190000],
    "crime": [12000, 9000, 6000],
    "asb": [5000, 4000, 3000],
})


def test_allocation_shares_sum_to_the_pot_exactly():
    actual = pd.DataFrame({"recipient": ["North Worcestershire", "South Worcestershire", "Herefordshire"],
                           "amount": [145000, 120000, 85000]})
    out = allocation_whatif(350001, NEEDS, {"population": 0.5, "crime": 0.3, "asb": 0.2}, actual)
    assert list(out.columns) == ["recipient", "formula_share", "formula_gbp", "actual_gbp", "difference_gbp"]
    assert out["formula_share"].sum() == pytest.approx(1.0)
    assert out["formula_gbp"].sum() == 350001
    assert (out["formula_gbp"] == out["formula_gbp"].round()).all()
    pop = np.array([300000, 300000, 190000]) / 790000
    crime = np.array([12000, 9000, 6000]) / 27000
    asb = np.array([5000, 4000, 3000]) / 12000
    assert out["formula_share"].to_numpy() == pytest.approx(0.5 * pop + 0.3 * crime + 0.2 * asb)
    assert (out["difference_gbp"] == out["actual_gbp"] - out["formula_gbp"]).all()


@pytest.mark.parametrize("pot", [0, 1, 2, 100, 999_999, 707_000])
def test_allocation_rounding_never_loses_a_pound(pot):
    needs = pd.DataFrame({"recipient": list("ABCDEFG"), "population": [1, 1, 1, 1, 1, 1, 1]})
    out = allocation_whatif(pot, needs, {"population": 1})
    assert out["formula_gbp"].sum() == pot
    assert out["formula_gbp"].max() - out["formula_gbp"].min() <= 1


def test_allocation_weights_are_normalised_and_three_way_split():
    needs = pd.DataFrame({"recipient": ["A", "B", "C"], "population": [1, 1, 1], "crime": [1, 1, 1]})
    out = allocation_whatif(100, needs, {"population": 2, "crime": 6})
    assert out["formula_gbp"].tolist() == [34, 33, 33]
    assert out["actual_gbp"].isna().all()


def test_allocation_with_recipients_missing_on_either_side():
    actual = pd.DataFrame({"recipient": ["North Worcestershire", "Elsewhere"], "amount": [10, 20]})
    out = allocation_whatif(1000, NEEDS, {"population": 1}, actual).set_index("recipient")
    assert math.isnan(out.loc["Herefordshire", "actual_gbp"])
    assert math.isnan(out.loc["Elsewhere", "formula_gbp"]) and out.loc["Elsewhere", "actual_gbp"] == 20
    assert out["formula_gbp"].sum() == 1000


@pytest.mark.parametrize("pot, weights, words", [
    (100.5, {"population": 1}, "whole number"),
    (-1, {"population": 1}, "whole number"),
    (100, {"population": 0}, "at least one"),
    (100, {"population": -1, "crime": 2}, "negative"),
    (100, {"deprivation": 1}, "no 'deprivation'"),
])
def test_allocation_refuses_bad_settings(pot, weights, words):
    with pytest.raises(ValueError, match=words):
        allocation_whatif(pot, NEEDS, weights)


def test_allocation_refuses_all_zero_need():
    needs = NEEDS.assign(asb=0)
    with pytest.raises(ValueError, match="zero for every recipient"):
        allocation_whatif(100, needs, {"asb": 1})
    assert allocation_whatif(100, needs, {"asb": 0, "crime": 1})["formula_gbp"].sum() == 100


def test_needs_table_from_counts():
    counts = pd.DataFrame({
        "recipient": ["A", "A", "A", "B", "B"],
        "crime_type": ["Burglary", "Anti-social behaviour", "Shoplifting", "Burglary", "Anti-social behaviour"],
        "count": [10, 7, 4, 3, 2],
    })
    population = pd.DataFrame({"recipient": ["A", "B", "C"], "population": [1000, 500, 100]})
    out = needs_table(counts, population, crime_types=["Burglary"]).set_index("recipient")
    assert out.loc["A"].tolist() == [1000, 10, 7]
    assert out.loc["B"].tolist() == [500, 3, 2]
    assert out.loc["C"].tolist() == [100, 0, 0]
    assert needs_table(counts, population).set_index("recipient").loc["A", "crime"] == 14


def test_default_deflator_path_is_in_the_repo():
    assert DEFAULT_DEFLATORS.is_file() and DEFAULT_DEFLATORS.parent.name == "reference"
