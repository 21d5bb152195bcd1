"""Charts and tables for the hotspots page: stability (PAI), concentration, one square's detail,
and the printable beat sheet. Pure builders: DataFrames in, plotly figures / DataFrames out."""

from __future__ import annotations

import base64
import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.charts import GREY, OKABE_ITO, layout
from components.figures import figure, hline
from components.tables import Col

LABEL_WORDS = {
    "persistent": "Persistent: a hotspot in most tests",
    "emerging": "Emerging: a hotspot only in the later tests",
    "fading": "Fading: a hotspot only in the earlier tests",
}


def _number(v) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def _published(values, months) -> list[tuple]:
    """(month, value) for the months with a figure (a month not published is skipped, never zero)."""
    return [(m, v) for m, v in zip(months, map(_number, values)) if v is not None]


def trend_words(values, months) -> str:
    """The month-by-month trend in words: its range, busiest month and last month (a missing month is skipped)."""
    known = _published(values, months)
    if not known:
        return "no months published"
    low, high = min(v for _, v in known), max(v for _, v in known)
    busiest = next(m for m, v in known if v == high)
    return (f"{low:,.0f} to {high:,.0f} records a month, busiest {pd.Timestamp(busiest):%b %Y} ({high:,.0f}), "
            f"last {pd.Timestamp(known[-1][0]):%b %Y} ({known[-1][1]:,.0f})")


def sparkline_svg(values, width: int = 144, height: int = 26) -> str:
    """A small column chart, one bar a month, from zero to the busiest month, as SVG. From zero, not from the
    lowest month, so a steady place reads as steady; a month not published is a gap over a grey baseline."""
    nums = [_number(v) for v in values]
    high = max((v for v in nums if v is not None), default=0.0)
    step = width / max(len(nums), 1)
    bar = max(step * 0.75, 1.0)
    bars = "".join(
        f'<rect x="{i * step:.1f}" y="{height - 1 - h:.1f}" width="{bar:.1f}" height="{h:.1f}"/>'
        for i, v in enumerate(nums) if v is not None and high > 0
        for h in [max(v / high * (height - 2), 1.0 if v > 0 else 0.0)])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><line x1="0" y1="{height - 0.5}" x2="{width}" y2="{height - 0.5}" '
            f'stroke="{GREY}" stroke-width="1"/><g fill="{OKABE_ITO[0]}">{bars}</g></svg>')


def sparkline_cell(values, months) -> str:
    """The beat sheet's trend cell, as HTML: the sparkline as an image whose alt text and tooltip give the
    numbers in words, then the range in words, so it reads on screen, aloud and on paper.
    (A text sparkline of block characters drew as near-identical black blocks in Chromium's fonts.)"""
    words = trend_words(values, months)
    known = [v for _, v in _published(values, months)]
    if not known:
        short = "no months published"
    elif min(known) == max(known):
        short = f"{known[0]:,.0f} a month"
    else:
        short = f"{min(known):,.0f}–{max(known):,.0f} a month"
    uri = "data:image/svg+xml;base64," + base64.b64encode(sparkline_svg(values).encode()).decode()
    return (f'<img src="{uri}" alt="{html.escape(f"Records per month: {words}")}" title="{html.escape(words)}" '
            f'width="144" height="26"> {html.escape(short, quote=False)}')


def confidence_words(label: str) -> str:
    return {"99% hot": "99%", "95% hot": "95%", "90% hot": "90%"}.get(label, label)


# The beat sheet as the page shows it (tables.show): raw values, written by kind, numbers right-aligned.
BEAT_SHEET_COLUMNS = {
    "rank": Col("#", "count"),
    "where": Col("Where (most frequent locations)"),
    "district": Col("District"),
    "records": Col("Records", "count"),
    "share": Col("Share of area", "share"),
    "crime_types": Col("Main crime types"),
    # our own HTML: the sparkline image and its words, on one line
    "trend_cell": Col("Monthly trend", "html", style=lambda _: "white-space: nowrap"),
    "confidence_words": Col("Confidence"),
    "area_words": Col("Hotspot area"),
}


def beat_sheet_table(beat: pd.DataFrame, months: list) -> pd.DataFrame:
    """The beat sheet for the page and for print (BEAT_SHEET_COLUMNS): a sparkline trend with its numbers in words
    (`months`: the period's months, one per trend value)."""
    if beat.empty:
        return pd.DataFrame(columns=list(BEAT_SHEET_COLUMNS))
    return pd.DataFrame({
        "rank": beat["rank"].astype(int),
        "where": "On or near " + beat["place"],
        "district": beat["district"],
        "records": beat["records"],
        "share": beat["share"],
        "crime_types": beat["crime_types"],
        "trend_cell": [sparkline_cell(trend, months) for trend in beat["trend"]],
        "confidence_words": beat["confidence"].map(confidence_words),
        "area_words": [f"{a} ({s} square{'s' if s != 1 else ''})" for a, s in zip(beat["area"], beat["area_squares"])],
    })


def beat_sheet_csv(beat: pd.DataFrame, months: list) -> pd.DataFrame:
    """The beat sheet with one column per month, for the CSV download."""
    base = beat.drop(columns=["trend"]).copy()
    labels = [pd.Timestamp(m).strftime("%Y-%m") for m in months]
    trend = pd.DataFrame([list(t) for t in beat["trend"]], columns=labels, index=beat.index) if len(beat) else \
        pd.DataFrame(columns=labels)
    return pd.concat([base, trend], axis=1)


def pai_chart(windows: pd.DataFrame, months_in: int, months_out: int) -> go.Figure:
    """PAI per test month, with the line where hotspots would be no better than chance."""
    data = [{"type": "scatter", "x": pd.to_datetime(windows["test_from"]), "y": windows["pai"],
             "mode": "lines+markers", "name": "Predictive Accuracy Index",
             "line": {"color": OKABE_ITO[0], "width": 3}, "marker": {"size": 7},
             "customdata": np.column_stack([100 * windows["hit_rate"], 100 * windows["area_share"]]),
             "hovertemplate": "PAI %{y:.1f}: hotspots held %{customdata[0]:.0f}% of the month's records "
                              "on %{customdata[1]:.1f}% of the area<extra></extra>"}]
    what = "month" if months_out == 1 else f"{months_out} months"
    return figure(data, layout(
        f"How well hotspots from {months_in} months predicted the next {what}", "PAI (times what chance gives)",
        height=380, hovermode="closest", showlegend=False, xaxis={"title": {"text": "Month tested"}},
        shapes=[hline(1, line={"color": GREY, "dash": "dash"})],
        # The label add_hline(annotation_text=..., annotation_position="top right") puts on the line.
        annotations=[{"text": "1 = no better than chance", "showarrow": False, "xref": "x domain", "x": 1,
                      "xanchor": "right", "yref": "y", "y": 1, "yanchor": "bottom"}]))


def concentration_chart(curve: pd.DataFrame, summary: dict, cell_m: float) -> go.Figure:
    """Cumulative share of records against share of squares with any record, busiest first."""
    data = [{"type": "scatter", "x": [0, 100], "y": [0, 100], "mode": "lines", "name": "If every square had the same",
             "line": {"color": GREY, "dash": "dash"}, "hoverinfo": "skip"}]
    x = np.concatenate([[0], 100 * curve["cell_share"].to_numpy()])
    y = np.concatenate([[0], 100 * curve["crime_share"].to_numpy()])
    data.append({"type": "scatter", "x": x, "y": y, "mode": "lines", "name": "This area",
                 "line": {"color": OKABE_ITO[5], "width": 3},
                 "hovertemplate": "busiest %{x:.1f}% of squares: %{y:.0f}% of records<extra></extra>"})
    for pct, key in ((1, "top_1pct"), (5, "top_5pct"), (10, "top_10pct")):
        share = summary.get(key)
        if share is None:
            continue
        data.append({"type": "scatter", "x": [pct], "y": [100 * share], "mode": "markers+text", "showlegend": False,
                     "marker": {"size": 10, "color": OKABE_ITO[0]}, "text": [f"{100 * share:.0f}%"],
                     "textposition": "middle right", "hoverinfo": "skip"})
    return figure(data, layout(
        f"Share of records in the busiest {cell_m:g} m squares", "% of records", height=400, hovermode="closest",
        legend={"orientation": "v", "x": 0.98, "xanchor": "right", "y": 0.05, "yanchor": "bottom",
                "bgcolor": "rgba(255,255,255,0.8)"},
        xaxis={"title": {"text": "% of squares with any record (busiest first)"}, "range": [0, 100],
               "ticksuffix": "%"},
        yaxis={"range": [0, 101], "ticksuffix": "%"}))


def concentration_sentence(summary: dict, cell_m: float) -> str:
    if not summary.get("cells_with_crime"):
        return "No records with a map location in this selection."
    return (f"Of the {summary['cells_with_crime']:,} squares of {cell_m:g} m with any record, the busiest 1% "
            f"({summary['top_1pct_cells']:,}) hold {100 * summary['top_1pct']:.0f}% of the records, the busiest 5% "
            f"hold {100 * summary['top_5pct']:.0f}% and the busiest 10% hold {100 * summary['top_10pct']:.0f}%. "
            "Crime usually concentrates like this: a few places account for much of it.")


def cell_month_chart(by_month: pd.DataFrame, title: str) -> go.Figure:
    data = [{"type": "bar", "x": pd.to_datetime(by_month["month"]), "y": by_month["n"],
             "marker": {"color": OKABE_ITO[0]}, "hovertemplate": "%{x|%b %Y}: %{y:,.0f}<extra></extra>"}]
    return figure(data, layout(title, "Records per month", height=300,
                               margin={"l": 60, "r": 10, "t": 60, "b": 40}))


STABILITY_PLACE_COLUMNS = {
    "pattern": Col("Pattern"),
    "where": Col("Where"),
    "district": Col("District"),
    "squares": Col("Squares", "count"),
    "records": Col("Records", "count"),
    "windows_hot": Col("Tests as a hotspot", "count"),
    "first": Col("First picked out"),
    "last": Col("Last picked out"),
}


def stability_places(places: pd.DataFrame) -> pd.DataFrame:
    """Persistent / emerging / fading places, for tables.show with STABILITY_PLACE_COLUMNS."""
    if places.empty:
        return pd.DataFrame(columns=list(STABILITY_PLACE_COLUMNS))
    return pd.DataFrame({
        "pattern": places["label"].str.capitalize(),
        "where": "On or near " + places["place"],
        "district": places["district"],
        "squares": places["squares"],
        "records": places["records"],
        "windows_hot": places["windows_hot"],
        "first": pd.to_datetime(places["first_hot"]).dt.strftime("%b %Y"),
        "last": pd.to_datetime(places["last_hot"]).dt.strftime("%b %Y"),
    })
