"""cspdash performance / priorities import / measures import: the performance page's numbers."""

from __future__ import annotations

import sys

from cspdash import db
from cspdash.ingest import priorities
from cspdash.output import emit
from cspdash.reports import performance as report

_WHICH = ("A configured partnership's priorities apply when --area names that partnership (or a "
          "district that is its only district with police data); any other force, partnership or "
          "district gets the standard police measures (monthly counts, no baseline or target).")


def register(sub, common) -> None:
    p = sub.add_parser("performance", parents=[common], help="priorities' measures month by month: XmR signals and RAG",
                       description="One row per measure and month: priority,measure,period,value,target,rag,"
                                   "spc_signal. spc_signal is empty for common cause, 'missing' for a month "
                                   "with no figure (a gap, never a zero), else '<improvement|concern|neither>:"
                                   "<rules>'. " + _WHICH)
    p.add_argument("--area", help="a configured partnership, force, partnership or district (default: everything loaded)")
    p.add_argument("--to", dest="to_month", metavar="YYYY-MM", help="last month used (default: latest loaded)")
    view = p.add_mutually_exclusive_group()
    view.add_argument("--per-1000", dest="per_1000", action="store_true",
                      help="police counts per 1,000 residents (needs population loaded)")
    view.add_argument("--summary", action="store_true",
                      help="one row per measure: latest value, baseline, target, variation, assurance, RAG")
    view.add_argument("--districts", action="store_true",
                      help="the area's districts side by side and each one's share of its force (last 12 months)")
    p.set_defaults(func=run_performance)

    pr = sub.add_parser("priorities", parents=[common], help="partnership priorities and measures (YAML)")
    pr_sub = pr.add_subparsers(dest="action", required=True, metavar="ACTION")
    imp = pr_sub.add_parser("import", parents=[common], help="import one partnership YAML file or a folder of them",
                            description="Import partnership priorities (see data/demo/priorities/*.yaml for the "
                                        "format). A partnership imported again is replaced; a mistake is one line "
                                        "naming the file and line, and nothing is written.")
    imp.add_argument("path", metavar="FILE_OR_DIR")
    imp.set_defaults(func=run_priorities_import)

    ms = sub.add_parser("measures", parents=[common], help="values of manual measures (CSV)")
    ms_sub = ms.add_subparsers(dest="action", required=True, metavar="ACTION")
    mi = ms_sub.add_parser("import", parents=[common], help="import manual measure values from CSV",
                           description="CSV columns partnership,measure,period,value[,note]; period YYYY-MM; leave "
                                       "a month with no figure out (a gap, not a zero). The same partnership, "
                                       "measure and period again replaces the earlier value. A note containing "
                                       "'synthetic' marks made-up values. Import the priorities first.")
    mi.add_argument("path", metavar="FILE")
    mi.set_defaults(func=run_measures_import)


def run_performance(args) -> int:
    cur = db.connect(args.db, read_only=True).cursor()
    result = report.performance(cur, args.area, to_month=args.to_month)
    if args.summary:
        frame = result.summary()
        frame["latest_period"] = frame["latest_period"].dt.strftime("%Y-%m")
        emit(frame, args.format)
    elif args.districts:
        emit(result.districts, args.format)
    elif args.per_1000:
        if result.population is None:
            print(f"note: no population is loaded for {result.label}, so there are no rates", file=sys.stderr)
        emit(result.rate_rows(), args.format)
    else:
        emit(result.rows(), args.format)
    print(f"{result.label}: {result.note}", file=sys.stderr)
    for m in result.measures:
        if not m.has_data:
            print(f"note: {m.name}: {m.no_data_reason}", file=sys.stderr)
    return 0


def run_priorities_import(args) -> int:
    con = db.connect(args.db)
    n_priorities, n_measures = priorities.load_config(con, args.path)
    print(f"loaded {n_priorities} priorities with {n_measures} measures from {args.path}")
    return 0


def run_measures_import(args) -> int:
    con = db.connect(args.db)
    n = priorities.load_values(con, args.path)
    print(f"loaded {n} measure values from {args.path}")
    return 0
