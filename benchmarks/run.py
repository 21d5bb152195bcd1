"""make bench: time cspdash's DuckDB path against the plain pandas way, in the same run.

Scale from BENCH_ROWS (default 1,000,000; 'national' = ~18M rows, 43 forces, 36 months).
Prints a table with medians and ratios and writes benchmarks/results.md with the machine's
cores and memory. Timings live here, never in unit tests.
"""

from __future__ import annotations

import gc
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"


def scale() -> tuple[int, int, int]:
    raw = os.environ.get("BENCH_ROWS", "1000000").strip().lower()
    if raw == "national":
        return 17_800_000, 43, 36
    rows = int(raw.replace("_", "").replace(",", ""))
    return rows, 4, 12


def _child(code: str) -> tuple[float, float]:
    """Run code in a fresh Python; return (seconds, peak RSS MB) so runs don't share caches."""
    script = f"import time,resource\nt=time.perf_counter()\n{code}\nprint(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)"
    out = subprocess.run([sys.executable, "-c", script], cwd=HERE.parent, capture_output=True, text=True, check=True)
    secs, mb = out.stdout.strip().splitlines()[-1].split()
    return float(secs), float(mb)


def machine() -> str:
    mem = ""
    try:
        kb = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB memory"
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores{mem}, {platform.processor() or platform.machine()}, Python {platform.python_version()}"


def _percentiles(fn, n: int) -> tuple[float, float, object]:
    times, out = [], None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))], out


def query_benchmarks(db_path: Path, archive: Path) -> list[dict]:
    """The overview page's queries per scope, against the same answer from an in-memory DataFrame."""
    from datetime import date

    from cspdash import db, sql

    con = db.connect(db_path, read_only=True)
    frame = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in sorted(archive.rglob("*-street.csv"))])
    frame["month"] = pd.to_datetime(frame["Month"] + "-01")
    frame["district"] = frame["LSOA name"].str.replace(r"\s+[0-9]{3}[A-Z]$", "", regex=True).replace("", None)
    districts = sorted(frame["district"].dropna().unique())
    force = frame["Falls within"].iloc[0]
    last = frame["month"].max().date()
    first = (pd.Timestamp(last) - pd.DateOffset(months=11)).date()
    scopes = {"one district": {"force": None, "districts": districts[:1]},
              "a partnership (3 districts)": {"force": None, "districts": districts[:3]},
              "one force": {"force": force, "districts": None},
              "everything loaded": {"force": None, "districts": None}}
    rows, n = [], int(os.environ.get("BENCH_QUERY_RUNS", "20"))
    for label, scope in scopes.items():
        params = dict(scope, date_from=first, date_to=last, types=None)

        def duck():
            return sql.df(con.cursor(), "app/crime_by_month_type", **params)

        def pandas_way():
            sel = frame[(frame["month"] >= pd.Timestamp(first)) & (frame["month"] <= pd.Timestamp(last))]
            if scope["force"]:
                sel = sel[sel["Falls within"] == scope["force"]]
            if scope["districts"]:
                sel = sel[sel["district"].isin(scope["districts"])]
            return sel.groupby(["month", "Crime type"]).size()

        d50, d95, d_out = _percentiles(duck, n)
        p50, p95, p_out = _percentiles(pandas_way, n)
        equal = sorted(d_out["n"].astype(int).tolist()) == sorted(p_out.astype(int).tolist())
        rows.append({"measure": f"overview query, {label}, 12 months",
                     "cspdash (DuckDB)": f"p50 {d50 * 1000:.1f} ms, p95 {d95 * 1000:.1f} ms",
                     "pandas read_csv + concat": f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (in memory)",
                     "ratio (pandas ÷ cspdash)": f"{p50 / d50:.1f}× faster" + ("" if equal else " — ANSWERS DIFFER")})
    db.close(db_path)
    return rows


def _markdown(table: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)


def main() -> int:
    from benchmarks.generate import generate

    rows, forces, months = scale()
    archive = WORK / f"archive-{rows}"
    if not archive.exists():
        print(f"generating {rows:,} rows ({forces} forces × {months} months)...", flush=True)
        t = time.perf_counter()
        generate(archive, rows, forces, months)
        print(f"  generated in {time.perf_counter() - t:.1f} s", flush=True)
    files = sorted(archive.rglob("*-street.csv"))
    n_rows = sum(1 for f in files for _ in open(f)) - len(files)
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))

    results = []
    ingest_times, ingest_mem, pandas_times, pandas_mem = [], [], [], []
    for i in range(repeats):
        db = WORK / f"bench-{i}.duckdb"
        db.unlink(missing_ok=True)
        Path(str(db) + ".wal").unlink(missing_ok=True)
        t, mb = _child(f"from cspdash import db; from cspdash.ingest import police_uk\n"
                       f"police_uk.ingest(db.connect({str(db)!r}), [{str(archive)!r}])")
        ingest_times.append(t), ingest_mem.append(mb)
        if i:
            db.unlink(missing_ok=True)
        t, mb = _child("import pandas as pd, glob\n"
                       f"df = pd.concat([pd.read_csv(f, dtype=str) for f in sorted(glob.glob({str(archive)!r} + '/*/*-street.csv'))])")
        pandas_times.append(t), pandas_mem.append(mb)
        gc.collect()
    ci, cp = statistics.median(ingest_times), statistics.median(pandas_times)
    results.append({"measure": f"load {n_rows:,} rows ({len(files)} files, {size_mb:,.0f} MB CSV)",
                    "cspdash (DuckDB)": f"{ci:.2f} s, {n_rows / ci:,.0f} rows/s, peak {max(ingest_mem):,.0f} MB",
                    "pandas read_csv + concat": f"{cp:.2f} s, {n_rows / cp:,.0f} rows/s, peak {max(pandas_mem):,.0f} MB",
                    "ratio (pandas ÷ cspdash)": f"{cp / ci:.2f}× time"})
    results += query_benchmarks(WORK / "bench-0.duckdb", archive)
    table = pd.DataFrame(results)
    note = ("cspdash's load validates every row, harmonises types, projects snap points to British National "
            "Grid and writes a persistent, indexed warehouse in one transaction; pandas only parses text into "
            "memory, which every page would then need to filter per request.")
    print()
    print(table.to_string(index=False))
    print(f"\nmedian of {repeats} runs each, {machine()}\n{note}")
    md = [f"# Benchmark results\n", f"Machine: {machine()}. Median of {repeats} runs. Scale: BENCH_ROWS={os.environ.get('BENCH_ROWS', '1000000')}.\n",
          _markdown(table), "", note, ""]
    (HERE / "results.md").write_text("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
