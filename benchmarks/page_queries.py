"""Every query each page runs, timed per scope, against the same answer from an in-memory DataFrame.

The queries are not listed by hand: `page_calls` runs each page's own report functions (the ones
app_data.py calls) with the SQL layer wrapped, and records every (query, parameters) they issue.
So a query a page gains later is benchmarked without anyone remembering to add it here.
Each recorded call is then replayed on its own: on DuckDB (the national database and a database
holding one force, for growth) and, where the query reads police data, the plain pandas way —
boolean masks and groupby on one DataFrame of every record, as the usual Streamlit app holds it.
"""

from __future__ import annotations

import statistics
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd

from cspdash import areas, sql
from cspdash.periods import add_months

ASB = "Anti-social behaviour"


@dataclass
class Call:
    page: str
    query: str
    params: dict = field(default_factory=dict)

    def key(self) -> tuple:
        return (self.query, tuple(sorted((k, repr(v)) for k, v in self.params.items())))


@contextmanager
def outermost_sql_calls(on_call: Callable[[str, dict, float], None]):
    """Call on_call(query name, params, seconds) for every outermost sql.df / sql.run call made in the
    block, in any thread (sql.df calls sql.run: that inner call is not counted again)."""
    real_df, real_run = sql.df, sql.run
    local = threading.local()

    def wrap(fn):
        def inner(cur, name, **params):
            depth = getattr(local, "depth", 0)
            local.depth = depth + 1
            t = time.perf_counter()
            try:
                return fn(cur, name, **params)
            finally:
                local.depth = depth
                if depth == 0:
                    on_call(name, params, time.perf_counter() - t)
        return inner

    sql.df, sql.run = wrap(real_df), wrap(real_run)
    try:
        yield
    finally:
        sql.df, sql.run = real_df, real_run


@contextmanager
def recording(page: str, calls: list[Call]):
    """Record the outermost sql.df / sql.run calls made inside the block."""
    with outermost_sql_calls(lambda name, params, _: calls.append(Call(page, name, dict(params)))):
        yield


def page_calls(cur, area: areas.Area, last: date, hotspot_months: int = 12) -> list[Call]:
    """What the overview, hotspots and performance pages ask the database for, for one area."""
    from cspdash.reports import hotspots as hotspots_report
    from cspdash.reports import overview as overview_report
    from cspdash.reports import performance as performance_report

    calls: list[Call] = []
    first = add_months(last, -(hotspot_months - 1))
    with recording("overview", calls):
        overview_report.overview(cur, area=area, to_month=last)
    with recording("hotspots", calls):
        result = hotspots_report.hotspots(cur, area=area, date_from=first, date_to=last)
        if len(result.cells):
            top = result.cells.iloc[0]
            hotspots_report.cell_detail(cur, area=area, date_from=first, date_to=last,
                                        lat=float(top["lat"]), lon=float(top["lon"]))
        hotspots_report.stability(cur, area=area, date_from=first, date_to=last)
    with recording("performance", calls):
        performance_report.performance(cur, area=area, to_month=last)
    seen, unique = set(), []
    for c in calls:
        if c.key() not in seen:
            seen.add(c.key())
            unique.append(c)
    return unique


# --- the pandas way --------------------------------------------------------------------------

def load_frame(con) -> pd.DataFrame:
    """Every record as a plain DataFrame: what `pd.read_csv` of the archive gives a pandas app,
    with the same cleaned columns (district, harmonised type, BNG) so the answers can be compared."""
    frame = con.execute(
        "SELECT month, reported_by, falls_within, district, lsoa_code, crime_type, location, "
        "lon, lat, easting, northing FROM crimes").df()
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def _mask(df: pd.DataFrame, p: dict) -> np.ndarray:
    m = np.ones(len(df), dtype=bool)
    if p.get("force"):
        m &= (df["falls_within"] == p["force"]).to_numpy()
    if p.get("forces") is not None:
        m &= df["falls_within"].isin(p["forces"]).to_numpy()
    if p.get("districts") is not None:
        m &= df["district"].isin(p["districts"]).to_numpy()
    if "date_from" in p:
        m &= (df["month"] >= pd.Timestamp(p["date_from"])).to_numpy()
    if "date_to" in p:
        m &= (df["month"] <= pd.Timestamp(p["date_to"])).to_numpy()
    if p.get("types"):
        m &= df["crime_type"].isin(p["types"]).to_numpy()
    return m


def _coverage(df: pd.DataFrame) -> pd.DataFrame:
    return df.groupby(["reported_by", "month"]).size().rename("rows").reset_index()


def _crime_asb(s: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    asb = s["crime_type"] == ASB
    out = s.assign(crimes=(~asb).astype(int), asb=asb.astype(int)).groupby(by, dropna=False)[["crimes", "asb"]].sum()
    return out.reset_index()


def _located(s: pd.DataFrame) -> pd.DataFrame:
    return s[s["easting"].notna() & s["northing"].notna()]


def _cells(s: pd.DataFrame, p: dict) -> pd.DataFrame:
    s = _located(s)
    col = np.floor(s["easting"] / p["cell_m"]).astype("int64")
    row = np.floor(s["northing"] / p["cell_m"]).astype("int64")
    keep = (col * 1_000_000 + row).isin(p["cells"])
    return s[keep].assign(col=col[keep], row=row[keep])


def _cell_breakdown(df, p):
    """The chosen cells' records by location, crime type, month and district, stacked with a `part` column."""
    cells = _cells(df[_mask(df, p)], p)
    parts = [cells.groupby(["col", "row", part], dropna=False).size().reset_index(name="n").assign(part=part)
             for part in ("location", "crime_type", "month", "district")]
    return pd.concat(parts, ignore_index=True)


def _group_breakdown(df, p):
    """Each group of cells' three commonest places and crime types, commonest district, and records per month (ties
    by label), with each part's total per group, stacked with a `part` column."""
    cells = _cells(df[_mask(df, p)], p)
    member = pd.DataFrame({"key": p["cells"], "g": p["groups"]}).drop_duplicates()
    s = cells.assign(key=cells["col"] * 1_000_000 + cells["row"]).merge(member, on="key")
    place = s["location"].fillna("").str.replace(r"(?i)^on or near\s+", "", regex=True).str.strip()
    labels = {"location": place.where((place != "") & (place.str.lower() != "no location")),
              "crime_type": s["crime_type"].where(s["crime_type"] != ""),
              "district": s["district"].where(s["district"] != "")}
    parts = []
    for part, label in labels.items():
        n = s.assign(label=label).dropna(subset=["label"]).groupby(["g", "label"]).size().reset_index(name="n")
        n["total"] = n.groupby("g")["n"].transform("sum")
        n = n.sort_values(["g", "n", "label"], ascending=[True, False, True], kind="mergesort")
        parts.append(n.groupby("g").head(1 if part == "district" else 3).assign(part=part))
    months = s.groupby(["g", "month"]).size().reset_index(name="n")
    months["total"] = months.groupby("g")["n"].transform("sum")
    parts.append(months.assign(part="month"))
    return pd.concat(parts, ignore_index=True)


def _months_covered(df, p):
    if p.get("districts") is not None:
        mine = df[df["district"].isin(p["districts"])]
        n = mine.groupby(["district", "falls_within"]).size().reset_index(name="n")
        forces = set(n.sort_values("n").groupby("district").tail(1)["falls_within"])
    else:
        forces = set(df["falls_within"].unique()) if not p.get("force") else {p["force"]}
    cov = _coverage(df)
    cov = cov[cov["reported_by"].isin(forces)]
    return cov.groupby("month").agg(forces=("reported_by", "nunique"), force_rows=("rows", "sum")).reset_index()


def _force_months(df, p):
    cov = _coverage(df)
    if p.get("forces") is not None:
        cov = cov[cov["reported_by"].isin(p["forces"])]
    n = cov["reported_by"].nunique()
    per = cov.groupby("month")["reported_by"].nunique()
    return per[per == n].reset_index()[["month"]]


PANDAS: dict[str, Callable[[pd.DataFrame, dict], pd.DataFrame]] = {
    "app/crime_by_month_type": lambda df, p: df[_mask(df, p)].groupby(["month", "crime_type"]).agg(
        n=("crime_type", "size"), n_without_location=("lon", lambda s: int(s.isna().sum()))).reset_index(),
    "app/crime_by_district": lambda df, p: _crime_asb(df[_mask(df, p)], ["district"]).assign(
        records=lambda t: t["crimes"] + t["asb"]),
    "app/months_covered": _months_covered,
    "app/hotspots_record_totals": lambda df, p: pd.DataFrame(
        {"records": [int(_mask(df, p).sum())],
         "without_location": [int((_mask(df, p) & df["lon"].isna().to_numpy()).sum())]}),
    "app/hotspots_points": lambda df, p: _located(df[_mask(df, p)]).groupby(["easting", "northing"]).size()
        .reset_index(name="n"),
    "app/hotspots_points_by_month": lambda df, p: _located(df[_mask(df, p)]).groupby(
        ["easting", "northing", "month"]).size().reset_index(name="n"),
    "app/hotspots_lsoa_counts": lambda df, p: df[_mask(df, p) & df["lsoa_code"].notna().to_numpy()].groupby(
        "lsoa_code").size().reset_index(name="n"),
    "app/hotspots_cell_breakdown": _cell_breakdown,
    "app/hotspots_group_breakdown": _group_breakdown,
    "app/performance_district_counts": lambda df, p: _crime_asb(
        df[_mask(df, p) & df["district"].notna().to_numpy()], ["district", "falls_within"]).rename(
        columns={"falls_within": "force"}),
    "app/performance_force_counts": lambda df, p: _crime_asb(df[_mask(df, p)], ["falls_within"]).rename(
        columns={"falls_within": "force"}),
    "app/performance_force_months": _force_months,
    "app/performance_monthly_counts": lambda df, p: df[_mask(df, p)].groupby(
        ["month", "crime_type"]).size().reset_index(name="n"),
    "app/consultation_recorded_by_type": lambda df, p: df[_mask(df, p)].groupby("crime_type").size()
        .reset_index(name="count"),
    "app/month_range": lambda df, p: pd.DataFrame({"first_month": [df["month"].min()],
                                                   "last_month": [df["month"].max()]}),
    "app/crime_types": lambda df, p: df.groupby("crime_type").size().reset_index(name="n"),
}


def canonical(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Rows as sorted tuples of comparable values (dates as text, numbers rounded, NULL as None)."""
    out = []
    cols = []
    for c in columns:
        s = frame[c]
        if pd.api.types.is_datetime64_any_dtype(s) or (len(s) and isinstance(s.dropna().iloc[0] if s.notna().any() else None, date)):
            cols.append(pd.to_datetime(s).dt.strftime("%Y-%m-%d").where(s.notna(), None).tolist())
        elif pd.api.types.is_numeric_dtype(s):
            cols.append([None if pd.isna(v) else round(float(v), 6) for v in s])
        else:
            cols.append([None if pd.isna(v) else str(v) for v in s])
    for row in zip(*cols) if cols else []:
        out.append(row)
    return sorted(out, key=lambda r: tuple((v is None, str(v)) for v in r))


def same_answer(duck: pd.DataFrame, pandas_frame: pd.DataFrame) -> bool:
    columns = [c for c in pandas_frame.columns if c in duck.columns]
    d, p = duck.copy(), pandas_frame.copy()
    for frame in (d, p):  # SQL's sum() FILTER gives NULL over no rows where pandas gives 0
        for c in ("crimes", "asb", "records", "without_location"):
            if c in frame.columns:
                frame[c] = frame[c].fillna(0)
    return len(d) == len(p) and canonical(d, columns) == canonical(p, columns)


@dataclass
class Timing:
    p50: float
    p95: float
    result: object = None


def timed(fn: Callable[[], object], runs: int) -> Timing:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return _timing(times, result)


def _timing(times: list[float], result) -> Timing:
    times = sorted(times)
    return Timing(statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))], result)


def replay(cur, call: Call, runs: int) -> Timing:
    return timed(lambda: sql.df(cur, call.query, **call.params), runs)


def replay_side_by_side(curs: list, call: Call, runs: int) -> list[Timing]:
    """The same query on several databases, run for run in turn: this machine's speed drifts by up to
    1.6× over minutes, and a growth ratio of a 3 ms query timed in two separate blocks measured the
    drift as much as the database."""
    times: list[list[float]] = [[] for _ in curs]
    results: list = [None] * len(curs)
    for _ in range(runs):
        for i, cur in enumerate(curs):
            t = time.perf_counter()
            results[i] = sql.df(cur, call.query, **call.params)
            times[i].append(time.perf_counter() - t)
    return [_timing(ts, r) for ts, r in zip(times, results)]
