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


def db_path(override: str | os.PathLike | None = None) -> Path | str:
    """Where the data lives: --db, else CSPDASH_DB, else data/warehouse/cspdash.duckdb.

    A DuckDB file, a folder of Parquet files written by `export-parquet`, or a URL of such a
    folder in object storage (anything with "://", e.g. s3://bucket/cspdash/); db.connect tells
    them apart (docs/ARCHITECTURE.md, "Storage setting"). A URL is returned as the string it is, since
    pathlib would fold its "//"; local paths are Paths.
    """
    location = str(override) if override else (os.environ.get("CSPDASH_DB") or str(DEFAULT_DB))
    return location if is_url(location) else Path(location)


def is_url(location: str | os.PathLike) -> bool:
    """A remote store (s3://…, https://…) rather than a local path."""
    return "://" in str(location)


def data_entry_enabled() -> bool:
    """Officer data entry (forms that write) is off unless switched on explicitly."""
    return os.environ.get("CSPDASH_DATA_ENTRY", "").strip().lower() in {"1", "true", "yes", "on"}


# DuckDB's own default is 80% of the machine's memory. A load is one transaction; its batches are
# staged outside it (cspdash/ingest/police_uk.py) and a national archive (18M rows) peaks at ~2.3 GB
# under the 2 GB limit with nothing spilled to <db>.tmp/. Readers (the app) need far less: their
# queries read zone-mapped slices of the marts, and a limit keeps the buffer cache from creeping up.
DEFAULT_MEMORY_LIMIT = {"write": "2GB", "read": "1GB"}


def duckdb_settings(read_only: bool = False) -> dict[str, str]:
    """DuckDB threads and memory limit: CSPDASH_THREADS / CSPDASH_MEMORY_LIMIT, else our defaults."""
    settings: dict[str, str] = {
        "memory_limit": os.environ.get("CSPDASH_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT["read" if read_only else "write"],
    }
    if os.environ.get("CSPDASH_THREADS"):
        settings["threads"] = os.environ["CSPDASH_THREADS"]
    return settings
