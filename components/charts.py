"""Pure chart builders: DataFrame in, plotly figure out. No Streamlit, no database.

Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies); every chart
has a title that says what it shows and axes with units.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GREY = "#8c8c8c"
FONT = dict(family="Arial, Helvetica, sans-serif", size=15)


def base_layout(fig: go.Figure, title: str, y_title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=19)),
        font=FONT, height=height, margin=dict(l=60, r=20, t=70, b=50),
        plot_bgcolor="white", paper_bgcolor="white", hovermode="x unified",
        legend=dict(orientation="h", yanchor="top", y=-0.12, x=0),
    )
    fig.update_yaxes(title=y_title, gridcolor="#e5e5e5", rangemode="tozero", separatethousands=True)
    fig.update_xaxes(gridcolor="#f0f0f0")
    return fig


def crime_asb_trend(totals: pd.DataFrame, area: str) -> go.Figure:
    """Monthly recorded crime (excluding ASB) and ASB; gaps where a month was not published."""
    fig = go.Figure()
    for col, label, colour in (("crime", "Crime (excluding ASB)", OKABE_ITO[0]), ("asb", "Anti-social behaviour", OKABE_ITO[1])):
        fig.add_trace(go.Scatter(x=totals.index, y=totals[col], name=label, mode="lines+markers",
                                 line=dict(color=colour, width=3), marker=dict(size=6), connectgaps=False,
                                 hovertemplate="%{y:,.0f}"))
    return base_layout(fig, f"Recorded crime and ASB per month, {area}", "Records per month")


def trend_by_type(wide: pd.DataFrame, area: str, top: int = 7) -> go.Figure:
    """The most frequent crime types month by month; the rest grouped so colours stay distinguishable."""
    order = wide.sum().sort_values(ascending=False).index.tolist()
    shown = order[:top]
    frame = wide[shown].copy()
    if len(order) > top:
        frame["All other types"] = wide[order[top:]].sum(axis=1, min_count=1)
    fig = go.Figure()
    dashes = ["solid", "dash", "dot", "dashdot"]
    for i, col in enumerate(frame.columns):
        colour = GREY if col == "All other types" else OKABE_ITO[i % len(OKABE_ITO)]
        fig.add_trace(go.Scatter(x=frame.index, y=frame[col], name=col, mode="lines", connectgaps=False,
                                 line=dict(color=colour, width=2.5, dash=dashes[(i // len(OKABE_ITO)) % 4]),
                                 hovertemplate="%{y:,.0f}"))
    return base_layout(fig, f"Records per month by crime type, {area}", "Records per month", height=460)


def district_shares(districts: pd.DataFrame, area: str) -> go.Figure:
    """Each district's crime and ASB in the last 12 months, side by side."""
    frame = districts.sort_values("records")
    fig = go.Figure()
    fig.add_trace(go.Bar(y=frame["district"], x=frame["crimes"], name="Crime (excluding ASB)", orientation="h",
                         marker_color=OKABE_ITO[0], customdata=frame["crime_share"] * 100,
                         hovertemplate="%{x:,.0f} crimes (%{customdata:.1f}% of the area's)<extra></extra>"))
    fig.add_trace(go.Bar(y=frame["district"], x=frame["asb"], name="Anti-social behaviour", orientation="h",
                         marker_color=OKABE_ITO[1], customdata=frame["asb_share"] * 100,
                         hovertemplate="%{x:,.0f} ASB incidents (%{customdata:.1f}% of the area's)<extra></extra>"))
    fig.update_layout(barmode="group")
    fig = base_layout(fig, f"Crime and ASB by district, last 12 months, {area}", "", height=max(320, 70 * len(frame) + 150))
    fig.update_xaxes(title="Records in 12 months", separatethousands=True)
    fig.update_yaxes(title=None, rangemode=None)
    return fig


def coverage_heatmap(coverage: pd.DataFrame) -> go.Figure:
    """Force × month: records loaded; blank cells are months not published or not loaded."""
    pivot = coverage.pivot_table(index="force", columns="month", values="rows", aggfunc="sum")
    months = pd.period_range(min(pivot.columns), max(pivot.columns), freq="M").strftime("%Y-%m")
    pivot = pivot.reindex(columns=months)
    fig = go.Figure(go.Heatmap(z=pivot.to_numpy(), x=list(pivot.columns), y=list(pivot.index),
                               colorscale="Cividis", hoverongaps=False, colorbar=dict(title="Records"),
                               hovertemplate="%{y}, %{x}: %{z:,} records<extra></extra>"))
    fig = base_layout(fig, "Months loaded per force (blank = not published or not loaded)", "", height=max(260, 40 * len(pivot) + 160))
    fig.update_yaxes(rangemode=None)
    return fig
