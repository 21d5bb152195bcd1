"""The one bridge between the app and the core: a cached connection and cached results.

Pages and components never import cspdash or duckdb; they call these functions. Every result
here is a cspdash function's result, so the command line reproduces it exactly.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from cspdash import areas, config, db, sql
from cspdash.reports import overview as overview_report
from cspdash.errors import InputError

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
def load_history(version: str) -> pd.DataFrame:
    return sql.df(cursor(), "app/load_history")


# --- hotspots (pages/hotspots.py) ---------------------------------------------------------------
# --- end hotspots ---

# --- consultation (pages/consultation.py) -------------------------------------------------------
# --- end consultation ---

# --- funding (pages/funding.py) -----------------------------------------------------------------
# --- end funding ---

# --- performance (pages/performance.py) ---------------------------------------------------------
# --- end performance ---
