"""Pure builders for the performance page: XmR (SPC) charts, the summary table with the Making
Data Count icons in words, and the districts side by side. No Streamlit, no database.

Making Data Count colours: blue = special-cause improvement, orange = special-cause concern,
grey = common cause. Markers differ in shape too (square, diamond, circle), and every icon in the
summary table is a symbol plus words, so nothing relies on colour alone.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from components.charts import GREY, LEGEND_ON_TOP, NAMES_AXIS, OKABE_ITO, layout
from components.figures import figure, vrect
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


def _level(x, y, name, colour, dash, width=2, show=True, group=None, hover=None) -> dict:
    """A level (limit, average, target) drawn as a two-point line across the chart, in the legend."""
    return {"type": "scatter", "x": [x.iloc[0], x.iloc[-1]], "y": [y, y], "mode": "lines", "name": name,
            "line": {"color": colour, "dash": dash, "width": width}, "showlegend": show,
            "legendgroup": group or name, "hoverinfo": "skip" if hover is None else None,
            "hovertemplate": hover}


def xmr_figure(result, measure: str, area: str, unit: str, frequency: str = "monthly",
               kind: str = "police") -> go.Figure:
    """An XmR chart from a performance.XmrResult (duck-typed: points, mean, lpl, upl, target,
    trial_limits, baseline, baseline_applied, n_limit_points). Gaps stay gaps."""
    p = result.points
    x = p["period"]
    step = _STEP.get(frequency, "month")
    pct = unit == "percent"
    val_fmt = "%{y:.1f}%" if pct else ("%{y:,.2f}" if unit == "rate_per_1000" else "%{y:,.0f}")
    shapes, annotations, data = [], [], []

    if result.baseline is not None and result.baseline_applied:
        half = pd.Timedelta(days=14)
        start = result.baseline[0] - half
        shapes.append(vrect(start, result.baseline[1] + half, fillcolor="#7f7f7f", opacity=0.12,
                            line={"width": 0}, layer="below"))
        annotations.append({"text": "Baseline period", "x": start, "xref": "x", "xanchor": "left",
                            "y": 1, "yref": "y domain", "yanchor": "top", "showarrow": False,
                            "font": {"size": 13, "color": "#444"}})
    for period in x[p["value"].isna()]:
        shapes.append(vrect(period - pd.Timedelta(days=12), period + pd.Timedelta(days=12),
                            fillcolor="#d9d9d9", opacity=0.5, line={"width": 0}, layer="below"))

    if math.isfinite(result.upl):
        trial = "Trial process limits (fewer than 13 figures)" if result.trial_limits else "Process limits (usual range)"
        data.append(_level(x, result.upl, trial, "#555555", "dash", group="limits",
                           hover=f"Upper process limit {fmt(result.upl, unit)}<extra></extra>"))
        data.append(_level(x, result.lpl, trial, "#555555", "dash", show=False, group="limits",
                           hover=f"Lower process limit {fmt(result.lpl, unit)}<extra></extra>"))
    if math.isfinite(result.mean):
        data.append(_level(x, result.mean, f"Average ({fmt(result.mean, unit)})", "#000000", "solid", width=1.5,
                           hover=f"Average {fmt(result.mean, unit)}<extra></extra>"))
    if result.target is not None:
        data.append(_level(x, result.target, f"Target ({fmt(result.target, unit)})", TARGET, "dashdot", width=2.5,
                           hover=f"Target {fmt(result.target, unit)}<extra></extra>"))

    data.append({"type": "scatter", "x": x, "y": p["value"], "mode": "lines", "name": f"Figure per {step}",
                 "connectgaps": False, "line": {"color": "#7a7a7a", "width": 2}, "hoverinfo": "skip",
                 "showlegend": False})
    groups = [
        ("common", "No sign of change", GREY, "circle", 8),
        ("improvement", "Signal: improvement", IMPROVEMENT, "square", 12),
        ("concern", "Signal: concern", CONCERN, "diamond", 13),
        ("neither", "Signal: change (no better direction)", NEITHER, "x", 12),
    ]
    for variation, label, colour, symbol, size in groups:
        sel = p[p["variation"] == variation]
        if sel.empty:
            continue
        data.append({
            "type": "scatter", "x": sel["period"], "y": sel["value"], "mode": "markers", "name": label,
            "marker": {"color": colour, "symbol": symbol, "size": size, "line": {"color": "white", "width": 1}},
            "customdata": sel["rule"].str.replace("_", " ").str.replace("|", ", ", regex=False),
            "hovertemplate": val_fmt + (" (%{customdata})" if variation != "common" else "") + "<extra>" + label + "</extra>"})
    if p["value"].isna().any():
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers",
                     "name": f"No figure for the {step} (gap)",
                     "marker": {"color": "#d9d9d9", "symbol": "square", "size": 14}})

    yaxis = {"title": {"text": y_axis_title(unit, frequency, kind)}}
    # Headroom above the highest line so the baseline label and the upper limit stay readable.
    tops = [v for v in (p["value"].max(), result.upl, result.target) if v is not None and math.isfinite(v)]
    if tops and unit != "value":
        yaxis["range"] = [0, max(tops) * 1.15]
    if pct:
        yaxis["ticksuffix"] = "%"
    if unit == "value":
        yaxis["rangemode"] = "normal"
    title = f"{measure}, {area}: each {step}'s figure against its usual range"
    return figure(data, layout(
        title, "", height=430, hovermode="closest", margin={"l": 70, "r": 20, "t": 60, "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "font": {"size": 13}},
        yaxis=yaxis, shapes=shapes, annotations=annotations,
        xaxis={"dtick": "M6" if len(p) <= 48 or frequency != "monthly" else "M12", "tickformat": "%b %Y"}))


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


def district_shares_figure(districts: pd.DataFrame, area: str, period: str, per_1000: bool = False) -> go.Figure:
    """Each district's share of its force's crime and ASB (or both per 1,000 residents)."""
    frame = districts.sort_values("crimes")
    forces = sorted(set(frame["force"]))
    of_force = forces[0] if len(forces) == 1 else "its force"
    if per_1000:
        cols, x_title = ("crimes_per_1000", "asb_per_1000"), "Records per 1,000 residents in the period"
        title = f"Crime and ASB per 1,000 residents by district, {area}, {period}"
        hover = "%{x:.1f} per 1,000 residents"
        scale = 1
    else:
        cols, x_title = ("force_crime_share", "force_asb_share"), f"Share of {of_force}'s records (%)"
        title = f"Each district's share of {of_force}'s crime and ASB, {period}"
        hover = "%{x:.1f}% of the force's"
        scale = 100
    data = [{"type": "bar", "y": frame["district"], "x": frame[col] * scale, "name": label, "orientation": "h",
             "marker": {"color": colour}, "hovertemplate": hover + "<extra>" + label + "</extra>",
             "texttemplate": "%{x:.1f}" + ("" if per_1000 else "%"), "textposition": "outside"}
            for col, label, colour in ((cols[0], "Crime (excluding ASB)", OKABE_ITO[0]),
                                       (cols[1], "Anti-social behaviour", OKABE_ITO[1]))]
    top = float(pd.concat([frame[cols[0]], frame[cols[1]]]).max() or 0) * scale
    return figure(data, layout(
        title, "", height=max(320, 75 * len(frame) + 170), barmode="group",
        legend=LEGEND_ON_TOP, margin={"t": 100},
        xaxis={"title": {"text": x_title}, "range": [0, top * 1.15 if top > 0 else 1]}, yaxis=NAMES_AXIS))
