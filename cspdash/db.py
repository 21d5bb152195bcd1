"""The only place that opens DuckDB.

One connection per process (DuckDB refuses the same file opened twice with different settings in
one process), read-only unless data entry or a load needs to write. Callers take a cursor per call
(`cursor()`): a DuckDB connection is not safe to share across threads, its cursors are.
Module-level duckdb.sql()/execute() is never used.

The location may also be a read-only Parquet snapshot (a folder, or an s3://… URL of one): it opens
as an in-memory DuckDB with one view per warehouse table, so callers cannot tell (cspdash/storage.py).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import duckdb

from cspdash import config, sql, storage
from cspdash.errors import InputError

# 2: crime_district_monthly (filled from crime_monthly when a schema-1 file is first opened).
SCHEMA_VERSION = 2

_lock = threading.Lock()
_connections: dict[tuple[str, bool], duckdb.DuckDBPyConnection] = {}


def connect(path: str | Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (or reuse) this process's connection to the configured store (see cspdash/storage.py)."""
    location = config.db_path(path)
    key = _key(location)
    with _lock:
        con = _connections.get((key, read_only))
        if con is not None:
            return con
        if storage.is_snapshot(location):
            if not read_only:
                raise storage.read_only_error(location)
            con = _open_snapshot(location)
            _connections[(key, read_only)] = con
            return con
        db_file = Path(location)
        # A writer and a reader of the same file can't coexist in one process: close the other.
        other = _connections.pop((key, not read_only), None)
        if other is not None:
            other.close()
        if not read_only:
            db_file.parent.mkdir(parents=True, exist_ok=True)
        elif not db_file.exists():
            raise InputError(db_file, "no database here yet: run `python -m cspdash demo` "
                                      "or `python -m cspdash ingest PATH` first")
        con = duckdb.connect(str(db_file), read_only=read_only, config=config.duckdb_settings(read_only))
        if not read_only:
            ensure_schema(con)
        elif _older_schema(con):
            con.close()
            _upgrade(db_file)
            con = duckdb.connect(str(db_file), read_only=True, config=config.duckdb_settings(True))
        _connections[(key, read_only)] = con
        return con


def _older_schema(con) -> bool:
    """Whether a file was written by an older cspdash (its tables then lack what queries now read)."""
    try:
        row = sql.run(con.cursor(), "app/meta_value", key="schema_version").fetchone()
    except duckdb.CatalogException:  # not a cspdash warehouse at all: leave it to the queries to say
        return False
    return row is not None and int(row[0]) < SCHEMA_VERSION


def _upgrade(db_file: Path) -> None:
    """Bring an older file's schema up to date once, so readers (the app) can open it as it is."""
    try:
        con = duckdb.connect(str(db_file), config=config.duckdb_settings())
    except duckdb.Error:
        raise InputError(db_file, "was built by an older cspdash and needs a one-off upgrade, but another "
                                  "process has it open; stop that process, then run "
                                  "`python -m cspdash coverage --db FILE` once") from None
    try:
        ensure_schema(con)
    finally:
        con.close()


def _key(location: str | Path) -> str:
    """One key per store: a resolved local path, or the URL without its trailing slash."""
    return str(location).rstrip("/") if config.is_url(location) else str(Path(location).resolve())


def _open_snapshot(location: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose warehouse tables are views over the snapshot's Parquet files."""
    con = duckdb.connect(":memory:", config=config.duckdb_settings(read_only=True))
    try:
        if config.is_url(location):
            storage.load_httpfs(con, location)
        storage.create_views(con, location, schema_tables())
    except BaseException:
        con.close()
        raise
    return con


@lru_cache(maxsize=1)
def schema_tables() -> tuple[str, ...]:
    """The warehouse's tables, as this code's build/schema*.sql files create them."""
    with empty_warehouse() as con:
        return tuple(sql.df(con.cursor(), "build/warehouse_tables")["table_name"])


@contextmanager
def empty_warehouse():
    """A throwaway in-memory DuckDB holding the schema's tables, empty."""
    con = duckdb.connect(":memory:")
    try:
        ensure_schema(con)
        yield con
    finally:
        con.close()


def is_open(con) -> bool:
    """Whether a connection is still one this process holds (not closed by close/close_all)."""
    with _lock:
        return any(c is con for c in _connections.values())


def close(path: str | Path | None = None) -> None:
    """Close this process's connections to one store (before it is moved or rebuilt)."""
    resolved = _key(config.db_path(path))
    with _lock:
        for key in [k for k in _connections if k[0] == resolved]:
            _connections.pop(key).close()


def close_all() -> None:
    with _lock:
        for con in _connections.values():
            con.close()
        _connections.clear()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables when missing and record the schema version (idempotent)."""
    # build/schema.sql holds the core tables; each subject adds build/schema_<subject>.sql.
    for name in sorted(q for q in sql.registry() if q.startswith("build/schema")):
        con.execute(sql.get(name).sql)
    con.execute(sql.get("build/set_schema_version").sql, {"version": SCHEMA_VERSION})


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """One load = one transaction: everything or nothing is written."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    else:
        cur.execute("COMMIT")
    finally:
        cur.close()
