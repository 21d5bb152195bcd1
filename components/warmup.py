"""Warm the server process once, in the background, so nobody's first view of a page pays for it.

A fresh Streamlit process imports folium on the first map view, and plotly imports each trace
type's classes and its default template on first use. Measured on the national benchmark, those
first-use costs were most of a page's first script run. The first session of the process starts
this thread, which pays them while that visitor reads the overview; the statistics need no warm-up
(the Gi* z-scores are analytic, nothing is compiled). Last, it freezes what is then on the heap
(freeze_heap), so Python's automatic full collections stop walking it.
"""

from __future__ import annotations

import gc
import threading

import streamlit as st


def warm_charts() -> None:
    """Build and serialise one figure with every trace type and layout feature the pages use, the way
    the pages build them (components/figures.py: dicts, wrapped once)."""
    import plotly.io as pio

    from components.charts import layout
    from components.figures import figure, hline, vrect

    data = [
        {"type": "bar", "x": ["a"], "y": [1], "marker": {"color": "#0072B2", "line": {"color": "#000000", "width": 1}},
         "error_x": {"type": "data", "array": [0.1]}, "hovertemplate": "%{y}<extra></extra>"},
        {"type": "scatter", "x": ["a"], "y": [1], "mode": "lines+markers", "connectgaps": False,
         "line": {"color": "#E69F00", "dash": "dash"}, "marker": {"symbol": "circle-open"}},
        {"type": "heatmap", "z": [[1]], "colorscale": "Blues"},
    ]
    fig = figure(data, layout("warm-up", "£", height=300, barmode="stack", yaxis={"tickprefix": "£"},
                              xaxis={"type": "category", "tickangle": -45},
                              shapes=[vrect(-0.5, 0.5, fillcolor="#e8e8e8"), hline(1, line={"dash": "dash"})],
                              annotations=[{"x": "a", "y": 1, "text": "warm-up", "showarrow": False}]))
    pio.to_json(fig, validate=False)
    sankey = {"type": "sankey", "node": {"label": ["a", "b"]}, "link": {"source": [0], "target": [1], "value": [1]}}
    pio.to_json(figure([sankey], {}), validate=False)


def warm_map() -> None:
    """Import folium with the plugins streamlit-folium loads (0.2 s), render an empty hotspot map
    (folium's templates) and encode one count tile (PIL's PNG writer). Not streamlit-folium itself:
    a component declared outside a script run is never served (the map's iframe stays blank), so the
    map page imports it (0.13 s, once per process)."""
    import folium.plugins  # noqa: F401  (imported by streamlit-folium; pure folium)
    import numpy as np

    from components import maps

    fmap, _ = maps.hotspot_map(bounds=[[52.0, -2.3], [52.3, -2.0]])
    maps.map_html(fmap)
    maps.palette_png(np.ones((2, 2), dtype=np.uint8), ["#0072B2"])


def freeze_heap() -> None:
    """Move everything now alive (the libraries' modules, classes and tables, ~200k objects) out of the
    garbage collector's reach, after collecting what is already garbage.

    Python's automatic full collections walk every tracked object with the interpreter lock held, so
    each one stalled every session. Over 40 page visits on the national benchmark (AppTest, one process)
    there were two, of 184 ms each; with the heap frozen after the warm-up, four of 19 ms each. What
    is frozen is never collected, and what it holds is long-lived anyway; the one collection here runs
    once per process, while the first visitor reads the overview."""
    gc.collect()
    gc.freeze()


def warm_up(extra=()) -> None:
    for step in (warm_charts, warm_map, *extra):
        try:
            step()
        except Exception:  # a warm-up is never worth an error: the page pays the cost itself instead
            pass
    freeze_heap()


@st.cache_resource(show_spinner=False)
def start(_extra: tuple = ()) -> threading.Thread:
    """Start the warm-up once per server process (Streamlit keeps the resource across sessions).
    `_extra`: more steps, from the app bridge (components may not import the core)."""
    thread = threading.Thread(target=warm_up, args=(_extra,), name="cspdash-warm-up", daemon=True)
    thread.start()
    return thread
