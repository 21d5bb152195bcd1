"""python -m cspdash <command>: every number on a page can be reproduced here.

Bad input exits 2 with ONE line on stderr naming the file (and line); never a traceback.
Each command lives in cspdash/commands/<name>.py and exposes register(subparsers, common).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from cspdash.errors import InputError
from cspdash.output import FORMATS

# One line per command module; each adds its own subcommands.
COMMAND_MODULES = [
    "cspdash.commands.demo",
    "cspdash.commands.ingest",
    "cspdash.commands.overview",
    "cspdash.commands.hotspots",
    "cspdash.commands.grants",
    "cspdash.commands.performance",
    "cspdash.commands.consultation",
    "cspdash.commands.snapshot",
]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="DuckDB file, or a Parquet snapshot folder or s3:// URL (read-only) "
                                      "(default: $CSPDASH_DB or data/warehouse/cspdash.duckdb)")
    common.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
    parser = argparse.ArgumentParser(prog="python -m cspdash", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except InputError as err:
        print(f"error: {err.one_line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - the database in use, a full disk: one line, not a traceback
        import duckdb

        if isinstance(err, (duckdb.IOException, duckdb.CatalogException, PermissionError, OSError)):
            print(f"error: {type(err).__name__}: {str(err).splitlines()[0]}", file=sys.stderr)
            return 2
        raise
