"""cspdash ingest PATH...: data.police.uk archives/folders/CSVs, and geography files."""

from __future__ import annotations

import sys
from pathlib import Path

from cspdash import db
from cspdash.ingest import geography, police_uk
from cspdash.output import emit

_GEOGRAPHY_SUFFIXES = {".geojson", ".json", ".xlsx", ".xls"}


def register(sub, common) -> None:
    p = sub.add_parser("ingest", parents=[common], help="load data.police.uk files and ONS geography",
                       description="Load data.police.uk street-level files (.zip archive, folder, or "
                                   "*-street.csv), ONS LSOA boundaries (GeoJSON), LSOA population "
                                   "(CSV/XLSX), an ONS LAD→CSP→force lookup, or a partnerships CSV. "
                                   "Each call is one transaction.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=run)


def split_paths(paths: list[str]) -> tuple[list[Path], list[Path]]:
    """Street-level inputs vs geography files, by suffix and header."""
    street, geo = [], []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_file() and (path.suffix.lower() in _GEOGRAPHY_SUFFIXES or
                               (path.suffix.lower() == ".csv" and geography.sniff_kind(path))):
            geo.append(path)
        else:
            street.append(path)
    return street, geo


def run(args) -> int:
    street, geo = split_paths(args.paths)
    con = db.connect(args.db)
    progress = (lambda msg: print(f"  {msg}", file=sys.stderr)) if sys.stderr.isatty() else None
    for path in geo:
        kind, rows = geography.load(con, path)
        print(f"loaded {kind}: {rows:,} rows from {path}")
    if street:
        result = police_uk.ingest(con, street, progress=progress)
        print(f"loaded {result.rows:,} records from {result.files} files "
              f"({len(result.force_months)} force-months); "
              f"{result.rows_without_location:,} without a location (kept and counted)")
        if result.skipped:
            print(f"skipped {len(result.skipped)} outcomes/stop-and-search files (not yet used)")
        if args.format != "table" or sys.stdout.isatty():
            emit(result.summary, args.format)
    return 0
