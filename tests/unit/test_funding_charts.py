"""The funding page's chart builders: DataFrame in, plotly figure out."""

from __future__ import annotations

import pandas as pd

from components import funding_charts as fc


def trend_table(groups: int) -> pd.DataFrame:
    rows = []
    for g in range(groups):
        for year, provisional in (("2010-11", False), ("2011-12", True)):
            rows.append({"financial_year": year, "group": f"G{g}", "amount": float(100 - g),
                         "change_pct": None, "provisional": provisional})
    return pd.DataFrame(rows)


def test_top_groups_lumps_the_rest_and_keeps_totals():
    table = trend_table(10)
    top = fc.top_groups(table)
    assert top["group"].nunique() == 8 and fc.OTHERS in set(top["group"])
    assert top["amount"].sum() == table["amount"].sum()
    assert fc.top_groups(trend_table(3))["group"].nunique() == 3


def test_bars_split_provisional_years_and_mark_them():
    fig = fc.trend_bars(trend_table(2), ["2010-11", "2011-12"], "funder", "t", "£ (cash)")
    legend = [t for t in fig.data if t.showlegend is not False]
    hidden = [t for t in fig.data if t.showlegend is False]
    assert {t.name for t in legend} == {"G0", "G1", fc.PROVISIONAL_NOTE}
    assert all(list(t.x) == ["2011-12"] for t in hidden)
    assert [a.text for a in fig.layout.annotations] == ["provisional"]
    assert fig.layout.yaxis.tickprefix == "£" and fig.layout.yaxis.title.text == "£ (cash)"


def test_forecast_years_are_shaded_in_real_terms():
    table = trend_table(1)
    totals = table.assign(group="All")
    fig = fc.trend_lines(table, totals, ["2010-11", "2011-12"], "funder", "t", "£ in 2024-25 prices", ["2011-12"])
    assert len(fig.layout.shapes) == 1
    assert any(a.text == "shaded: forecast deflator" for a in fig.layout.annotations)


def test_sankey_nodes_and_links():
    links = pd.DataFrame({"source": ["PCC", "PCC", "CSP A"], "target": ["CSP A", "CSP B", "Domestic violence"],
                          "value": [30.0, 20.0, 30.0]})
    sankey = fc.sankey(links, "t").data[0]
    assert list(sankey.node.label) == ["PCC", "CSP A", "CSP B", "Domestic violence"]
    assert list(sankey.link.source) == [0, 0, 1] and list(sankey.link.target) == [1, 2, 3]
    colours = list(sankey.node.color)
    assert colours[0] != colours[1] != colours[2]  # starts, passes on, ends


def test_allocation_bars_show_both_amounts():
    table = pd.DataFrame({"recipient": ["A", "B"], "formula_gbp": [60.0, 40.0], "actual_gbp": [50.0, 50.0]})
    fig = fc.allocation_bars(table, "t")
    assert [t.name for t in fig.data] == ["What it actually got", "What the formula gives"]
    assert fig.layout.xaxis.tickprefix == "£"
