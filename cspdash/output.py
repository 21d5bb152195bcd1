"""Printing results in the three formats the command line offers: table, csv, json."""

from __future__ import annotations

import sys

import pandas as pd

FORMATS = ("table", "csv", "json")


def emit(frame: pd.DataFrame, fmt: str = "table", stream=None) -> None:
    stream = stream or sys.stdout
    if fmt == "csv":
        frame.to_csv(stream, index=False, lineterminator="\n")
    elif fmt == "json":
        stream.write(frame.to_json(orient="records", date_format="iso", indent=1) + "\n")
    else:
        with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200):
            stream.write((frame.to_string(index=False) if len(frame) else "(no rows)") + "\n")
