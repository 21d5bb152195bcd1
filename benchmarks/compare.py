"""First-ever visits, this checkout against a git ref, interleaved on one machine state.

    python -m benchmarks.compare --ref HEAD~1 --db FILE --pages overview,performance \
        --areas "district:West Mercia District 01,district:West Mercia District 02" --rounds 6

This machine's speed drifts by more than most changes to a page are worth: Streamlit's own one-chart page
took 1.89 s in one run and 2.73 s in another on the same day. Runs of `make bench` taken at different times
cannot tell a 0.2 s change from that drift. Here both versions serve at once (the ref from a temporary git
worktree) and take turns: each round visits every page on both servers, a fresh browser context each time
(nothing cached: a first-ever visit), the same area on both, the order of the two flipped every round. A
round's pair shares the machine's state, so the differences, and how many pairs the change won, say what the
change did. The areas cycle, so with at least as many areas as rounds every visit finds the page's cache
cold on both servers. Prints a Markdown table of medians. Timings live here, never in unit tests; the pure
helpers are tested in tests/unit/test_bench_compare.py.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from benchmarks import app_load as al

REPO = Path(__file__).resolve().parents[1]
VARIANTS = ("ref", "here")


def visit_plan(pages: list[str], areas: list[str], rounds: int) -> list[tuple[str, str, tuple[str, str]]]:
    """(page, area, order of the two variants) for every visit pair: areas cycle by round, order flips."""
    plan = []
    for r in range(rounds):
        order = VARIANTS if r % 2 == 0 else VARIANTS[::-1]
        for page in pages:
            plan.append((page, areas[r % len(areas)], order))
    return plan


def summary_rows(times: dict[tuple[str, str], list[float]], pages: list[str]) -> list[dict]:
    """Per page: medians of each variant, the median of the paired differences and the pairs won."""
    rows = []
    for page in pages:
        ref, here = times.get((page, "ref"), []), times.get((page, "here"), [])
        pairs = [h - r for r, h in zip(ref, here)]
        if not pairs:
            continue
        rows.append({"page": page, "ref": statistics.median(ref), "here": statistics.median(here),
                     "difference": statistics.median(pairs), "won": sum(d < 0 for d in pairs), "pairs": len(pairs)})
    return rows


def markdown(rows: list[dict], ref: str) -> str:
    lines = [f"| page | {ref} | this checkout | difference (median of pairs) | pairs faster here |",
             "|---|---|---|---|---|"]
    lines += [f"| {r['page']} | {r['ref']:.2f} s | {r['here']:.2f} s | {r['difference']:+.2f} s | "
              f"{r['won']} of {r['pairs']} |" for r in rows]
    return "\n".join(lines)


@contextmanager
def worktree(ref: str):
    """The ref checked out in a temporary git worktree (removed afterwards)."""
    with tempfile.TemporaryDirectory(prefix="cspdash-compare-") as tmp:
        path = Path(tmp) / "ref"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet", str(path), ref], check=True)
        try:
            yield path
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(path)], check=False)


async def _compare(db: Path, ref_dir: Path, pages: list[str], areas: list[str], rounds: int) -> dict:
    from playwright.async_api import async_playwright

    paths = al.page_paths((REPO / "dashboard.py").read_text(encoding="utf-8"))
    times: dict[tuple[str, str], list[float]] = {}
    scripts = {"ref": ref_dir / "dashboard.py", "here": REPO / "dashboard.py"}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**al._launch_args())
        servers = {}
        try:
            for variant, script in scripts.items():
                servers[variant] = al.AppServer(db, script=script).__enter__()
                # One visit to warm each process (imports, the warm-up thread): the overview of the default area.
                await al._first_render(browser, servers[variant].url, "overview", "", {})
            for page, area, order in visit_plan(pages, areas, rounds):
                for variant in order:
                    out = await al._first_render(browser, servers[variant].url, page, paths[page]["path"],
                                                 {"area": area})
                    if out["error"]:
                        raise RuntimeError(f"{page} on {variant}, {area}: {out['error']}")
                    times.setdefault((page, variant), []).append(out["seconds"])
                    al._log(f"{page:<13} {variant:<4} {area}: {out['seconds']:.2f} s")
        finally:
            for server in servers.values():
                server.stop()
            await browser.close()
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__.split("\n\n")[0])
    ap.add_argument("--ref", required=True, help="the git ref to compare this checkout with, e.g. HEAD~1")
    ap.add_argument("--db", required=True, type=Path, help="the DuckDB file both versions serve")
    ap.add_argument("--pages", default="overview,consultation,performance,funding",
                    help="comma-separated page keys (view file stems)")
    ap.add_argument("--areas", required=True, help="comma-separated kind:name areas, one per round at least")
    ap.add_argument("--rounds", type=int, default=6)
    args = ap.parse_args(argv)
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    areas = [a.strip() for a in args.areas.split(",") if a.strip()]
    with worktree(args.ref) as ref_dir:
        times = asyncio.run(_compare(args.db.resolve(), ref_dir, pages, areas, args.rounds))
    print(markdown(summary_rows(times, pages), args.ref))
    return 0


if __name__ == "__main__":
    sys.exit(main())
