"""cspdash export-parquet DEST: the warehouse as one Parquet file per table (a read-only snapshot)."""

from __future__ import annotations

import sys

from cspdash import snapshot


def register(sub, common) -> None:
    p = sub.add_parser("export-parquet", parents=[common],
                       help="write every table to DEST/<table>.parquet: a read-only snapshot the app can serve",
                       description="Write every warehouse table of the DuckDB file (--db) to DEST/<table>.parquet. "
                                   "Point CSPDASH_DB or --db at DEST to serve it read-only. A local DEST is "
                                   "replaced whole at the end (a failed export leaves the earlier snapshot); "
                                   "an s3:// DEST needs DuckDB's httpfs extension and AWS_* credentials.")
    p.add_argument("dest", metavar="DEST", help="a folder, or a URL such as s3://bucket/cspdash/2025-06/")
    p.set_defaults(func=run)


def run(args) -> int:
    progress = (lambda msg: print(f"  {msg}", file=sys.stderr)) if sys.stderr.isatty() else None
    result = snapshot.export_parquet(args.dest, args.db, progress=progress)
    print(f"exported {result.tables} tables ({result.rows:,} rows) to {result.dest} in {result.seconds:.1f} s")
    return 0
