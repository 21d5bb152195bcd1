"""Pure chart builders for the funding page: DataFrame in, `echart.Chart` out. No Streamlit, no database.

Figures that were provisional, or not all known yet, when published are drawn lighter, outlined and hatched
(bars) or as open circles (lines); in real terms, years whose GDP deflator is a forecast are shaded. Both keys
are legend entries, so a printed chart explains itself. Okabe-Ito colours, £ on the axes and in the hover
boxes. The shared look, and why ECharts, are in components/echart.py.

Names from users' files (funders, recipients, streams, priorities) reach the chart only as series names,
categories and Sankey nodes, which ECharts draws as plain text, and the default hover boxes, which encode them.
"""

from __future__ import annotations

import math

import pandas as pd

from components.charts import NAMES_AXIS
from components.echart import (GREY, OKABE_ITO, TOP, Chart, bands, bar, category_axis, chart, legend_rows, line,
                               runs, value_axis)

OTHERS = "All others"
PROVISIONAL_NOTE = "Lighter, outlined: provisional or not all known yet"
OPEN_NOTE = "Open circle: provisional or not all known"
FORECAST_NOTE = "Shaded: prices from a forecast deflator"
TOTAL = "Total"
GROUP_WORDS = {"funder": "funder", "recipient": "recipient", "stream": "funding stream", "priority": "priority"}

MONEY = "£%,.0f"  # a hover box's amount (Streamlit's printf-style valueFormatter)
PROVISIONAL_MONEY = "£%,.0f (provisional or not all known yet)"
MONEY_TICKS = "£{value}"  # ECharts puts the thousands separators in {value}
HATCH = {"symbol": "rect", "dashArrayX": [1, 0], "dashArrayY": [2, 4], "rotation": -math.pi / 4,
         "color": "rgba(0, 0, 0, 0.28)", "symbolSize": 1}
SHADE = "#e3e3e3"  # forecast-deflator years: a little darker than BAND, as it is a key in the legend too
SANKEY_LABEL_WIDTH = 210  # px: a longer node name wraps
_ALONE = "\u200b"  # a zero-width space: makes a Sankey node's name unique and reads the same


def top_groups(table: pd.DataFrame, top: int = 7) -> pd.DataFrame:
    """Keep the `top` groups with the most money; the rest become 'All others' (so colours stay
    distinguishable). Keeps financial_year, group, amount, provisional."""
    order = table.groupby("group")["amount"].sum().sort_values(ascending=False).index.tolist()
    if len(order) <= top + 1:
        return table[["financial_year", "group", "amount", "provisional"]].copy()
    keep = set(order[:top])
    frame = table.assign(group=table["group"].where(table["group"].isin(keep), OTHERS))
    return frame.groupby(["financial_year", "group"], as_index=False, sort=False).agg(
        amount=("amount", lambda a: a.sum(min_count=1)), provisional=("provisional", "any"))


def _colours(groups: list[str]) -> dict[str, str]:
    named = [g for g in groups if g != OTHERS]
    out = {g: OKABE_ITO[i % len(OKABE_ITO)] for i, g in enumerate(named)}
    out[OTHERS] = GREY
    return out


def _group_order(frame: pd.DataFrame) -> list[str]:
    order = frame.groupby("group")["amount"].sum().sort_values(ascending=False).index.tolist()
    return [g for g in order if g != OTHERS] + ([OTHERS] if OTHERS in order else [])


def _lighter(colour: str, amount: float = 0.55) -> str:
    """The colour mixed with white (amount 0 = unchanged, 1 = white)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in (r, g, b))


def _provisional_style(colour: str) -> dict:
    """A provisional bar: lighter, outlined in the group's colour, hatched (so it reads in grey print too)."""
    return {"color": _lighter(colour), "borderColor": colour, "borderWidth": 2, "decal": HATCH}


def _legend_top(names: list[str], width: int = 700) -> int:
    """Room above the plot for the title and the legend, which wraps onto more lines as its names grow (an
    entry is about 7 px a character and 48 px of key and gap, a line 32 px; the page's charts are 700 px wide
    or more, so a wider chart may keep a little space spare, never draw the legend on the plot)."""
    return TOP + 32 * (legend_rows(names, width, per_char=7, per_item=48) - 1)


def _money_axis(years: list[str], y_title: str, headroom: bool = False) -> dict:
    """Years as categories in order (every one labelled, slanted when there are many), £ on the y axis; with
    `headroom`, a fifth more room above the tallest bar (for the word 'provisional')."""
    slant = len(years) > 8
    y_axis = value_axis(y_title, axisLabel={"formatter": MONEY_TICKS})
    if headroom:
        y_axis["boundaryGap"] = [0, "20%"]
    return {"x_axis": category_axis(years, axisLabel={"interval": 0, "rotate": 45 if slant else 0,
                                                     "hideOverlap": False}),
            "y_axis": y_axis}


def _forecast_key(years: list[str], forecast_years, kind: str) -> dict | None:
    """A series with no data of its own: its legend entry says what the shading means, and it shades the
    forecast-deflator years (one span per run of consecutive years)."""
    forecast = set(forecast_years)
    spans = runs(years, [y in forecast for y in years])
    if not spans:
        return None
    key = {"type": kind, "name": FORECAST_NOTE, "data": [], "tooltip": {"show": False},
           "markArea": bands(spans, colour=SHADE),
           "itemStyle": {"color": SHADE, "borderColor": "#b0b0b0", "borderWidth": 1}}
    return key | {"stack": "total"} if kind == "bar" else key


def _tall(tops: dict[str, float], frame: pd.DataFrame) -> bool:
    """Whether a provisional year's stack is near the tallest, so its word 'provisional' needs room above."""
    tallest = frame.groupby("financial_year")["amount"].sum().max()
    return bool(tops) and max(tops.values()) > 0.7 * tallest


def _provisional_marks(tops: dict[str, float]) -> dict:
    """The word 'provisional' standing on top of each provisional year's stack."""
    return {"silent": True, "symbol": "circle", "symbolSize": 0,
            "label": {"show": True, "formatter": "provisional", "position": "top", "rotate": 90, "align": "left",
                      "verticalAlign": "middle", "distance": 6, "color": "#444444", "fontSize": 12},
            "data": [{"coord": [year, top], "value": top} for year, top in tops.items()]}


def _legend(names: list[str], icons: dict[str, str] | None = None) -> dict:
    icons = icons or {}
    return {"data": [{"name": n, "icon": icons[n]} if n in icons else n for n in names]}


def trend_bars(table: pd.DataFrame, years: list[str], by: str, title: str, y_title: str,
               forecast_years: list[str] = ()) -> Chart:
    """Stacked bars per financial year, one colour per group (the biggest 7 and 'All others')."""
    frame = top_groups(table)
    order = _group_order(frame)
    colours = _colours(order)
    series = []
    for group in order:
        rows = frame[frame["group"] == group].set_index("financial_year").reindex(years)
        unsure = rows["provisional"].fillna(False).astype(bool)
        amounts = rows["amount"]
        # Actual and provisional years as two series of one name, so one legend entry shows and hides both;
        # the provisional one is lighter, outlined and hatched, and its hover box says so.
        series.append(bar(group, amounts.where(~unsure), colours[group], stack="total", barMaxWidth=90,
                          tooltip={"valueFormatter": MONEY}))
        if unsure.any():
            series.append(bar(group, amounts.where(unsure), colours[group], stack="total", barMaxWidth=90,
                              itemStyle=_provisional_style(colours[group]),
                              tooltip={"valueFormatter": PROVISIONAL_MONEY}))
    names = list(order)
    unsure_years = frame.loc[frame["provisional"].astype(bool), "financial_year"].unique()
    tops = frame.groupby("financial_year")["amount"].sum().reindex(unsure_years).dropna()
    tops = {year: top for year, top in tops.items() if year in years}
    if table["provisional"].any():
        note = bar(PROVISIONAL_NOTE, [], GREY, stack="total", itemStyle=_provisional_style(GREY),
                   tooltip={"show": False})
        if tops:
            note["markPoint"] = _provisional_marks(tops)
        series.append(note)
        names.append(PROVISIONAL_NOTE)
    if forecast := _forecast_key(years, forecast_years, "bar"):
        series.append(forecast)
        names.append(FORECAST_NOTE)
    out = chart(title, series, height=540, tooltip="item", grid={"top": _legend_top(names)},
                **_money_axis(years, y_title, headroom=_tall(tops, frame)))
    return out.merged(legend=_legend(names))


def trend_lines(table: pd.DataFrame, totals: pd.DataFrame, years: list[str], by: str, title: str,
                y_title: str, forecast_years: list[str] = ()) -> Chart:
    """A line per group (the biggest 7 and 'All others') and the total; open circles where a year is
    provisional, gaps where an amount is not known."""
    frame = top_groups(table)
    order = _group_order(frame)
    colours = _colours(order)
    series = [_line(frame[frame["group"] == group].set_index("financial_year").reindex(years), group,
                    colours[group], "solid")
              for group in order]
    names = list(order)
    icons = {}
    if frame["group"].nunique() > 1:
        total = TOTAL if TOTAL not in order else "Total of all"  # one name, one legend entry, in ECharts
        series.append(_line(totals.set_index("financial_year").reindex(years), total, "#000000", "dashed"))
        names.append(total)
    if table["provisional"].any():
        series.append(line(OPEN_NOTE, [], GREY, symbol="emptyCircle", symbolSize=10,
                           itemStyle={"borderWidth": 2}, tooltip={"show": False}))
        names.append(OPEN_NOTE)
        icons[OPEN_NOTE] = "emptyCircle"
    if forecast := _forecast_key(years, forecast_years, "line"):
        series.append(forecast)
        names.append(FORECAST_NOTE)
        icons[FORECAST_NOTE] = "rect"
    out = chart(title, series, height=520, tooltip="axis", grid={"top": _legend_top(names)},
                **_money_axis(years, y_title))
    return out.merged(legend=_legend(names, icons))


def _line(rows: pd.DataFrame, name: str, colour: str, dash: str) -> dict:
    """One group's (or the total's) amounts by year: a filled circle for an actual figure, an open one for a
    provisional figure, a gap for an unknown one."""
    unsure = rows["provisional"].fillna(False).astype(bool).tolist()
    values = [None if pd.isna(v) else {"value": v, "symbol": "emptyCircle"} if u else v
              for v, u in zip(rows["amount"].tolist(), unsure)]
    return line(name, values, colour, width=3, dash=dash, symbol="circle", symbolSize=9,
                itemStyle={"borderWidth": 2}, tooltip={"valueFormatter": MONEY})


def _sankey_graph(links: pd.DataFrame) -> tuple[list[str], list[dict]]:
    """Node names (in order of first appearance) and links, the graph kept free of cycles as ECharts requires.

    A body that receives money and passes it on is one node (Home Office -> council -> CSP), so a name is one
    node wherever it appears. Where a link would close a loop (money passed back up the chain, a body funding
    itself, a priority named like the body that funds it) its target is drawn as a second node of the same
    name, at the end of the chain; ECharts needs unique names, so the copy's ends with a zero-width space."""
    nodes: list[str] = []
    after: dict[str, set[str]] = {}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(after.get(node, ()))
        return False

    edges = []
    for source, target, value in links[["source", "target", "value"]].itertuples(index=False):
        source, target = str(source), str(target)
        if reaches(target, source):
            target = target + _ALONE
        for node in (source, target):
            if node not in nodes:
                nodes.append(node)
        after.setdefault(source, set()).add(target)
        edges.append({"source": source, "target": target, "value": value})
    return nodes, edges


def sankey(links: pd.DataFrame, title: str) -> Chart:
    """Funder -> recipient -> priority; a node's colour says whether money starts there (blue), passes
    through it (green) or ends there (orange). Hover a node or a band for its amount.

    Every name is written to the right of its node. Where money ends the nodes are in the last column, so
    the chart keeps room on its right for their names; a long name wraps onto a second line."""
    nodes, edges = _sankey_graph(links)
    sources = {e["source"] for e in edges}
    targets = {e["target"] for e in edges}
    ends = [n for n in nodes if n not in sources]
    data = [{"name": name, "itemStyle": {"color": OKABE_ITO[0] if name not in targets
                                         else OKABE_ITO[2] if name in sources else OKABE_ITO[1]}}
            for name in nodes]
    right = min(SANKEY_LABEL_WIDTH, 7 * max((len(n) for n in ends), default=0)) + 16
    series = [{
        "type": "sankey", "name": "Money", "data": data, "links": edges,
        "left": 0, "right": right, "top": 56, "bottom": 8, "nodeWidth": 18, "nodeGap": 18, "draggable": False,
        "layoutIterations": 64,
        "itemStyle": {"borderColor": "#ffffff", "borderWidth": 0.5},
        "lineStyle": {"color": OKABE_ITO[0], "opacity": 0.25, "curveness": 0.5},
        "label": {"position": "right", "color": "#111111", "fontSize": 14, "width": SANKEY_LABEL_WIDTH,
                  "overflow": "break", "lineHeight": 17, "textBorderColor": "#ffffff", "textBorderWidth": 3},
        "emphasis": {"focus": "adjacency", "lineStyle": {"opacity": 0.5}},
        "tooltip": {"valueFormatter": MONEY},
    }]
    return chart(title, series, height=max(420, 34 * len(nodes) + 120), legend=False, tooltip="item",
                 x_axis={}, y_axis={}, xAxis=None, yAxis=None, grid=None)


def allocation_bars(table: pd.DataFrame, title: str) -> Chart:
    """What each recipient got beside what the formula would give it (£), the biggest formula share on top."""
    frame = table.sort_values("formula_gbp", ascending=False)
    series = [bar(label, frame[col], colour, tooltip={"valueFormatter": MONEY})
              for col, label, colour in (("actual_gbp", "What it actually got", OKABE_ITO[1]),
                                         ("formula_gbp", "What the formula gives", OKABE_ITO[0]))]
    out = chart(title, series, height=max(320, 80 * len(frame) + 160), tooltip="axis",
                x_axis=value_axis("£ per year", nameLocation="middle", nameGap=30,
                                  nameTextStyle={"align": "center"}, axisLabel={"formatter": MONEY_TICKS}),
                y_axis=category_axis(frame["recipient"], **NAMES_AXIS), grid={"bottom": 40, "right": 48})
    return out.merged(tooltip={"axisPointer": {"type": "shadow"}})
