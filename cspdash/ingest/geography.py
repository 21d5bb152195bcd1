"""Load the geography users have: ONS LSOA boundaries, LSOA population, LAD→CSP→force lookups,
and hand-made partnership files (including merges over time).

Each loader reads the whole file and validates it before one transaction writes it.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from cspdash import sql
from cspdash.db import transaction
from cspdash.errors import InputError

_LSOA_CODE = re.compile(r"^[EWN]0[01]\d{6}$")
_CODE_COLUMNS = ["lsoa21cd", "lsoa11cd", "lsoa code", "lsoa_code", "lsoa 2021 code", "lsoa 2011 code", "lsoa21 code"]
_NAME_COLUMNS = ["lsoa21nm", "lsoa11nm", "lsoa name", "lsoa_name", "lsoa 2021 name", "lsoa 2011 name"]


def _district_of(lsoa_name: str | None) -> str | None:
    if not lsoa_name:
        return None
    return re.sub(r"\s+[0-9]{3}[A-Z]$", "", lsoa_name.strip()) or None


def _find(columns: list[str], wanted: list[str]) -> str | None:
    lower = {c.strip().lower(): c for c in columns}
    for w in wanted:
        if w in lower:
            return lower[w]
    return None


def sniff_kind(path: Path) -> str | None:
    """Which geography file this is, from its header: population | lookup | partnerships | None."""
    if path.suffix.lower() in {".xlsx", ".xls"}:
        return "population"
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
    except (UnicodeDecodeError, OSError):
        return None
    cols = [c.strip().strip('"').lower() for c in re.split(r"[,;]", first)]
    if {"partnership", "district"} <= set(cols):
        return "partnerships"
    if any(re.fullmatch(r"csp\d\dnm|csp-name", c) for c in cols):
        return "lookup"
    if _find(cols, _CODE_COLUMNS) and any("population" in c or c in {"all ages", "total"} for c in cols):
        return "population"
    return None


# --- population ---------------------------------------------------------------------------------

def read_population(path: Path) -> pd.DataFrame:
    """ONS LSOA population (mid-year estimate workbook or a CSV export) → lsoa_code, lsoa_name, population."""
    if path.suffix.lower() in {".xlsx", ".xls"}:
        frame = _read_ons_workbook(path)
        line_offset = None
    else:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(4096)
        delim = ";" if sample.count(";") > sample.count(",") else ","
        frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", sep=delim, thousands=None)
        line_offset = 2
    code_col = _find(list(frame.columns), _CODE_COLUMNS)
    name_col = _find(list(frame.columns), _NAME_COLUMNS)
    pop_cols = [c for c in frame.columns if "population" in str(c).lower() or str(c).strip().lower() in {"all ages", "total"}]
    if not code_col or not pop_cols:
        raise InputError(path, "needs an LSOA code column and a population column (e.g. 'LSOA Code', 'Mid-2018 population')", line=1)
    pop_col = pop_cols[0]
    year = re.search(r"(19|20)\d\d", str(pop_col)) or re.search(r"(19|20)\d\d", path.name)
    values = pd.to_numeric(frame[pop_col].astype(str).str.replace(",", "").str.strip(), errors="coerce")
    bad = values.isna() | (values < 0)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(path, f"population {frame[pop_col].iloc[i]!r} is not a whole non-negative number",
                         line=(i + line_offset) if line_offset else None)
    out = pd.DataFrame({
        "lsoa_code": frame[code_col].astype(str).str.strip(),
        "lsoa_name": frame[name_col].astype(str).str.strip() if name_col else None,
        "population": values.astype(float),
    })
    out = out[out["lsoa_code"].str.match(_LSOA_CODE)]
    out["district"] = out["lsoa_name"].map(_district_of) if name_col else None
    if out.empty:
        raise InputError(path, "no LSOA codes (like E01000001) found")
    out["population_year"] = int(year.group(0)) if year else None
    return out


def _read_ons_workbook(path: Path) -> pd.DataFrame:
    """ONS workbooks put titles above the table and may head it just "Code"/"Name": find the sheet
    and row whose code column holds LSOA codes (E01…/W01…) below a population column."""
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, nrows=None)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise InputError(path, f"could not be read as an Excel workbook ({type(exc).__name__})") from None
    workbook_codes = _CODE_COLUMNS + ["code", "area codes", "area code"]
    workbook_names = {"name": "LSOA Name", "area names": "LSOA Name", "area name": "LSOA Name"}
    for frame in sheets.values():
        for i in range(min(len(frame) - 1, 30)):
            row = [str(v).strip() for v in frame.iloc[i].tolist()]
            code = _find(row, workbook_codes)
            if not code or not any("population" in c.lower() or c.lower() in {"all ages", "total"} for c in row):
                continue
            if not _LSOA_CODE.match(str(frame.iloc[i + 1, row.index(code)]).strip()):
                continue
            body = frame.iloc[i + 1:].copy()
            body.columns = [("LSOA Code" if c == code else workbook_names.get(c.lower(), c)) for c in row]
            return body
    raise InputError(path, "no sheet with an LSOA code column (like E01000001) beside a population column")


# --- boundaries ---------------------------------------------------------------------------------

def read_boundaries(path: Path) -> tuple[str, pd.DataFrame]:
    """LSOA or district boundaries (GeoJSON/TopoJSON-free) → ('lsoa'|'district', frame with geometry_geojson)."""
    import geopandas as gpd  # heavy: only when boundaries are loaded

    try:
        frame = gpd.read_file(path)
    except Exception as exc:
        raise InputError(path, f"could not be read as GeoJSON ({str(exc).splitlines()[0][:120]})") from None
    if frame.empty:
        raise InputError(path, "holds no features")
    if frame.crs is not None and frame.crs.to_epsg() not in (4326, None):
        frame = frame.to_crs(4326)
    # ~10 m tolerance keeps shapes true at street zoom while cutting the payload sent to maps.
    frame["geometry"] = frame.geometry.simplify(0.0001, preserve_topology=True)
    cols = list(frame.columns)
    code = _find(cols, _CODE_COLUMNS)
    if code:
        name = _find(cols, _NAME_COLUMNS)
        out = pd.DataFrame({
            "lsoa_code": frame[code].astype(str),
            "lsoa_name": frame[name].astype(str) if name else None,
            "geometry_geojson": [json.dumps(g.__geo_interface__) for g in frame.geometry],
        })
        out["district"] = out["lsoa_name"].map(_district_of) if name else None
        return "lsoa", out
    lad_name = next((c for c in cols if re.fullmatch(r"(?i)lad\d\dnm|lad_name|district", c)), None)
    if lad_name:
        lad_code = next((c for c in cols if re.fullmatch(r"(?i)lad\d\dcd|lad_code", c)), None)
        return "district", pd.DataFrame({
            "district": frame[lad_name].astype(str),
            "district_code": frame[lad_code].astype(str) if lad_code else None,
            "geometry_geojson": [json.dumps(g.__geo_interface__) for g in frame.geometry],
        })
    raise InputError(path, "features need LSOA11CD/LSOA21CD (LSOAs) or LADxxNM (districts) properties")


# --- partnerships -------------------------------------------------------------------------------

def read_lookup(path: Path) -> pd.DataFrame:
    """ONS 'LAD to CSP to PFA' lookup (comma or semicolon) → partnership, district, force."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(4096)
    delim = ";" if sample.count(";") > sample.count(",") else ","
    frame = pd.read_csv(path, dtype=str, sep=delim, encoding="utf-8-sig")
    cols = list(frame.columns)
    lad = next((c for c in cols if re.fullmatch(r"(?i)lad\d\dnm|lad-name", c)), None)
    csp = next((c for c in cols if re.fullmatch(r"(?i)csp\d\dnm|csp-name", c)), None)
    pfa = next((c for c in cols if re.fullmatch(r"(?i)pfa\d\dnm", c)), None)
    if not lad or not csp:
        raise InputError(path, "needs LADxxNM and CSPxxNM columns (ONS LAD to CSP to PFA lookup)", line=1)
    missing = frame[lad].isna() | frame[csp].isna()
    if missing.any():
        raise InputError(path, "district or partnership name is empty", line=int(missing.to_numpy().nonzero()[0][0]) + 2)
    return pd.DataFrame({
        "partnership": frame[csp].str.strip(), "district": frame[lad].str.strip(),
        "force": frame[pfa].str.strip() if pfa else None,
        "valid_from": pd.NaT, "valid_to": pd.NaT, "source": Path(path).name,
    })


def read_partnerships(path: Path) -> pd.DataFrame:
    """Hand-made partnerships: partnership,district[,force,valid_from,valid_to] (dates YYYY-MM-DD)."""
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            line = reader.line_num
            if not (row.get("partnership") or "").strip() or not (row.get("district") or "").strip():
                raise InputError(path, "partnership and district must both be given", line=line)
            dates = {}
            for key in ("valid_from", "valid_to"):
                text = (row.get(key) or "").strip()
                try:
                    dates[key] = datetime.strptime(text, "%Y-%m-%d").date() if text else None
                except ValueError:
                    raise InputError(path, f"{key} {text!r} is not a date YYYY-MM-DD", line=line) from None
            if dates["valid_from"] and dates["valid_to"] and dates["valid_to"] < dates["valid_from"]:
                raise InputError(path, "valid_to is before valid_from", line=line)
            rows.append({"partnership": row["partnership"].strip(), "district": row["district"].strip(),
                         "force": (row.get("force") or "").strip() or None, **dates,
                         "source": (row.get("source") or "").strip() or Path(path).name})
    if not rows:
        raise InputError(path, "file is empty", line=1)
    return pd.DataFrame(rows)


# --- writing ------------------------------------------------------------------------------------

def load(con, path: Path, kind: str | None = None) -> tuple[str, int]:
    """Read one geography file fully, then write it in one transaction. Returns (kind, rows)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    if kind is None:
        kind = "boundaries" if path.suffix.lower() in {".geojson", ".json"} else sniff_kind(path)
    if kind is None:
        raise InputError(path, "not a file cspdash knows (street CSV, boundaries, population, lookup or partnerships)", line=1)
    loaded_at = datetime.now()
    if kind == "population":
        frame = read_population(path)
        queries = ["build/upsert_population"]
    elif kind == "boundaries":
        sub, frame = read_boundaries(path)
        queries = ["build/upsert_lsoa_boundaries"] if sub == "lsoa" else ["build/upsert_district_boundaries"]
        frame["source"] = path.name
    elif kind in {"lookup", "partnerships"}:
        frame = read_lookup(path) if kind == "lookup" else read_partnerships(path)
        queries = ["build/replace_partnerships"]
    else:
        raise ValueError(kind)
    frame["source"] = frame.get("source", path.name)
    with transaction(con) as cur:
        cur.register("incoming", frame)
        try:
            for q in queries:
                sql.run(cur, q)
        finally:
            cur.unregister("incoming")
        sql.run(cur, "build/record_load", loaded_at=loaded_at, kind="geography", files=1,
                rows=len(frame), detail=f"{kind}: {path.name}")
    return kind, len(frame)
