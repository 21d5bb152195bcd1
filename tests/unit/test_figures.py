"""components/figures.py: dict-built figures match plotly's own helpers, and validation is a switch."""

from __future__ import annotations

import pandas as pd
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


def test_bar_charts_with_an_x_axis_title_keep_their_legend_off_it():
    """A legend below the plot sat on the x-axis title (seen on the overview's district chart)."""
    import pandas as pd

    from components import charts, consultation_charts, spc_charts

    districts = pd.DataFrame({"district": ["A", "B"], "force": ["F", "F"], "crimes": [30, 10], "asb": [5, 15],
                              "records": [35, 25], "crime_share": [0.75, 0.25], "asb_share": [0.25, 0.75],
                              "crimes_per_1000": [3.0, 1.0], "asb_per_1000": [0.5, 1.5],
                              "force_crime_share": [0.3, 0.1], "force_asb_share": [0.25, 0.75]})
    pair = pd.DataFrame({"category": ["ASB", "Drugs"], "share_a": [0.6, 0.4], "share_b": [0.5, 0.5],
                         "count_a": [6, 4], "count_b": [5, 5], "moved": [False, False]})
    for fig in (charts.district_shares(districts, "Area"), spc_charts.district_shares_figure(districts, "Area", "x"),
                consultation_charts.comparison_chart(pair, "First", "Second")):
        assert fig.layout.xaxis.title.text and fig.layout.legend.y >= 1.0 and fig.layout.legend.yanchor == "bottom"
        assert fig.layout.margin.t >= 100  # room for the legend under the chart's own title


# Names in charts, shown exactly as typed: Plotly reads <b>, <br>, <a>, ... and entities in its text.
@pytest.mark.parametrize("typed, escaped", [
    ("<b>Drugs</b>", "&lt;b>Drugs&lt;/b>"), ("Fees <br> charges", "Fees &lt;br> charges"),
    ("R&amp;D", "R&amp;amp;D"), ("&#42; and &#x2A;", "&amp;#42; and &amp;#x2A;"),
    ("Tom & Jerry", "Tom & Jerry"), ("St. Mary's (2024) > 5", "St. Mary's (2024) > 5"), ("a&b;", "a&amp;b;"),
])
def test_plain_escapes_only_what_plotly_would_read_as_markup(typed, escaped):
    assert figures.plain(typed) == escaped


def test_our_own_markup_is_left_as_written():
    ours = figures.Markup(f"<b>{figures.plain('<i>x</i>')}</b> (moved)")
    assert figures.plain(ours) == "<b>&lt;i>x&lt;/i></b> (moved)"


def test_figure_escapes_names_categories_titles_and_labels_but_not_templates_or_numbers():
    name = "<b>Big</b> &amp; co"
    shown = "&lt;b>Big&lt;/b> &amp;amp; co"
    numbers = pd.Series([1.5, 2.5])
    fig = figures.figure(
        [{"type": "bar", "x": numbers, "y": pd.Series([name, "Plain"]), "name": name, "text": [name, "5%"],
          "hovertemplate": "<b>%{y}</b>: %{x}<extra></extra>"},
         {"type": "bar", "x": [name, "Plain"], "y": [1, 2], "name": figures.Markup("<i>ours</i>")},
         {"type": "sankey", "node": {"label": [name, "B"]}, "link": {"source": [0], "target": [1], "value": [1]}}],
        {"title": {"text": f"Money to {name}"}, "xaxis": {"title": {"text": name}, "categoryarray": [name, "Plain"]},
         "legend": {"title": {"text": name}}, "annotations": [{"x": name, "y": 1, "text": name}]})
    bar, bar2, sankey = fig.data
    assert list(bar.y) == [shown, "Plain"] and bar.name == shown and list(bar.text) == [shown, "5%"]
    assert list(bar.x) == [1.5, 2.5] and bar.hovertemplate == "<b>%{y}</b>: %{x}<extra></extra>"
    assert list(bar2.x) == [shown, "Plain"] and bar2.name == "<i>ours</i>"
    assert list(sankey.node.label) == [shown, "B"]
    assert fig.layout.title.text == f"Money to {shown}" and fig.layout.xaxis.title.text == shown
    assert list(fig.layout.xaxis.categoryarray) == [shown, "Plain"] and fig.layout.legend.title.text == shown
    assert fig.layout.annotations[0].text == shown and fig.layout.annotations[0].x == shown


def test_ordinary_names_leave_the_figure_as_it_was():
    """Names without markup characters pass through unchanged (the JSON the pages send is as before)."""
    data = [{"type": "bar", "y": ["Anti-social behaviour", "Tom & Jerry"], "x": [1, 2], "name": "St. Mary's"}]
    layout = {"title": {"text": "Share of tokens — Maldon 2011"}}
    plain = go.Figure({"data": data, "layout": layout})
    assert figures.figure(data, layout).to_json() == plain.to_json()
