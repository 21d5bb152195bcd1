"""Warm the server process once, in the background, so nobody's first view of a page pays for it.

A fresh Streamlit process imports folium on the first map view (and, before the charts moved to
ECharts, plotly imported each trace type's classes and its template on first use). Measured on the
national benchmark, those first-use costs were most of a page's first script run. The charts need no
warm-up now: an ECharts option is a dict, serialised by Streamlit as JSON. The first session of the process starts
this thread, which pays them while that visitor reads the overview; the statistics need no warm-up
(the Gi* z-scores are analytic, nothing is compiled). Last, it freezes what is then on the heap
(freeze_heap), so Python's automatic full collections stop walking it.
"""

from __future__ import annotations

import gc
import threading

import streamlit as st


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
    for step in (warm_map, *extra):
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
