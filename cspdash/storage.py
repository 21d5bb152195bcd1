"""Where the warehouse lives: a DuckDB file, or a read-only Parquet snapshot of one.

The setting is one location (--db, else CSPDASH_DB, else data/warehouse/cspdash.duckdb):
- a DuckDB file (the only kind that can be written: loads, data entry, the demo);
- a folder holding <table>.parquet for every warehouse table, as `python -m cspdash export-parquet`
  writes it;
- a URL of such a folder in object storage (anything with "://", e.g. s3://bucket/cspdash/), read
  through DuckDB's httpfs extension.
A snapshot opens as an in-memory DuckDB with one view per table over its Parquet file, so every
query in queries/ runs unchanged on any of the three. db.connect is the one caller.

S3 credentials come from the standard environment variables, which httpfs itself reads into its
s3_* settings when it loads: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_REGION (or AWS_DEFAULT_REGION), and DUCKDB_S3_ENDPOINT / DUCKDB_S3_USE_SSL for S3-compatible
stores (MinIO, Ceph, Cloudflare R2's S3 API). Nothing here reads or stores a secret.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from cspdash import config
from cspdash.errors import InputError

PARQUET_SUFFIX = ".parquet"


def is_snapshot(location: str | os.PathLike) -> bool:
    """A Parquet snapshot (a folder, or a URL of one) rather than a DuckDB file."""
    return config.is_url(location) or Path(location).is_dir()


def table_file(location: str | os.PathLike, table: str) -> str:
    """Where one table's Parquet file sits in a snapshot: <location>/<table>.parquet."""
    if config.is_url(location):
        return str(location).rstrip("/") + "/" + table + PARQUET_SUFFIX
    return str(Path(location) / (table + PARQUET_SUFFIX))


def read_only_error(location: str | os.PathLike) -> InputError:
    return InputError(location, "this is a read-only Parquet snapshot; load into a DuckDB file and export again "
                                "(python -m cspdash export-parquet DEST --db FILE)")


def install_httpfs(con: duckdb.DuckDBPyConnection) -> None:
    """Fetch httpfs from DuckDB's extension repository (needs the internet; a deployment installs it
    at build time instead, see docs/SCALING.md). A function of its own so tests can stand in for it."""
    con.install_extension("httpfs")


def load_httpfs(con: duckdb.DuckDBPyConnection, location: str | os.PathLike) -> None:
    """Load httpfs for a URL store, installing it first if it is missing; one clear line if neither works."""
    try:
        con.load_extension("httpfs")
        return
    except duckdb.Error:
        pass
    try:
        install_httpfs(con)
        con.load_extension("httpfs")
    except duckdb.Error as err:
        raise InputError(location, "a URL store needs DuckDB's httpfs extension, which could not be loaded "
                                   f"({str(err).splitlines()[0]}); install it where there is internet with "
                                   "python -c \"import duckdb; duckdb.connect().install_extension('httpfs')\"") from None


def create_views(con: duckdb.DuckDBPyConnection, location: str | os.PathLike, tables) -> None:
    """One view per table over <location>/<table>.parquet, visible to every cursor of con.

    Why not a query file: DuckDB cannot prepare `CREATE VIEW ... read_parquet($path)` ("this type of
    statement can't be prepared"), and the other ways round it fail here: SET VARIABLE is per
    connection (a cursor's view would read NULL), file_search_path only serves local files (and a
    same-named file in the working directory would win), and a table function takes no subquery.
    So the view is made through DuckDB's relational API: con.read_parquet(path).create_view(name)
    passes the path as a value and DuckDB writes the quoted literal into the view itself (a quote in
    a folder name is escaped by DuckDB, not by us), with no SQL text in Python. Table names come
    from our own schema files (db.schema_tables), never from the snapshot or the user.
    """
    for table in tables:
        if not table.isidentifier():
            raise ValueError(f"not a table name: {table!r}")
        source = table_file(location, table)
        try:
            con.read_parquet(source).create_view(table, replace=True)
        except duckdb.Error as err:
            raise InputError(source, "cannot read this table of the Parquet snapshot "
                                     f"({type(err).__name__}: {str(err).splitlines()[0]}); "
                                     "export it again with python -m cspdash export-parquet") from None
