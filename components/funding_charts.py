"""Pure chart builders for the funding page: DataFrame in, plotly figure out.

Provisional years (or years with a figure not known yet) are drawn hatched and lighter; in real
terms, years whose GDP deflator is a forecast are shaded. Okabe–Ito colours, £ on the axes.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.charts import GREY, OKABE_ITO, base_layout

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


def _money_axis(fig: go.Figure, years: list[str], y_title: str, forecast_years: list[str],
                provisional_tops: dict[str, float] | None = None) -> go.Figure:
    """Years as categories in order, £ on the y axis, forecast-deflator years shaded, and the
    word 'provisional' above each provisional bar (provisional_tops: year -> height of its stack)."""
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years, tickangle=-45,
                     tickfont=dict(size=13), title=None)
    fig.update_yaxes(title=y_title, tickprefix="£", separatethousands=True)
    for year, top in (provisional_tops or {}).items():
        fig.add_annotation(x=year, y=top, yanchor="bottom", showarrow=False, text="provisional",
                           textangle=-90, font=dict(size=12, color="#444444"))
    for year in forecast_years:
        if year in years:
            i = years.index(year)
            fig.add_vrect(x0=i - 0.5, x1=i + 0.5, fillcolor="#e8e8e8", opacity=0.6, layer="below", line_width=0)
    if any(y in years for y in forecast_years):
        first = min(years.index(y) for y in forecast_years if y in years)
        fig.add_annotation(x=years[first], y=1.0, yref="paper", yanchor="bottom", xanchor="right", showarrow=False,
                           text="shaded: forecast deflator", font=dict(size=12, color="#444444"))
    fig.update_layout(margin=dict(b=130), legend=dict(y=-0.3))
    return fig


def trend_bars(table: pd.DataFrame, years: list[str], by: str, title: str, y_title: str,
               forecast_years: list[str] = ()) -> go.Figure:
    """Stacked bars per financial year, one colour per group (the biggest 7 and 'All others')."""
    frame = top_groups(table)
    colours = _colours(_group_order(frame))
    fig = go.Figure()
    for group in _group_order(frame):
        rows = frame[frame["group"] == group]
        unsure = rows["provisional"].astype(bool)
        # Actual and provisional years as two traces of one legend entry. Bar patterns (hatching)
        # are not drawn by Streamlit's plotly.js (the bars vanish), so provisional bars are
        # lighter with a solid outline, and their year's axis label says "provisional".
        fig.add_trace(go.Bar(x=rows.loc[~unsure, "financial_year"], y=rows.loc[~unsure, "amount"], name=group,
                             legendgroup=group, marker=dict(color=colours[group]),
                             hovertemplate=f"{group}: £%{{y:,.0f}}<extra></extra>"))
        if unsure.any():
            fig.add_trace(go.Bar(x=rows.loc[unsure, "financial_year"], y=rows.loc[unsure, "amount"], name=group,
                                 legendgroup=group, showlegend=False,
                                 marker=dict(color=_lighter(colours[group]), line=dict(color=colours[group], width=2)),
                                 hovertemplate=f"{group}: £%{{y:,.0f}} (provisional or not all known)<extra></extra>"))
    if table["provisional"].any():
        fig.add_trace(go.Bar(x=[None], y=[None], name=PROVISIONAL_NOTE, showlegend=True,
                             marker=dict(color=_lighter(GREY), line=dict(color=GREY, width=2))))
    fig.update_layout(barmode="stack", legend_title_text=GROUP_WORDS.get(by, by).capitalize() + ":")
    fig = base_layout(fig, title, y_title, height=540)
    unsure = frame[frame["provisional"].astype(bool)]["financial_year"].unique()
    tops = frame.groupby("financial_year")["amount"].sum().reindex(unsure).to_dict()
    return _money_axis(fig, years, y_title, list(forecast_years), tops)


def trend_lines(table: pd.DataFrame, totals: pd.DataFrame, years: list[str], by: str, title: str,
                y_title: str, forecast_years: list[str] = ()) -> go.Figure:
    """A line per group (the biggest 7 and 'All others') and the total; open markers where a
    year is provisional, gaps where an amount is not known."""
    frame = top_groups(table)
    colours = _colours(_group_order(frame))
    fig = go.Figure()
    for group in _group_order(frame):
        rows = frame[frame["group"] == group].set_index("financial_year").reindex(years)
        fig.add_trace(_line(rows, group, colours[group], "solid"))
    if frame["group"].nunique() > 1:
        fig.add_trace(_line(totals.set_index("financial_year").reindex(years), "Total", "#000000", "dash"))
    if table["provisional"].any():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="Open circle: provisional or not all known",
                                 marker=dict(symbol="circle-open", size=10, color=GREY)))
    fig = base_layout(fig, title, y_title, height=520)
    return _money_axis(fig, years, y_title, list(forecast_years))


def _line(rows: pd.DataFrame, name: str, colour: str, dash: str) -> go.Scatter:
    unsure = rows["provisional"].fillna(False).astype(bool).tolist()
    return go.Scatter(x=list(rows.index), y=rows["amount"], name=name, mode="lines+markers", connectgaps=False,
                      line=dict(color=colour, width=3, dash=dash),
                      marker=dict(size=9, color=colour, symbol=["circle-open" if u else "circle" for u in unsure],
                                  line=dict(width=2, color=colour)),
                      hovertemplate=f"{name}: £%{{y:,.0f}}<extra></extra>")


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
    fig = go.Figure(go.Sankey(
        valueformat=",.0f",
        node=dict(label=nodes, color=colour, pad=18, thickness=18, line=dict(color="white", width=0.5),
                  hovertemplate="%{label}: £%{value:,.0f}<extra></extra>"),
        link=dict(source=[index[s] for s in links["source"]], target=[index[t] for t in links["target"]],
                  value=links["value"], color="rgba(0, 114, 178, 0.25)",
                  hovertemplate="%{source.label} → %{target.label}: £%{value:,.0f}<extra></extra>"),
    ))
    fig = base_layout(fig, title, "", height=max(420, 34 * len(nodes) + 120))
    fig.update_layout(font=dict(size=14, color="#111111"), hovermode=False)
    return fig


def allocation_bars(table: pd.DataFrame, title: str) -> go.Figure:
    """What each recipient got beside what the formula would give it (£)."""
    frame = table.sort_values("formula_gbp", ascending=True)
    fig = go.Figure()
    fig.add_trace(go.Bar(y=frame["recipient"], x=frame["actual_gbp"], orientation="h", name="What it actually got",
                         marker_color=OKABE_ITO[1], hovertemplate="Actually got £%{x:,.0f}<extra></extra>"))
    fig.add_trace(go.Bar(y=frame["recipient"], x=frame["formula_gbp"], orientation="h", name="What the formula gives",
                         marker_color=OKABE_ITO[0], hovertemplate="Formula gives £%{x:,.0f}<extra></extra>"))
    fig.update_layout(barmode="group")
    fig = base_layout(fig, title, "", height=max(320, 80 * len(frame) + 160))
    fig.update_xaxes(title="£ per year", tickprefix="£", separatethousands=True, rangemode="tozero")
    fig.update_yaxes(title=None, rangemode=None)
    fig.update_layout(hovermode="y unified", margin=dict(b=110), legend=dict(y=-0.28))
    return fig
