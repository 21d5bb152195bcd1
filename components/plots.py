"""Draw a chart on the page: every page's st.plotly_chart goes through `show`.

`theme=None`: the charts carry their own look (components/charts.py: TEMPLATE and `layout`), so the browser
draws them as built. Streamlit's own chart theme rewrites each figure in the browser before Plotly draws it
(its colours put in by string replacement over the figure's JSON, then its layout defaults merged in), and on
a first-ever visit that was most of what each chart after the first cost: a page of nine small charts, six
interleaved cold visits each, took 3.37 s with the theme and 2.93 s without (one chart alone: 2.71 s).
"""

from __future__ import annotations

import streamlit as st


def show(fig, where=st, key: str | None = None) -> None:
    """The chart at the container's full width (in `where`: a column or container; the page by default)."""
    where.plotly_chart(fig, width="stretch", theme=None, key=key)
