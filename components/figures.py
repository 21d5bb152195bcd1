"""Plotly figures built from plain dicts, validated in tests and not when serving.

Building a figure through plotly's object model (`go.Scatter(...)`, `fig.update_layout(...)`,
`fig.add_vrect(...)`) checks every property as it is set. Measured on the national benchmark, one
XmR chart took 35-60 ms that way, so the performance page spent ~0.35 s drawing its eight charts,
and 16 sessions at once queued seconds of it behind the server's one interpreter lock. The same
figure written as dicts and wrapped once without the checks takes ~3 ms and sends the same JSON.

The checks still run where they catch mistakes: the test suite sets CSPDASH_VALIDATE_FIGURES=1
(tests/conftest.py), so a misspelt property or a bad value fails a test, not a committee meeting.
"""

from __future__ import annotations

import os

import plotly.graph_objects as go


def validating() -> bool:
    return os.environ.get("CSPDASH_VALIDATE_FIGURES", "").strip() in {"1", "true", "yes"}


def figure(data: list[dict], layout: dict) -> go.Figure:
    """A go.Figure from trace dicts (each with its "type") and a layout dict."""
    return go.Figure({"data": data, "layout": layout}, _validate=validating())


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
