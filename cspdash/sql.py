"""Query registry: every SQL statement lives in queries/**/*.sql, one question per file.

Each file starts with a header of comment lines:
    -- <what the query answers, one line>
    -- grain: one row per ...          (build files)
    -- params: a, b, c                 (or "-- params: none")
The registry checks that the header's params equal the $params used in the body, and bind()
rejects missing or extra values, so a typo fails loudly in tests instead of binding NULL.
Values are always bound as DuckDB $named parameters, never formatted into SQL text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cspdash.config import QUERIES_DIR

_PARAM_USE = re.compile(r"(?<![\w$])\$([A-Za-z_][A-Za-z0-9_]*)")
_HEADER_PARAMS = re.compile(r"^--\s*params:\s*(.*)$", re.MULTILINE)
_STRING_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|--[^\n]*")


class QueryError(Exception):
    """A query file is malformed or called with the wrong parameters (a programming error)."""


@dataclass(frozen=True)
class Query:
    name: str  # e.g. "app/crime_by_month"
    path: Path
    sql: str
    params: frozenset[str]

    def bind(self, values: dict | None = None) -> dict:
        values = dict(values or {})
        missing = self.params - values.keys()
        extra = values.keys() - self.params
        if missing or extra:
            raise QueryError(
                f"{self.name}: missing params {sorted(missing)}, unexpected params {sorted(extra)}"
            )
        return values


def _parse(name: str, path: Path) -> Query:
    text = path.read_text(encoding="utf-8")
    header = _HEADER_PARAMS.search(text)
    if not header:
        raise QueryError(f"{path}: no '-- params:' header line")
    declared_text = header.group(1).strip()
    declared = (
        frozenset()
        if declared_text in {"", "none"}
        else frozenset(p.strip().lstrip("$") for p in declared_text.split(","))
    )
    body = _STRING_OR_COMMENT.sub(" ", text)
    used = frozenset(_PARAM_USE.findall(body))
    if used != declared:
        raise QueryError(
            f"{path}: header declares {sorted(declared)} but the SQL uses {sorted(used)}"
        )
    return Query(name=name, path=path, sql=text, params=declared)


@lru_cache(maxsize=None)
def registry(root: Path = QUERIES_DIR) -> dict[str, Query]:
    """All queries under root, keyed by their path without .sql ("build/fct_crimes")."""
    queries = {}
    for path in sorted(root.rglob("*.sql")):
        name = path.relative_to(root).with_suffix("").as_posix()
        queries[name] = _parse(name, path)
    return queries


def get(name: str) -> Query:
    try:
        return registry()[name]
    except KeyError:
        raise QueryError(f"no query named {name!r} in {QUERIES_DIR}") from None


def run(cursor, name: str, **params):
    """Execute a registered query on a cursor; returns the cursor (call .df() / .fetchall())."""
    query = get(name)
    return cursor.execute(query.sql, query.bind(params)) if query.params else cursor.execute(query.sql)


def df(cursor, name: str, **params):
    """Run a registered read query and return a pandas DataFrame."""
    return run(cursor, name, **params).df()
