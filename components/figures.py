"""Plotly figures built from plain dicts, validated in tests and not when serving.

Building a figure through plotly's object model (`go.Scatter(...)`, `fig.update_layout(...)`,
`fig.add_vrect(...)`) checks every property as it is set. Measured on the national benchmark, one
XmR chart took 35-60 ms that way, so the performance page spent ~0.35 s drawing its eight charts,
and 16 sessions at once queued seconds of it behind the server's one interpreter lock. The same
figure written as dicts and wrapped once without the checks takes ~3 ms and sends the same JSON.

The checks still run where they catch mistakes: the test suite sets CSPDASH_VALIDATE_FIGURES=1
(tests/conftest.py), so a misspelt property or a bad value fails a test, not a committee meeting.

Names from users' files and forms (a concern, an event, a grant recipient, a measure) are shown in charts
exactly as typed. Plotly reads a few HTML tags (<b>, <i>, <br>, <a>, <span>, <sub>, ...) and entities
(&amp;, &#42;) in every label, title, legend entry and hover text, so "Fees <br> charges" would break the
line and "R&amp;D" would lose its "amp;". `figure()` escapes the text in every trace's names, categories,
labels and text and in the layout's titles and annotations; text our own code writes with tags is marked
`Markup` and left as it is (interpolate names into it with `plain`). Hover templates are ours and not
escaped: a name reaches the hover through %{x}, %{y} or %{label}, already escaped.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

# What Plotly would read as markup: "<" (a tag starts there; "&lt;" shows it), and "&" starting an entity
# it decodes (&name;, &#42;, &#x2A;). Only those are escaped, so "Tom & Jerry" stays as it is.
_ENTITY = re.compile(r"&(?=#\d+;|#x[\da-fA-F]+;|[a-z]+;)")


class Markup(str):
    """Chart text our own code writes with Plotly's tags (a bold name, a line break): not escaped."""


def plain(text) -> str:
    """`text` as Plotly shows it exactly as written."""
    if isinstance(text, Markup):
        return text
    return _ENTITY.sub("&amp;", str(text)).replace("<", "&lt;")


def _escaped(values):
    """Strings escaped in a value, list, Series or Index of them; numbers, dates and arrays of them as they are."""
    if isinstance(values, str):
        return plain(values)
    if isinstance(values, (pd.Series, pd.Index, np.ndarray)):
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            return [plain(v) if isinstance(v, str) else v for v in values.tolist()]
        return values
    if isinstance(values, (list, tuple)):
        return [plain(v) if isinstance(v, str) else v for v in values]
    return values


_TRACE_TEXT = ("name", "x", "y", "text", "labels", "hovertext", "ids")  # never ours to style
_TITLED = ("title", "legendgrouptitle")


def _title(title):
    if isinstance(title, dict) and "text" in title:
        return {**title, "text": _escaped(title["text"])}
    return _escaped(title) if isinstance(title, str) else title


def _escape_trace(trace: dict) -> dict:
    out = {k: (_escaped(v) if k in _TRACE_TEXT else v) for k, v in trace.items()}
    for key in _TITLED:
        if key in out:
            out[key] = _title(out[key])
    if isinstance(out.get("node"), dict) and "label" in out["node"]:  # a Sankey's nodes
        out["node"] = {**out["node"], "label": _escaped(out["node"]["label"])}
    if isinstance(out.get("colorbar"), dict) and "title" in out["colorbar"]:
        out["colorbar"] = {**out["colorbar"], "title": _title(out["colorbar"]["title"])}
    return out


def _escape_layout(layout: dict) -> dict:
    out = dict(layout)
    for key, value in layout.items():
        if key == "title":
            out[key] = _title(value)
        elif re.fullmatch(r"[xy]axis\d*|legend\d*", key) and isinstance(value, dict):
            axis = {**value, "title": _title(value["title"])} if "title" in value else dict(value)
            for names in ("ticktext", "categoryarray"):  # the order of categories names them as escaped
                if names in axis:
                    axis[names] = _escaped(axis[names])
            out[key] = axis
        elif key == "annotations":
            # text, and a category the note is pinned to (named as the trace's escaped category)
            out[key] = [{**a, **{k: _escaped(a[k]) for k in ("text", "x", "y") if isinstance(a.get(k), str)}}
                        for a in value]
    return out


def validating() -> bool:
    return os.environ.get("CSPDASH_VALIDATE_FIGURES", "").strip() in {"1", "true", "yes"}


def figure(data: list[dict], layout: dict) -> go.Figure:
    """A go.Figure from trace dicts (each with its "type") and a layout dict, its text escaped (see above)."""
    return go.Figure({"data": [_escape_trace(t) for t in data], "layout": _escape_layout(layout)},
                     _validate=validating())


def merge(base: dict, *overrides: dict) -> dict:
    """`base` updated by each override in turn, nested dicts merged key by key and None removing a key
    (as update_layout does)."""
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


def vrect(x0, x1, **style) -> dict:
    """A band across the plot's whole height from x0 to x1 (plotly's add_vrect, as a layout shape)."""
    return {"type": "rect", "xref": "x", "yref": "y domain", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
            **style}


def hline(y, **style) -> dict:
    """A line across the plot's whole width at y (plotly's add_hline, as a layout shape)."""
    return {"type": "line", "xref": "x domain", "yref": "y", "x0": 0, "x1": 1, "y0": y, "y1": y, **style}
