"""The funding page's chart builders: DataFrame in, ECharts option out."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from components import funding_charts as fc


def trend_table(groups: int) -> pd.DataFrame:
    rows = []
    for g in range(groups):
        for year, provisional in (("2010-11", False), ("2011-12", True)):
            rows.append({"financial_year": year, "group": f"G{g}", "amount": float(100 - g),
                         "change_pct": None, "provisional": provisional})
    return pd.DataFrame(rows)


def legend_names(option: dict) -> list[str]:
    return [d["name"] if isinstance(d, dict) else d for d in option["legend"]["data"]]


def series_named(option: dict, name: str) -> list[dict]:
    return [s for s in option["series"] if s.get("name") == name]


def as_json(option: dict) -> dict:
    """What st.echarts_chart is sent: strict JSON (it refuses NaN)."""
    return json.loads(json.dumps(option, allow_nan=False))


def test_top_groups_lumps_the_rest_and_keeps_totals():
    table = trend_table(10)
    top = fc.top_groups(table)
    assert top["group"].nunique() == 8 and fc.OTHERS in set(top["group"])
    assert top["amount"].sum() == table["amount"].sum()
    assert fc.top_groups(trend_table(3))["group"].nunique() == 3


def test_bars_stack_by_group_and_split_provisional_years():
    chart = fc.trend_bars(trend_table(2), ["2010-11", "2011-12"], "funder", "Money by funder", "£ (cash)")
    option = as_json(chart.option)
    assert option["title"]["text"] == "Money by funder"
    assert option["xAxis"]["data"] == ["2010-11", "2011-12"]
    assert legend_names(option) == ["G0", "G1", fc.PROVISIONAL_NOTE]
    actual, provisional = series_named(option, "G0")  # one legend entry shows and hides both
    assert actual["data"] == [100.0, None] and provisional["data"] == [None, 100.0]
    assert {s["stack"] for s in option["series"] if s["type"] == "bar"} == {"total"}
    # Provisional bars are lighter than the group's colour, outlined in it, hatched, and say so on hover.
    assert provisional["itemStyle"]["borderColor"] == actual["itemStyle"]["color"]
    assert provisional["itemStyle"]["color"] == fc._lighter(actual["itemStyle"]["color"])
    assert provisional["itemStyle"]["decal"]
    assert "provisional" in provisional["tooltip"]["valueFormatter"]
    assert actual["tooltip"]["valueFormatter"] == "£%,.0f"
    # The word "provisional" stands on the provisional year's stack.
    marks = series_named(option, fc.PROVISIONAL_NOTE)[0]["markPoint"]
    assert [m["coord"] for m in marks["data"]] == [["2011-12", 199.0]]
    assert marks["label"]["formatter"] == "provisional"
    assert option["yAxis"]["name"] == "£ (cash)" and option["yAxis"]["axisLabel"]["formatter"] == "£{value}"
    assert chart.height == 540


def test_bars_without_provisional_figures_have_no_key_for_them():
    table = trend_table(2).assign(provisional=False)
    option = fc.trend_bars(table, ["2010-11", "2011-12"], "funder", "t", "£ (cash)").option
    assert legend_names(option) == ["G0", "G1"]
    assert [len(series_named(option, g)) for g in ("G0", "G1")] == [1, 1]


def test_the_biggest_groups_get_colours_and_the_rest_grey():
    option = fc.trend_bars(trend_table(10), ["2010-11", "2011-12"], "funder", "t", "£ (cash)").option
    assert legend_names(option)[:8] == [f"G{g}" for g in range(7)] + [fc.OTHERS]
    assert series_named(option, fc.OTHERS)[0]["itemStyle"]["color"] == fc.GREY
    assert len({series_named(option, f"G{g}")[0]["itemStyle"]["color"] for g in range(7)}) == 7
    assert option["grid"]["top"] > fc.TOP  # a legend of ten entries takes two lines


def test_forecast_years_are_shaded_in_real_terms():
    table = trend_table(2)
    totals = table.groupby("financial_year", as_index=False).agg(amount=("amount", "sum"),
                                                                 provisional=("provisional", "any"))
    years = ["2009-10", "2010-11", "2011-12", "2012-13"]
    for chart in (fc.trend_lines(table, totals, years, "funder", "t", "£ in 2024-25 prices", ["2011-12", "2012-13"]),
                  fc.trend_bars(table, years, "funder", "t", "£ in 2024-25 prices", ["2011-12", "2012-13"])):
        option = as_json(chart.option)
        key = series_named(option, fc.FORECAST_NOTE)[0]
        assert key["data"] == [] and fc.FORECAST_NOTE in legend_names(option)
        assert key["markArea"]["data"] == [[{"xAxis": "2011-12"}, {"xAxis": "2012-13"}]]  # one span for the run
        assert option["yAxis"]["name"] == "£ in 2024-25 prices"
    cash = fc.trend_lines(table, totals, years, "funder", "t", "£ (cash)").option
    assert not series_named(cash, fc.FORECAST_NOTE) and fc.FORECAST_NOTE not in legend_names(cash)


def test_lines_have_a_total_open_circles_where_provisional_and_gaps_where_unknown():
    table = trend_table(2)
    table.loc[(table["group"] == "G1") & (table["financial_year"] == "2010-11"), "amount"] = None
    totals = pd.DataFrame({"financial_year": ["2010-11", "2011-12"], "amount": [100.0, 197.0],
                           "provisional": [False, True]})
    option = as_json(fc.trend_lines(table, totals, ["2010-11", "2011-12"], "funder", "t", "£ (cash)").option)
    assert legend_names(option) == ["G0", "G1", fc.TOTAL, fc.OPEN_NOTE]
    assert series_named(option, "G0")[0]["data"] == [100.0, {"value": 100.0, "symbol": "emptyCircle"}]
    assert series_named(option, "G1")[0]["data"] == [None, {"value": 99.0, "symbol": "emptyCircle"}]
    total = series_named(option, fc.TOTAL)[0]
    assert total["lineStyle"]["type"] == "dashed" and total["data"][0] == 100.0
    assert all(s["connectNulls"] is False for s in option["series"] if s["data"])
    assert option["tooltip"]["trigger"] == "axis" and total["tooltip"]["valueFormatter"] == "£%,.0f"


def test_a_group_called_total_keeps_its_own_legend_entry():
    table = trend_table(2).replace({"group": {"G1": "Total"}})
    totals = table.groupby("financial_year", as_index=False).agg(amount=("amount", "sum"),
                                                                 provisional=("provisional", "any"))
    names = legend_names(fc.trend_lines(table, totals, ["2010-11", "2011-12"], "funder", "t", "£").option)
    assert len(names) == len(set(names)) and "Total" in names


def test_sankey_nodes_and_links():
    links = pd.DataFrame({"source": ["PCC", "PCC", "CSP A"], "target": ["CSP A", "CSP B", "Domestic violence"],
                          "value": [30.0, 20.0, 30.0]})
    chart = fc.sankey(links, "Flows of money")
    option = as_json(chart.option)
    assert option["title"]["text"] == "Flows of money" and "xAxis" not in option and "grid" not in option
    (sankey,) = option["series"]
    assert sankey["type"] == "sankey"
    assert [n["name"] for n in sankey["data"]] == ["PCC", "CSP A", "CSP B", "Domestic violence"]
    assert sankey["links"] == [{"source": "PCC", "target": "CSP A", "value": 30.0},
                               {"source": "PCC", "target": "CSP B", "value": 20.0},
                               {"source": "CSP A", "target": "Domestic violence", "value": 30.0}]
    colours = [n["itemStyle"]["color"] for n in sankey["data"]]
    assert colours[0] != colours[1] != colours[2] and colours[2] == colours[3]  # starts, passes on, ends
    assert sankey["tooltip"]["valueFormatter"] == "£%,.0f"
    assert chart.height >= 420


@pytest.mark.parametrize("links", [
    # A priority named like the body that funds the partnership, money passed back up, a body funding itself.
    {"source": ["Youth service", "CSP A"], "target": ["CSP A", "Youth service"], "value": [30.0, 10.0]},
    {"source": ["PCC", "Council", "Council"], "target": ["Council", "PCC", "CSP"], "value": [50.0, 5.0, 40.0]},
    {"source": ["PCC", "PCC"], "target": ["PCC", "CSP"], "value": [5.0, 40.0]},
])
def test_sankey_never_has_a_loop_and_its_names_stay_readable(links):
    # ECharts refuses a Sankey with a cycle or two nodes of one name (the chart would not draw).
    links = pd.DataFrame(links)
    sankey = fc.sankey(links, "t").option["series"][0]
    names = [n["name"] for n in sankey["data"]]
    assert len(names) == len(set(names))
    assert {n.replace("\u200b", "") for n in names} == set(links["source"]) | set(links["target"])
    after: dict[str, set[str]] = {}
    for link in sankey["links"]:
        after.setdefault(link["source"], set()).add(link["target"])

    def loops(node, path):
        return node in path or any(loops(n, path | {node}) for n in after.get(node, ()))
    assert not any(loops(n, frozenset()) for n in names)
    assert [link["value"] for link in sankey["links"]] == list(links["value"])


def test_sankey_keeps_room_for_the_names_where_money_ends():
    long = "Anti-social behaviour and community cohesion"
    links = pd.DataFrame({"source": ["PCC", "CSP"], "target": ["CSP", long], "value": [10.0, 10.0]})
    sankey = fc.sankey(links, "t").option["series"][0]
    assert sankey["right"] >= fc.SANKEY_LABEL_WIDTH
    assert sankey["label"]["overflow"] == "break" and sankey["label"]["width"] == fc.SANKEY_LABEL_WIDTH


def test_allocation_bars_show_both_amounts():
    table = pd.DataFrame({"recipient": ["A", "B"], "formula_gbp": [40.0, 60.0], "actual_gbp": [50.0, 50.0]})
    option = as_json(fc.allocation_bars(table, "What each got").option)
    assert [s["name"] for s in option["series"]] == ["What it actually got", "What the formula gives"]
    assert option["yAxis"]["data"] == ["B", "A"] and option["yAxis"]["inverse"] is True  # biggest share on top
    assert option["series"][1]["data"] == [60.0, 40.0] and option["series"][0]["data"] == [50.0, 50.0]
    assert option["xAxis"]["name"] == "£ per year" and option["xAxis"]["axisLabel"]["formatter"] == "£{value}"
    assert option["title"]["text"] == "What each got"
