"""Pure builders for the performance page: XmR (SPC) charts, the summary table with the Making
Data Count icons in words, and the districts side by side. No Streamlit, no database.

Making Data Count colours: blue = special-cause improvement, orange = special-cause concern,
grey = common cause. Markers differ in shape too (square, diamond, triangle, circle), and every icon in
the summary table is a symbol plus words, so nothing relies on colour alone. The charts are ECharts options
(components/echart.py: the shared look, and why ECharts); every name on them is drawn as plain text.
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd

from components.charts import NAMES_AXIS
from components.echart import (GREY, INK, OKABE_ITO, TOP, Chart, bands, bar, category_axis, chart, legend_rows, line,
                               value_axis)
from components.tables import Col

IMPROVEMENT = OKABE_ITO[0]   # blue
CONCERN = OKABE_ITO[1]       # orange
NEITHER = OKABE_ITO[3]       # reddish purple
TARGET = OKABE_ITO[2]        # bluish green
RAG_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00"}

ASSURANCE_TEXT = {
    "consistently passing": "✔ Consistently passing",
    "hit and miss": "↕ Hit and miss",
    "consistently failing": "✘ Consistently failing",
}
RAG_TEXT = {"green": "■ Green", "amber": "■ Amber", "red": "■ Red"}

RAG_LEGEND = (
    "**How the RAG is set.** Never from comparing two months. With a target: green when the target is "
    "consistently met, amber when it is hit and miss, red when it is consistently missed; a signal of "
    "concern in the latest month makes it one step worse, a signal of improvement lifts red to amber. "
    "Without a target: green for a signal of improvement, red for a signal of concern, otherwise no rating. "
    "A measure needs at least 7 figures behind its usual range to be rated."
)

LIMITS_SENTENCE = (
    "The dashed lines are the usual range (process limits): figures between them are the ordinary "
    "ups and downs of the measure. A point outside them, 7 in a row above or below the average, 7 "
    "rising or falling in a row, or two of three close to a limit is a signal that something has "
    "changed, worth asking about. Blue marks an improvement, orange a concern."
)

_STEP = {"monthly": "month", "quarterly": "quarter", "annual": "year"}


# ---------------------------------------------------------------------------------------------
# Words and numbers


def fmt(value, unit: str) -> str:
    """A value in its unit for tables: 1,234 · 25.6% · 2.31 per 1,000."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "rate_per_1000":
        return f"{value:,.2f} per 1,000" if abs(value) < 10 else f"{value:,.1f} per 1,000"
    if unit == "count":
        return f"{value:,.0f}" if value.is_integer() or abs(value) >= 100 else f"{value:,.1f}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def variation_text(variation: str | None, better: str | None) -> str:
    """The variation icon in words; the arrow shows which way the figures moved."""
    if variation in (None, "missing"):
        return "– No figures"
    if variation == "common":
        return "○ No sign of change"
    up, down = "▲", "▼"
    if variation == "improvement":
        return f"{up if better == 'higher' else down} Improving"
    if variation == "concern":
        return f"{down if better == 'higher' else up} Concern"
    return "◆ Changed"


def assurance_text(assurance: str | None, has_target: bool) -> str:
    if assurance:
        return ASSURANCE_TEXT[assurance]
    return "– Too few figures" if has_target else "– No target"


def y_axis_title(unit: str, frequency: str, kind: str) -> str:
    step = _STEP.get(frequency, "month")
    if unit == "percent":
        return "Per cent (%)"
    if unit == "rate_per_1000":
        return f"Per 1,000 residents per {step}"
    if unit == "count":
        return f"Records per {step}" if kind == "police" else f"Number per {step}"
    return "Value"


SUMMARY_HEADINGS = ("Priority", "Measure", "Latest", "Baseline average", "Target", "Variation", "Assurance", "RAG",
                    "Note")


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per measure in plain words (the summary of reports.performance.Performance)."""
    rows = []
    for r in summary.to_dict("records"):
        for key in ("variation", "assurance", "rag", "note"):
            r[key] = None if not isinstance(r[key], str) else r[key]
        latest = "–"
        if not pd.isna(r["latest_period"]):
            latest = f"{fmt(r['latest_value'], r['unit'])} ({pd.Timestamp(r['latest_period']):%b %Y})"
        baseline = "–" if pd.isna(r["baseline_mean"]) else f"{fmt(r['baseline_mean'], r['unit'])} ({r['baseline']})"
        has_target = not pd.isna(r["target"])
        note = r["note"] or ""
        if r["synthetic"]:
            note = ("synthetic demo values; " + note).rstrip("; ")
        rows.append({
            "Priority": r["priority"],
            "Measure": r["measure"] + (" *" if r["synthetic"] else ""),
            "Latest": latest,
            "Baseline average": baseline,
            "Target": fmt(r["target"], r["unit"]) if has_target else "none",
            "Variation": variation_text(r["variation"], r["better"]) if r["points"] else "– No figures",
            "Assurance": assurance_text(r["assurance"], has_target) if r["points"] else "–",
            "RAG": RAG_TEXT.get(r["rag"], "– Not rated"),
            "Note": note,
        })
    return pd.DataFrame(rows, columns=list(SUMMARY_HEADINGS))


def _rag_css(shown: str) -> str:
    """The RAG cell's colour (the word is there too, for anyone who can't tell the colours apart)."""
    for word, colour in RAG_COLOURS.items():
        if word.capitalize() in shown:
            return f"background-color: {colour}; color: {'black' if word == 'amber' else 'white'}; white-space: nowrap"
    return ""


def _variation_css(shown: str) -> str:
    """Improving in blue, Concern in orange (Making Data Count's colours, colour-blind safe)."""
    if "Improving" in shown:
        return f"color: {IMPROVEMENT}; font-weight: bold"
    if "Concern" in shown:
        return f"color: {CONCERN}; font-weight: bold"
    return ""


# The summary as the page shows it (tables.show): summary_table's columns, RAG and variation coloured.
SUMMARY_COLUMNS = {name: Col(name, style={"RAG": _rag_css, "Variation": _variation_css}.get(name))
                   for name in SUMMARY_HEADINGS}


# ---------------------------------------------------------------------------------------------
# The XmR chart

LIMITS = "#555555"
GAP = "rgba(150, 150, 150, 0.35)"  # a period with no figure (darker where it falls in the baseline)
BASELINE = "rgba(127, 127, 127, 0.12)"
DASH_DOT = [9, 4, 2, 4]
# The rule a marked figure broke, for its hover box (every figure of a run is marked, so the words name the run).
RULE_WORDS = {"astronomical": "outside the usual range", "trend": "in a run of 7 or more rising or falling",
              "two_in_three": "2 of 3 close to a limit", "shift": "in a run of 7 or more on one side of the average"}
# The figures' markers: colour and shape both differ, so a signal never rests on colour alone.
MARKERS = (
    ("common", "No sign of change", GREY, "circle", 8),
    ("improvement", "Signal: improvement", IMPROVEMENT, "rect", 12),
    ("concern", "Signal: concern", CONCERN, "diamond", 15),
    ("neither", "Signal: change (no better direction)", NEITHER, "triangle", 13),
)
# The levels' legend keys drawn as the lines are (ECharts' own key for a line puts a marker on it, and these
# lines have none): filled dashes in a 25 x 14 box, the moves to its corners keeping the box that size.
_BOX = "path://M0,0 M25,14 "
SOLID_KEY = _BOX + "M0,6h25v2H0z"
DASHED_KEY = _BOX + "M0,6h6v2H0z M9.5,6h6v2h-6z M19,6h6v2h-6z"
DASH_DOT_KEY = _BOX + "M0,5.75h8v2.5H0z M11,5.75h3v2.5h-3z M17,5.75h8v2.5h-8z"


def _printf(unit: str, value: float | None = None) -> str:
    """A hover box's number format (Streamlit's printf-style valueFormatter) matching `fmt`: for one value
    (a level) its decimals follow `fmt` exactly; for a series of figures, the unit's usual decimals."""
    if unit == "percent":
        return "%.1f%%"
    if unit == "rate_per_1000":
        return "%,.1f per 1,000" if value is not None and abs(value) >= 10 else "%,.2f per 1,000"
    if unit == "count":
        small = value is not None and not float(value).is_integer() and abs(value) < 100
        return "%,.1f" if small else "%,.0f"
    return "%,.0f" if value is not None and abs(value) >= 1000 else "%.3g"


def _period_labels(periods: pd.Series, frequency: str) -> list[str]:
    """The x axis's categories: "Jan 2024" for a month, "Jan–Mar 2024" for a quarter, "2024" for a year."""
    out = []
    for period in pd.to_datetime(periods):
        if frequency == "quarterly":
            end = period + pd.DateOffset(months=2)
            out.append(f"{period:%b}–{end:%b %Y}" if end.year == period.year else f"{period:%b %Y}–{end:%b %Y}")
        elif frequency == "annual":
            end = period + pd.DateOffset(months=11)
            out.append(f"{period:%Y}" if period.month == 1 else f"{period:%b %Y}–{end:%b %Y}")
        else:
            out.append(f"{period:%b %Y}")
    return out


def _level(n: int, value: float, name: str, colour: str, dash, width: float = 2, unit: str = "count",
           what: str = "", tooltip: bool = True) -> dict:
    """A level (limit, average, target) drawn as a line across the chart at one value, in the legend under its
    name; in the hover box as `what` and the value (or not at all, where the name already says the value)."""
    return line(name, [value] * n, colour, width=width, dash=dash, symbols=False, symbol="none", z=2,
                emphasis={"disabled": True},
                tooltip={"valueFormatter": f"{what} {_printf(unit, value)}".strip()} if tooltip else {"show": False})


# The title and the legend above the plot, fitted to the chart's width. ECharts neither wraps a title nor makes
# room for a legend that wraps, so the builders estimate both (the title's bold 19 px heading font about 8.6 px
# a character with a 40 px margin to spare; a legend entry about 6.3 px a character and 50 px of key
# and gaps; a little over, never under) at each of these widths and say, through ECharts' `media` queries on
# the chart's own width, where the legend and the plot start. The chart's height has room for the narrowest.
WIDTHS = (440, 560, 700, 900, 1100, 1300)  # px: the narrowest width of each step
TITLE_LINE = 24  # px: one more line of the title
LEGEND_ROW = 30  # px: one line of the legend
LEGEND_TOP = 36  # px: the legend's top under a one-line title (components/echart.py)


def _title_lines(title: str, width: int) -> list[str]:
    """The title in lines that fit `width` px: whole, else broken after its colon, else between words."""
    fits = max(20, int((width - 40) / 8.6))
    if len(title) <= fits:
        return [title]
    head, colon, tail = title.partition(": ")
    if colon and len(head) + 1 <= fits and len(tail) <= fits:
        return [head + ":", tail]
    return textwrap.wrap(title, fits)


def _fitted(title: str, names: list[str], height: int, below: int = TOP - LEGEND_TOP - LEGEND_ROW) -> dict:
    """The title and the legend (entries `names`) fitted above the plot at any width: the chart's height (`height`
    plus the room the narrowest chart needs above its plot beyond the widest's, so no plot is less than
    `height - TOP` px tall), the plot's top on the widest chart, `media` overrides for narrower ones (each step's
    layout worked out at its narrowest width; the narrowest step last, so it wins) and the title's line height.
    `below`: px between the legend and the plot (where the y axis's name sits)."""
    def layout(width: int) -> tuple[list[str], int, int]:
        lines = _title_lines(title, width)
        legend_top = LEGEND_TOP + TITLE_LINE * (len(lines) - 1)
        return lines, legend_top, legend_top + LEGEND_ROW * legend_rows(names, width) + below

    widest = layout(WIDTHS[-1])
    media = []
    for step, next_step in sorted(zip(WIDTHS, WIDTHS[1:]), reverse=True):
        lines, legend_top, top = layout(step)
        if (lines, top) != (widest[0], widest[2]):
            media.append({"query": {"maxWidth": next_step - 1},
                          "option": {"title": {"text": "\n".join(lines)}, "legend": {"top": legend_top},
                                     "grid": {"top": top}}})
    narrowest = layout(WIDTHS[0])[2]
    return {"height": height + narrowest - widest[2], "top": widest[2], "media": media,
            "title": {"textStyle": {"lineHeight": TITLE_LINE}}}


def xmr_figure(result, measure: str, area: str, unit: str, frequency: str = "monthly",
               kind: str = "police") -> Chart:
    """An XmR chart from a performance.XmrResult (duck-typed: points, mean, lpl, upl, target,
    trial_limits, baseline, baseline_applied, n_limit_points).

    Each period's figure as a grey line, broken (never joined, never zero) where a period has no figure, its
    markers coloured and shaped by what they signal; the average, the process limits (dashed; "trial" while
    fewer than 13 figures set them) and the target (dash-dot) as lines across; the baseline period shaded and
    labelled, and each period without a figure shaded as a grey band. The hover box gives the period's figure,
    the rule a signal broke, and the limits."""
    p = result.points.reset_index(drop=True)
    labels = _period_labels(p["period"], frequency)
    n = len(labels)
    step = _STEP.get(frequency, "month")
    values = p["value"]
    series: list[dict] = []
    legend: list[dict] = []

    # The figures: a line with gaps, then a marker series per kind of point, drawn over the line.
    series.append(line(f"Figure per {step}", values, "#7a7a7a", width=2, symbols=False, symbol="none", z=3,
                       emphasis={"disabled": True}, tooltip={"valueFormatter": _printf(unit)}))
    for variation, label, colour, symbol, size in MARKERS:
        sel = p[p["variation"] == variation]
        if sel.empty:
            continue
        if variation == "common":  # the line's hover row has the figure already
            data, extra = [[labels[i], v] for i, v in sel["value"].items()], {"tooltip": {"show": False}}
        else:  # the rule the figure broke, in words
            data = [[labels[i], v, ", ".join(RULE_WORDS.get(r, r.replace("_", " ")) for r in rule.split("|") if r)]
                    for i, v, rule in zip(sel.index, sel["value"], sel["rule"])]
            extra = {"dimensions": [{"name": "period"}, {"name": "value"}, {"name": "rule", "type": "ordinal"}],
                     "encode": {"x": "period", "y": "value", "tooltip": ["rule"]}}
        series.append({"type": "scatter", "name": label, "data": data, "symbol": symbol, "symbolSize": size, "z": 4,
                       "itemStyle": {"color": colour, "borderColor": "#ffffff", "borderWidth": 1, "opacity": 1},
                       **extra})
        legend.append({"name": label})

    if math.isfinite(result.mean):
        average = f"Average ({fmt(result.mean, unit)})"
        series.append(_level(n, result.mean, average, "#000000", "solid", width=1.5, tooltip=False))
        legend.append({"name": average, "icon": SOLID_KEY})
    if math.isfinite(result.upl):
        limits = "Trial process limits (fewer than 13 figures)" if result.trial_limits else "Process limits (usual range)"
        series.append(_level(n, result.upl, limits, LIMITS, "dashed", unit=unit, what="upper"))
        series.append(_level(n, result.lpl, limits, LIMITS, "dashed", unit=unit, what="lower"))
        legend.append({"name": limits, "icon": DASHED_KEY})
    if result.target is not None:
        target = f"Target ({fmt(result.target, unit)})"
        series.append(_level(n, result.target, target, TARGET, DASH_DOT, width=2.5, tooltip=False))
        legend.append({"name": target, "icon": DASH_DOT_KEY})

    # Shaded periods, each the full width of its categories: a category axis puts a mark at a category's
    # middle, so the spans are drawn on a hidden value axis over the same width, category i running from
    # i - 0.5 to i + 0.5. Series with no points of their own, drawn under everything.
    def shade(spans, colour, label=None) -> dict:
        area = bands([(a - 0.5, b + 0.5) for a, b in spans], colour=colour, label=label)
        area["label"].update(position="insideTopLeft", color="#444444", fontSize=13)
        return area

    if result.baseline is not None and result.baseline_applied:
        inside = [i for i, period in enumerate(p["period"]) if result.baseline[0] <= period <= result.baseline[1]]
        if inside:
            series.append({"type": "line", "name": "Baseline period", "data": [], "xAxisIndex": 1,
                           "markArea": shade([(inside[0], inside[-1])], BASELINE, "Baseline period"),
                           "tooltip": {"show": False}})
    missing = [int(i) for i in p.index[values.isna()]]
    if missing:
        gap = f"No figure for the {step} (gap)"
        series.append({"type": "line", "name": gap, "data": [], "xAxisIndex": 1,
                       "markArea": shade([(i, i) for i in missing], GAP),
                       "itemStyle": {"color": GAP}, "lineStyle": {"color": GAP}, "tooltip": {"show": False}})
        legend.append({"name": gap, "icon": "rect"})

    # Headroom above the highest line for the baseline's label; the axis at the plot's left edge, not where the
    # hidden axis (below) has its zero.
    y_axis = value_axis(y_axis_title(unit, frequency, kind), boundaryGap=[0, "15%"],
                        axisLine={"show": False, "onZero": False}, axisTick={"show": False})
    if unit == "value":
        y_axis["scale"] = True
    else:
        y_axis["min"] = 0
    if unit == "percent":
        y_axis["axisLabel"]["formatter"] = "{value}%"
    every = {"monthly": 1 if n <= 8 else 3 if n <= 24 else 6 if n <= 48 else 12,
             "quarterly": 2 if n > 8 else 1}.get(frequency, 1)
    periods = category_axis(labels, axisLabel={"interval": every - 1},
                            axisTick={"alignWithLabel": True, "interval": every - 1})
    spans = {"type": "value", "show": False, "min": -0.5, "max": n - 0.5,
             "axisPointer": {"show": False, "triggerTooltip": False}}
    title = f"{measure}, {area}: each {step}'s figure against its usual range"
    fit = _fitted(title, [item["name"] for item in legend], 430)
    drawn = chart(title, series, x_axis=[periods, spans], y_axis=y_axis, height=fit["height"],
                  grid={"top": fit["top"]}, **({"media": fit["media"]} if fit["media"] else {}))
    return drawn.merged(title=fit["title"], legend={"data": legend},
                 tooltip={"axisPointer": {"type": "line", "lineStyle": {"color": "#b0b0b0"}}})


# ---------------------------------------------------------------------------------------------
# Districts side by side


# The districts side by side: plain headings, shares as percentages, rates to 1 decimal (tables.show).
DISTRICT_COLUMNS = {
    "district": Col("District"), "force": Col("Force"), "population": Col("Residents", "count"),
    "crimes": Col("Crimes (excl. ASB)", "count"), "asb": Col("ASB incidents", "count"),
    "crimes_per_1000": Col("Crimes per 1,000 residents", "decimal"),
    "asb_per_1000": Col("ASB per 1,000 residents", "decimal"),
    "force_crime_share": Col("Share of force's crime", "share"), "force_asb_share": Col("Share of force's ASB", "share"),
}


def district_shares_figure(districts: pd.DataFrame, area: str, period: str, per_1000: bool = False) -> Chart:
    """Each district's share of its force's crime and ASB (or both per 1,000 residents), the biggest for crime
    at the top, each bar labelled with its number."""
    frame = districts.sort_values("crimes", ascending=False)
    forces = sorted(set(frame["force"]))
    of_force = forces[0] if len(forces) == 1 else "its force"
    if per_1000:
        cols, x_title = ("crimes_per_1000", "asb_per_1000"), "Records per 1,000 residents in the period"
        title = f"Crime and ASB per 1,000 residents by district, {area}, {period}"
        hover, label, scale = "%,.1f per 1,000 residents", "{:,.1f}", 1
    else:
        cols, x_title = ("force_crime_share", "force_asb_share"), f"Share of {of_force}'s records (%)"
        title = f"Each district's share of {of_force}'s crime and ASB, {period}"
        hover, label, scale = "%.1f%% of the force's", "{:.1f}%", 100
    series = [bar(name, [{"value": v * scale, "label": {"formatter": label.format(v * scale)}} if pd.notna(v)
                         else None for v in frame[col]], colour,
                  label={"show": True, "position": "right", "color": INK, "fontSize": 13},
                  tooltip={"valueFormatter": hover})
              for col, name, colour in ((cols[0], "Crime (excluding ASB)", OKABE_ITO[0]),
                                        (cols[1], "Anti-social behaviour", OKABE_ITO[1]))]
    fit = _fitted(title, [s["name"] for s in series], max(320, 75 * len(frame) + 170),
                  below=TOP - LEGEND_TOP - LEGEND_ROW - 24)  # no y axis name above the plot
    drawn = chart(title, series, height=fit["height"],
                  x_axis=value_axis(x_title, nameLocation="middle", nameGap=30, nameTextStyle={"align": "center"},
                                    min=0, boundaryGap=[0, "15%"]),  # room for the labels at the bars' ends
                  y_axis=category_axis(frame["district"], **NAMES_AXIS), grid={"top": fit["top"], "bottom": 40},
                  **({"media": fit["media"]} if fit["media"] else {}))
    return drawn.merged(title=fit["title"], tooltip={"axisPointer": {"type": "shadow"}})
