"""Pure chart builders: DataFrame in, plotly figure out. No Streamlit, no database.

Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies); every chart
has a title that says what it shows and axes with units.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.figures import figure, merge

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GREY = "#8c8c8c"
FONT = dict(family="Arial, Helvetica, sans-serif", size=15)
INK = "#1a1a1a"  # the page's text colour (.streamlit/config.toml)
AXIS_INK = "#4d4d4d"  # ticks, axis titles and legends: darker than Streamlit's own grey, for paper and projectors
RULE = "#e5e5e5"
# The charts' own look, drawn as built (components/plots.py: theme=None, which says why): the page's heading font
# for titles, no vertical grid lines, white hover boxes, the Okabe-Ito colours for any trace not coloured.
# No automargin by default (Streamlit's theme turns it on for every axis): each axis that grows its margin makes
# Plotly draw the chart again. Nine XmR charts took 0.3 s longer on a first visit with it. Axes of names (districts,
# concerns, recipients, forces) and of long £ figures ask for it (NAMES_AXIS, funding_charts).
TEMPLATE = {"layout": {
    "colorway": OKABE_ITO,
    "font": {"color": INK},
    "title": {"font": {"family": '"Source Sans", sans-serif', "weight": 700, "color": INK}},
    "xaxis": {"showgrid": False, "zeroline": False, "linecolor": RULE, "tickcolor": RULE,
              "tickfont": {"color": AXIS_INK}, "title": {"font": {"color": AXIS_INK}, "standoff": 12}},
    "yaxis": {"gridcolor": RULE, "zerolinecolor": RULE, "tickcolor": RULE,
              "tickfont": {"color": AXIS_INK}, "title": {"font": {"color": AXIS_INK}, "standoff": 16}},
    "legend": {"font": {"color": AXIS_INK}, "borderwidth": 0},
    "hoverlabel": {"bgcolor": "white", "bordercolor": "#c8c8c8", "font": {"color": INK}, "align": "left"},
    "coloraxis": {"colorbar": {"outlinewidth": 0, "thickness": 16}},
}}
NAMES_AXIS = {"title": None, "rangemode": None, "automargin": True}  # a y axis listing names, its margin fitted to them
# The legend above the plot, for charts with an x-axis title: below, it would sit on the title. Give such a
# chart margin={"t": 100} so the legend clears the chart's own title.
LEGEND_ON_TOP = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0}


def layout(title: str, y_title: str, height: int = 420, **overrides) -> dict:
    """The layout every chart shares (title top left, Arial, horizontal legend below, light grid),
    with `overrides` merged in key by key."""
    return merge({
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 19}},
        "template": TEMPLATE, "font": FONT, "height": height, "margin": {"l": 60, "r": 20, "t": 70, "b": 50},
        "plot_bgcolor": "white", "paper_bgcolor": "white", "hovermode": "x unified",
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        "yaxis": {"title": {"text": y_title}, "gridcolor": RULE, "rangemode": "tozero",
                  "separatethousands": True},
        "xaxis": {"gridcolor": "#f0f0f0"},
    }, overrides)


def crime_asb_trend(totals: pd.DataFrame, area: str) -> go.Figure:
    """Monthly recorded crime (excluding ASB) and ASB; gaps where a month was not published."""
    data = [{"type": "scatter", "x": totals.index, "y": totals[col], "name": label, "mode": "lines+markers",
             "line": {"color": colour, "width": 3}, "marker": {"size": 6}, "connectgaps": False,
             "hovertemplate": "%{y:,.0f}"}
            for col, label, colour in (("crime", "Crime (excluding ASB)", OKABE_ITO[0]),
                                       ("asb", "Anti-social behaviour", OKABE_ITO[1]))]
    return figure(data, layout(f"Recorded crime and ASB per month, {area}", "Records per month"))


def trend_by_type(wide: pd.DataFrame, area: str, top: int = 7) -> go.Figure:
    """The most frequent crime types month by month; the rest grouped so colours stay distinguishable."""
    order = wide.sum().sort_values(ascending=False).index.tolist()
    shown = order[:top]
    frame = wide[shown].copy()
    if len(order) > top:
        frame["All other types"] = wide[order[top:]].sum(axis=1, min_count=1)
    dashes = ["solid", "dash", "dot", "dashdot"]
    data = []
    for i, col in enumerate(frame.columns):
        colour = GREY if col == "All other types" else OKABE_ITO[i % len(OKABE_ITO)]
        data.append({"type": "scatter", "x": frame.index, "y": frame[col], "name": col, "mode": "lines",
                     "connectgaps": False, "hovertemplate": "%{y:,.0f}",
                     "line": {"color": colour, "width": 2.5, "dash": dashes[(i // len(OKABE_ITO)) % 4]}})
    return figure(data, layout(f"Records per month by crime type, {area}", "Records per month", height=460))


def district_shares(districts: pd.DataFrame, area: str) -> go.Figure:
    """Each district's crime and ASB in the last 12 months, side by side."""
    frame = districts.sort_values("records")
    data = [{"type": "bar", "y": frame["district"], "x": frame[col], "name": label, "orientation": "h",
             "marker": {"color": colour}, "customdata": frame[share] * 100,
             "hovertemplate": f"%{{x:,.0f}} {what} (%{{customdata:.1f}}% of the area's)<extra></extra>"}
            for col, share, label, what, colour in (
                ("crimes", "crime_share", "Crime (excluding ASB)", "crimes", OKABE_ITO[0]),
                ("asb", "asb_share", "Anti-social behaviour", "ASB incidents", OKABE_ITO[1]))]
    return figure(data, layout(
        f"Crime and ASB by district, last 12 months, {area}", "", height=max(320, 70 * len(frame) + 150),
        barmode="group", legend=LEGEND_ON_TOP, margin={"t": 100},
        xaxis={"title": {"text": "Records in 12 months"}, "separatethousands": True}, yaxis=NAMES_AXIS))


def coverage_heatmap(coverage: pd.DataFrame) -> go.Figure:
    """Force × month: records loaded; blank cells are months not published or not loaded."""
    pivot = coverage.pivot_table(index="force", columns="month", values="rows", aggfunc="sum")
    months = pd.period_range(min(pivot.columns), max(pivot.columns), freq="M").strftime("%Y-%m")
    pivot = pivot.reindex(columns=months)
    data = [{"type": "heatmap", "z": pivot.to_numpy(), "x": list(pivot.columns), "y": list(pivot.index),
             "colorscale": "Cividis", "hoverongaps": False, "colorbar": {"title": {"text": "Records"}},
             "hovertemplate": "%{y}, %{x}: %{z:,} records<extra></extra>"}]
    return figure(data, layout("Months loaded per force (blank = not published or not loaded)", "",
                               height=max(260, 40 * len(pivot) + 160), yaxis={"rangemode": None, "automargin": True}))
