"""Partnership priorities, their measures and targets (one YAML file per partnership) and the
values of manual measures (CSV).

The YAML schema is documented at the top of every file in data/demo/priorities/. In short::

    partnership: Norwich                  # the CSP's name, unique across files
    area: Norwich                         # district / partnership / force name for police measures
    districts: [Norwich]                  # optional: police.uk district names making up the area
    source: "..."                         # optional: where the priorities come from
    priorities:
      - name: Anti-social behaviour
        description: "..."                # optional
        measures:
          - name: ASB incidents           # unique within the partnership
            kind: police                  # police (counted from police.uk) | manual (CSV values)
            crime_types: [Anti-social behaviour]   # police only; police.uk names or "All crime"
            unit: count                   # count | percent | rate_per_1000 | value
            better: lower                 # lower | higher
            frequency: monthly            # optional: monthly (default) | quarterly | annual
            baseline: {from: 2023-01, to: 2024-06}
            target: {change_pct: -5}      # optional: {value: N} or {change_pct: P}, not both
            synthetic: false              # optional: true marks made-up demo values
            description: "..."            # optional

Every problem raises InputError naming the file and the line, found from PyYAML's node marks.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd
import yaml

from cspdash import config, sql
from cspdash.db import transaction
from cspdash.errors import InputError

POLICE_CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
# Officers think of "all crime" as everything the police record except ASB incidents, which
# police.uk publishes alongside crimes but which are not crimes.
ALL_CRIME = "All crime"
ALL_CRIME_TYPES = tuple(t for t in POLICE_CRIME_TYPES if t != "Anti-social behaviour")

UNITS = ("count", "percent", "rate_per_1000", "value")
BETTER = ("lower", "higher")
KINDS = ("police", "manual")
FREQUENCIES = ("monthly", "quarterly", "annual")

_TOP_REQUIRED = ("partnership", "area", "priorities")
_TOP_OPTIONAL = ("districts", "source", "notes")
_PRIORITY_REQUIRED = ("name", "measures")
_PRIORITY_OPTIONAL = ("description",)
_MEASURE_REQUIRED = ("name", "kind", "unit", "better", "baseline")
_MEASURE_OPTIONAL = ("crime_types", "frequency", "target", "synthetic", "description")

PRIORITY_COLUMNS = ["partnership", "priority", "priority_order"]
MEASURE_COLUMNS = [
    "partnership", "priority", "measure", "kind", "crime_types", "unit", "better",
    "baseline_from", "baseline_to", "target_value", "target_change_pct", "synthetic",
    "area", "districts", "frequency", "measure_order", "description",
]
VALUE_COLUMNS = ["partnership", "measure", "period", "value", "synthetic"]

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


# ---------------------------------------------------------------------------------------------
# YAML with line numbers


class _Map(dict):
    """A mapping that remembers its own line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict


class _Seq(list):
    line: int = 0
    item_lines: list


class _LineLoader(yaml.SafeLoader):
    path: str = ""


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    out = _Map()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise InputError(loader.path, f"key {key!r} should be a word", line)
        if key in out:
            # PyYAML would silently keep the last one; an officer's second entry is a mistake.
            raise InputError(loader.path, f"'{key}' appears twice (first on line {out.key_lines[key]})", line)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = line
    return out


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> _Seq:
    out = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _read_yaml(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text") from None
    loader = _LineLoader(text)
    loader.path = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(path, f"not valid YAML: {err.problem or err.context}", line) from None
    except yaml.YAMLError as err:
        raise InputError(path, f"not valid YAML: {err}") from None
    finally:
        loader.dispose()


# ---------------------------------------------------------------------------------------------
# Validation helpers (each raises InputError at the offending line)


class _Checker:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, message: str, line: int | None):
        raise InputError(self.path, message, line)

    def mapping(self, value, what: str, line: int | None) -> _Map:
        if not isinstance(value, _Map):
            self.fail(f"{what} should be a set of 'key: value' lines", line)
        return value

    def keys(self, m: _Map, required, optional, what: str):
        allowed = tuple(required) + tuple(optional)
        for key in m:
            if key not in allowed:
                self.fail(f"unknown key '{key}' in {what} (allowed: {', '.join(allowed)})", m.key_lines[key])
        for key in required:
            if key not in m or m[key] is None:
                line = m.key_lines.get(key, m.line)
                self.fail(f"{what} is missing '{key}'", line)

    def text(self, m: _Map, key: str, what: str) -> str:
        value = m[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(f"'{key}' of {what} should be text", m.key_lines[key])
        return value.strip()

    def choice(self, m: _Map, key: str, options, what: str) -> str:
        value = m[key]
        if value not in options:
            self.fail(f"'{key}' of {what} is {value!r}; it must be one of: {', '.join(options)}",
                      m.key_lines[key])
        return value

    def number(self, m: _Map, key: str, what: str) -> float:
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(f"'{key}' of {what} should be a number, not {value!r}", m.key_lines[key])
        return float(value)

    def month(self, m: _Map, key: str, what: str) -> pd.Timestamp:
        value = m[key]
        line = m.key_lines[key]
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime) and value.day == 1:
            return pd.Timestamp(value.year, value.month, 1)
        match = _MONTH.match(value) if isinstance(value, str) else None
        if not match or not 1 <= int(match.group(2)) <= 12:
            self.fail(f"'{key}' of {what} is {value!s}; write a month as YYYY-MM, e.g. 2023-04", line)
        return pd.Timestamp(int(match.group(1)), int(match.group(2)), 1)

    def text_list(self, m: _Map, key: str, what: str) -> _Seq:
        value = m[key]
        if not isinstance(value, _Seq) or not value:
            self.fail(f"'{key}' of {what} should be a list, e.g. [A, B]", m.key_lines[key])
        for item, line in zip(value, value.item_lines):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"'{key}' of {what} should hold names, not {item!r}", line)
        return value


def _crime_types(c: _Checker, m: _Map, what: str) -> str:
    names = c.text_list(m, "crime_types", what)
    out: list[str] = []
    for name, line in zip(names, names.item_lines):
        name = name.strip()
        if name.lower() == ALL_CRIME.lower():
            chosen = ALL_CRIME_TYPES
        else:
            match = [t for t in POLICE_CRIME_TYPES if t.lower() == name.lower()]
            if not match:
                c.fail(f"'{name}' in {what} is not a police.uk crime type (use one of: "
                       f"{', '.join(POLICE_CRIME_TYPES)}; or '{ALL_CRIME}')", line)
            chosen = match
        out.extend(t for t in chosen if t not in out)
    return "|".join(out)


def _target(c: _Checker, m: _Map, what: str, unit: str) -> tuple[float, float]:
    """(value, change_pct), one of them NaN. A % change applies to the baseline mean, which
    every measure has because the baseline is required."""
    t = c.mapping(m["target"], f"the target of {what}", m.key_lines["target"])
    c.keys(t, (), ("value", "change_pct"), f"the target of {what}")
    given = [k for k in ("value", "change_pct") if k in t]
    if len(given) != 1:
        c.fail(f"the target of {what} needs exactly one of 'value' or 'change_pct' "
               f"(got {', '.join(given) or 'neither'})", t.line)
    if "value" in t:
        value = c.number(t, "value", f"the target of {what}")
        if unit != "value" and value < 0:
            c.fail(f"the target of {what} is negative, which a {unit} cannot be", t.key_lines["value"])
        if unit == "percent" and value > 100:
            c.fail(f"the target of {what} is over 100%", t.key_lines["value"])
        return value, math.nan
    pct = c.number(t, "change_pct", f"the target of {what}")
    if pct <= -100:
        c.fail(f"the target of {what} asks for a change of {pct:g}%, below -100%", t.key_lines["change_pct"])
    return math.nan, pct


def _measure(c: _Checker, m: _Map, priority: str) -> dict:
    where = f"a measure of priority '{priority}'"
    c.keys(m, _MEASURE_REQUIRED, _MEASURE_OPTIONAL, where)
    name = c.text(m, "name", where)
    what = f"measure '{name}'"
    kind = c.choice(m, "kind", KINDS, what)
    unit = c.choice(m, "unit", UNITS, what)
    better = c.choice(m, "better", BETTER, what)
    frequency = c.choice(m, "frequency", FREQUENCIES, what) if "frequency" in m else "monthly"
    if kind == "police":
        if "crime_types" not in m:
            c.fail(f"{what} is a police measure, so it needs 'crime_types'", m.line)
        crime_types = _crime_types(c, m, what)
        if unit not in ("count", "rate_per_1000"):
            c.fail(f"{what} counts police records, so its unit is count or rate_per_1000, not {unit}",
                   m.key_lines["unit"])
        if frequency != "monthly":
            c.fail(f"{what} comes from monthly police data, so its frequency is monthly", m.key_lines["frequency"])
    else:
        if "crime_types" in m:
            c.fail(f"{what} is a manual measure, so it takes no 'crime_types'", m.key_lines["crime_types"])
        crime_types = None
    base = c.mapping(m["baseline"], f"the baseline of {what}", m.key_lines["baseline"])
    c.keys(base, ("from", "to"), (), f"the baseline of {what}")
    base_from = c.month(base, "from", f"the baseline of {what}")
    base_to = c.month(base, "to", f"the baseline of {what}")
    if base_from > base_to:
        c.fail(f"the baseline of {what} ends ({base_to:%Y-%m}) before it starts ({base_from:%Y-%m})",
               base.key_lines["to"])
    target_value, target_pct = (math.nan, math.nan)
    if "target" in m and m["target"] is not None:
        target_value, target_pct = _target(c, m, what, unit)
    synthetic = m.get("synthetic", False)
    if not isinstance(synthetic, bool):
        c.fail(f"'synthetic' of {what} should be true or false", m.key_lines["synthetic"])
    description = " ".join(c.text(m, "description", what).split()) if "description" in m else None
    return {
        "measure": name, "kind": kind, "crime_types": crime_types, "unit": unit, "better": better,
        "baseline_from": base_from, "baseline_to": base_to, "target_value": target_value,
        "target_change_pct": target_pct, "synthetic": synthetic, "frequency": frequency,
        "description": description,
    }


def _measures_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=MEASURE_COLUMNS)
    for col in ("baseline_from", "baseline_to"):
        frame[col] = pd.to_datetime(frame[col])
    for col in ("target_value", "target_change_pct"):
        frame[col] = frame[col].astype(float)
    frame["synthetic"] = frame["synthetic"].astype(bool)
    frame["measure_order"] = frame["measure_order"].astype(int)
    return frame


# ---------------------------------------------------------------------------------------------
# Public API


def load_priorities(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read one partnership YAML. Returns (priorities, measures):
    priorities = partnership, priority, priority_order (1-based, file order);
    measures = partnership, priority, measure, kind, crime_types ('|'-joined police.uk types,
    None for manual), unit, better, baseline_from, baseline_to (first of month, inclusive),
    target_value, target_change_pct (NaN when absent), synthetic, area, districts ('|'-joined),
    frequency, measure_order (1-based within the partnership), description (None when absent)."""
    path = Path(path)
    c = _Checker(path)
    data = _read_yaml(path)
    if data is None:
        c.fail("is empty; expected partnership, area and priorities", None)
    top = c.mapping(data, "the file", 1)
    c.keys(top, _TOP_REQUIRED, _TOP_OPTIONAL, "the file")
    partnership = c.text(top, "partnership", "the file")
    area = c.text(top, "area", "the file")
    districts = [d.strip() for d in c.text_list(top, "districts", "the file")] if "districts" in top else [area]
    for key in ("source", "notes"):
        if key in top:
            c.text(top, key, "the file")

    priorities = top["priorities"]
    if not isinstance(priorities, _Seq) or not priorities:
        c.fail("'priorities' should be a list of priorities, each with a name and measures",
               top.key_lines["priorities"])
    p_rows, m_rows = [], []
    seen_priority: dict[str, int] = {}
    seen_measure: dict[str, int] = {}
    for order, (item, line) in enumerate(zip(priorities, priorities.item_lines), start=1):
        p = c.mapping(item, f"priority {order}", line)
        c.keys(p, _PRIORITY_REQUIRED, _PRIORITY_OPTIONAL, f"priority {order}")
        name = c.text(p, "name", f"priority {order}")
        if name in seen_priority:
            c.fail(f"priority '{name}' appears twice (first on line {seen_priority[name]})", p.key_lines["name"])
        seen_priority[name] = p.key_lines["name"]
        if "description" in p:
            c.text(p, "description", f"priority '{name}'")
        measures = p["measures"]
        if not isinstance(measures, _Seq) or not measures:
            c.fail(f"priority '{name}' needs a list of measures", p.key_lines["measures"])
        p_rows.append({"partnership": partnership, "priority": name, "priority_order": order})
        for m_item, m_line in zip(measures, measures.item_lines):
            m = c.mapping(m_item, f"a measure of priority '{name}'", m_line)
            row = _measure(c, m, name)
            if row["measure"] in seen_measure:
                c.fail(f"measure '{row['measure']}' appears twice in this partnership (first on line "
                       f"{seen_measure[row['measure']]}); values are matched by measure name",
                       m.key_lines["name"])
            seen_measure[row["measure"]] = m.key_lines["name"]
            row.update(partnership=partnership, priority=name, area=area,
                       districts="|".join(districts), measure_order=len(m_rows) + 1)
            m_rows.append(row)
    priorities_frame = pd.DataFrame(p_rows, columns=PRIORITY_COLUMNS)
    priorities_frame["priority_order"] = priorities_frame["priority_order"].astype(int)
    return priorities_frame, _measures_frame(m_rows)


def load_priorities_dir(folder: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every *.yaml in a folder (sorted by file name), one partnership per file."""
    folder = Path(folder)
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise InputError(folder, "holds no .yaml priority files")
    p_parts, m_parts, seen = [], [], {}
    for path in files:
        priorities, measures = load_priorities(path)
        name = priorities["partnership"].iloc[0]
        if name in seen:
            raise InputError(path, f"partnership '{name}' is already configured in {seen[name].name}",
                             _partnership_line(path))
        seen[name] = path
        p_parts.append(priorities)
        m_parts.append(measures)
    return (pd.concat(p_parts, ignore_index=True), pd.concat(m_parts, ignore_index=True))


def _partnership_line(path: Path) -> int | None:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text.startswith("partnership:"):
            return number
    return None


def default_police_measures(area: str, districts: list[str] | None = None) -> pd.DataFrame:
    """The measures every area gets with no configuration: monthly police.uk counts, lower is
    better, no baseline (limits from every month) and no target. Same columns as the measures
    frame of load_priorities; partnership is the area's name."""
    defaults = [
        ("ASB incidents", ("Anti-social behaviour",)),
        ("All recorded crime (excluding ASB)", ALL_CRIME_TYPES),
        ("Violence and sexual offences", ("Violence and sexual offences",)),
        ("Drug offences", ("Drugs",)),
        ("Shoplifting", ("Shoplifting",)),
        ("Burglary", ("Burglary",)),
        ("Vehicle crime", ("Vehicle crime",)),
        ("Criminal damage and arson", ("Criminal damage and arson",)),
    ]
    rows = [{
        "partnership": area, "priority": "Police-recorded crime and ASB", "measure": name,
        "kind": "police", "crime_types": "|".join(types), "unit": "count", "better": "lower",
        "baseline_from": pd.NaT, "baseline_to": pd.NaT, "target_value": math.nan,
        "target_change_pct": math.nan, "synthetic": False, "area": area,
        "districts": "|".join(districts or [area]), "frequency": "monthly", "measure_order": order,
        "description": None,
    } for order, (name, types) in enumerate(defaults, start=1)]
    return _measures_frame(rows)


# ---------------------------------------------------------------------------------------------
# Manual values


def _parse_period(text: str) -> pd.Timestamp | None:
    match = _MONTH.match(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return pd.Timestamp(int(match.group(1)), int(match.group(2)), 1)
    match = _DATE.match(text)
    if match and match.group(3) == "01" and 1 <= int(match.group(2)) <= 12:
        return pd.Timestamp(int(match.group(1)), int(match.group(2)), 1)
    return None


def _parse_value(text: str) -> float | None:
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _check_against_config(c: _Checker, config: dict, key, period, value, line, first_month):
    measure = config.get(key)
    if measure is None:
        c.fail(f"measure '{key[1]}' of partnership '{key[0]}' is not in the priorities configuration", line)
    if measure["kind"] == "police":
        c.fail(f"measure '{key[1]}' is counted from police data; it takes no values from a file", line)
    if value < 0 and measure["unit"] != "value":
        c.fail(f"value {value:g} is negative, which a {measure['unit']} cannot be", line)
    if measure["unit"] == "percent" and value > 100:
        c.fail(f"value {value:g} is over 100 but '{key[1]}' is a percentage", line)
    if measure["frequency"] == "quarterly" and period.month not in (1, 4, 7, 10):
        c.fail(f"'{key[1]}' is quarterly: give each quarter's first month (Jan, Apr, Jul, Oct), "
               f"not {period:%Y-%m}", line)
    if measure["frequency"] == "annual":
        first = first_month.setdefault(key, period.month)
        if period.month != first:
            c.fail(f"'{key[1]}' is annual: every value should start in the same month as the "
                   f"first ({first:02d}), not {period:%Y-%m}", line)


def load_measure_values(path: str | Path, measures: pd.DataFrame | None = None) -> pd.DataFrame:
    """Manual measure values from CSV ``partnership,measure,period,value[,note]``.

    period is YYYY-MM (or YYYY-MM-01); a month with no figure is left out (a gap), never
    written as 0. Returns partnership, measure, period (first of month), value (float),
    synthetic (the note mentions "synthetic"). When ``measures`` (from load_priorities) is
    given, each row must name a configured manual measure and fit its unit and frequency;
    without it, negative values are refused (counts, rates and percentages cannot be).
    """
    path = Path(path)
    c = _Checker(path)
    config = None
    if measures is not None:
        config = {(r["partnership"], r["measure"]): r for r in measures.to_dict("records")}
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    rows, seen, first_month = [], {}, {}
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                c.fail("is empty; expected the header partnership,measure,period,value[,note]", None)
            names = [h.strip().lower() for h in header]
            for name in names:
                if name not in VALUE_COLUMNS[:4] + ["note"]:
                    c.fail(f"unknown column '{name}' (expected partnership,measure,period,value[,note])", 1)
            for name in VALUE_COLUMNS[:4]:
                if name not in names:
                    c.fail(f"missing column '{name}' (expected partnership,measure,period,value[,note])", 1)
            if len(set(names)) != len(names):
                c.fail("a column name appears twice in the header", 1)
            col = {name: i for i, name in enumerate(names)}
            line = reader.line_num
            for record in reader:
                start, line = line + 1, reader.line_num
                if not any(field.strip() for field in record):
                    continue
                if len(record) != len(names):
                    c.fail(f"has {len(record)} fields; the header has {len(names)}", start)
                partnership = record[col["partnership"]].strip()
                measure = record[col["measure"]].strip()
                if not partnership or not measure:
                    c.fail("partnership and measure must not be blank", start)
                period_text = record[col["period"]].strip()
                period = _parse_period(period_text)
                if period is None:
                    c.fail(f"period '{period_text}' is not a month; write YYYY-MM, e.g. 2024-04", start)
                value_text = record[col["value"]].strip()
                if not value_text:
                    c.fail("value is missing; leave the row out for a month with no figure "
                           "(a missing month is a gap, not a zero)", start)
                value = _parse_value(value_text)
                if value is None:
                    c.fail(f"value '{value_text}' is not a number", start)
                key = (partnership, measure)
                if config is not None:
                    _check_against_config(c, config, key, period, value, start, first_month)
                elif value < 0:
                    c.fail(f"value {value:g} is negative; counts, rates and percentages cannot be", start)
                if (key, period) in seen:
                    c.fail(f"{partnership} / {measure} / {period:%Y-%m} already has a value on line "
                           f"{seen[(key, period)]}", start)
                seen[(key, period)] = start
                note = record[col["note"]].strip() if "note" in col else ""
                rows.append((partnership, measure, period, value, "synthetic" in note.lower()))
        except UnicodeDecodeError:
            c.fail("is not UTF-8 text", None)
        except csv.Error as err:
            c.fail(f"is not readable CSV: {err}", reader.line_num)
    frame = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    frame["period"] = pd.to_datetime(frame["period"])
    frame["value"] = frame["value"].astype(float)
    frame["synthetic"] = frame["synthetic"].astype(bool)
    return frame.sort_values(["partnership", "measure", "period"], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Loading into the database (python -m cspdash priorities import / measures import; the demo)


def load_config(con, path_or_dir: str | Path) -> tuple[int, int]:
    """Import one partnership YAML, or every *.yaml in a folder, in one transaction.

    Everything is read and checked before anything is written; each partnership named in the
    input has its priorities and measures replaced, so importing the same file again changes
    nothing. Values already loaded for a measure are kept (renaming a measure orphans them).
    Returns (priorities, measures) loaded."""
    path = Path(path_or_dir)
    if not path.exists():
        raise InputError(path, "file not found")
    priorities, measures = load_priorities_dir(path) if path.is_dir() else load_priorities(path)
    loaded_at = dt.datetime.now()
    files = sorted(path.glob("*.y*ml")) if path.is_dir() else [path]
    priorities = priorities.assign(source_file=path.name, loaded_at=loaded_at)
    partnerships = ", ".join(priorities["partnership"].drop_duplicates())
    with transaction(con) as cur:
        cur.register("incoming_priorities", priorities)
        cur.register("incoming_measures", measures)
        try:
            sql.run(cur, "build/performance_replace_config")
        finally:
            cur.unregister("incoming_priorities")
            cur.unregister("incoming_measures")
        sql.run(cur, "build/record_load", loaded_at=loaded_at, kind="priorities", files=len(files),
                rows=len(measures), detail=f"{len(priorities)} priorities of {partnerships}")
    return len(priorities), len(measures)


def configured_measures(con) -> pd.DataFrame:
    """The measures table as load_priorities returns it (empty with the same columns when none)."""
    frame = sql.df(con.cursor(), "app/performance_measures")
    return frame[MEASURE_COLUMNS]


def load_values(con, path: str | Path) -> int:
    """Import manual measure values (CSV partnership,measure,period,value[,note]) in one transaction.

    Each row must name a manual measure of a configured partnership (import the priorities
    first) and fit its unit and frequency; a bad row refuses the whole file. A value for the
    same partnership, measure and period replaces the one loaded before, so importing the same
    file twice changes nothing. Returns the number of values loaded."""
    path = Path(path)
    measures = configured_measures(con)
    if measures.empty:
        raise InputError(path, "no priorities are configured yet: import them first with "
                               "`python -m cspdash priorities import FILE_OR_FOLDER`")
    values = load_measure_values(path, measures)
    if values.empty:
        raise InputError(path, "holds no values", 2)
    loaded_at = dt.datetime.now()
    values = values.assign(source_file=path.name, loaded_at=loaded_at)
    synthetic = int(values["synthetic"].sum())
    detail = f"{values['measure'].nunique()} measures of {values['partnership'].nunique()} partnerships"
    if synthetic:
        detail += f" ({synthetic} synthetic values)"
    with transaction(con) as cur:
        cur.register("incoming", values)
        try:
            sql.run(cur, "build/performance_upsert_values")
        finally:
            cur.unregister("incoming")
        sql.run(cur, "build/record_load", loaded_at=loaded_at, kind="measures", files=1,
                rows=len(values), detail=detail)
    return len(values)


def load_demo(con) -> str:
    """The seed partnerships' priorities (data/demo/priorities) and their synthetic manual values."""
    n_priorities, n_measures = load_config(con, config.DEMO_DIR / "priorities")
    n_values = load_values(con, config.DEMO_DIR / "measure_values.csv")
    return (f"loaded {n_priorities} priorities with {n_measures} measures for the seed partnerships, "
            f"and {n_values} synthetic manual measure values")
