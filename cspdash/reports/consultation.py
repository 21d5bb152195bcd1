"""What residents told us: consultation rankings, change between events, and concerns beside
recorded crime. Shared by `python -m cspdash consultation ...` and views/consultation.py, so the
page's numbers are the command line's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from cspdash import areas, config, sql
from cspdash.analysis import consultation as an
from cspdash.errors import InputError
from cspdash.ingest.consultations import read_concern_mapping, read_tallies
from cspdash.periods import month_label
from cspdash.reports.overview import months_covered

MAPPING_FILE = config.REFERENCE_DIR / "concern_to_crime_type.csv"
CLI_RANK_COLUMNS = ["rank", "category", "count", "share", "ci_low", "ci_high"]
FALLBACK_AREA = "Maldon"

INTERVAL_WORDS = (
    "Each line across a bar is a 95% interval: the range the true share of choices could lie in, "
    "allowing for chance in who happened to drop tokens. The intervals are simultaneous: all of "
    "them hold together 95 times in 100, so you can compare any two bars. Where two concerns' "
    "intervals overlap a lot, the tokens can't tell which worries people more. They describe the "
    "people who came to the event, not every resident.")


# --- events -------------------------------------------------------------------------------------

def _table_present(cur, name: str) -> bool:
    return bool(sql.run(cur, "app/consultation_table_present", table_name=name).fetchone()[0])


def has_tallies(cur) -> bool:
    return _table_present(cur, "consultation_tallies")


def events(cur) -> pd.DataFrame:
    """event, event_date, area, method, tokens, concerns, source — newest first."""
    if not has_tallies(cur):
        return pd.DataFrame(columns=["event", "event_date", "area", "method", "tokens", "concerns", "source"])
    frame = sql.df(cur, "app/consultation_events")
    frame["event_date"] = pd.to_datetime(frame["event_date"]).dt.date
    frame["tokens"] = frame["tokens"].astype("int64")
    return frame


def tallies(cur, names: list[str] | tuple[str, ...]) -> pd.DataFrame:
    frame = sql.df(cur, "app/consultation_tallies", events=list(names))
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    return frame


def _event_area(cur, name: str, catalogue: pd.DataFrame) -> tuple[areas.Area | None, str | None]:
    """The area an event's tally names, and the force it sits in (None when not in the database)."""
    try:
        area = areas.resolve(cur, name, catalogue)
    except InputError:
        return None, None
    row = catalogue[(catalogue["kind"].astype(str) == area.kind) & (catalogue["name"] == area.name)]
    return area, (str(row["force"].iloc[0]) if len(row) and pd.notna(row["force"].iloc[0]) else area.force)


def default_events(cur, kind: str | None = None, name: str | None = None) -> list[str]:
    """The latest event in the chosen area; else the latest in Maldon; else the latest of all."""
    listed = events(cur)
    if listed.empty:
        return []
    catalogue = areas.catalogue(cur)
    chosen = areas.area_from(cur, kind, name) if kind and name else None
    if chosen is not None and chosen.kind != "all":
        for row in listed.itertuples():
            area, force = _event_area(cur, row.area, catalogue)
            if area is None:
                continue
            if chosen.kind == "force" and force == chosen.force:
                return [row.event]
            if chosen.districts and area.districts and set(chosen.districts) & set(area.districts):
                return [row.event]
    maldon = listed[listed["area"].str.casefold() == FALLBACK_AREA.casefold()]
    return [str((maldon if len(maldon) else listed)["event"].iloc[0])]


def default_pair(listed: pd.DataFrame) -> tuple[str, str] | None:
    """(earlier, later): the latest event with an earlier one in the same area (this year vs
    last), else the two latest events."""
    if len(listed) < 2:
        return None
    for row in listed.itertuples():  # newest first
        earlier = listed[(listed["area"] == row.area) & (listed["event_date"] < row.event_date)]
        if len(earlier):
            return str(earlier["event"].iloc[0]), str(row.event)
    return str(listed["event"].iloc[1]), str(listed["event"].iloc[0])


# --- ranking ------------------------------------------------------------------------------------

@dataclass
class Ranking:
    events: list[str]
    table: pd.DataFrame          # rank_concerns columns + rank_words ('ranked 2nd, could be 2nd–4th')
    tokens: int
    method: str                  # the interval method actually used
    weighted: bool
    warning: str | None          # too_few_tokens
    note: str | None             # fallbacks and weighting, in words
    interval_words: str = INTERVAL_WORDS

    def cli_frame(self, ranges: bool = False) -> pd.DataFrame:
        cols = CLI_RANK_COLUMNS + (["rank_low", "rank_high"] if ranges else [])
        return self.table[cols]

    def summary(self) -> str:
        top = self.table.iloc[0]
        return (f"{self.tokens:,} {'votes' if self.weighted else 'tokens'} across {len(self.table)} "
                f"concerns; most chosen: {top['category']} ({top['share']:.0%}, "
                f"{top['rank_words']}).")


def rank_counts(counts: pd.DataFrame, names: list[str], method: str = "goodman") -> Ranking:
    ranked = an.rank_concerns(counts, method=method)
    ranked["rank_words"] = an.rank_phrases(ranked)
    return Ranking(list(names), ranked, int(ranked.attrs["tokens"]), ranked.attrs["ci_method"],
                   bool(ranked.attrs["weighted"]), an.too_few_tokens(ranked), ranked.attrs["ci_note"])


def ranking(cur, names: list[str] | tuple[str, ...], method: str = "goodman") -> Ranking:
    names = list(names)
    rows = tallies(cur, names)
    missing = [n for n in names if n not in set(rows["event"])]
    if missing:
        raise InputError(None, f"no consultation event named {missing[0]!r} is loaded; "
                         "see `python -m cspdash consultation events`")
    return rank_counts(an.event_counts(rows, names), names, method)


def rank_file(path: str | Path, names: list[str] | None = None, method: str = "goodman") -> Ranking:
    """Rank a tally file directly (no database); names picks events within it (default all)."""
    rows = read_tallies(path)
    if names:
        missing = [n for n in names if n not in set(rows["event"])]
        if missing:
            raise InputError(path, f"no event named {missing[0]!r} in the file "
                             f"(it has {', '.join(dict.fromkeys(rows['event']))})")
    chosen = names or list(dict.fromkeys(rows["event"]))
    return rank_counts(an.event_counts(rows, chosen), chosen, method)


# --- change between events ----------------------------------------------------------------------

@dataclass
class Comparison:
    event_a: str
    event_b: str
    table: pd.DataFrame   # compare_events columns
    test: dict
    sentence: str

    def test_words(self) -> str:
        p = self.test.get("p_value")
        if p is None or pd.isna(p):
            return ""
        return (f"How this is tested: a {self.test['method']} on the {self.test['n_a']} and "
                f"{self.test['n_b']} tokens in the concerns offered at both. The p-value is how often "
                "chance alone would give differences at least this big if residents' concerns had "
                "not changed; below 0.05 (1 in 20) we call it a change. Each concern is also tested "
                "on its own (Fisher's exact test, adjusted for testing several concerns at once), "
                "and 'moved' marks those that changed clearly.")


def comparison(cur, event_a: str, event_b: str) -> Comparison:
    rows = tallies(cur, [event_a, event_b])
    for name in (event_a, event_b):
        if name not in set(rows["event"]):
            raise InputError(None, f"no consultation event named {name!r} is loaded")
    table, test = an.compare_events(an.event_counts(rows, [event_a]), an.event_counts(rows, [event_b]))
    return Comparison(event_a, event_b, table, test, an.change_sentence(table, test, event_a, event_b))


# --- concerns beside recorded crime -------------------------------------------------------------

@dataclass
class Recorded:
    event: str
    event_date: date
    area_name: str                    # as the tally names it
    area_label: str | None            # the area it resolved to, None if not in the database
    window: tuple[date, date]         # the 12 whole months before the event
    months_loaded: list[date]
    table: pd.DataFrame               # concern_vs_recorded columns
    crime_counts: pd.DataFrame        # crime_type, count over the window
    coverage_note: str | None         # plain words when police data is missing or partial
    readings: list[str] = field(default_factory=list)

    @property
    def comparable(self) -> bool:
        return bool(self.months_loaded)


def reference_mapping() -> pd.DataFrame:
    return read_concern_mapping(MAPPING_FILE)


def recorded(cur, event: str, mapping: pd.DataFrame | None = None, method: str = "goodman") -> Recorded:
    """Residents' ranks at one event beside the ranks by recorded crime in the event's area over
    the 12 whole months before it (police.uk publishes by month)."""
    listed = events(cur)
    hit = listed[listed["event"] == event]
    if hit.empty:
        raise InputError(None, f"no consultation event named {event!r} is loaded")
    info = hit.iloc[0]
    mapping = reference_mapping() if mapping is None else mapping
    ranked = ranking(cur, [event], method).table
    first, last = (t.date() for t in an.recorded_window(info["event_date"]))
    window_words = f"{month_label(first)} – {month_label(last)}"
    police_loaded = bool(sql.run(cur, "app/consultation_police_loaded").fetchone()[0])
    try:
        area = areas.resolve(cur, info["area"]) if police_loaded else None
    except InputError:
        area = None
    empty = pd.DataFrame({"crime_type": pd.Series(dtype="str"), "count": pd.Series(dtype="int64")})
    if area is None:
        loaded: list[date] = []
        crime = empty
        label = None
        note = (f"No recorded crime is loaded for {info['area']} before "
                f"{pd.Timestamp(info['event_date']):%b %Y}: {info['area']!r} is not a force, "
                "partnership or district in the database, so residents' ranks can't be set beside "
                "police figures." if police_loaded else "No police records are loaded yet, so residents' concerns "
                "can't be set beside recorded crime: load data.police.uk files with "
                "`python -m cspdash ingest`.")
    else:
        label = area.label
        loaded = [m for m in months_covered(cur, area) if first <= m <= last]
        crime = sql.df(cur, "app/consultation_recorded_by_type", **areas.filter_params(area, first, last))
        crime["count"] = crime["count"].astype("int64")
        note = None
        if not loaded:
            crime = empty
            note = (f"No recorded crime is loaded for {area.label} before "
                    f"{pd.Timestamp(info['event_date']):%b %Y} (the 12 months {window_words}), so "
                    "residents' ranks can't be set beside police figures. Load that period's "
                    "data.police.uk files to compare.")
        elif len(loaded) < 12:
            note = (f"Only {len(loaded)} of the 12 months before the event ({window_words}) are "
                    f"loaded for {area.label}: the recorded-crime ranks use "
                    f"{month_label(loaded[0])} – {month_label(loaded[-1])} only.")
    table = an.concern_vs_recorded(ranked, crime, mapping)
    if not loaded:  # nothing loaded is not zero crime: no counts, and say why
        table["recorded_count"] = pd.array([pd.NA] * len(table), dtype="Int64")
        table["recorded_of"] = pd.array([pd.NA] * len(table), dtype="Int64")
    readings = table["reading"].tolist()
    return Recorded(event, info["event_date"], info["area"], label, (first, last), loaded, table,
                    crime, note, readings)


def mapping_from_pairs(pairs: tuple[tuple[str, str], ...] | None) -> pd.DataFrame | None:
    if pairs is None:
        return None
    return pd.DataFrame(list(pairs), columns=["concern", "crime_type"])
