"""Draw a chart on the page: every page's chart goes through `show`.

`st.echarts_chart` with `theme=None` (the charts carry their own look, components/echart.py) and the SVG
renderer: the text stays text (sharp on a projector, found by the browser's search, read by a screen reader
along with ECharts' own description of the data) and "Save as image" gives an SVG that Word and PowerPoint
take at any size.
"""

from __future__ import annotations

import streamlit as st

from components.echart import Chart


def show(chart: Chart, where=st, key: str | None = None) -> None:
    """The chart at the container's full width (in `where`: a column or container; the page by default)."""
    where.echarts_chart(chart.option, width="stretch", height=chart.height, theme=None, renderer="svg", key=key)
