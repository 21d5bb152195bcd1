"""cspdash consultation import|rank|events|compare|recorded: the consultation page's numbers."""

from __future__ import annotations

import sys

from cspdash import db
from cspdash.errors import InputError
from cspdash.ingest import consultations
from cspdash.ingest.consultations import read_concern_mapping
from cspdash.output import emit
from cspdash.reports import consultation as report

METHODS = ("goodman", "sison-glaz")


def register(sub, common) -> None:
    p = sub.add_parser("consultation", help="rank residents' concerns from charity pots, questionnaires, dots",
                       description="Consultation tallies: import them, rank concerns with simultaneous 95%% "
                                   "intervals, compare events, and set concerns beside recorded crime.")
    csub = p.add_subparsers(dest="consultation_command", required=True, metavar="ACTION")

    imp = csub.add_parser("import", parents=[common], help="load a tally CSV (each event in it replaces "
                          "any loaded event of the same name)")
    imp.add_argument("file", metavar="FILE",
                     help="CSV: event,event_date,area,method,category,tokens[,weight,source,note]")
    imp.set_defaults(func=run_import)

    rank = csub.add_parser("rank", parents=[common], help="rank concerns: a file directly, or loaded events",
                           description="csv columns: rank,category,count,share,ci_low,ci_high (share and "
                                       "interval as fractions 0..1; competition ranking; simultaneous 95%% "
                                       "multinomial intervals).")
    rank.add_argument("file", nargs="?", metavar="FILE", help="CSV with category,count (optional event,date,"
                      "area,method,weight); read directly, no database needed")
    rank.add_argument("--event", action="append", metavar="NAME",
                      help="rank this event (repeat to combine); from the database when no FILE is given")
    rank.add_argument("--method", choices=METHODS, default="goodman", help="interval method (default goodman)")
    rank.add_argument("--ranges", action="store_true", help="add rank_low,rank_high: the ranks each concern "
                      "could plausibly hold")
    rank.set_defaults(func=run_rank)

    ev = csub.add_parser("events", parents=[common], help="the consultation events loaded")
    ev.set_defaults(func=run_events)

    cmp_ = csub.add_parser("compare", parents=[common], help="did the mix of concerns change between two events?")
    cmp_.add_argument("event_a", metavar="EVENT_A", help="the earlier event (or the first area's)")
    cmp_.add_argument("event_b", metavar="EVENT_B", help="the later event (or the second area's)")
    cmp_.set_defaults(func=run_compare)

    rec = csub.add_parser("recorded", parents=[common], help="an event's concerns beside recorded crime in its "
                          "area over the 12 months before it")
    rec.add_argument("event", metavar="EVENT")
    rec.add_argument("--mapping", metavar="FILE", help="concern,crime_type CSV (default "
                     "data/reference/concern_to_crime_type.csv)")
    rec.set_defaults(func=run_recorded)


def _note(text: str | None) -> None:
    if text:
        print(f"note: {text}", file=sys.stderr)


def run_import(args) -> int:
    con = db.connect(args.db)
    result = consultations.load(con, args.file)
    print(result.sentence(args.file))
    return 0


def run_rank(args) -> int:
    if args.file:
        result = report.rank_file(args.file, args.event, args.method)
    elif args.event:
        result = report.ranking(db.connect(args.db, read_only=True).cursor(), args.event, args.method)
    else:
        raise InputError(None, "give a FILE to rank, or --event NAME to rank events already loaded")
    emit(result.cli_frame(args.ranges), args.format)
    _note(result.warning)
    _note(result.note)
    return 0


def run_events(args) -> int:
    emit(report.events(db.connect(args.db, read_only=True).cursor()), args.format)
    return 0


def run_compare(args) -> int:
    result = report.comparison(db.connect(args.db, read_only=True).cursor(), args.event_a, args.event_b)
    emit(result.table, args.format)
    if args.format == "table":
        print(result.sentence)
    else:
        _note(result.sentence)
    _note(result.test.get("note"))
    return 0


def run_recorded(args) -> int:
    mapping = read_concern_mapping(args.mapping) if args.mapping else None
    result = report.recorded(db.connect(args.db, read_only=True).cursor(), args.event, mapping)
    emit(result.table, args.format)
    _note(result.coverage_note)
    return 0
