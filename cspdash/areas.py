"""Areas a user can pick: a force, a partnership (a group of districts) or a district.

Every read query takes the same filter: $force (or NULL) and $districts (a list, or NULL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from cspdash import sql
from cspdash.errors import InputError

KINDS = ("force", "partnership", "district")


@dataclass(frozen=True)
class Area:
    kind: str                      # force | partnership | district | all
    name: str
    force: str | None = None       # filter on the force whose area a record falls within
    districts: tuple[str, ...] | None = None

    @property
    def label(self) -> str:
        return "all loaded areas" if self.kind == "all" else self.name


ALL = Area("all", "All areas")


def catalogue(cur) -> pd.DataFrame:
    """kind, name, force, records — forces first, then partnerships, then districts."""
    frame = sql.df(cur, "app/area_catalogue")
    frame["kind"] = pd.Categorical(frame["kind"], KINDS, ordered=True)
    return frame.sort_values(["kind", "name"]).reset_index(drop=True)


def resolve(cur, name: str | None, known: pd.DataFrame | None = None) -> Area:
    """Find an area by name (a force, a partnership or a district; case-insensitive). ``known`` is the
    catalogue when the caller already holds it (resolving many names need not read it each time)."""
    if not name:
        return ALL
    cat = catalogue(cur) if known is None else known
    hits = cat[cat["name"].str.lower() == name.strip().lower()]
    if hits.empty:
        close = cat[cat["name"].str.lower().str.contains(name.strip().lower()[:4], regex=False)]["name"]
        hint = f"; did you mean {', '.join(close.head(5))}?" if len(close) else ""
        raise InputError(None, f"no area named {name!r} in the database{hint}")
    row = hits.iloc[0]  # forces, then partnerships, then districts: the widest reading wins
    return area_from(cur, str(row["kind"]), str(row["name"]))


def area_from(cur, kind: str, name: str) -> Area:
    if kind == "force":
        return Area("force", name, force=name)
    if kind == "partnership":
        districts = tuple(sql.df(cur, "app/partnership_districts", partnership=name)["district"])
        return Area("partnership", name, districts=districts)
    if kind == "district":
        return Area("district", name, districts=(name,))
    return ALL


def filter_params(area: Area, date_from: date, date_to: date, types: list[str] | None = None) -> dict:
    """The standard filter parameters for queries/app/*.sql."""
    return {
        "force": area.force,
        "districts": list(area.districts) if area.districts is not None else None,
        "date_from": date_from,
        "date_to": date_to,
        "types": list(types) if types else None,
    }


def area_params(area: Area) -> dict:
    return {"force": area.force, "districts": list(area.districts) if area.districts is not None else None}
