"""Load data.police.uk street-level files: .zip archives, folders, or single *-street.csv files.

One call is one transaction: every file is checked before anything is written, and a bad file
refuses the whole load with one line naming the file and line. Loading a force-month again
replaces it, so loading the same archive twice leaves identical counts.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

import duckdb
import numpy as np
import pandas as pd

from cspdash import config, sql
from cspdash.analysis.grid import to_bng
from cspdash.config import REFERENCE_DIR
from cspdash.db import transaction
from cspdash.errors import InputError

EXPECTED_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]
# Files are read in batches so a national archive never has to sit in memory whole. Each batch is
# staged (parsed, cleaned, checked) in a throwaway in-memory DuckDB of its own, outside the load's
# transaction, and handed to the load as an Arrow table. Staged inside the transaction, every
# batch's staging table was kept until COMMIT (DuckDB keeps what a transaction replaced, for
# rollback): the national archive piled up 3.5 GB that spilled to disk under the memory limit and
# cost ~30 s of a ~100 s load. One 256 MB batch stages in ~0.45 GB.
BATCH_BYTES = 256 * 1024 * 1024
STAGING_MEMORY_LIMIT = "1GB"

Progress = Callable[[str], None]


@dataclass
class IngestResult:
    files: int = 0
    rows: int = 0
    rows_without_location: int = 0
    force_months: list[tuple[str, str, int]] = field(default_factory=list)
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    skipped: list[str] = field(default_factory=list)  # outcomes/stop-and-search files in archives


@dataclass(frozen=True)
class StreetFile:
    path: Path          # where DuckDB reads it
    display: str        # what the user calls it, for messages ("x.zip!2024-01/...csv")


def ingest(con, paths: Iterable[str | Path], progress: Progress | None = None) -> IngestResult:
    """Load street-level files into `crimes` in one transaction; raise InputError on bad input."""
    say = progress or (lambda _msg: None)
    with tempfile.TemporaryDirectory(prefix="cspdash-ingest-") as workdir:
        files, skipped = collect_street_files(paths, Path(workdir))
        for f in files:
            check_header(f)
        result = IngestResult(files=len(files), skipped=skipped)
        summaries = []
        loaded_at = datetime.now()
        with _staging_db() as stage, transaction(con) as cur:
            sql.run(stage, "build/crime_type_map", path=str(REFERENCE_DIR / "crime_types.csv"))
            for batch in _batches(files):
                summaries.append(_load_batch(stage, cur, batch, result, loaded_at))
                say(f"read {len(result.force_months)} force-months from {result.files} files: {result.rows:,} rows")
            sql.run(cur, "build/record_load", loaded_at=loaded_at, kind="police_uk",
                    files=len(files), rows=result.rows,
                    detail=f"{len(result.force_months)} force-months")
        result.summary = (
            pd.concat(summaries).groupby(["month", "crime_type"], as_index=False).sum()
            if summaries else pd.DataFrame(columns=["month", "crime_type", "rows", "without_location"])
        )
        return result


@contextmanager
def _staging_db():
    """A throwaway in-memory DuckDB for one load's staging, with its own memory limit (one batch)."""
    stage = duckdb.connect(":memory:", config={**config.duckdb_settings(), "memory_limit": STAGING_MEMORY_LIMIT})
    try:
        yield stage
    finally:
        stage.close()


def _load_batch(stage, cur, batch: list[StreetFile], result: IngestResult, loaded_at) -> pd.DataFrame:
    display = {str(f.path): f.display for f in batch}
    staged = _stage(stage, batch, display)
    _project_new_points(cur, staged)
    force_months = _on_staged(cur, "build/force_months_staged", staged).fetchall()
    cur.register("file_names", pd.DataFrame({"path": list(display), "display": list(display.values())}))
    try:
        if _on_staged(cur, "build/staged_force_months_loaded", staged).fetchone()[0]:
            _on_staged(cur, "build/delete_replaced_force_months", staged)
        _on_staged(cur, "build/insert_crimes", staged)
        _on_staged(cur, "build/record_coverage", staged, loaded_at=loaded_at)
    finally:
        cur.unregister("file_names")
    _on_staged(cur, "build/fct_crime_monthly", staged)
    for force, month, rows, no_loc in force_months:
        result.force_months.append((force, month.strftime("%Y-%m"), rows))
        result.rows += rows
        result.rows_without_location += no_loc
    return _on_staged(cur, "build/load_summary", staged).df()


def _stage(stage, batch: list[StreetFile], display: dict[str, str]):
    """Read, clean and check one batch in the staging database; its records as an Arrow table."""
    sql.run(stage, "build/drop_street_rejects")
    sql.run(stage, "build/stg_street", files=[str(f.path) for f in batch])

    bad = sql.run(stage, "build/check_street_rejects").fetchone()
    if bad:
        path, line, kind, message = bad
        raise InputError(display.get(path, path), _reject_message(kind, message), line=int(line))
    bad = sql.run(stage, "build/check_street_values").fetchone()
    if bad:
        path, line, problem = bad
        raise InputError(display.get(path, path), problem, line=int(line))
    staged = stage.table("stg_street").to_arrow_table()
    sql.run(stage, "build/drop_street_staging")  # free it now: the Arrow copy is what the load reads
    return staged


def _on_staged(cur, name: str, stg_street, **params):
    """Run build query `name`, whose SQL reads `stg_street`, over this batch's staged records.

    DuckDB resolves `stg_street` to this frame's local of that name (its replacement scan of Python
    objects), so no view is created: a view registered in the transaction would keep each batch's
    table alive until COMMIT, the very pile-up the staging database avoids. (The small file_names
    and new_points_bng frames are registered as views; kept to COMMIT they total ~25 MB nationally.)"""
    query = sql.get(name)
    return cur.execute(query.sql, query.bind(params))


def _project_new_points(cur, staged) -> None:
    """Project each snap point once: ~744k points nationally against ~18M rows."""
    new = _on_staged(cur, "build/new_points", staged).df()
    if new.empty:
        return
    e, n = to_bng(new["lon"].to_numpy(), new["lat"].to_numpy())
    new_points_bng = pd.DataFrame(
        {"lon": new["lon"], "lat": new["lat"], "easting": np.round(e, 1), "northing": np.round(n, 1)}
    )
    cur.register("new_points_bng", new_points_bng)
    try:
        sql.run(cur, "build/insert_points")
    finally:
        cur.unregister("new_points_bng")


def _reject_message(kind: str, message: str) -> str:
    if kind == "INVALID ENCODING":
        return "is not UTF-8 text (save it as UTF-8 CSV)"
    if kind in {"MISSING COLUMNS", "TOO MANY COLUMNS"}:
        return f"wrong number of fields ({message.strip().rstrip('.')}; expected 12)"
    return f"{kind.lower()}: {message.strip()}"


_MONTH_FORCE = re.compile(r"(\d{4}-\d{2})-(.+)-street\.csv$")


def _force_then_month(f: StreetFile) -> tuple[str, str]:
    """Sort key from the data.police.uk name YYYY-MM-<force>-street.csv (others sort by name)."""
    m = _MONTH_FORCE.search(f.path.name)
    return (m.group(2), m.group(1)) if m else (f.path.name, "")


def _batches(files: list[StreetFile]) -> Iterable[list[StreetFile]]:
    """Batches of about BATCH_BYTES, the whole load read force by force, then month by month.

    Insertion order becomes storage order (see insert_crimes): taken force by force, a force's
    months sit in row groups of their own, so a district or force query skips the rest of the
    country. Taken in the archive's month-folder order, each batch held a few months of every force
    and a scoped query on the national database read 2-3 times the row groups it reads when the
    database holds that force alone."""
    batch, size = [], 0
    for f in sorted(files, key=_force_then_month):
        fsize = f.path.stat().st_size
        if batch and size + fsize > BATCH_BYTES:
            yield batch
            batch, size = [], 0
        batch.append(f)
        size += fsize
    if batch:
        yield batch


# --- finding the files ------------------------------------------------------------------------

def collect_street_files(paths: Iterable[str | Path], workdir: Path) -> tuple[list[StreetFile], list[str]]:
    """Expand archives and folders into the street-level CSVs to read, in a stable order."""
    files: list[StreetFile] = []
    skipped: list[str] = []
    paths = list(paths)
    if not paths:
        raise InputError(None, "no files given: name a data.police.uk .zip, folder or *-street.csv")
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise InputError(path, "no such file or folder")
        if path.is_dir():
            found = sorted(path.rglob("*-street.csv"))
            if not found:
                raise InputError(path, "folder holds no *-street.csv files (data.police.uk layout YYYY-MM/YYYY-MM-<force>-street.csv)")
            files += [StreetFile(p, str(p)) for p in found]
        elif zipfile.is_zipfile(path):
            extracted, skip = _extract_street_csvs(path, workdir / f"zip{len(files)}")
            files += extracted
            skipped += skip
        else:
            files.append(StreetFile(path, str(path)))
    return files, skipped


def _extract_street_csvs(archive: Path, into: Path) -> tuple[list[StreetFile], list[str]]:
    """Unpack only the street CSVs, under names we make; refuse any entry that escapes."""
    out, skipped = [], []
    with zipfile.ZipFile(archive) as zf:
        entries = zf.infolist()
        for info in entries:  # check every name before writing anything at all
            name = info.filename.replace("\\", "/")
            parts = PurePosixPath(name).parts
            if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                raise InputError(archive, f"entry {info.filename!r} points outside the archive; refused")
        into.mkdir(parents=True)
        for i, info in enumerate(sorted(entries, key=lambda e: e.filename)):
            if info.is_dir():
                continue
            base = PurePosixPath(info.filename.replace("\\", "/")).name
            if not base.endswith("-street.csv"):
                if base.endswith(".csv"):
                    skipped.append(f"{archive}!{info.filename}")
                continue
            target = into / f"{i:05d}-{base}"
            with zf.open(info) as src, open(target, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
            out.append(StreetFile(target, f"{archive}!{info.filename}"))
    if not out:
        raise InputError(archive, "archive holds no *-street.csv files")
    return out, skipped


def check_header(f: StreetFile) -> None:
    """Refuse empty files and files that are not street-level CSVs, before any reading."""
    with open(f.path, "rb") as fh:
        head = fh.read(64 * 1024)
    if not head.strip():
        raise InputError(f.display, "file is empty", line=1)
    first, _, rest = head.partition(b"\n")
    try:
        header = first.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        raise InputError(f.display, "is not UTF-8 text (save it as UTF-8 CSV)", line=1) from None
    columns = [c.strip().strip('"') for c in header.split(",")]
    if columns != EXPECTED_HEADER:
        raise InputError(
            f.display,
            "header is not a data.police.uk street-level header "
            f"(expected '{','.join(EXPECTED_HEADER)}', found '{header[:120]}')",
            line=1,
        )
    if not rest.strip():
        raise InputError(f.display, "has a header but no records", line=2)
