"""The only place that opens DuckDB.

One connection per process (DuckDB refuses the same file opened twice with different settings in
one process), read-only unless data entry or a load needs to write. Callers take a cursor per call
(`cursor()`): a DuckDB connection is not safe to share across threads, its cursors are.
Module-level duckdb.sql()/execute() is never used.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb

from cspdash import config, sql
from cspdash.errors import InputError

SCHEMA_VERSION = 1

_lock = threading.Lock()
_connections: dict[tuple[str, bool], duckdb.DuckDBPyConnection] = {}


def connect(path: str | Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (or reuse) this process's connection to the database file."""
    db_file = config.db_path(path)
    key = (str(db_file.resolve()), read_only)
    with _lock:
        con = _connections.get(key)
        if con is not None:
            return con
        # A writer and a reader of the same file can't coexist in one process: close the other.
        other = _connections.pop((key[0], not read_only), None)
        if other is not None:
            other.close()
        if not read_only:
            db_file.parent.mkdir(parents=True, exist_ok=True)
        elif not db_file.exists():
            raise InputError(db_file, "no database here yet: run `python -m cspdash demo` "
                                      "or `python -m cspdash ingest PATH` first")
        con = duckdb.connect(str(db_file), read_only=read_only, config=config.duckdb_settings())
        if not read_only:
            ensure_schema(con)
        _connections[key] = con
        return con


def is_open(con) -> bool:
    """Whether a connection is still one this process holds (not closed by close/close_all)."""
    with _lock:
        return any(c is con for c in _connections.values())


def close(path: str | Path | None = None) -> None:
    """Close this process's connections to one file (before it is moved or rebuilt)."""
    resolved = str(config.db_path(path).resolve())
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
