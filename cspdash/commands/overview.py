"""cspdash overview / coverage / areas: the overview and about pages' numbers."""

from __future__ import annotations

from cspdash import db
from cspdash.areas import catalogue
from cspdash.output import emit
from cspdash.reports.overview import overview as overview_report
from cspdash.reports.overview import coverage_summary, coverage_table


def register(sub, common) -> None:
    p = sub.add_parser("overview", parents=[common], help="12 months against the 12 before, by area")
    p.add_argument("--area", help="a force, partnership or district (default: everything loaded)")
    p.add_argument("--to", dest="to_month", metavar="YYYY-MM", help="last month (default: latest loaded)")
    p.add_argument("--districts", action="store_true", help="show the districts' shares instead")
    p.set_defaults(func=run_overview)

    c = sub.add_parser("coverage", parents=[common], help="months loaded per force (missing = not published)")
    c.add_argument("--by-force", action="store_true",
                   help="one row per force: first and last month, months missing between them, records")
    c.set_defaults(func=run_coverage)

    a = sub.add_parser("areas", parents=[common], help="the forces, partnerships and districts you can pick")
    a.set_defaults(func=run_areas)


def run_overview(args) -> int:
    cur = db.connect(args.db, read_only=True).cursor()
    result = overview_report(cur, args.area, to_month=args.to_month)
    emit(result.districts if args.districts else result.comparison, args.format)
    return 0


def run_coverage(args) -> int:
    cur = db.connect(args.db, read_only=True).cursor()
    table = coverage_table(cur)
    emit(coverage_summary(table) if args.by_force else table, args.format)
    return 0


def run_areas(args) -> int:
    cur = db.connect(args.db, read_only=True).cursor()
    emit(catalogue(cur), args.format)
    return 0
