"""components/figures.py: dict-built figures match plotly's own helpers, and validation is a switch."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from components import figures


def test_the_test_suite_validates_figures():
    assert figures.validating()


def test_a_misspelt_property_fails_when_validating_and_is_skipped_when_serving(monkeypatch):
    bad = [{"type": "scatter", "y": [1, 2], "colour": "red"}]
    with pytest.raises(ValueError, match="colour"):
        figures.figure(bad, {})
    monkeypatch.setenv("CSPDASH_VALIDATE_FIGURES", "0")
    assert figures.figure(bad, {}).data[0].type == "scatter"


def test_unvalidated_figures_send_the_same_json(monkeypatch):
    data = [{"type": "bar", "x": ["a", "b"], "y": [1.0, float("nan")], "marker": {"color": "#0072B2"}}]
    layout = {"title": {"text": "T"}, "yaxis": {"rangemode": "tozero"}}
    checked = pio.to_json(figures.figure(data, layout))
    monkeypatch.setenv("CSPDASH_VALIDATE_FIGURES", "0")
    assert pio.to_json(figures.figure(data, layout), validate=False) == checked


def test_merge_is_nested_and_none_removes():
    base = {"yaxis": {"title": {"text": "n"}, "rangemode": "tozero"}, "height": 400}
    out = figures.merge(base, {"yaxis": {"rangemode": None, "range": [0, 5]}}, {"height": 300})
    assert out == {"yaxis": {"title": {"text": "n"}, "range": [0, 5]}, "height": 300}
    assert base["yaxis"]["rangemode"] == "tozero"  # the base is not changed


def test_vrect_and_hline_draw_what_plotlys_helpers_draw():
    ours = go.Figure(layout={"shapes": [figures.vrect(1, 2, fillcolor="#d9d9d9", opacity=0.5, line={"width": 0}),
                                         figures.hline(3, line={"dash": "dash"})]})
    theirs = go.Figure()
    theirs.add_vrect(x0=1, x1=2, fillcolor="#d9d9d9", opacity=0.5, line_width=0)
    theirs.add_hline(y=3, line_dash="dash")
    assert ours.layout.shapes == theirs.layout.shapes
