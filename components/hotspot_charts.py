"""Charts and tables for the hotspots page: stability (PAI), concentration, one square's detail,
and the printable beat sheet. Pure builders: DataFrames in, ECharts charts (components/echart.py) / DataFrames out."""

from __future__ import annotations

import base64
import html
import math

import numpy as np
import pandas as pd

from components.echart import (AXIS_INK, GREY, INK, OKABE_ITO, Chart, bands, bar, category_axis, chart, line,
                               month_labels, runs, value_axis)
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


def _pai_words(label: str, row, months_out: int) -> str:
    """One test month in words, for the chart's tooltip."""
    if row is None:
        return f"{label}: not tested (a month of the window was not published)"
    if not row.area_share:
        return f"{label}: no hotspots were picked out to test"
    if _number(row.hit_rate) is None or _number(row.pai) is None:
        return f"{label}: no records in the {'month' if months_out == 1 else 'months'} tested"
    records = "the month's" if months_out == 1 else f"the {months_out} months'"
    return (f"{label}: PAI {row.pai:.1f}. The hotspots held {100 * row.hit_rate:.0f}% of {records} records "
            f"on {100 * row.area_share:.1f}% of the area")


# A tooltip showing the pointed-at point's own words, its data's third value (Streamlit expands `{@[2]}` in a
# tooltip template, inserting the value as escaped text: our words, never a user's name).
IN_WORDS = {"formatter": "{@[2]}"}


def pai_chart(windows: pd.DataFrame, months_in: int, months_out: int) -> Chart:
    """PAI per test month, with the line where hotspots would be no better than chance (PAI = 1). Every month
    from the first test to the last is on the axis: a month with no test (its window would span a month not
    published) is a gap in the line, never a zero. Pointing at a month says the PAI in words."""
    what = "month" if months_out == 1 else f"{months_out} months"
    tested = pd.to_datetime(windows["test_from"])
    months = pd.date_range(tested.min(), tested.max(), freq="MS") if len(windows) else pd.DatetimeIndex([])
    rows = {pd.Timestamp(m): row for m, row in zip(tested, windows.itertuples(index=False))}
    labels = month_labels(months)
    # Each point: [month, PAI, the month in words]; the tooltip shows the words ({@[2]}, Streamlit's template).
    data = [[label, _number(rows[m].pai) if m in rows else None, _pai_words(label, rows.get(m), months_out)]
            for m, label in zip(months, labels)]
    pai = line("Predictive Accuracy Index", data, OKABE_ITO[0], width=3, symbolSize=8,
               dimensions=["Month tested", "PAI", "In words"], encode={"x": 0, "y": 1},
               markLine={"silent": True, "symbol": "none", "lineStyle": {"color": GREY, "type": "dashed", "width": 1.5},
                         "label": {"formatter": "{b}", "position": "insideEndTop", "color": AXIS_INK, "fontSize": 13},
                         "data": [{"yAxis": 1, "name": "1 = no better than chance"}]})
    known = [p for _, p, _ in data if p is not None]
    # ECharts sizes the axis to the data alone: make room for the chance line when every PAI is below it.
    top = {} if known and max(known) >= 1.5 else {"max": 2}
    return chart(f"How well hotspots from {months_in} months predicted the next {what}", [pai], height=380,
                 legend=False, x_axis=category_axis(labels, "Month tested"),
                 y_axis=value_axis("PAI (times what chance gives)", min=0, **top),
                 grid={"bottom": 40}).merged(tooltip=IN_WORDS)  # grid: room for the x axis' name under its labels


def _bends(y: np.ndarray) -> np.ndarray:
    """Positions where a polyline of equal x steps changes slope, with both ends: the points between are on
    the straight line joining these, so dropping them draws the same curve (the many squares with the same
    count, one or two records each, make one straight stretch)."""
    if len(y) < 3:
        return np.arange(len(y))
    step = np.diff(y)
    bend = ~np.isclose(step[1:], step[:-1], rtol=0, atol=1e-12)
    return np.concatenate([[0], 1 + np.flatnonzero(bend), [len(y) - 1]])


def concentration_chart(curve: pd.DataFrame, summary: dict, cell_m: float) -> Chart:
    """Cumulative share of records against share of squares with any record, busiest first, against the
    diagonal of no concentration, with the busiest 1%, 5% and 10% marked. Pointing at the curve says where
    it is in words."""
    x = np.concatenate([[0.0], 100 * curve["cell_share"].to_numpy(dtype=float)])
    y = np.concatenate([[0.0], 100 * curve["crime_share"].to_numpy(dtype=float)])
    keep = _bends(y / 100)
    # [x, y, in words] per point; the tooltip shows the words ({@[2]}). The shares rounded to 0.001 points.
    area = line("This area", [[round(a, 3), round(b, 3), f"The busiest {a:.1f}% of squares hold {b:.0f}% of records"]
                              for a, b in zip(x[keep], y[keep])], OKABE_ITO[5], width=3, symbols=False, z=3)
    even = line("If every square had the same", [[0, 0], [100, 100]], GREY, width=2, dash="dashed",
                symbols=False, silent=True, z=2, tooltip={"show": False})
    marked = [[pct, 100 * summary[key], f"{100 * summary[key]:.0f}%"]
              for pct, key in ((1, "top_1pct"), (5, "top_5pct"), (10, "top_10pct")) if summary.get(key) is not None]
    busiest = {"type": "scatter", "name": "Busiest 1%, 5% and 10% of squares", "data": marked, "symbolSize": 11,
               "itemStyle": {"color": OKABE_ITO[0]}, "z": 4, "tooltip": {"show": False},
               "label": {"show": True, "formatter": "{@[2]}", "position": "right", "distance": 6, "color": INK,
                         "fontSize": 13, "fontWeight": "bold", "textBorderColor": "#ffffff", "textBorderWidth": 3}}
    percent = {"formatter": "{value}%"}
    x_axis = value_axis("% of squares with any record (busiest first)", min=0, max=100, nameLocation="middle",
                        nameGap=30, nameTextStyle={"align": "center"}, axisLabel=percent)
    return chart(f"Share of records in the busiest {cell_m:g} m squares", [area, even, busiest],
                 height=420, x_axis=x_axis, y_axis=value_axis("% of records", min=0, max=100, axisLabel=percent),
                 grid={"bottom": 36}).merged(tooltip=IN_WORDS)  # grid: room for the x axis' name under its labels


def concentration_sentence(summary: dict, cell_m: float) -> str:
    if not summary.get("cells_with_crime"):
        return "No records with a map location in this selection."
    return (f"Of the {summary['cells_with_crime']:,} squares of {cell_m:g} m with any record, the busiest 1% "
            f"({summary['top_1pct_cells']:,}) hold {100 * summary['top_1pct']:.0f}% of the records, the busiest 5% "
            f"hold {100 * summary['top_5pct']:.0f}% and the busiest 10% hold {100 * summary['top_10pct']:.0f}%. "
            "Crime usually concentrates like this: a few places account for much of it.")


def cell_month_chart(by_month: pd.DataFrame, title: str) -> Chart:
    """Records per month in one square; a month not published is shaded and labelled, never a zero bar."""
    months = pd.to_datetime(by_month["month"])
    labels = month_labels(months)
    records = bar("Records", by_month["n"], OKABE_ITO[0], barMaxWidth=48, tooltip={"valueFormatter": "%,.0f"})
    gaps = runs(labels, by_month["n"].isna())
    if gaps:
        records["markArea"] = bands(gaps, label="not published")
        if len(labels) > 24:  # months too narrow to label each gap: the first says what the grey is
            for start, _ in records["markArea"]["data"][1:]:
                start.pop("name")
    # A tick on every month, even where the labels skip some: ECharts draws a shaded span on a category axis
    # between ticks, so with the ticks thinned out with the labels a one-month gap lost its shading.
    return chart(title, [records], height=300, legend=False,
                 x_axis=category_axis(labels, axisTick={"interval": 0}),
                 y_axis=value_axis("Records per month", minInterval=1))


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
