"""Read grant flows: the tidy CSV of DESIGN.md §4, and 360Giving CSV and JSON.

Every reader returns the same columns (GRANT_COLUMNS + GIVING_COLUMNS), one row per flow of
money funder -> recipient in a UK financial year. Nothing here touches the database: the
caller loads the frame, keyed on `grant_key`, so the same file loaded twice changes nothing.

`grant_key` is the 360Giving Identifier when there is one, else a hash of the row's content
(plus how many identical rows came before it in the file, so two genuine identical grants stay
two). A corrected amount is new content, so it gets a new key.

Bad input raises InputError naming the file and the physical line where the bad record starts
(quoted fields may span lines, so the record number is not the line number).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

import pandas as pd

from cspdash import config, db, sql
from cspdash.errors import InputError
from cspdash.fiscal import FinancialYearError, financial_year, fy_start, normalise_fy

GRANT_COLUMNS = [
    "financial_year", "funder", "recipient", "stream", "priority",
    "amount_gbp", "status", "source", "grant_key",
]
# Filled from 360Giving files; empty (NA) for tidy files, so every frame has the same shape.
GIVING_COLUMNS = ["area", "award_date", "identifier", "title"]
ALL_COLUMNS = GRANT_COLUMNS + GIVING_COLUMNS

STATUSES = ("actual", "provisional")
TIDY_REQUIRED = ["financial_year", "funder", "recipient", "stream", "amount_gbp", "status"]
TIDY_OPTIONAL = ["priority", "source", "area"]

# Identifiers we make up on export carry this prefix; reading it back strips it, so an
# exported file re-imported gives the same keys (and changes nothing).
EXPORT_PREFIX = "360G-cspdash-"
# Our extra 360Giving columns: fields the standard has no place for, kept for round trips.
EXT_PRIORITY, EXT_STATUS, EXT_SOURCE = "cspdash:priority", "cspdash:status", "cspdash:source"

# Council tables write "TBC" where a figure is not known yet: that is absent, never zero.
ABSENT_AMOUNTS = {"", "tbc", "tba", "n/a", "not known", "unknown"}
UNNAMED_RECIPIENT = "(recipient not named)"

STATED_REQUIRED = ["source", "financial_year", "scope", "stated_gbp"]
STATED_OPTIONAL = ["funder", "recipient", "stream", "note"]

_LONDON = ZoneInfo("Europe/London")
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
_NUMBERED = re.compile(r":\d+:")  # 'Beneficiary Location:1:Name' -> 'Beneficiary Location:Name'


# --------------------------------------------------------------------------------------------
# Public API


def read_grants(path: str | Path) -> pd.DataFrame:
    """Read a tidy, 360Giving CSV or 360Giving JSON grants file into grant flows (ALL_COLUMNS)."""
    path = Path(path)
    text = _read_text(path)
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in ("{", "["):
        rows = _read_giving_json(path, text)
    else:
        rows = _read_csv(path, text)
    return _frame(rows)


def read_stated_totals(path: str | Path) -> pd.DataFrame:
    """Read stated totals: source, financial_year, scope, stated_gbp[, funder, recipient, stream, note].

    funder/recipient/stream say which flows the total sums ('|' separates alternatives,
    blank matches anything); see cspdash.analysis.funding.reconcile.
    """
    path = Path(path)
    records = _csv_records(path, _read_text(path))
    header_line, header = _header(path, records)
    keys = [_tidy_name(h) for h in header]
    missing = [c for c in STATED_REQUIRED if c not in keys]
    unknown = [h for h, k in zip(header, keys) if k not in STATED_REQUIRED + STATED_OPTIONAL]
    if missing or unknown:
        raise InputError(path, _column_problem(missing, unknown, STATED_REQUIRED + STATED_OPTIONAL),
                         line=header_line)
    out = []
    for line, cells in records:
        row = _as_dict(path, line, keys, cells)
        stated = _parse_amount(path, line, row["stated_gbp"], "stated_gbp")
        if stated is None:
            raise InputError(path, "stated_gbp is empty: leave out totals that are not stated", line=line)
        scope = row["scope"].strip()
        if not scope:
            raise InputError(path, "scope is empty (say what the total covers)", line=line)
        out.append({
            "source": row["source"].strip(),
            "financial_year": _parse_fy(path, line, row["financial_year"]),
            "scope": scope,
            "stated_gbp": stated,
            **{c: _text_or_none(row.get(c)) for c in STATED_OPTIONAL},
        })
    frame = pd.DataFrame(out, columns=STATED_REQUIRED + STATED_OPTIONAL)
    return frame.astype({"stated_gbp": "float64"})


def to_360giving_csv(flows: pd.DataFrame) -> str:
    """Write flows as a 360Giving CSV (standard column titles, GBP, ISO award dates).

    Rows whose amount is unknown (TBC) are left out: 360Giving records awarded amounts.
    Award Date is the start of the financial year when the flow has no award date. Priority,
    status and source go in `cspdash:` columns so a re-import gives the same flows.
    """
    columns = [
        "Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date",
        "Recipient Org:Identifier", "Recipient Org:Name", "Funding Org:Identifier",
        "Funding Org:Name", "Grant Programme:Title", "Beneficiary Location:Name",
        EXT_PRIORITY, EXT_STATUS, EXT_SOURCE,
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for _, flow in flows.iterrows():
        amount = flow.get("amount_gbp")
        if _missing(amount):
            continue
        fy = flow["financial_year"]
        stream = _text_or_none(flow.get("stream"))
        funder, recipient = str(flow["funder"]), str(flow["recipient"])
        identifier = _text_or_none(flow.get("identifier")) or EXPORT_PREFIX + str(flow["grant_key"])
        award = flow.get("award_date")
        award_day = pd.Timestamp(award).date() if not _missing(award) else fy_start(fy)
        title = _text_or_none(flow.get("title")) or f"{stream or 'Grant'} {fy}: {funder} to {recipient}"
        writer.writerow([
            identifier,
            title,
            f"{stream or 'Funding'} from {funder} to {recipient} in financial year {fy}.",
            "GBP",
            _amount_text(float(amount)),
            award_day.isoformat(),
            EXPORT_PREFIX + "org-" + _slug(recipient),
            recipient,
            EXPORT_PREFIX + "org-" + _slug(funder),
            funder,
            stream or "",
            _text_or_none(flow.get("area")) or "",
            _text_or_none(flow.get("priority")) or "",
            _text_or_none(flow.get("status")) or "actual",
            _text_or_none(flow.get("source")) or "",
        ])
    return buffer.getvalue()


def csv_table(path: str | Path) -> tuple[int, list[str], Iterator[tuple[int, list[str]]]]:
    """(header line, header cells, iterator of (start line, cells)) for a small CSV table.

    For other readers of reference tables that need the same line-accurate messages.
    """
    path = Path(path)
    records = _csv_records(path, _read_text(path))
    line, header = _header(path, records)
    return line, header, records


def award_date_to_day(text: str) -> date:
    """'26/03/2001 00:00', '2015-06-10', '2015-06-10T00:00:00+00:00' -> the UK calendar day.

    A timestamp with an offset is moved to UK time first: 23:30 UTC on 31 March 2015 was
    00:30 BST on 1 April, which is a different financial year. Raises ValueError.
    """
    text = text.strip()
    dmy = _DMY.match(text)
    if dmy:
        day, month, year = int(dmy[1]), int(dmy[2]), int(dmy[3])
        return date(year, month, day)  # ValueError for 31/02 etc.
    if _ISO.match(text):
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(_LONDON)
        return stamp.date()
    raise ValueError(text)


# --------------------------------------------------------------------------------------------
# Files and CSV records


def _read_text(path: Path) -> str:
    if not path.exists():
        raise InputError(path, "file not found")
    if not path.is_file():
        raise InputError(path, "not a file")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(path, "file is empty")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Spreadsheets saved on council PCs are often Windows-1252 ('£' as one byte).
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError(path, "not UTF-8 or Windows-1252 text", line=line) from None


def _csv_records(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) for each non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    ended = 0  # the physical line the previous record ended on
    while True:
        start = ended + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise InputError(path, f"badly quoted CSV record ({err})", line=start) from None
        ended = reader.line_num
        if any(c.strip() for c in cells):
            yield start, cells


def _header(path: Path, records: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    try:
        line, header = next(records)
    except StopIteration:
        raise InputError(path, "file is empty") from None
    return line, [h.strip() for h in header]


def _as_dict(path: Path, line: int, keys: list[str], cells: list[str]) -> dict[str, str]:
    extra = [c for c in cells[len(keys):] if c.strip()]
    if extra:
        raise InputError(
            path,
            f"{len(cells)} fields but the header has {len(keys)} "
            "(an unquoted comma, e.g. in an amount like 1,000?)",
            line=line,
        )
    cells = cells + [""] * (len(keys) - len(cells))
    return dict(zip(keys, cells))


def _read_csv(path: Path, text: str) -> list[dict]:
    records = _csv_records(path, text)
    header_line, header = _header(path, records)
    titles = {_giving_title(h) for h in header}
    if "amount awarded" in titles or "identifier" in titles:
        return _read_giving_csv(path, header_line, header, records)
    keys = [_tidy_name(h) for h in header]
    if not any(k in keys for k in TIDY_REQUIRED):
        raise InputError(
            path,
            "unknown header: expected a tidy grants file (" + ",".join(TIDY_REQUIRED)
            + "[,priority,source]) or a 360Giving file (Identifier, Amount Awarded, Award Date, ...)",
            line=header_line,
        )
    missing = [c for c in TIDY_REQUIRED if c not in keys]
    unknown = [h for h, k in zip(header, keys) if k not in TIDY_REQUIRED + TIDY_OPTIONAL]
    if missing or unknown:
        raise InputError(path, _column_problem(missing, unknown, TIDY_REQUIRED + TIDY_OPTIONAL),
                         line=header_line)
    return _read_tidy(path, keys, records)


# --------------------------------------------------------------------------------------------
# Tidy CSV


def _read_tidy(path: Path, keys: list[str], records) -> list[dict]:
    rows, seen = [], Counter()
    for line, cells in records:
        raw = _as_dict(path, line, keys, cells)
        row = {
            "financial_year": _parse_fy(path, line, raw["financial_year"]),
            "funder": _required_text(path, line, raw, "funder"),
            "recipient": _required_text(path, line, raw, "recipient"),
            "stream": _text_or_none(raw["stream"]),
            "priority": _text_or_none(raw.get("priority")),
            "amount_gbp": _parse_amount(path, line, raw["amount_gbp"], "amount_gbp"),
            "status": _parse_status(path, line, raw["status"]),
            "source": _text_or_none(raw.get("source")),
            "area": _text_or_none(raw.get("area")),
        }
        content = _content_fingerprint(row)
        seen[content] += 1
        row["grant_key"] = _content_key(content, seen[content])
        # A file without a source column is its own source; kept out of the key so a
        # renamed copy of the same file still changes nothing.
        row["source"] = row["source"] or path.name
        rows.append(row)
    return rows


def _content_fingerprint(row: dict) -> str:
    amount = row["amount_gbp"]
    parts = [
        row["financial_year"], row["funder"], row["recipient"], row["stream"], row["priority"],
        "" if amount is None else f"{amount:.2f}", row["status"], row["source"], row["area"],
    ]
    return "\x1f".join("" if p is None else str(p) for p in parts)


def _content_key(fingerprint: str, occurrence: int) -> str:
    digest = hashlib.sha256(f"{fingerprint}\x1e{occurrence}".encode()).hexdigest()
    return "row-" + digest[:20]


# --------------------------------------------------------------------------------------------
# 360Giving CSV


def _read_giving_csv(path: Path, header_line: int, header: list[str], records) -> list[dict]:
    titles = [_giving_title(h) for h in header]
    needed = ["identifier", "amount awarded", "award date", "currency", "funding org:name"]
    missing = [n for n in needed if n not in titles]
    if missing:
        pretty = ", ".join(_pretty_title(m) for m in missing)
        raise InputError(path, f"360Giving file without the column(s) {pretty}", line=header_line)
    rows, first_seen = [], {}
    for line, cells in records:
        if len(cells) > len(titles) and any(c.strip() for c in cells[len(titles):]):
            raise InputError(path, f"{len(cells)} fields but the header has {len(titles)}", line=line)
        values: dict[str, list[str]] = {}
        for title, cell in zip(titles, cells):
            if cell.strip():
                values.setdefault(title, []).append(cell.strip())
        one = lambda title: values.get(title, [None])[0]  # noqa: E731 - a local shorthand
        identifier = one("identifier")
        if not identifier:
            raise InputError(path, "Identifier is empty", line=line)
        if identifier in first_seen:
            raise InputError(path, f"Identifier {identifier} appears twice (first on line "
                                   f"{first_seen[identifier]})", line=line)
        first_seen[identifier] = line
        rows.append(_giving_row(
            path, line,
            identifier=identifier,
            title=one("title"),
            currency=one("currency"),
            amount=one("amount awarded"),
            award_date=one("award date"),
            funders=values.get("funding org:name", []),
            recipient=one("recipient org:name") or one("recipient ind:name"),
            programmes=values.get("grant programme:title", []),
            locations=values.get("beneficiary location:name", []),
            priority=one(EXT_PRIORITY),
            status=one(EXT_STATUS),
            source=one(EXT_SOURCE),
        ))
    return rows


def _giving_row(path: Path, line: int | None, *, identifier, title, currency, amount, award_date,
                funders, recipient, programmes, locations, priority=None, status=None,
                source=None, where: str = "") -> dict:
    """One 360Giving grant as a flow; `where` names the grant in JSON messages."""
    if not currency:
        raise InputError(path, f"{where}Currency is empty", line=line)
    if currency.strip().upper() != "GBP":
        raise InputError(path, f"{where}currency {currency}: only GBP grants can be imported "
                               "(convert them to pounds first)", line=line)
    if amount is None or str(amount).strip() == "":
        raise InputError(path, f"{where}Amount Awarded is empty", line=line)
    amount_gbp = _parse_amount(path, line, str(amount), f"{where}Amount Awarded")
    if not award_date:
        raise InputError(path, f"{where}Award Date is empty", line=line)
    try:
        day = award_date_to_day(str(award_date))
    except ValueError:
        raise InputError(path, f"{where}Award Date '{award_date}' is not a date "
                               "(use YYYY-MM-DD or dd/mm/yyyy)", line=line) from None
    if not funders:
        raise InputError(path, f"{where}Funding Org:Name is empty", line=line)
    key = identifier[len(EXPORT_PREFIX):] if identifier.startswith(EXPORT_PREFIX) else identifier
    return {
        "financial_year": financial_year(day),
        "funder": "; ".join(funders),
        "recipient": recipient or UNNAMED_RECIPIENT,
        "stream": "; ".join(programmes) or None,
        "priority": priority,
        "amount_gbp": amount_gbp,
        "status": _parse_status(path, line, status, where) if status else "actual",
        "source": source or f"360Giving file {path.name}",
        "grant_key": key,
        "area": "; ".join(locations) or None,
        "award_date": day,
        "identifier": identifier,
        "title": title,
    }


# --------------------------------------------------------------------------------------------
# 360Giving JSON


def _read_giving_json(path: Path, text: str) -> list[dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(path, f"not valid JSON ({err.msg}, column {err.colno})", line=err.lineno) from None
    grants = data.get("grants") if isinstance(data, dict) else data
    if not isinstance(grants, list):
        raise InputError(path, 'not a 360Giving JSON file: expected {"grants": [...]}')
    rows, first_seen = [], {}
    for number, grant in enumerate(grants, start=1):
        if not isinstance(grant, dict):
            raise InputError(path, f"grant {number} is not a JSON object")
        identifier = _text_or_none(grant.get("id"))
        where = f"grant {number} ({identifier}): " if identifier else f"grant {number}: "
        try:
            if not identifier:
                raise InputError(path, f"{where}id is empty")
            if identifier in first_seen:
                raise InputError(path, f"{where}id appears twice (first as grant {first_seen[identifier]})")
            first_seen[identifier] = number
            rows.append(_giving_json_row(path, grant, identifier, where))
        except InputError as err:
            # The line is looked up only on failure: searching the text for every grant
            # would make a large file slow to read.
            raise InputError(path, err.message, line=_json_line(text, identifier)) from None
    return rows


def _giving_json_row(path: Path, grant: dict, identifier: str, where: str) -> dict:
    recipient = _names(grant.get("recipientOrganization"), "name") or \
        _names(grant.get("recipientIndividual"), "name")
    amount = grant.get("amountAwarded")
    if isinstance(amount, bool) or (amount is not None and not isinstance(amount, (int, float, str))):
        amount = "not a number"
    return _giving_row(
        path, None,
        identifier=identifier,
        title=_text_or_none(grant.get("title")),
        currency=_text_or_none(grant.get("currency")),
        amount=None if amount is None else str(amount),
        award_date=_text_or_none(grant.get("awardDate")),
        funders=_names(grant.get("fundingOrganization"), "name"),
        recipient=recipient[0] if recipient else None,
        programmes=_names(grant.get("grantProgramme"), "title"),
        locations=_names(grant.get("beneficiaryLocation"), "name"),
        where=where,
    )


def _names(value, field: str) -> list[str]:
    """The `field` of an object or of each object in a list (360Giving nests both ways)."""
    items = value if isinstance(value, list) else [value]
    return [str(i[field]).strip() for i in items
            if isinstance(i, dict) and i.get(field) is not None and str(i[field]).strip()]


def _json_line(text: str, identifier: str | None) -> int | None:
    """The line a grant's id sits on, so a message can point into the file."""
    if not identifier:
        return None
    match = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(identifier)), text)
    return text.count("\n", 0, match.start()) + 1 if match else None


# --------------------------------------------------------------------------------------------
# Cells


def _parse_fy(path: Path, line: int, text: str) -> str:
    try:
        return normalise_fy(text)
    except FinancialYearError as err:
        raise InputError(path, f"financial_year: {err}", line=line) from None


def _parse_amount(path: Path, line: int | None, text: str, name: str) -> float | None:
    cleaned = text.strip().replace("£", "").replace(" ", "")
    if cleaned.lower() in ABSENT_AMOUNTS:
        return None
    if not _AMOUNT.match(cleaned):
        raise InputError(path, f"{name} '{text.strip()}' is not an amount in pounds", line=line)
    value = float(cleaned.replace(",", ""))
    if value < 0:
        raise InputError(path, f"{name} {text.strip()} is negative", line=line)
    return value


def _parse_status(path: Path, line: int | None, text: str, where: str = "") -> str:
    status = (text or "").strip().lower()
    if status not in STATUSES:
        raise InputError(path, f"{where}status '{(text or '').strip()}' must be actual or provisional",
                         line=line)
    return status


def _required_text(path: Path, line: int, row: dict, column: str) -> str:
    value = _text_or_none(row.get(column))
    if value is None:
        raise InputError(path, f"{column} is empty", line=line)
    return value


def _text_or_none(value) -> str | None:
    if _missing(value):
        return None
    text = str(value).strip()
    return text or None


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _tidy_name(title: str) -> str:
    return re.sub(r"[\s_]+", "_", title.strip().lower())


def _giving_title(title: str) -> str:
    return _NUMBERED.sub(":", title.strip().lower())


def _pretty_title(lower: str) -> str:
    return ":".join(part.title() for part in lower.split(":"))


def _column_problem(missing: list[str], unknown: list[str], allowed: list[str]) -> str:
    parts = []
    if missing:
        parts.append("missing column(s) " + ", ".join(missing))
    if unknown:
        parts.append("unknown column(s) " + ", ".join(f"'{u}'" for u in unknown))
    return "; ".join(parts) + " (columns: " + ",".join(allowed) + ")"


def _amount_text(amount: float) -> str:
    return str(int(amount)) if float(amount).is_integer() else f"{amount:.2f}"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed"


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=ALL_COLUMNS)
    frame["amount_gbp"] = pd.to_numeric(frame["amount_gbp"], errors="raise").astype("float64")
    frame["award_date"] = pd.to_datetime(frame["award_date"])
    for column in ALL_COLUMNS:
        if column not in ("amount_gbp", "award_date"):
            frame[column] = frame[column].astype("str")
    return frame


# --------------------------------------------------------------------------------------------
# Loading into the database
#
# Re-import rules (tested in tests/unit/test_grants_db.py):
# - the same file again changes nothing (no write, no load-log line);
# - a 360Giving grant is its Identifier: new content under a known Identifier replaces the old;
# - a tidy file is the whole truth for each (source, financial year) it holds: rows loaded
#   before from the same source and year that the file no longer has are removed. A figure
#   that was provisional and is now actual (its row's content, hence its key, changed) is
#   replaced rather than added beside the old one, so nothing is counted twice. Rows of
#   other sources and other years are never touched;
# - stated totals are keyed on (source, financial_year, scope): a new figure replaces the old.


@dataclass(frozen=True)
class LoadResult:
    kind: str            # "grants" | "stated totals"
    path: str
    rows: int            # records in the file
    added: int = 0
    replaced: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed)

    def sentence(self) -> str:
        name = Path(self.path).name
        if not self.changed:
            return f"{name}: nothing changed ({self.rows:,} {self.kind} already loaded as they are)"
        parts = [f"{self.added:,} added"]
        if self.replaced:
            parts.append(f"{self.replaced:,} replaced")
        if self.removed:
            parts.append(f"{self.removed:,} superseded rows removed")
        return f"{name}: {self.rows:,} {self.kind} read; " + ", ".join(parts)


def sniff_kind(path: str | Path) -> str:
    """'stated totals' for a stated-totals CSV (it has scope and stated_gbp columns), else 'grants'."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return "grants"
    _line, header, _records = csv_table(path)
    keys = {_tidy_name(h) for h in header}
    return "stated totals" if {"scope", "stated_gbp"} <= keys else "grants"


def load(con, path: str | Path) -> LoadResult:
    """Read a grants file (tidy CSV, 360Giving CSV/JSON) or a stated-totals CSV fully, then
    write it in one transaction. Bad input raises InputError before anything is written."""
    path = Path(path)
    kind = sniff_kind(path)
    frame = read_stated_totals(path) if kind == "stated totals" else read_grants(path)
    loaded_at = datetime.now()
    with db.transaction(con) as cur:
        cur.register("incoming", frame)
        try:
            if kind == "stated totals":
                changes = sql.df(cur, "build/grants_stated_changes")
                result = LoadResult(kind, str(path), len(frame), added=len(changes))
                if len(changes):
                    sql.run(cur, "build/grants_replace_stated", loaded_at=loaded_at, source_file=path.name)
            else:
                plan = sql.df(cur, "build/grants_import_plan")
                counts = plan["action"].value_counts()
                result = LoadResult(kind, str(path), len(frame), added=int(counts.get("added", 0)),
                                    replaced=int(counts.get("replaced", 0)),
                                    removed=int(counts.get("removed", 0)))
                if result.changed:
                    cur.register("plan", plan)
                    try:
                        sql.run(cur, "build/grants_apply_plan", loaded_at=loaded_at, source_file=path.name)
                    finally:
                        cur.unregister("plan")
        finally:
            cur.unregister("incoming")
        if result.changed:
            sql.run(cur, "build/record_load", loaded_at=loaded_at, kind="grants", files=1,
                    rows=len(frame), detail=result.sentence())
    return result


DEMO_FILES = ("grant_flows.csv", "grant_stated_totals.csv")


def load_demo(con) -> str:
    """The seed reports' grant figures and the demo's synthetic PCC years, through load()."""
    results = [load(con, config.DEMO_DIR / name) for name in DEMO_FILES]
    return "grants: " + "; ".join(f"{r.rows} {r.kind}" for r in results) + " from the seed reports"
