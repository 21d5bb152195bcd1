"""cspdash demo: build the demo database through the same ingest path as real files."""

from __future__ import annotations

import sys
import time

from cspdash import demo


def register(sub, common) -> None:
    p = sub.add_parser("demo", parents=[common], help="build the demo database (synthetic West Mercia records + seed reports' figures)")
    p.set_defaults(func=run)


def run(args) -> int:
    start = time.perf_counter()
    target = demo.build(args.db, progress=lambda m: print(f"  {m}", file=sys.stderr))
    print(f"built the demo database {target} in {time.perf_counter() - start:.1f} s")
    return 0
