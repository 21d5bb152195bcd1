"""Consultation charts and tables: DataFrame in, `echart.Chart` or display table out.

No widgets, no database: unit-testable. Shares arrive as fractions 0..1 and are drawn as percentages;
intervals are the simultaneous 95% intervals the analysis computed. Concern and event names are typed by
officers: ECharts draws them as plain text (no `rich` styles are defined on these labels, so "{" and "|"
in a name mean nothing), and the tooltips are ECharts' own, which escape them.
"""

from __future__ import annotations

import pandas as pd

from components.charts import NAMES_AXIS
from components.echart import (GREY, INK, OKABE_ITO, Chart, bar, category_axis, chart, merge,
                               value_axis)
from components.tables import Col

NO_CONCERN = "no concern"
INTERVAL_INK = "#000000"  # the interval whiskers: black on the sky blue and grey bars
PERCENT = "%.1f%%"  # a share in a tooltip (Streamlit's printf-style valueFormatter); text values pass as they are
# The x axis of a chart of shares: percentages, its name centred under the ticks.
SHARE_AXIS = {"nameLocation": "middle", "nameGap": 32, "nameTextStyle": {"align": "center"},
              "axisLabel": {"formatter": "{value}%"}, "min": 0}
# Concern names down the y axis, every one of them (never thinned out to avoid overlap), in the page's ink.
CONCERNS_AXIS = merge(NAMES_AXIS, {"axisLabel": {"interval": 0, "hideOverlap": False, "color": INK,
                                                "fontSize": 14, "lineHeight": 19}})


def event_label(row) -> str:
    """'Maldon CSP charity pots 2011 · 12 Oct 2011 · Maldon' for a row of the events table."""
    ts = pd.Timestamp(row["event_date"])
    when = f"{ts.day} {ts:%b %Y}"
    return f"{row['event']} · {when} · {row['area']}"


def events_title(events: list[str]) -> str:
    if len(events) == 1:
        return events[0]
    return f"{len(events)} events combined"


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%" if x * 100 >= 9.5 or x == 0 else f"{x * 100:.1f}%"


def _share_max(top_pct: float) -> float | None:
    """The share axis's end: ECharts' own rounding (None) unless that could pass 100%."""
    return 100.0 if top_pct * 1.05 > 90 else None


def ranking_chart(ranked: pd.DataFrame, title_events: str, weighted: bool = False) -> Chart:
    """Horizontal bars of each concern's share, rank 1 at the top, with the 95% interval drawn as a whisker
    over each bar; each label says the share, the rank and the ranks the concern could plausibly hold. The
    tooltip gives the share, its interval and the tokens (or points) behind it."""
    frame = ranked.sort_values(["rank", "category"], kind="stable").reset_index(drop=True)
    unit = "points" if weighted else "tokens"
    labels = [f"{r.category} · {_pct(r.share)}\n{r.rank_words}" for r in frame.itertuples()]
    # Sky blue bars so the black interval whiskers read clearly on top of them; 'No concern' is not a crime: grey.
    colours = [GREY if str(c).strip().casefold() == NO_CONCERN else OKABE_ITO[4] for c in frame["category"]]
    share, low, high = frame["share"] * 100, frame["ci_low"] * 100, frame["ci_high"] * 100
    total = float(frame["count"].sum())
    # Each bar carries its interval and count as text for the tooltip: Streamlit's valueFormatter formats the
    # numbers (the share) and leaves text that is not a number as it is ("36 of 160").
    bars = bar(title_events, [
        {"value": [s, i, f"{lo:.1f}% to {hi:.1f}%", f"{n:,.0f} of {total:,.0f}"], "itemStyle": {"color": c}}
        for i, (s, lo, hi, n, c) in enumerate(zip(share, low, high, frame["count"], colours))], OKABE_ITO[4],
        barWidth="55%",
        dimensions=[{"name": "share", "displayName": f"Share of {unit}"}, {"name": "concern"},
                    {"name": "interval", "displayName": "95% interval", "type": "ordinal"},
                    {"name": "count", "displayName": unit.capitalize(), "type": "ordinal"}],
        encode={"x": "share", "y": "concern", "tooltip": ["share", "interval", "count"]},
        tooltip={"valueFormatter": PERCENT})
    # The interval as a box plot with no box: whiskers from the lower to the upper bound, capped at both ends,
    # and a tick at the share. Drawn over the bar; its numbers are in the bar's tooltip.
    whiskers = {"type": "boxplot", "name": "95% interval",
                "data": [[lo, s, s, s, hi] for lo, s, hi in zip(low, share, high)],
                "boxWidth": [10, 14], "silent": True, "tooltip": {"show": False}, "z": 3,
                "itemStyle": {"color": "transparent", "borderColor": INTERVAL_INK, "borderWidth": 2},
                "emphasis": {"disabled": True}}
    top = float(high.max()) if len(frame) else 100.0
    drawn = chart(f"Share of {unit} by concern, with 95% intervals — {title_events}", [bars, whiskers],
                  height=max(320, 62 * len(frame) + 140), legend=False,
                  x_axis=value_axis(f"Share of all {unit} (%) — line: 95% interval", **SHARE_AXIS,
                                    max=_share_max(top)),
                  y_axis=category_axis(labels, **CONCERNS_AXIS), tooltip="axis", grid={"bottom": 40})
    return drawn.merged(tooltip={"axisPointer": {"type": "shadow"}})  # hovering anywhere on a concern's row


def ranking_table(ranked: pd.DataFrame, weighted: bool = False) -> pd.DataFrame:
    """The ranking as shown on the page: plain headings, interval and rank range in words."""
    return pd.DataFrame({
        "Rank": ranked["rank"].astype(int),
        "Concern": ranked["category"],
        "Points (3/2/1 per dot)" if weighted else "Tokens": ranked["count"],
        "Share": [_pct(x) for x in ranked["share"]],
        "95% interval": [f"{_pct(lo)} to {_pct(hi)}" for lo, hi in zip(ranked["ci_low"], ranked["ci_high"])],
        "Could rank": [f"{_ordinal(lo)} to {_ordinal(hi)}" if lo != hi else f"{_ordinal(lo)} only"
                       for lo, hi in zip(ranked["rank_low"].astype(int), ranked["rank_high"].astype(int))],
    })


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def comparison_chart(table: pd.DataFrame, label_a: str, label_b: str) -> Chart:
    """Shares at two events side by side, concerns offered at both; those that moved clearly are in bold
    and say so. Each bar is labelled with its share; the tooltip adds the tokens behind it."""
    frame = table.dropna(subset=["share_a", "share_b"]).reset_index(drop=True)
    categories = [{"value": f"{c} (moved)", "textStyle": {"fontWeight": "bold"}} if m else {"value": c}
                  for c, m in zip(frame["category"], frame["moved"].fillna(False).astype(bool))]
    # The tooltip's count is text ("9 of 115"), which Streamlit's valueFormatter leaves as it is.
    series = [bar(name, [{"value": [v * 100, i, f"{n:,.0f} of {table[count].sum():,.0f}"],
                          "label": {"formatter": _pct(v)}}
                         for i, (v, n) in enumerate(zip(frame[col], frame[count]))], colour,
                  barGap="15%", barCategoryGap="30%",
                  label={"show": True, "position": "right", "color": INK, "fontSize": 13},
                  dimensions=[{"name": "share", "displayName": "Share of tokens"}, {"name": "concern"},
                              {"name": "count", "displayName": "Tokens", "type": "ordinal"}],
                  encode={"x": "share", "y": "concern", "tooltip": ["share", "count"]},
                  tooltip={"valueFormatter": PERCENT})
              for col, count, name, colour in (("share_a", "count_a", label_a, OKABE_ITO[0]),
                                               ("share_b", "count_b", label_b, OKABE_ITO[1]))]
    top = float(frame[["share_a", "share_b"]].max().max()) * 100 if len(frame) else 100.0
    drawn = chart("Share of tokens at each event (concerns offered at both)", series,
                  height=max(340, 58 * len(frame) + 180),
                  x_axis=value_axis("Share of tokens at the event (%)", **SHARE_AXIS, max=_share_max(top * 1.1)),
                  y_axis=category_axis(categories, **CONCERNS_AXIS), tooltip="axis", grid={"bottom": 40})
    return drawn.merged(tooltip={"axisPointer": {"type": "shadow"}})


# The comparison and the concern-against-recorded-crime tables (tables.show): headings and how values read.
COMPARISON_COLUMNS = {
    "category": Col("Concern"),
    "count_a": Col("Tokens, first", "count"), "share_a": Col("Share, first", "share"),
    "count_b": Col("Tokens, second", "count"), "share_b": Col("Share, second", "share"),
    "change_pts": Col("Change (percentage points)", "points"),
    "p_value": Col("p-value (adjusted; below 0.05: moved clearly)", "p_value"),
    "moved": Col("Moved clearly", "yes_no"),
}

RECORDED_COLUMNS = {
    "category": Col("Concern"),
    "resident_rank": Col("Residents' rank", "count"),
    "crime_types": Col("Police.uk type(s)"),
    "recorded_count": Col("Recorded in the 12 months", "count"),
    "recorded_rank": Col("Rank by recorded crime", "count"),
    "recorded_of": Col("Of", "count"),
}


def blank_entry(categories: list[str] | None = None) -> pd.DataFrame:
    """The entry form's starting table: concern names (optional) with empty counts."""
    cats = list(categories or [])
    return pd.DataFrame({"category": pd.Series(cats, dtype="object"),
                         "tokens": pd.Series([None] * len(cats), dtype="Int64"),
                         "weight": pd.Series([None] * len(cats), dtype="Int64")})
