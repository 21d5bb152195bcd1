"""Warm the server process once, in the background, so nobody's first view of a page pays for it.

A fresh Streamlit process imports folium on the first map view, and plotly
loads the validators of each trace and layout property on its first use (about 0.2 s for the first
bar chart, as much again for a Sankey or a shaded band). Measured on the national benchmark, those
first-use costs were most of a page's first script run. The first session of the process starts
this thread, which pays them while that visitor reads the overview; the statistics need no warm-up
(the Gi* z-scores are analytic, nothing is compiled).
"""

from __future__ import annotations

import threading

import streamlit as st


def warm_charts() -> None:
    """Build and serialise one figure with every trace type and layout feature the pages use."""
    import plotly.graph_objects as go

    fig = go.Figure([
        go.Bar(x=["a"], y=[1], marker=dict(color="#0072B2", line=dict(color="#000000", width=1)),
               error_y=dict(type="data", array=[0.1]), hovertemplate="%{y}<extra></extra>"),
        go.Scatter(x=["a"], y=[1], mode="lines+markers", line=dict(color="#E69F00", dash="dash"),
                   marker=dict(symbol="circle-open"), connectgaps=False),
        go.Heatmap(z=[[1]], colorscale="Blues"),
    ])
    fig.update_layout(title=dict(text="warm-up", x=0), font=dict(size=15), margin=dict(l=60), height=300,
                      legend=dict(orientation="h"), hovermode="x unified", barmode="stack")
    fig.update_xaxes(type="category", tickangle=-45)
    fig.update_yaxes(tickprefix="£", separatethousands=True, rangemode="tozero")
    fig.add_vrect(x0=-0.5, x1=0.5, fillcolor="#e8e8e8", opacity=0.6, layer="below", line_width=0)
    fig.add_hline(y=1, line=dict(dash="dash"), annotation_text="1")
    fig.add_annotation(x="a", y=1, text="warm-up", showarrow=False)
    fig.to_json()
    go.Figure(go.Sankey(node=dict(label=["a", "b"]), link=dict(source=[0], target=[1], value=[1]))).to_json()


def warm_map() -> None:
    """Import folium and render an empty hotspot map (folium's templates). Not streamlit-folium: a
    component declared outside a script run is never served (the map's iframe stays blank), so the
    map page imports it itself (0.3 s, once per process)."""
    from components import maps

    fmap, _ = maps.hotspot_map(bounds=[[52.0, -2.3], [52.3, -2.0]])
    maps.map_html(fmap)


def warm_up() -> None:
    for step in (warm_charts, warm_map):
        try:
            step()
        except Exception:  # a warm-up is never worth an error: the page pays the cost itself instead
            pass


@st.cache_resource(show_spinner=False)
def start() -> threading.Thread:
    """Start the warm-up once per server process (Streamlit keeps the resource across sessions)."""
    thread = threading.Thread(target=warm_up, name="cspdash-warm-up", daemon=True)
    thread.start()
    return thread
