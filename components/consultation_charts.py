"""Consultation charts and tables: DataFrame in, plotly figure or display table out.

No widgets, no database: unit-testable. Shares arrive as
fractions 0..1 and are drawn as percentages; intervals are the simultaneous 95% intervals the
analysis computed.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.charts import GREY, LEGEND_ON_TOP, OKABE_ITO, layout
from components.figures import Markup, figure, plain
from components.tables import Col

NO_CONCERN = "no concern"


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


def ranking_chart(ranked: pd.DataFrame, title_events: str, weighted: bool = False) -> go.Figure:
    """Horizontal bars of each concern's share, rank 1 at the top, with the 95% interval as an
    error bar; each label says the rank and the ranks it could plausibly hold."""
    frame = ranked.sort_values(["rank", "category"], kind="stable").reset_index(drop=True)
    unit = "points" if weighted else "tokens"
    labels = [Markup(f"<b>{plain(r.category)}</b> · {_pct(r.share)}<br>"
                     f"<span style='font-size:13px'>{plain(r.rank_words)}</span>") for r in frame.itertuples()]
    # Sky blue bars so the black interval lines read clearly on top of them.
    colours = [GREY if c.strip().casefold() == NO_CONCERN else OKABE_ITO[4] for c in frame["category"]]
    data = [{"type": "bar", "y": labels, "x": frame["share"] * 100, "orientation": "h", "marker": {"color": colours},
             "error_x": {"type": "data", "symmetric": False, "array": (frame["ci_high"] - frame["share"]) * 100,
                         "arrayminus": (frame["share"] - frame["ci_low"]) * 100, "color": "#000000",
                         "thickness": 2, "width": 7},
             "customdata": frame[["count", "ci_low", "ci_high"]].to_numpy() * [1, 100, 100],
             "hovertemplate": ("%{x:.1f}% of " + unit + " (%{customdata[0]:,.0f})<br>95% interval "
                               "%{customdata[1]:.1f}% to %{customdata[2]:.1f}%<extra></extra>"),
             "showlegend": False}]
    top = float(frame["ci_high"].max()) * 100 if len(frame) else 100
    return figure(data, layout(
        f"Share of {unit} by concern, with 95% intervals — {title_events}", "",
        height=max(320, 62 * len(frame) + 140),
        hovermode="closest", bargap=0.35, margin={"l": 20, "r": 30, "t": 70, "b": 60},
        yaxis={"title": None, "rangemode": None, "autorange": "reversed", "automargin": True,
               "tickfont": {"color": "#1a1a1a", "size": 14}},
        xaxis={"title": {"text": f"Share of all {unit} (%) — line: 95% interval"}, "ticksuffix": "%",
               "range": [0, min(100, top * 1.08 + 1)]}))


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


def comparison_chart(table: pd.DataFrame, label_a: str, label_b: str) -> go.Figure:
    """Shares at two events side by side, concerns offered at both; those that moved clearly
    are marked."""
    frame = table.dropna(subset=["share_a", "share_b"]).reset_index(drop=True)
    labels = [Markup(f"<b>{plain(c)}</b> (moved)") if m else c for c, m in zip(frame["category"], frame["moved"])]
    data = [{"type": "bar", "y": labels, "x": frame[col] * 100, "name": name, "orientation": "h",
             "marker": {"color": colour}, "customdata": frame[count], "text": [_pct(v) for v in frame[col]],
             "textposition": "outside",
             "hovertemplate": "%{x:.1f}% (%{customdata:,} tokens)<extra>" + plain(name) + "</extra>"}
            for col, count, name, colour in (("share_a", "count_a", label_a, OKABE_ITO[0]),
                                             ("share_b", "count_b", label_b, OKABE_ITO[1]))]
    top = float(frame[["share_a", "share_b"]].max().max()) * 100 if len(frame) else 100
    return figure(data, layout(
        "Share of tokens at each event (concerns offered at both)", "", height=max(340, 58 * len(frame) + 180),
        barmode="group", hovermode="closest", margin={"l": 20, "r": 30, "t": 100, "b": 60}, legend=LEGEND_ON_TOP,
        yaxis={"title": None, "rangemode": None, "autorange": "reversed", "automargin": True,
               "tickfont": {"color": "#1a1a1a", "size": 14}},
        xaxis={"title": {"text": "Share of tokens at the event (%)"}, "ticksuffix": "%",
               "range": [0, top * 1.15 + 1]}))


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
