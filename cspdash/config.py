"""Paths and settings. Defaults are relative to the repo root; environment variables override.

Kept tiny and side-effect free so every module (and the app) can import it.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = REPO_ROOT / "queries"
DATA_DIR = REPO_ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
REFERENCE_DIR = DATA_DIR / "reference"
DEFAULT_DB = DATA_DIR / "warehouse" / "cspdash.duckdb"


def db_path(override: str | os.PathLike | None = None) -> Path:
    """The DuckDB file: --db, else CSPDASH_DB, else data/warehouse/cspdash.duckdb."""
    if override:
        return Path(override)
    env = os.environ.get("CSPDASH_DB")
    return Path(env) if env else DEFAULT_DB


def data_entry_enabled() -> bool:
    """Officer data entry (forms that write) is off unless switched on explicitly."""
    return os.environ.get("CSPDASH_DATA_ENTRY", "").strip().lower() in {"1", "true", "yes", "on"}


def duckdb_settings() -> dict[str, str]:
    """DuckDB threads and memory limit, from the environment when set (see docs/SCALING.md)."""
    settings: dict[str, str] = {}
    if os.environ.get("CSPDASH_THREADS"):
        settings["threads"] = os.environ["CSPDASH_THREADS"]
    if os.environ.get("CSPDASH_MEMORY_LIMIT"):
        settings["memory_limit"] = os.environ["CSPDASH_MEMORY_LIMIT"]
    return settings
