"""cspdash hotspots: Getis-Ord Gi* hotspots on a British National Grid square grid (the hotspots page's numbers)."""

from __future__ import annotations

import sys

from cspdash import db
from cspdash.output import emit
from cspdash.reports import hotspots as report

TABLE_TOP = 20


def register(sub, common) -> None:
    p = sub.add_parser(
        "hotspots", parents=[common], help="where crime concentrates: Gi* hotspot cells, ranked",
        description="Counts records on square cells of the British National Grid, scores each cell with "
                    "Getis-Ord Gi* over a distance band, and adjusts the p-values for the number of cells "
                    "(Benjamini-Hochberg). Columns: rank,lat,lon,count,gi_z,p_value,q_value,significant "
                    "(cell centre in WGS84; significant = q_value < 0.05 and gi_z > 0; ranked by gi_z).")
    p.add_argument("--area", help="a force, partnership or district (default: everything loaded)")
    p.add_argument("--type", dest="types", action="append", metavar="TYPE",
                   help="a crime type, e.g. 'Anti-social behaviour' (repeat for several; default all)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM", help="first month (default: 11 months before --to)")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM", help="last month (default: the latest loaded)")
    p.add_argument("--cell-m", type=float, default=250, metavar="M", help="cell size in metres, at least 100 (default 250)")
    p.add_argument("--distance-m", type=float, default=None, metavar="D",
                   help="Gi* neighbourhood distance in metres (default 2.5 cell widths)")
    p.add_argument("--top", type=int, default=None, metavar="N",
                   help=f"print the first N cells (default: all for csv/json, {TABLE_TOP} for the table)")
    p.add_argument("--evaluate", action="store_true",
                   help="instead, test whether hotspots hold: fit on --months-in months, score on the next "
                        "--months-out, rolled over the period (hit rate, area share, PAI)")
    p.add_argument("--months-in", type=int, default=3, metavar="K", help="months to fit on (default 3)")
    p.add_argument("--months-out", type=int, default=1, metavar="K", help="months to score on (default 1)")
    p.set_defaults(func=run)


def run(args) -> int:
    cur = db.connect(args.db, read_only=True).cursor()
    common = dict(date_from=args.date_from, date_to=args.date_to, types=args.types,
                  cell_m=args.cell_m, distance_m=args.distance_m)
    if args.evaluate:
        stab = report.stability(cur, args.area, months_in=args.months_in, months_out=args.months_out, **common)
        emit(report.windows_table(stab), args.format)
        counts = stab.counts()
        note = (f"{stab.sentence} Cells hot in at least one test: {counts['persistent']} persistent, "
                f"{counts['emerging']} emerging, {counts['fading']} fading, {counts['intermittent']} come and go.")
        print(note, file=sys.stdout if args.format == "table" else sys.stderr)
        return 0
    result = report.hotspots(cur, args.area, with_map=False, top_areas=0, **common)
    top = args.top if args.top is not None else (TABLE_TOP if args.format == "table" else None)
    emit(result.cli_table(top), args.format)
    if args.format == "table":
        print(result.summary())
    return 0
