"""cspdash grants ...: import grant files, and the funding page's figures (trend, change, Sankey,
reconciliation, allocation what-if), plus export back to 360Giving CSV."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from cspdash import db
from cspdash.analysis.funding import GROUPINGS
from cspdash.errors import InputError
from cspdash.output import emit
from cspdash.periods import parse_month
from cspdash.reports import funding


def register(sub, common) -> None:
    g = sub.add_parser("grants", help="grant flows: import, trend, change, sankey, reconcile, allocate, export",
                       description="Grant flows funder -> recipient by UK financial year (April to March).")
    gsub = g.add_subparsers(dest="grants_command", required=True, metavar="ACTION")

    p = gsub.add_parser("import", parents=[common], help="tidy CSV, 360Giving CSV/JSON, or a stated-totals CSV",
                        description="Import grant files, each in one transaction. Tidy CSV columns: "
                                    "financial_year,funder,recipient,stream,amount_gbp,status[,priority,source]; "
                                    "360Giving CSV (standard column titles) or JSON; or stated totals "
                                    "(source,financial_year,scope,stated_gbp[,funder,recipient,stream,note]). "
                                    "The same file again changes nothing; a tidy file replaces what was "
                                    "loaded before from the same source and financial year.")
    p.add_argument("paths", nargs="+", metavar="FILE")
    p.set_defaults(func=run_import)

    def selection(parser):
        parser.add_argument("--funder", help="only money from this funder (name, any case)")
        parser.add_argument("--recipient", help="only money to this recipient (name, any case)")

    def deflator_options(parser):
        parser.add_argument("--base-year", metavar="YYYY-YY",
                            help="real terms in this year's prices (default: the latest outturn year)")
        parser.add_argument("--deflators", metavar="CSV",
                            help="a replacement GDP deflator table (financial_year,index[,forecast,edition])")

    t = gsub.add_parser("trend", parents=[common], help="totals per financial year and group, with %% change",
                        description="csv columns: financial_year,group,amount,change_pct "
                                    "(change_pct against the group's previous year, %; empty when unknown).")
    t.add_argument("--by", choices=GROUPINGS, default="funder")
    selection(t)
    t.add_argument("--real", action="store_true", help="in real terms (HM Treasury GDP deflators)")
    deflator_options(t)
    t.set_defaults(func=run_trend)

    c = gsub.add_parser("change", parents=[common], help="one year against a baseline year, in cash and real terms")
    c.add_argument("--year", required=True)
    c.add_argument("--baseline", required=True, metavar="YEAR")
    selection(c)
    deflator_options(c)
    c.set_defaults(func=run_change)

    s = gsub.add_parser("sankey", parents=[common], help="links funder -> recipient -> priority for a year (£)")
    s.add_argument("--year", required=True)
    selection(s)
    s.set_defaults(func=run_sankey)

    r = gsub.add_parser("reconcile", parents=[common], help="stated totals against the sum of their parts")
    r.set_defaults(func=run_reconcile)

    a = gsub.add_parser("allocate", parents=[common],
                        help="re-split a funder's pot by population, recorded crime and ASB",
                        description="Allocation what-if: each recipient matched to a partnership or "
                                    "district in the database, its need from population (areas) and "
                                    "crime/ASB over 12 months (crime_monthly).")
    a.add_argument("--funder", required=True)
    a.add_argument("--year", required=True)
    a.add_argument("--pot", type=int, help="whole pounds to split (default: what the matched recipients got)")
    a.add_argument("--population", type=float, default=50, help="weight on population (default 50)")
    a.add_argument("--crime", type=float, default=30, help="weight on recorded crime (default 30)")
    a.add_argument("--asb", type=float, default=20, help="weight on ASB (default 20)")
    a.add_argument("--to", dest="to_month", metavar="YYYY-MM", help="last of the 12 months (default: latest loaded)")
    a.add_argument("--type", dest="types", action="append", metavar="TYPE",
                   help="count only these crime types as crime (repeatable; default all)")
    a.set_defaults(func=run_allocate)

    e = gsub.add_parser("export", parents=[common], help="write the selection as a 360Giving CSV to stdout")
    selection(e)
    e.add_argument("--year", help="only this financial year")
    e.set_defaults(func=run_export)


def _cursor(args):
    return db.connect(args.db, read_only=True).cursor()


def _deflators(args):
    return funding.deflators(Path(args.deflators)) if args.deflators else None


def run_import(args) -> int:
    from cspdash.ingest import grants

    con = db.connect(args.db)
    results = [grants.load(con, Path(p).expanduser()) for p in args.paths]
    if args.format == "table":
        for result in results:
            print(result.sentence())
    else:
        emit(pd.DataFrame([{"file": r.path, "kind": r.kind, "rows": r.rows, "added": r.added,
                            "replaced": r.replaced, "removed": r.removed} for r in results]), args.format)
    return 0


def run_trend(args) -> int:
    view = funding.trend_view(_cursor(args), args.by, args.funder, args.recipient, real=args.real,
                              base_year=args.base_year, deflator_table=_deflators(args))
    if view.problem:
        raise InputError(args.deflators, view.problem)
    emit(view.cli_table(), args.format)
    if args.format == "table" and len(view.table):
        if view.provisional_years():
            print("provisional or not all known: " + ", ".join(view.provisional_years()))
        if view.real:
            note = f"real terms in {view.prices} prices ({view.edition})"
            if view.forecast_years():
                note += "; forecast deflators for " + ", ".join(view.forecast_years())
            print(note)
    return 0


def run_change(args) -> int:
    change, sentence = funding.baseline(_cursor(args), args.year, args.baseline, args.funder, args.recipient,
                                        args.base_year, _deflators(args))
    if args.format == "table":
        print(sentence)
    else:
        row = {k: v for k, v in change.items() if k != "provisional_years"}
        row["provisional_years"] = " ".join(change["provisional_years"])
        row["sentence"] = sentence
        emit(pd.DataFrame([row]), args.format)
    return 0


def run_sankey(args) -> int:
    emit(funding.sankey(_cursor(args), args.year, args.funder, args.recipient), args.format)
    return 0


def run_reconcile(args) -> int:
    result = funding.reconciliation(_cursor(args))
    emit(result.table, args.format)
    if args.format == "table":
        for sentence in result.sentences():
            print(sentence)
    return 0


def run_allocate(args) -> int:
    to_month = parse_month(args.to_month, "--to") if args.to_month else None
    result = funding.allocation(_cursor(args), args.year, args.funder,
                                {"population": args.population, "crime": args.crime, "asb": args.asb},
                                pot=args.pot, to_month=to_month, crime_types=args.types)
    if result.problem:
        raise InputError(None, result.problem)
    emit(result.table, args.format)
    if args.format == "table":
        for sentence in result.sentences():
            print(sentence)
    return 0


def run_export(args) -> int:
    text, left_out = funding.export_360giving(_cursor(args), args.funder, args.recipient, args.year)
    sys.stdout.write(text)
    if left_out:
        print(f"left out {left_out} flow(s) whose amount is not known yet (TBC): 360Giving records "
              "awarded amounts", file=sys.stderr)
    return 0
