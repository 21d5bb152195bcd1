"""Read consultation tallies (charity pots, questionnaires, sticky dots) and check the in-app form.

Two CSV shapes are accepted:

* a file to rank: ``category,count`` with optional ``event``, ``date`` (or ``event_date``),
  ``area``, ``method`` and ``weight`` columns; blanks take defaults (event = the file's name,
  method = charity pot, weight = 1, no date, no area);
* a tally file: ``event,event_date,area,method,category,tokens[,weight]``, every field filled.

Either way the result has the columns of ``consultation_tallies`` (DESIGN.md §3). Bad input
raises InputError naming the file and the line, so the command line prints one line and the
app shows one message. ``load`` (a file) and ``save_entry`` (the in-app form) write to DuckDB
the same way: everything is checked first, then one transaction replaces each event whole, so
a second load of the same event changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from cspdash import config, sql
from cspdash.db import transaction
from cspdash.errors import InputError

TALLY_COLUMNS = ["event", "event_date", "area", "method", "category", "tokens", "weight"]
METHODS = ("charity pot", "questionnaire", "dots")
# What people type in a spreadsheet for each method, after lower-casing and tidying spaces.
_METHOD_NAMES = {
    "charity pot": "charity pot", "charity pots": "charity pot", "pot": "charity pot",
    "pots": "charity pot", "token": "charity pot", "tokens": "charity pot",
    "questionnaire": "questionnaire", "questionnaires": "questionnaire", "survey": "questionnaire",
    "dots": "dots", "dot": "dots", "sticky dots": "dots", "sticky dot": "dots",
    "dot voting": "dots", "dotmocracy": "dots",
}
DEFAULT_METHOD = "charity pot"

# police.uk street-level categories as published since 2013 (names exactly as in the CSVs).
POLICE_UK_CRIME_TYPES = (
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs",
    "Other crime", "Other theft", "Possession of weapons", "Public order", "Robbery",
    "Shoplifting", "Theft from the person", "Vehicle crime", "Violence and sexual offences",
)

# Header spellings we accept for each column (after lower-casing and spaces -> underscores).
_HEADER_NAMES = {
    "event": "event", "event_name": "event",
    "event_date": "event_date", "date": "event_date",
    "area": "area", "method": "method", "weight": "weight",
    "category": "category", "concern": "category",
    "count": "count", "tokens": "tokens",
    "source": "source", "note": "note", "notes": "note",
}
# Kept alongside the tally columns when loading into the database (read_tallies(extras=True)).
EXTRA_COLUMNS = ["source", "note", "line"]
_FULL_COLUMNS = ("event", "event_date", "area", "method")


# --- single-field checks, shared by the file reader and the in-app form ----------------------

def parse_count(value: object) -> tuple[int | None, str | None]:
    """A whole, non-negative count, or (None, why not). Accepts 12, "12", "12.0"."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None, "the count is missing"
    if isinstance(value, bool):
        return None, f"the count {value!r} is not a number"
    text = str(value).strip()
    if not text:
        return None, "the count is missing"
    try:
        number = float(text)
    except ValueError:
        return None, f"the count {text!r} is not a number"
    if number != number or number in (float("inf"), float("-inf")):
        return None, f"the count {text!r} is not a number"
    if number < 0:
        return None, f"the count {text} is negative"
    if number != int(number):
        return None, f"the count {text} is not a whole number"
    return int(number), None


def parse_weight(value: object, method: str) -> tuple[int | None, str | None]:
    """The points one token is worth: 1 for pots and questionnaires, a whole number >= 1 for dots."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    if not text:
        if method == "dots":
            return None, "a dots row needs a weight (3, 2 or 1 for first, second, third choice)"
        return 1, None
    number, problem = parse_count(text)
    if problem:
        return None, problem.replace("count", "weight")
    if number < 1:
        return None, f"the weight {text} must be at least 1"
    # A weight on a pot or questionnaire row is almost always a column shifted by a stray comma.
    if method != "dots" and number != 1:
        return None, f"the weight {text} only makes sense for dots; {method} rows count 1 each"
    return number, None


def parse_event_date(value: object) -> tuple[date | None, str | None]:
    """An event date from YYYY-MM-DD or dd/mm/yyyy (or a date object), or (None, why not)."""
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    if not text:
        return None, "the date is missing"
    for pattern, fmt in ((r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"), (r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y")):
        if re.fullmatch(pattern, text):
            try:
                return datetime.strptime(text, fmt).date(), None
            except ValueError:
                return None, f"the date {text!r} is not a real date"
    return None, f"the date {text!r} is not YYYY-MM-DD or dd/mm/yyyy"


def normalise_method(value: object) -> str | None:
    """The canonical method name (charity pot | questionnaire | dots), or None if unknown."""
    text = re.sub(r"[\s_\-]+", " ", str(value or "")).strip().lower()
    return _METHOD_NAMES.get(text)


def _tidy(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


# --- files ------------------------------------------------------------------------------------

def _read_text(path: Path) -> str:
    if not path.is_file():
        raise InputError(path, "no such file" if not path.exists() else "not a file")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in cp1252; accept it rather than make officers re-save.
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(path, "not a text CSV file (save it as CSV UTF-8)") from None


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) for each CSV record; quoted fields may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for fields in reader:
        yield start, fields
        start = reader.line_num + 1


def read_tallies(path: str | Path, *, extras: bool = False) -> pd.DataFrame:
    """Read a tally CSV into [event, event_date, area, method, category, tokens, weight].

    With extras=True the optional source and note columns ("" when absent) and each row's
    line number in the file are kept too, for loading into the database.

    Raises InputError(path, message, line) for a missing or empty file, missing columns,
    a missing / non-numeric / negative / fractional count, a bad date, an unknown method,
    the same category twice in one event (same method and weight), an event whose rows
    disagree on date or area, and an event with no tokens at all.
    """
    path = Path(path)
    try:
        records = _records(_read_text(path))
        header_line, header = next(((n, f) for n, f in records if any(x.strip() for x in f)),
                                   (None, None))
    except csv.Error as err:
        raise InputError(path, f"not a readable CSV ({err})") from None
    if header is None:
        raise InputError(path, "the file is empty; expected a header with category,count")
    columns, named_tokens = _map_header(path, header_line, header)
    full = all(c in columns for c in _FULL_COLUMNS)
    if named_tokens and not full:
        missing = ", ".join(c for c in _FULL_COLUMNS if c not in columns)
        raise InputError(path, f"missing column(s) {missing}: a tally file needs "
                         "event,event_date,area,method,category,tokens (a file to rank needs "
                         "only category,count)", header_line)

    rows: list[dict] = []
    lines: list[int] = []
    try:
        for line, fields in records:
            if not any(f.strip() for f in fields):
                continue
            if len(fields) > len(header):
                raise InputError(path, f"{len(fields)} fields but the header has {len(header)} "
                                 "(a comma inside a name needs quotes)", line)
            fields = fields + [""] * (len(header) - len(fields))
            row = _read_row(path, line, {c: fields[i] for c, i in columns.items()}, full)
            rows.append(row | {"line": line})
            lines.append(line)
    except csv.Error as err:
        raise InputError(path, f"not a readable CSV ({err})") from None
    if not rows:
        raise InputError(path, "no rows under the header", header_line)

    _check_events(path, rows, lines)
    frame = pd.DataFrame(rows, columns=TALLY_COLUMNS + (EXTRA_COLUMNS if extras else []))
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame["tokens"] = frame["tokens"].astype("int64")
    frame["weight"] = frame["weight"].astype("int64")
    return frame


def _map_header(path: Path, line: int, header: list[str]) -> tuple[dict[str, int], bool]:
    """Column positions by our names, and whether the counts were headed 'tokens'."""
    columns: dict[str, int] = {}
    for i, name in enumerate(header):
        key = _HEADER_NAMES.get(re.sub(r"\s+", "_", name.strip().lower()))
        if key is None:
            continue  # extra columns (source, note, ...) are allowed and ignored
        if key in columns:
            raise InputError(path, f"column {name.strip()!r} appears twice", line)
        columns[key] = i
    if "count" in columns and "tokens" in columns:
        raise InputError(path, "both count and tokens columns; keep one", line)
    named_tokens = "tokens" in columns
    if "count" in columns:
        columns["tokens"] = columns.pop("count")
    missing = [name for key, name in (("category", "category"), ("tokens", "count"))
               if key not in columns]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}: expected a header with "
                         "category,count (or event,event_date,area,method,category,tokens)", line)
    return columns, named_tokens


def _read_row(path: Path, line: int, raw: dict[str, str], full: bool) -> dict:
    def need(field: str, label: str) -> str:
        value = _tidy(raw.get(field, ""))
        if full and not value:
            raise InputError(path, f"the {label} is missing", line)
        return value

    event = need("event", "event name") or path.stem
    area = need("area", "area")
    method_text = need("method", "method")
    method = normalise_method(method_text) if method_text else DEFAULT_METHOD
    if method is None:
        raise InputError(path, f"unknown method {method_text!r}; use one of {', '.join(METHODS)}",
                         line)
    date_text = need("event_date", "date")
    event_date = None
    if date_text:
        event_date, problem = parse_event_date(date_text)
        if problem:
            raise InputError(path, problem, line)
    category = _tidy(raw.get("category", ""))
    if not category:
        raise InputError(path, "the category is missing", line)
    tokens, problem = parse_count(raw.get("tokens"))
    if problem:
        raise InputError(path, f"{category}: {problem}", line)
    weight, problem = parse_weight(raw.get("weight"), method)
    if problem:
        raise InputError(path, f"{category}: {problem}", line)
    return {"event": event, "event_date": event_date, "area": area, "method": method,
            "category": category, "tokens": tokens, "weight": weight,
            "source": _tidy(raw.get("source", "")), "note": _tidy(raw.get("note", ""))}


def _check_events(path: Path, rows: list[dict], lines: list[int]) -> None:
    seen: dict[tuple, int] = {}
    first: dict[str, tuple[int, dict]] = {}
    totals: dict[str, int] = {}
    for row, line in zip(rows, lines):
        event = row["event"]
        key = (event, row["method"], row["category"].casefold(), row["weight"])
        if key in seen:
            raise InputError(path, f"{row['category']!r} appears twice in event {event!r} "
                             f"(first on line {seen[key]})", line)
        seen[key] = line
        if event not in first:
            first[event] = (line, row)
        else:
            first_line, first_row = first[event]
            for field, label in (("event_date", "date"), ("area", "area")):
                if row[field] != first_row[field]:
                    raise InputError(path, f"event {event!r} has {label} {row[field] or 'blank'!s} "
                                     f"here but {first_row[field] or 'blank'!s} on line "
                                     f"{first_line}; one event has one {label}", line)
        totals[event] = totals.get(event, 0) + row["tokens"]
    for event, total in totals.items():
        if total == 0:
            raise InputError(path, f"event {event!r} has no tokens (every count is 0)",
                             first[event][0])


def read_concern_mapping(path: str | Path) -> pd.DataFrame:
    """Read the editable concern -> police.uk crime type table into [concern, crime_type].

    A blank crime_type records a concern that has no police.uk category (e.g. Alcohol
    Misuse); it comes back as an empty string. Crime types must be police.uk names exactly.
    """
    path = Path(path)
    try:
        records = list(_records(_read_text(path)))
    except csv.Error as err:
        raise InputError(path, f"not a readable CSV ({err})") from None
    records = [(n, f) for n, f in records if any(x.strip() for x in f)]
    if not records:
        raise InputError(path, "the file is empty; expected a header concern,crime_type")
    (header_line, header), records = records[0], records[1:]
    names = [h.strip().lower() for h in header]
    if "concern" not in names or "crime_type" not in names:
        raise InputError(path, "missing column(s): expected a header concern,crime_type", header_line)
    ci, ti = names.index("concern"), names.index("crime_type")
    rows = []
    for line, fields in records:
        fields = fields + [""] * (len(header) - len(fields))
        concern, crime_type = _tidy(fields[ci]), _tidy(fields[ti])
        if not concern:
            raise InputError(path, "the concern is missing", line)
        if crime_type and crime_type not in POLICE_UK_CRIME_TYPES:
            raise InputError(path, f"{crime_type!r} is not a police.uk crime type; use one of "
                             f"{', '.join(POLICE_UK_CRIME_TYPES)} or leave it blank", line)
        rows.append({"concern": concern, "crime_type": crime_type})
    return pd.DataFrame(rows, columns=["concern", "crime_type"]).drop_duplicates(ignore_index=True)


# --- the in-app form --------------------------------------------------------------------------

def _form_rows(rows: object) -> list[Mapping]:
    if rows is None:
        return []
    if isinstance(rows, pd.DataFrame):
        return rows.to_dict("records")
    return list(rows)  # type: ignore[arg-type]


def _blank(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and pd.isna(value):
        return True
    return isinstance(value, str) and not value.strip()


def validate_entry(event: object, event_date: object, area: object, method: object,
                   rows: Iterable[Mapping] | pd.DataFrame | None) -> list[str]:
    """Check one event typed into the app; plain messages, empty list when it can be saved.

    ``rows`` holds mappings (or a DataFrame, as st.data_editor returns) with ``category``,
    ``tokens`` (or ``count``) and, for dots, ``weight``. Wholly blank rows are ignored, since
    an editable table always offers an empty last row.
    """
    problems: list[str] = []
    if _blank(event):
        problems.append("Give the event a name.")
    _, problem = parse_event_date(event_date)
    if problem:
        problems.append("Give the event's date as YYYY-MM-DD or dd/mm/yyyy"
                        + ("." if "missing" in problem else f" ({problem})."))
    if _blank(area):
        problems.append("Say which area the event was in.")
    canonical = normalise_method(method) if not _blank(method) else None
    if canonical is None:
        problems.append("Choose a method: " + ", ".join(METHODS) + ".")

    total = 0
    seen: dict[tuple, int] = {}
    entered = 0
    bad_count = False
    for number, row in enumerate(_form_rows(rows), start=1):
        category = _tidy(row.get("category", "")) if not _blank(row.get("category")) else ""
        count = row.get("tokens", row.get("count"))
        weight = row.get("weight")
        if not category and _blank(count) and _blank(weight):
            continue
        entered += 1
        if not category:
            problems.append(f"Row {number}: give the concern a name.")
        tokens, problem = parse_count(count)
        if problem:
            problems.append(f"Row {number}: {problem}.")
            bad_count = True
        else:
            total += tokens
        points = None
        if canonical is not None:  # a weight can only be judged once the method is known
            points, problem = parse_weight(weight, canonical)
            if problem:
                problems.append(f"Row {number}: {problem}.")
        if category:
            key = (category.casefold(), points)
            if key in seen:
                problems.append(f"Row {number}: {category} is already on row {seen[key]}.")
            else:
                seen[key] = number
    if entered == 0:
        problems.append("Add at least one concern and its count.")
    elif total == 0 and not bad_count:
        problems.append("Every count is 0: record at least one token.")
    return problems


def entry_to_tallies(event: str, event_date: object, area: str, method: str,
                     rows: Iterable[Mapping] | pd.DataFrame) -> pd.DataFrame:
    """The form's rows as tally rows (same columns as read_tallies); call validate_entry first."""
    problems = validate_entry(event, event_date, area, method, rows)
    if problems:
        raise ValueError("entry not valid: " + " ".join(problems))
    canonical = normalise_method(method)
    when, _ = parse_event_date(event_date)
    out = []
    for row in _form_rows(rows):
        if _blank(row.get("category")) and _blank(row.get("tokens", row.get("count"))):
            continue
        out.append({"event": _tidy(event), "event_date": when, "area": _tidy(area),
                    "method": canonical, "category": _tidy(row["category"]),
                    "tokens": parse_count(row.get("tokens", row.get("count")))[0],
                    "weight": parse_weight(row.get("weight"), canonical)[0]})
    frame = pd.DataFrame(out, columns=TALLY_COLUMNS)
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    return frame.astype({"tokens": "int64", "weight": "int64"})


# --- loading into the database -----------------------------------------------------------------

@dataclass(frozen=True)
class LoadResult:
    events: tuple[str, ...]       # the events written, in file order
    replaced: tuple[str, ...]     # those that were already loaded and have been replaced
    rows: int
    tokens: int

    def sentence(self, where: str) -> str:
        n = len(self.events)
        said = (f"loaded {n} consultation event{'s' if n != 1 else ''} ({self.rows} tally rows, "
                f"{self.tokens:,} tokens) from {where}")
        if self.replaced:
            said += f"; replaced {len(self.replaced)} already loaded ({_list_names(self.replaced)})"
        return said


def _list_names(names) -> str:
    names = list(names)
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def load(con, path: str | Path) -> LoadResult:
    """Import a tally file (event,event_date,area,method,category,tokens[,weight,source,note]).

    The whole file is checked before anything is written; each event in it replaces any event
    of the same name, in one transaction. A file with only category,count can be ranked
    (`consultation rank`) but not stored: a stored event needs its date and area.
    """
    path = Path(path)
    frame = read_tallies(path, extras=True)
    for field, label in (("event_date", "date"), ("area", "area")):
        blank = frame[frame[field].isna() | (frame[field].astype(str).str.strip() == "")]
        if len(blank):
            raise InputError(path, f"the {label} is missing: to import, every row needs event, "
                             "event_date, area, method, category and tokens (a file with only "
                             "category,count can be ranked but not stored)", int(blank["line"].iloc[0]))
    frame["source"] = frame["source"].where(frame["source"] != "", path.name)
    return _write(con, frame, f"{path.name}")


def save_entry(con, event: object, event_date: object, area: object, method: object,
               rows, *, source: str = "entered in the app") -> LoadResult:
    """Save one event typed into the app: checked with validate_entry, written like an import."""
    problems = validate_entry(event, event_date, area, method, rows)
    if problems:
        raise InputError(None, "the entry was not saved: " + " ".join(problems))
    frame = entry_to_tallies(event, event_date, area, method, rows)  # type: ignore[arg-type]
    frame["source"] = source
    frame["note"] = ""
    return _write(con, frame, f"form: {frame['event'].iloc[0]}")


def _write(con, frame: pd.DataFrame, detail: str) -> LoadResult:
    incoming = frame[TALLY_COLUMNS + ["source", "note"]].copy()
    incoming["note"] = incoming["note"].where(incoming["note"] != "", None)
    loaded_at = datetime.now()
    events = tuple(dict.fromkeys(incoming["event"]))
    with transaction(con) as cur:
        cur.register("incoming", incoming)
        try:
            replaced = tuple(r[0] for r in sql.run(cur, "build/consultation_events_present").fetchall())
            sql.run(cur, "build/consultation_replace_events", loaded_at=loaded_at)
        finally:
            cur.unregister("incoming")
        sql.run(cur, "build/record_load", loaded_at=loaded_at, kind="consultation", files=1,
                rows=len(incoming), detail=f"{len(events)} event(s): {detail}")
    return LoadResult(events, replaced, len(incoming), int(incoming["tokens"].sum()))


DEMO_FILE = "consultation_tallies.csv"


def load_demo(con) -> str:
    """The demo's consultation events: Maldon's published table and synthetic West Mercia events."""
    return load(con, config.DEMO_DIR / DEMO_FILE).sentence(DEMO_FILE)
