"""python -m cspdash export-parquet DEST: publish the warehouse as a read-only Parquet snapshot.

Every warehouse table (db.schema_tables) becomes DEST/<table>.parquet; point CSPDASH_DB (or --db)
at DEST and the app and the command line read it unchanged (cspdash/storage.py). The record-grain
tables are sorted by force and month so a read for one force or period skips the rest.

A local DEST is written into a hidden sibling folder and renamed into place at the end, so a failed
export leaves the previous snapshot (or nothing) rather than half of one. Object storage has no
rename: a URL DEST is written table by table, the load log last (docs/SCALING.md: publish each
snapshot under a new prefix and switch CSPDASH_DB to it).
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from cspdash import config, db, sql, storage
from cspdash.errors import InputError

# Tables at record grain: written sorted by falls_within, month, district (row-group zone maps).
BY_FORCE_MONTH = frozenset({"crimes", "crime_monthly"})
# Written after the others, load_log last: app/data_version reads it, so the version moves once all is in place.
WRITTEN_LAST = ("meta", "load_log")


@dataclass
class Exported:
    dest: str
    tables: int
    rows: int
    seconds: float


def export_parquet(dest: str | os.PathLike, source: str | os.PathLike | None = None,
                   progress: Callable[[str], None] | None = None) -> Exported:
    """Write the DuckDB file `source` (default: the configured one) to DEST/<table>.parquet."""
    say = progress or (lambda _m: None)
    start = time.perf_counter()
    src = config.db_path(source)
    if storage.is_snapshot(src):
        raise InputError(src, "is already a Parquet snapshot; export from the DuckDB file it was made from (--db FILE)")
    remote = config.is_url(dest)
    if not remote:
        dest = Path(dest).expanduser()
        _check_local_dest(dest, Path(src))
    con = db.connect(src, read_only=True)
    if remote:
        storage.load_httpfs(con, dest)
    cur = con.cursor()
    try:
        present = set(sql.df(cur, "build/warehouse_tables")["table_name"])
        if remote:
            rows = _write_tables(cur, present, str(dest), say)
        else:
            work = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            try:
                rows = _write_tables(cur, present, work, say)
                _swap_into_place(work, dest)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        cur.close()
    return Exported(str(dest), len(db.schema_tables()), rows, time.perf_counter() - start)


def _check_local_dest(dest: Path, src: Path) -> None:
    """DEST must be new, empty, or an earlier snapshot: never a file or a folder of other things."""
    if dest.exists() and not dest.is_dir():
        raise InputError(dest, "is a file; export to a folder (it is created, or an earlier snapshot replaced)")
    if dest.resolve() == src.resolve().parent or dest.resolve() in src.resolve().parents:
        raise InputError(dest, "holds the database being exported; choose another folder")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / "load_log.parquet").exists():
        raise InputError(dest, "is a folder that is not a Parquet snapshot; choose a new or empty folder "
                               "(an earlier snapshot there would be replaced)")


def _write_tables(cur, present: set[str], where: str | Path, say: Callable[[str], None]) -> int:
    """Every schema table to where/<table>.parquet (meta and load_log last); returns the rows written.

    A table this database lacks (a subject added to the schema after it was last opened for writing)
    is written empty with its schema's columns, so every page still finds its table in the snapshot."""
    tables = db.schema_tables()
    ordered = [t for t in tables if t not in WRITTEN_LAST] + [t for t in WRITTEN_LAST if t in tables]
    exported_at = datetime.now()
    total = 0
    with db.empty_warehouse() as empty:
        empty_cur = empty.cursor()
        for table in ordered:
            path = storage.table_file(where, table)
            on = cur if table in present else empty_cur
            if table == "load_log":
                n = sql.run(on, "build/export_load_log", path=path, exported_at=exported_at, files=len(tables),
                            rows=total, detail=f"Parquet snapshot of {len(tables)} tables").fetchone()[0]
            elif table == "meta":
                n = sql.run(on, "build/export_meta", path=path, exported_at=exported_at.isoformat()).fetchone()[0]
            else:
                name = "build/export_by_force_month" if table in BY_FORCE_MONTH else "build/export_table"
                n = sql.run(on, name, table=table, path=path).fetchone()[0]
            total += int(n)
            say(f"{table}: {int(n):,} rows")
    return total


def _swap_into_place(work: Path, dest: Path) -> None:
    """Rename the finished snapshot onto DEST; an earlier snapshot is moved aside first and then removed.

    rename(2) will not replace a non-empty folder, so there is a moment (two renames) with no DEST:
    a reader opening a file just then gets one error and the next rerun reads the new snapshot."""
    if not dest.exists():
        os.rename(work, dest)
        return
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(dest, old)
    try:
        os.rename(work, dest)
    except BaseException:
        os.rename(old, dest)
        raise
    shutil.rmtree(old, ignore_errors=True)
