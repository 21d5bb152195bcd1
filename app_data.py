"""The one bridge between the app and the core: a cached connection and cached results.

Pages and components never import cspdash or duckdb; they call these functions. Every result
here is a cspdash function's result, so the command line reproduces it exactly.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd
import streamlit as st

from cspdash import areas, config, db, sql
from cspdash.analysis import grid
from cspdash.errors import InputError
from cspdash.ingest import consultations as consultation_ingest
from cspdash.reports import consultation as consultation_report
from cspdash.reports import funding as funding_report
from cspdash.reports import hotspots as hotspots_report
from cspdash.reports import overview as overview_report
from cspdash.reports import performance as performance_report

CACHE = dict(max_entries=64, show_spinner=False)


@st.cache_resource(show_spinner=False, validate=db.is_open)
def _connection(path: str):
    # One connection per process; read-only unless officers may enter data.
    return db.connect(path, read_only=not config.data_entry_enabled())


def database_path() -> str:
    return str(config.db_path())


def cursor():
    """A fresh cursor per call: cursors are safe across Streamlit's session threads."""
    return _connection(database_path()).cursor()


def _read_upload(data: bytes, filename: str, default_name: str, reader: Callable):
    """Run a core file reader on uploaded bytes (readers take paths) → (result, None) or (None, error)."""
    with tempfile.TemporaryDirectory(prefix="cspdash-upload-") as tmp:
        path = Path(tmp) / (Path(filename).name or default_name)
        path.write_bytes(data)
        try:
            return reader(path), None
        except InputError as err:
            return None, err


def warm_core() -> None:
    """The core's first-use cost, paid by the server's warm-up thread (components/warmup.py): pyproj
    builds its two British National Grid transformers (~0.1 s) on the core's PROJ thread the first time
    a map is drawn (cspdash/analysis/grid.py)."""
    grid.to_wgs84([385000.0], [255000.0])
    grid.to_bng([-2.2], [52.2])


def database_ready() -> tuple[bool, str]:
    try:
        cursor()
        return True, ""
    except InputError as err:
        return False, err.one_line()


def data_version() -> str:
    """Changes whenever a load commits: the first argument of every cached call, so new data shows at once
    (named without a leading underscore, which would leave it out of Streamlit's cache key)."""
    row = sql.run(cursor(), "app/data_version").fetchone()
    return str(row[0]) if row else ""


@st.cache_data(**CACHE)
def is_demo(version: str) -> bool:
    row = sql.run(cursor(), "app/meta_value", key="demo").fetchone()
    return bool(row and row[0] == "synthetic")


@st.cache_data(**CACHE)
def area_catalogue(version: str) -> pd.DataFrame:
    return areas.catalogue(cursor())


@st.cache_data(**CACHE)
def month_bounds(version: str) -> tuple[date | None, date | None]:
    return overview_report.loaded_months(cursor())


@st.cache_data(**CACHE)
def crime_types(version: str) -> list[str]:
    return list(sql.df(cursor(), "app/crime_types")["crime_type"])


def resolve_area(kind: str, name: str) -> areas.Area:
    return areas.area_from(cursor(), kind, name)


@st.cache_data(**CACHE)
def overview(version: str, kind: str, name: str, to_month: date, types: tuple[str, ...]) -> overview_report.Overview:
    return overview_report.overview(cursor(), area=resolve_area(kind, name), to_month=to_month, types=list(types) or None)


@st.cache_data(**CACHE)
def coverage(version: str) -> pd.DataFrame:
    return overview_report.coverage_table(cursor())


@st.cache_data(**CACHE)
def coverage_summary(version: str) -> pd.DataFrame:
    return overview_report.coverage_summary(coverage(version))


@st.cache_data(**CACHE)
def load_history(version: str) -> pd.DataFrame:
    return sql.df(cursor(), "app/load_history")


# --- hotspots (views/hotspots.py) ---------------------------------------------------------------


@st.cache_data(**CACHE)
def hotspots(version: str, kind: str, name: str, date_from: date, date_to: date, types: tuple[str, ...],
             cell_m: float, distance_m: float) -> hotspots_report.Hotspots:
    return hotspots_report.hotspots(cursor(), area=resolve_area(kind, name), date_from=date_from, date_to=date_to,
                                    types=list(types) or None, cell_m=cell_m, distance_m=distance_m)


@st.cache_data(**CACHE)
def hotspot_stability(version: str, kind: str, name: str, date_from: date, date_to: date, types: tuple[str, ...],
                      cell_m: float, distance_m: float, months_in: int, months_out: int) -> hotspots_report.Stability:
    return hotspots_report.stability(cursor(), area=resolve_area(kind, name), date_from=date_from, date_to=date_to,
                                     types=list(types) or None, cell_m=cell_m, distance_m=distance_m,
                                     months_in=months_in, months_out=months_out)


@st.cache_data(**CACHE)
def hotspot_cell(version: str, kind: str, name: str, date_from: date, date_to: date, types: tuple[str, ...],
                 cell_m: float, distance_m: float, lat: float, lon: float) -> hotspots_report.CellDetail:
    return hotspots_report.cell_detail(cursor(), area=resolve_area(kind, name), date_from=date_from,
                                       date_to=date_to, types=list(types) or None, cell_m=cell_m,
                                       distance_m=distance_m, lat=lat, lon=lon)
# --- end hotspots ---

# --- consultation (views/consultation.py) -------------------------------------------------------



@st.cache_data(**CACHE)
def consultation_events(version: str) -> pd.DataFrame:
    return consultation_report.events(cursor())


@st.cache_data(**CACHE)
def consultation_default_events(version: str, kind: str, name: str) -> list[str]:
    return consultation_report.default_events(cursor(), kind, name)


@st.cache_data(**CACHE)
def consultation_default_pair(version: str) -> tuple[str, str] | None:
    return consultation_report.default_pair(consultation_report.events(cursor()))


@st.cache_data(**CACHE)
def consultation_ranking(version: str, events: tuple[str, ...]) -> consultation_report.Ranking:
    return consultation_report.ranking(cursor(), list(events))


@st.cache_data(**CACHE)
def consultation_comparison(version: str, event_a: str, event_b: str) -> consultation_report.Comparison:
    return consultation_report.comparison(cursor(), event_a, event_b)


@st.cache_data(**CACHE)
def consultation_reference_mapping(version: str) -> pd.DataFrame:
    return consultation_report.reference_mapping()


@st.cache_data(**CACHE)
def consultation_recorded(version: str, event: str,
                          mapping: tuple[tuple[str, str], ...] | None) -> consultation_report.Recorded:
    return consultation_report.recorded(cursor(), event, consultation_report.mapping_from_pairs(mapping))


def consultation_read_mapping(data: bytes, filename: str) -> tuple[tuple[tuple[str, str], ...] | None, str | None]:
    """An uploaded concern,crime_type CSV → (pairs, None), or (None, the one-line problem)."""
    frame, err = _read_upload(data, filename, "mapping.csv", consultation_ingest.read_concern_mapping)
    if err is not None:
        return None, err.message + (f" (line {err.line})" if err.line else "")
    return tuple(zip(frame["concern"], frame["crime_type"])), None


def consultation_entry_enabled() -> bool:
    return config.data_entry_enabled()


def consultation_methods() -> tuple[str, ...]:
    return consultation_ingest.METHODS


def consultation_validate_entry(event, event_date, area, method, rows: pd.DataFrame) -> list[str]:
    return consultation_ingest.validate_entry(event, event_date, area, method, rows)


def consultation_save_entry(event, event_date, area, method, rows: pd.DataFrame) -> tuple[bool, str]:
    """Write one event from the form (one transaction; replaces an event of the same name).
    Returns (saved, what happened in one line)."""
    try:
        con = _connection(database_path())
        result = consultation_ingest.save_entry(con, event, event_date, area, method, rows)
    except InputError as err:
        return False, err.one_line()
    except duckdb.Error as err:  # e.g. the database was opened read-only
        return False, f"not saved: {str(err).splitlines()[0]}"
    return True, result.sentence("the form")
# --- end consultation ---

# --- funding (views/funding.py) -----------------------------------------------------------------


# An uploaded deflator table travels as (file name, bytes): hashable, so it is part of cache keys.


@st.cache_data(**CACHE)
def funding_deflators(version: str, upload: tuple[str, bytes] | None) -> tuple[pd.DataFrame | None, str | None]:
    """The shipped HM Treasury table, or an uploaded replacement → (table, None) or (None, the problem)."""
    if upload is None:
        return funding_report.deflators(), None
    name, data = upload
    table, err = _read_upload(data, name, "deflators.csv", funding_report.deflators)
    if err is not None:
        return None, f"{name}" + (f", line {err.line}" if err.line else "") + f": {err.message}"
    table.attrs["path"] = name
    return table, None


def _funding_deflator_table(version: str, upload: tuple[str, bytes] | None) -> pd.DataFrame:
    table, _problem = funding_deflators(version, upload)
    return table if table is not None else funding_deflators(version, None)[0]


@st.cache_data(**CACHE)
def funding_deflator_info(version: str, upload: tuple[str, bytes] | None) -> funding_report.DeflatorInfo:
    return funding_report.deflator_info(_funding_deflator_table(version, upload))


@st.cache_data(**CACHE)
def funding_choices(version: str) -> funding_report.Choices:
    return funding_report.choices(cursor())


@st.cache_data(**CACHE)
def funding_trend(version: str, by: str, funder: str | None, recipient: str | None, real: bool,
                  base_year: str | None, upload: tuple[str, bytes] | None) -> funding_report.TrendView:
    table = _funding_deflator_table(version, upload) if real else None
    return funding_report.trend_view(cursor(), by, funder, recipient, real=real, base_year=base_year,
                                     deflator_table=table)


@st.cache_data(**CACHE)
def funding_baseline(version: str, year: str, baseline_year: str, funder: str | None, recipient: str | None,
                     base_year: str | None, upload: tuple[str, bytes] | None) -> tuple[dict, str]:
    return funding_report.baseline(cursor(), year, baseline_year, funder, recipient, base_year,
                                   _funding_deflator_table(version, upload))


@st.cache_data(**CACHE)
def funding_sankey(version: str, year: str, funder: str | None, recipient: str | None) -> pd.DataFrame:
    return funding_report.sankey(cursor(), year, funder, recipient)


@st.cache_data(**CACHE)
def funding_reconciliation(version: str) -> funding_report.Reconciliation:
    return funding_report.reconciliation(cursor())


@st.cache_data(**CACHE)
def funding_pots(version: str) -> pd.DataFrame:
    return funding_report.funder_years(cursor())


@st.cache_data(**CACHE)
def funding_allocation(version: str, year: str, funder: str, population: float, crime: float, asb: float,
                       pot: int | None, to_month: date | None, types: tuple[str, ...]) -> funding_report.Allocation:
    return funding_report.allocation(cursor(), year, funder, {"population": population, "crime": crime, "asb": asb},
                                     pot=pot, to_month=to_month, crime_types=list(types) or None)
# --- end funding ---

# --- performance (views/performance.py) ---------------------------------------------------------


@st.cache_data(**CACHE)
def performance_partnerships(version: str) -> list[str]:
    """Partnerships with configured priorities (their YAML files), by name."""
    return list(performance_report.configurations(cursor())["partnership"])


@st.cache_data(**CACHE)
def performance(version: str, kind: str, name: str, to_month: date, partnership: str) -> performance_report.Performance:
    """The measures for the sidebar's area (partnership "") or one configured partnership."""
    area = None if partnership else resolve_area(kind, name)
    return performance_report.performance(cursor(), area=area, partnership=partnership or None, to_month=to_month)
# --- end performance ---
