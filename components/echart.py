"""Charts as Apache ECharts options (plain dicts), drawn by Streamlit's own `st.echarts_chart`.

Why ECharts and not Plotly: Plotly's code is a 4.7 MB file the browser fetches, compiles and runs before it
draws the first chart; Streamlit's ECharts code is 1.2 MB. On this 2-core machine a page holding a title and
one chart took 2.16 s on a first-ever visit with Plotly and 1.35 s with ECharts (eight interleaved visits
each, ECharts faster in all eight pairs); nine charts, 2.62 s and 1.64 s. That second is most of what stood
between our pages and the 3 s first-visit target (docs/SCALING.md).

Every chart shares one look (`chart`): the title top left in the page's heading font, the legend under it,
the Okabe-Ito colours (safe for the common colour-vision deficiencies), light horizontal rules, white hover
boxes, and no animation (nothing moves while a committee reads, and the first paint is the final one).
Streamlit's own toolbar over each chart has "Download as SVG" (the chart as drawn, title and all, for the
committee papers: Word and PowerPoint take SVG at any size) and full screen, so the option adds no toolbox.
ECharts draws every label, title, legend entry and category as plain text, so a name from a user's file shows
exactly as typed with no escaping here.

Builders return a `Chart`: the option and the height the page draws it at. Pure: no Streamlit, no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GREY = "#8c8c8c"
INK = "#1a1a1a"  # the page's text colour (.streamlit/config.toml)
AXIS_INK = "#4d4d4d"  # ticks, axis names and legends: darker than Streamlit's own grey, for paper and projectors
RULE = "#e5e5e5"
BAND = "#ececec"  # a shaded period: a gap month, the baseline
FONT = "Arial, Helvetica, sans-serif"
HEADING_FONT = '"Source Sans", "Source Sans Pro", sans-serif'
TOP = 100  # room above the plot for the title, the legend and the y axis name


@dataclass
class Chart:
    """An ECharts option and the height in pixels it is drawn at (its width is the page's)."""

    option: dict
    height: int = 420

    @property
    def title(self) -> str:
        return self.option.get("title", {}).get("text", "")

    def series(self, name: str) -> dict:
        """The series called `name` (tests read a chart's numbers back through this)."""
        return series_named(self.option, name)

    def merged(self, **parts) -> "Chart":
        """This chart with `parts` merged into its option key by key: for the parts `chart` takes as words
        (the legend, the tooltip, the title) once the builder has more to say about them."""
        self.option = clean(merge(self.option, parts))
        return self


def series_named(option: dict, name: str) -> dict:
    """The series called `name` in an option (KeyError if there is none)."""
    for s in option.get("series", []):
        if s.get("name") == name:
            return s
    raise KeyError(name)


def merge(base: dict, *overrides: dict) -> dict:
    """`base` updated by each override in turn, nested dicts merged key by key and None removing a key."""
    out = dict(base)
    for override in overrides:
        for key, value in override.items():
            if value is None:
                out.pop(key, None)
            elif isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merge(out[key], value)
            else:
                out[key] = value
    return out


def clean(value):
    """`value` as strict JSON wants it: NaN, NA and infinities become None (a gap, never a zero), numpy and
    pandas scalars become Python numbers, tuples and arrays lists. st.echarts_chart refuses NaN outright."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray, pd.Series, pd.Index)):
        return [clean(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (pd.Timestamp, pd.Period)):
        return str(value)
    return value


def month_labels(index) -> list[str]:
    """Month labels as a committee reads them ("Jan 2024") for a category axis."""
    return [pd.Timestamp(m).strftime("%b %Y") for m in index]


def legend_rows(names, width: int, per_char: float = 6.3, per_item: float = 50) -> int:
    """How many lines a legend of entries `names` takes in a chart `width` px wide: ECharts wraps a long legend
    but makes no room for it, so builders estimate it (an entry about `per_char` px a character plus `per_item`
    px of key and gap; a little over, never under) and put the plot below it."""
    rows, used = 1, 0
    for name in names:
        item = per_item + per_char * len(name)
        if used and used + item > width:
            rows, used = rows + 1, 0
        used += item
    return rows


def value_axis(name: str = "", **overrides) -> dict:
    """A numeric axis: light rules across the plot, its name above the axis so long names never clash with
    the tick labels."""
    return merge({"type": "value", "name": name or None, "nameLocation": "end", "nameGap": 14,
                  "nameTextStyle": {"color": AXIS_INK, "align": "left", "fontSize": 14},
                  "axisLabel": {"color": AXIS_INK, "fontSize": 13},
                  "splitLine": {"lineStyle": {"color": RULE}}, "axisLine": {"show": False}}, overrides)


def category_axis(labels, name: str = "", **overrides) -> dict:
    """An axis of categories (months, districts, concerns), drawn in the order given."""
    return merge({"type": "category", "data": list(labels), "name": name or None, "nameLocation": "middle",
                  "nameGap": 34, "nameTextStyle": {"color": AXIS_INK, "fontSize": 14},
                  "axisLabel": {"color": AXIS_INK, "fontSize": 13, "hideOverlap": True},
                  "axisLine": {"lineStyle": {"color": RULE}}, "axisTick": {"lineStyle": {"color": RULE}}},
                 overrides)


def chart(title: str, series: list[dict], *, x_axis: dict, y_axis: dict, height: int = 420,
          legend: bool = True, tooltip: str = "axis", **overrides) -> Chart:
    """The option every chart shares (see the module's docstring), with `overrides` merged in key by key."""
    option = {
        "animation": False,
        "color": OKABE_ITO,
        "textStyle": {"fontFamily": FONT, "fontSize": 14, "color": AXIS_INK},
        "title": {"text": title, "left": 0, "top": 0, "padding": [4, 0, 4, 0],
                  "textStyle": {"fontFamily": HEADING_FONT, "fontWeight": "bold", "fontSize": 19, "color": INK}},
        "legend": {"show": legend, "left": 0, "top": 36, "itemGap": 18,
                   "textStyle": {"color": AXIS_INK, "fontSize": 14}},
        "grid": {"left": 8, "right": 24, "top": TOP if legend else 70, "bottom": 8, "containLabel": True},
        "tooltip": {"trigger": tooltip, "backgroundColor": "#ffffff", "borderColor": "#c8c8c8",
                    "textStyle": {"color": INK, "fontSize": 14}, "confine": True},
        "xAxis": x_axis,
        "yAxis": y_axis,
        "series": series,
    }
    return Chart(clean(merge(option, overrides)), height)


def line(name: str, values, colour: str, *, width: float = 2.5, dash: str = "solid", symbols: bool = True,
         **overrides) -> dict:
    """A line series; a None value is a gap in the line, never joined across."""
    return merge({"type": "line", "name": name, "data": list(values), "connectNulls": False,
                  "showSymbol": symbols, "symbolSize": 6, "itemStyle": {"color": colour},
                  "lineStyle": {"color": colour, "width": width, "type": dash}}, overrides)


def bar(name: str, values, colour: str, **overrides) -> dict:
    return merge({"type": "bar", "name": name, "data": list(values), "itemStyle": {"color": colour}}, overrides)


def runs(labels, flags) -> list[tuple]:
    """(first, last) labels of each run of consecutive categories flagged true: the spans `bands` shades."""
    out: list[tuple] = []
    start = None
    for i, flag in enumerate(list(flags) + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            out.append((labels[start], labels[i - 1]))
            start = None
    return out


def bands(ranges, *, colour: str = BAND, label: str | None = None) -> dict:
    """Shaded spans across the plot's height, one per (first, last) pair: a series' `markArea`.

    On a category axis ECharts spans a mark between the ticks either side of its categories, so each span covers
    its categories whole only where every category has a tick (`axisTick={"interval": 0}`, or labels on every
    category, which the ticks follow); with thinned-out ticks a one-category span is dropped or drawn elsewhere.
    The XmR charts draw theirs on a hidden value axis instead, category i running from i - 0.5 to i + 0.5
    (components/spc_charts.py)."""
    area = {"silent": True, "itemStyle": {"color": colour}, "label": {"show": False},
            "data": [[{"xAxis": a}, {"xAxis": b}] for a, b in ranges]}
    if label:
        area["label"] = {"show": True, "position": "insideTop", "color": AXIS_INK, "fontSize": 12}
        area["data"] = [[{"xAxis": a, "name": label}, {"xAxis": b}] for a, b in ranges]
    return area
