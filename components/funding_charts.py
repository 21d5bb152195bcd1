"""Pure chart builders for the funding page: DataFrame in, plotly figure out.

Provisional years (or years with a figure not known yet) are drawn hatched and lighter; in real
terms, years whose GDP deflator is a forecast are shaded. Okabe–Ito colours, £ on the axes.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.charts import GREY, NAMES_AXIS, OKABE_ITO, layout
from components.figures import figure, merge, plain, vrect

OTHERS = "All others"
PROVISIONAL_NOTE = "Lighter, outlined: provisional or not all known yet"
GROUP_WORDS = {"funder": "funder", "recipient": "recipient", "stream": "funding stream", "priority": "priority"}


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


def _money_axis(years: list[str], y_title: str, forecast_years: list[str],
                provisional_tops: dict[str, float] | None = None) -> dict:
    """Layout settings for years as categories in order, £ on the y axis, forecast-deflator years
    shaded, and the word 'provisional' above each provisional bar (provisional_tops: year -> height
    of its stack)."""
    annotations = [{"x": year, "y": top, "yanchor": "bottom", "showarrow": False, "text": "provisional",
                    "textangle": -90, "font": {"size": 12, "color": "#444444"}}
                   for year, top in (provisional_tops or {}).items()]
    shaded = [years.index(year) for year in forecast_years if year in years]
    shapes = [vrect(i - 0.5, i + 0.5, fillcolor="#e8e8e8", opacity=0.6, layer="below", line={"width": 0})
              for i in shaded]
    if shaded:
        annotations.append({"x": years[min(shaded)], "y": 1.0, "yref": "paper", "yanchor": "bottom",
                            "xanchor": "right", "showarrow": False, "text": "shaded: forecast deflator",
                            "font": {"size": 12, "color": "#444444"}})
    return {"xaxis": {"type": "category", "categoryorder": "array", "categoryarray": years, "tickangle": -45,
                      "tickfont": {"size": 13}},
            "yaxis": {"title": {"text": y_title}, "tickprefix": "£", "separatethousands": True, "automargin": True},
            "annotations": annotations, "shapes": shapes, "margin": {"b": 130}, "legend": {"y": -0.3}}


def trend_bars(table: pd.DataFrame, years: list[str], by: str, title: str, y_title: str,
               forecast_years: list[str] = ()) -> go.Figure:
    """Stacked bars per financial year, one colour per group (the biggest 7 and 'All others')."""
    frame = top_groups(table)
    colours = _colours(_group_order(frame))
    data = []
    for group in _group_order(frame):
        rows = frame[frame["group"] == group]
        unsure = rows["provisional"].astype(bool)
        # Actual and provisional years as two traces of one legend entry. Bar patterns (hatching)
        # are not drawn by Streamlit's plotly.js (the bars vanish), so provisional bars are
        # lighter with a solid outline, and their year's axis label says "provisional".
        data.append({"type": "bar", "x": rows.loc[~unsure, "financial_year"], "y": rows.loc[~unsure, "amount"],
                     "name": group, "legendgroup": group, "marker": {"color": colours[group]},
                     "hovertemplate": f"{plain(group)}: £%{{y:,.0f}}<extra></extra>"})
        if unsure.any():
            data.append({"type": "bar", "x": rows.loc[unsure, "financial_year"], "y": rows.loc[unsure, "amount"],
                         "name": group, "legendgroup": group, "showlegend": False,
                         "marker": {"color": _lighter(colours[group]), "line": {"color": colours[group], "width": 2}},
                         "hovertemplate": f"{plain(group)}: £%{{y:,.0f}} (provisional or not all known)<extra></extra>"})
    if table["provisional"].any():
        data.append({"type": "bar", "x": [None], "y": [None], "name": PROVISIONAL_NOTE, "showlegend": True,
                     "marker": {"color": _lighter(GREY), "line": {"color": GREY, "width": 2}}})
    unsure = frame[frame["provisional"].astype(bool)]["financial_year"].unique()
    tops = frame.groupby("financial_year")["amount"].sum().reindex(unsure).to_dict()
    return figure(data, merge(layout(title, y_title, height=540, barmode="stack",
                                     legend={"title": {"text": GROUP_WORDS.get(by, by).capitalize() + ":"}}),
                              _money_axis(years, y_title, list(forecast_years), tops)))


def trend_lines(table: pd.DataFrame, totals: pd.DataFrame, years: list[str], by: str, title: str,
                y_title: str, forecast_years: list[str] = ()) -> go.Figure:
    """A line per group (the biggest 7 and 'All others') and the total; open markers where a
    year is provisional, gaps where an amount is not known."""
    frame = top_groups(table)
    colours = _colours(_group_order(frame))
    data = []
    for group in _group_order(frame):
        rows = frame[frame["group"] == group].set_index("financial_year").reindex(years)
        data.append(_line(rows, group, colours[group], "solid"))
    if frame["group"].nunique() > 1:
        data.append(_line(totals.set_index("financial_year").reindex(years), "Total", "#000000", "dash"))
    if table["provisional"].any():
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers",
                     "name": "Open circle: provisional or not all known",
                     "marker": {"symbol": "circle-open", "size": 10, "color": GREY}})
    return figure(data, merge(layout(title, y_title, height=520), _money_axis(years, y_title, list(forecast_years))))


def _line(rows: pd.DataFrame, name: str, colour: str, dash: str) -> dict:
    unsure = rows["provisional"].fillna(False).astype(bool).tolist()
    return {"type": "scatter", "x": list(rows.index), "y": rows["amount"], "name": name, "mode": "lines+markers",
            "connectgaps": False, "line": {"color": colour, "width": 3, "dash": dash},
            "marker": {"size": 9, "color": colour, "symbol": ["circle-open" if u else "circle" for u in unsure],
                       "line": {"width": 2, "color": colour}},
            "hovertemplate": f"{plain(name)}: £%{{y:,.0f}}<extra></extra>"}


def sankey(links: pd.DataFrame, title: str) -> go.Figure:
    """Funder -> recipient -> priority; a node's colour says which step it first appears at."""
    nodes: list[str] = []
    for name in list(links["source"]) + list(links["target"]):
        if name not in nodes:
            nodes.append(name)
    sources = set(links["source"])
    targets = set(links["target"])
    colour = [OKABE_ITO[0] if n not in targets else OKABE_ITO[2] if n in sources else OKABE_ITO[1] for n in nodes]
    index = {n: i for i, n in enumerate(nodes)}
    data = [{
        "type": "sankey", "valueformat": ",.0f",
        "node": {"label": nodes, "color": colour, "pad": 18, "thickness": 18, "line": {"color": "white", "width": 0.5},
                 "hovertemplate": "%{label}: £%{value:,.0f}<extra></extra>"},
        "link": {"source": [index[s] for s in links["source"]], "target": [index[t] for t in links["target"]],
                 "value": links["value"], "color": "rgba(0, 114, 178, 0.25)",
                 "hovertemplate": "%{source.label} → %{target.label}: £%{value:,.0f}<extra></extra>"},
    }]
    return figure(data, layout(title, "", height=max(420, 34 * len(nodes) + 120),
                               font={"size": 14, "color": "#111111"}, hovermode=False))


def allocation_bars(table: pd.DataFrame, title: str) -> go.Figure:
    """What each recipient got beside what the formula would give it (£)."""
    frame = table.sort_values("formula_gbp", ascending=True)
    data = [{"type": "bar", "y": frame["recipient"], "x": frame[col], "orientation": "h", "name": label,
             "marker": {"color": colour}, "hovertemplate": hover}
            for col, label, colour, hover in (
                ("actual_gbp", "What it actually got", OKABE_ITO[1], "Actually got £%{x:,.0f}<extra></extra>"),
                ("formula_gbp", "What the formula gives", OKABE_ITO[0], "Formula gives £%{x:,.0f}<extra></extra>"))]
    return figure(data, layout(
        title, "", height=max(320, 80 * len(frame) + 160), barmode="group", hovermode="y unified",
        xaxis={"title": {"text": "£ per year"}, "tickprefix": "£", "separatethousands": True, "rangemode": "tozero"},
        yaxis=NAMES_AXIS, margin={"b": 110}, legend={"y": -0.28}))
