"""The performance page: each partnership's priorities, their measures as XmR (SPC) charts, targets,
RAG, rates per 1,000 residents and each district's share of its force. Shared by CLI and app.

Which priorities apply to an area (documented on the page and in `python -m cspdash performance -h`):

* a configured partnership (its YAML file) applies when the area asked for is that partnership,
  by its partnership name or its `area` name ("Herefordshire", "North Worcestershire");
* a district uses a partnership's configuration only when it is the one district of that
  partnership with police data ("Herefordshire, County of" → Herefordshire): a district of a
  larger partnership gets the standard police measures instead, because the partnership's
  targets are set for the whole partnership, not for one of its districts;
* every other area (a force, an unconfigured partnership or district, everything loaded) gets
  the standard police measures (`default_police_measures`): counts per month, lower is better,
  no baseline and no target, so an area with only police data still gets charts.

Police measures count the measure's crime types each month in the configured districts (or the
chosen area) from `crime_monthly`, counting only the area's home force(s) (the force holding most
of each district's records); a month the home force did not publish is a gap (NaN), never zero,
even when another force loaded that month placed a stray record in the area.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from cspdash import areas, sql
from cspdash.analysis import performance as spc
from cspdash.errors import InputError
from cspdash.ingest.priorities import MEASURE_COLUMNS, default_police_measures
from cspdash.periods import add_months, month_label, parse_month
from cspdash.reports.overview import loaded_months

CLI_COLUMNS = ["priority", "measure", "period", "value", "target", "rag", "spc_signal"]
# A force's real districts each hold well over 1% of its records (the Met's 32 boroughs ~3% each);
# a district with less than this share is a stray placement, not part of the force's area.
STRAY_SHARE = 0.005


@dataclass
class MeasureView:
    """One measure: its configuration, its XmR chart (counts as configured, and per 1,000
    residents when population is loaded) and the plain sentences."""

    priority: str
    name: str
    kind: str                      # police | manual
    unit: str                      # count | percent | rate_per_1000 | value
    better: str
    frequency: str
    synthetic: bool
    description: str | None
    crime_types: str | None
    result: spc.XmrResult | None   # None: no figures for this area
    sentence: str
    no_data_reason: str = ""
    rate: spc.XmrResult | None = None
    rate_sentence: str = ""

    @property
    def has_data(self) -> bool:
        return self.result is not None

    def series_frame(self, per_1000: bool = False) -> pd.DataFrame:
        """The chart's numbers, for the CSV download."""
        res = self.rate if per_1000 and self.rate is not None else self.result
        if res is None:
            return pd.DataFrame(columns=["period", "value"])
        p = res.points.copy()
        p["period"] = p["period"].dt.strftime("%Y-%m")
        p.insert(0, "measure", self.name)
        p.insert(2, "unit", "rate_per_1000" if res is self.rate and res is not self.result else self.unit)
        p["trial_limits"] = res.trial_limits
        return p


@dataclass
class Performance:
    label: str                     # what the page's heading names
    partnership: str | None        # the configured partnership, None for standard measures
    note: str                      # which configuration applies and why
    area: areas.Area               # where police measures are counted
    as_at: date | None             # the last month used
    population: float | None
    population_year: int | None
    measures: list[MeasureView] = field(default_factory=list)
    districts: pd.DataFrame = field(default_factory=pd.DataFrame)
    shares_period: str = ""

    @property
    def configured(self) -> bool:
        return self.partnership is not None

    def summary(self) -> pd.DataFrame:
        """One row per measure: latest value and month, baseline, target, variation, assurance, RAG."""
        rows = []
        for m in self.measures:
            r = m.result
            rows.append({
                "priority": m.priority, "measure": m.name, "unit": m.unit, "better": m.better,
                "latest_period": r.latest_period if r else pd.NaT,
                "latest_value": r.latest_value if r else np.nan,
                "baseline": _baseline_text(r) if r else "",
                "baseline_mean": r.mean if r and np.isfinite(r.mean) else np.nan,
                "target": r.target if r and r.target is not None else np.nan,
                "variation": _latest_variation(r),
                "assurance": r.assurance if r else None,
                "rag": r.rag if r else None,
                "points": int(r.points["value"].notna().sum()) if r else 0,
                "limits_from": r.n_limit_points if r else 0,
                "frequency": m.frequency,
                "synthetic": m.synthetic,
                "note": m.no_data_reason or _rag_note(r),
            })
        return pd.DataFrame(rows)

    def rows(self) -> pd.DataFrame:
        """The command line's rows: priority,measure,period,value,target,rag,spc_signal, one per
        measure and period (month; quarter or year for such manual measures)."""
        parts = [spc.performance_rows(m.result, m.priority, m.name) for m in self.measures if m.result]
        if not parts:
            return pd.DataFrame(columns=CLI_COLUMNS)
        out = pd.concat(parts, ignore_index=True)
        out["period"] = out["period"].dt.strftime("%Y-%m")
        return out[CLI_COLUMNS]

    def rate_rows(self) -> pd.DataFrame:
        """The same rows per 1,000 residents, for police count measures (others as they are)."""
        parts = []
        for m in self.measures:
            res = m.rate if m.rate is not None else m.result
            if res is not None:
                parts.append(spc.performance_rows(res, m.priority, m.name + (" per 1,000 residents" if m.rate else "")))
        if not parts:
            return pd.DataFrame(columns=CLI_COLUMNS)
        out = pd.concat(parts, ignore_index=True)
        out["period"] = out["period"].dt.strftime("%Y-%m")
        return out[CLI_COLUMNS]

    def share_sentences(self) -> list[str]:
        """Norwich-style: 'Worcester: about 30% of West Mercia Police's crime and 25% of its ASB'."""
        out = []
        for row in self.districts.itertuples():
            if pd.isna(row.force_crime_share) and pd.isna(row.force_asb_share):
                continue
            out.append(f"{row.district}: about {_pct(row.force_crime_share)} of {row.force}'s recorded crime "
                       f"and {_pct(row.force_asb_share)} of its anti-social behaviour")
        return out


def _text_or_none(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _pct(x: float) -> str:
    if pd.isna(x):
        return "an unknown share"
    return f"{x * 100:.0f}%" if x >= 0.095 else f"{x * 100:.1f}%"


def _baseline_text(r: spc.XmrResult) -> str:
    if r.baseline is not None and r.baseline_applied:
        return f"{r.baseline[0]:%b %Y}–{r.baseline[1]:%b %Y}"
    return f"all {r.n_limit_points} points"


def _latest_variation(r: spc.XmrResult | None) -> str | None:
    if r is None or r.latest_period is None:
        return None
    p = r.points
    return str(p.loc[p["period"] == r.latest_period, "variation"].iloc[0])


def _rag_note(r: spc.XmrResult | None) -> str:
    if r is None:
        return ""
    if r.n_limit_points < spc.MIN_POINTS_FOR_RAG:
        return f"not rated: {r.n_limit_points} points behind the usual range, a rating needs {spc.MIN_POINTS_FOR_RAG}"
    if r.rag is None:
        return "not rated: no target and no sign of change"
    return ""


# ---------------------------------------------------------------------------------------------
# Which measures apply


def configurations(cur) -> pd.DataFrame:
    """Configured partnerships: partnership, area, districts ('|'-joined), measures, manual."""
    return _configurations_of(sql.df(cur, "app/performance_measures"))


def _configurations_of(m: pd.DataFrame) -> pd.DataFrame:
    """configurations() from the performance_measures rows already read."""
    if m.empty:
        return pd.DataFrame(columns=["partnership", "area", "districts", "measures"])
    return (m.groupby("partnership", sort=True)
             .agg(area=("area", "first"), districts=("districts", "first"), measures=("measure", "size"))
             .reset_index())


def _config_for_name(configs: pd.DataFrame, name: str) -> str | None:
    wanted = name.strip().lower()
    for row in configs.itertuples():
        if wanted in (row.partnership.lower(), row.area.lower()):
            return row.partnership
    return None


def _districts_with_data(cur, districts: list[str]) -> list[str]:
    far = date(1900, 1, 1)
    frame = sql.df(cur, "app/performance_district_counts", force=None, districts=districts,
                   date_from=far, date_to=date(9999, 12, 1))
    return sorted(set(frame["district"]))


def _config_for_area(cur, configs: pd.DataFrame, area: areas.Area) -> tuple[str | None, str]:
    """(partnership or None, the sentence saying which measures apply and why)."""
    if area.kind in ("partnership", "force", "all"):
        hit = _config_for_name(configs, area.name) if area.kind != "all" else None
        if hit:
            return hit, f"{hit} partnership's priorities, measures and targets, from its configuration file."
        return None, (f"No priorities are configured for {area.label}, so these are the standard police "
                      "measures: monthly counts from police.uk, with no baseline period or target.")
    # A district: its partnership's configuration only when it is that partnership's one district with data.
    for row in configs.itertuples():
        listed = row.districts.split("|")
        if area.name in listed and _districts_with_data(cur, listed) == [area.name]:
            return row.partnership, (f"{row.partnership} partnership's priorities: {area.name} is the "
                                     "partnership's only district with police data.")
    members = [r.partnership for r in configs.itertuples() if area.name in r.districts.split("|")]
    extra = (f" {area.name} is part of {members[0]}, whose priorities are set for the whole partnership: "
             f"choose {members[0]} to see them." if members else "")
    return None, (f"Standard police measures for {area.name}: monthly counts from police.uk, with no "
                  f"baseline period or target.{extra}")


def _scope(configs: pd.DataFrame, area_name: str | None, area: areas.Area | None, partnership: str | None):
    if partnership:
        hit = _config_for_name(configs, partnership)
        if hit is None:
            raise InputError(None, f"no priorities are configured for {partnership!r}")
        return hit, f"{hit} partnership's priorities, measures and targets, from its configuration file."
    if area is None and area_name:
        hit = _config_for_name(configs, area_name)
        if hit:  # a configured partnership need not have police data (Norwich, Maldon in the demo)
            return hit, f"{hit} partnership's priorities, measures and targets, from its configuration file."
    return None, None


# ---------------------------------------------------------------------------------------------
# Series


def _police_series(crime_types: str, counts: pd.DataFrame, covered: list[date]) -> pd.Series:
    """Monthly count of the measure's crime types: 0 in a covered month with none, NaN in a month not covered."""
    types = crime_types.split("|")
    mine = counts[counts["crime_type"].isin(types)].groupby("month", as_index=False)["n"].sum()
    return spc.series_with_gaps(mine.rename(columns={"n": "count"}), covered)


def _home_forces(cur, area: areas.Area) -> list[str] | None:
    """The forces whose records make up the area: the force itself, or for districts the force
    holding most of each district's records (None: every force). A stray record of another force
    in the area must not make that force's months count, or months the home force never
    published would show as zeros."""
    if area.force is not None:
        return [area.force]
    if area.districts is None:
        return None
    frame = sql.df(cur, "app/performance_district_counts", force=None, districts=list(area.districts),
                   date_from=date(1900, 1, 1), date_to=date(9999, 12, 1))
    if frame.empty:
        return []
    frame["records"] = frame["crimes"] + frame["asb"]
    home = frame.sort_values(["records", "force"], ascending=[False, True]).drop_duplicates("district")
    return sorted(set(home["force"]))


def _rate_spec(spec: dict, population: float) -> dict:
    out = dict(spec)
    if pd.notna(out.get("target_value")):
        out["target_value"] = float(out["target_value"]) / population * 1000.0
    return out


def _evaluate(series: pd.Series, spec: dict, name: str, label: str, unit: str):
    result = spc.evaluate_measure(series, spec)
    return result, spc.plain_sentence(name, label, result, unit)


def performance(cur, area_name: str | None = None, *, area: areas.Area | None = None,
                partnership: str | None = None, to_month: str | date | None = None) -> Performance:
    """Every measure of the priorities that apply to an area (see the module docstring) up to a month.

    area_name: a configured partnership, force, partnership or district name (case-insensitive);
    area: an already-resolved area (the app); partnership: force one partnership's configuration;
    to_month: the last month used (default: the latest loaded; manual values up to it too).
    """
    _, latest = loaded_months(cur)
    as_at = parse_month(to_month, "--to") if isinstance(to_month, str) else (to_month or latest)
    all_measures = sql.df(cur, "app/performance_measures")  # read once: the configurations come from it too
    configs = _configurations_of(all_measures)
    chosen, note = _scope(configs, area_name, area, partnership)
    if chosen is None:
        area = area or areas.resolve(cur, area_name)
        chosen, note = _config_for_area(cur, configs, area)
    if chosen is not None:
        measures = all_measures[all_measures["partnership"] == chosen].sort_values("measure_order")
        districts = tuple(measures["districts"].iloc[0].split("|"))
        police_area = areas.Area("partnership", chosen, districts=districts)
        label = chosen
    else:
        police_area = area
        label = area.label
        districts = area.districts
        measures = default_police_measures(area.name, list(districts) if districts else None)
        measures["priority_order"] = 1
    as_at = as_at or date.today().replace(day=1)

    forces = _home_forces(cur, police_area)
    covered = [] if forces == [] else [
        m for m in sql.df(cur, "app/performance_force_months", forces=forces)["month"].dt.date if m <= as_at]
    districts_param = list(police_area.districts) if police_area.districts is not None else None
    counts = sql.df(cur, "app/performance_monthly_counts", forces=forces, districts=districts_param, date_to=as_at)
    district_table = _districts(cur, police_area, covered, as_at)
    population, pop_year = _population(district_table, police_area)
    # Manual values stop at the end month only when an earlier month than the latest police month
    # is asked for: by default a partnership sees every value it has loaded.
    values_to = as_at if (to_month and latest and as_at < latest) else date(9999, 12, 1)
    values = sql.df(cur, "app/performance_values", partnership=chosen, date_to=values_to) if chosen else None

    views = []
    for spec in measures[MEASURE_COLUMNS].to_dict("records"):
        views.append(_measure_view(spec, label, police_area, counts, covered, values, population))
    shares_period = ""
    if covered:
        start = add_months(as_at, -11)
        published = sum(1 for m in covered if m >= start)
        shares_period = f"{month_label(start)} – {month_label(as_at)}"
        if published < 12:
            shares_period += f" ({published} of the 12 months published)"
    return Performance(label=label, partnership=chosen, note=note, area=police_area, as_at=as_at,
                       population=population, population_year=pop_year, measures=views,
                       districts=district_table, shares_period=shares_period)


def _measure_view(spec: dict, label: str, police_area: areas.Area, counts: pd.DataFrame,
                  covered: list[date], values: pd.DataFrame | None, population: float | None) -> MeasureView:
    name, unit = spec["measure"], spec["unit"]
    view = MeasureView(priority=spec["priority"], name=name, kind=spec["kind"], unit=unit,
                       better=spec["better"], frequency=spec["frequency"] or "monthly",
                       synthetic=bool(spec["synthetic"]), description=_text_or_none(spec.get("description")),
                       crime_types=spec.get("crime_types"), result=None, sentence="")
    if spec["kind"] == "police":
        series = _police_series(spec["crime_types"], counts, covered)
        if series.notna().sum() == 0:
            view.no_data_reason = f"no police records are loaded for {label}"
        elif unit == "rate_per_1000":
            if not population:
                view.no_data_reason = "needs the population, which is not loaded for this area"
            else:
                rates = spc.rate_per_1000(series, population)
                view.result, view.sentence = _evaluate(rates, spec, name, label, unit)
        else:
            view.result, view.sentence = _evaluate(series, spec, name, label, unit)
            if population and unit == "count":
                rates = spc.rate_per_1000(series, population)
                rspec = _rate_spec(spec, population)
                view.rate, view.rate_sentence = _evaluate(rates, rspec, name, label, "rate_per_1000")
    else:
        mine = values[values["measure"] == name] if values is not None else pd.DataFrame()
        if mine.empty:
            view.no_data_reason = "no values have been imported for this measure"
        else:
            view.synthetic = view.synthetic or bool(mine["synthetic"].any())
            series = mine.set_index("period")["value"]
            view.result, view.sentence = _evaluate(series, spec, name, label, unit)
    if view.result is None:
        view.sentence = f"{name} in {label}: no figures — {view.no_data_reason}."
    return view


# ---------------------------------------------------------------------------------------------
# Districts side by side and their share of the force


def _districts(cur, area: areas.Area, covered: list[date], as_at: date) -> pd.DataFrame:
    """Per district of the area, the last 12 months to as_at: crime (excluding ASB) and ASB, per
    1,000 residents when population is loaded, and the share of its force's records."""
    columns = ["district", "force", "population", "crimes", "asb", "crimes_per_1000", "asb_per_1000",
               "force_crime_share", "force_asb_share"]
    if not covered:
        return pd.DataFrame(columns=columns)
    start = add_months(as_at, -11)
    counts = sql.df(cur, "app/performance_district_counts", **areas.area_params(area), date_from=start, date_to=as_at)
    if counts.empty:
        return pd.DataFrame(columns=columns)
    # police.uk places a few records of a force in districts far away (real Norfolk files hold a
    # couple in Birmingham and Croydon). A district belongs to a force when that force holds most of
    # its records and they are at least STRAY_SHARE of the force's records, so strays are neither
    # shown as districts of the area nor add their residents to its population.
    every_force = sql.df(cur, "app/performance_district_counts", force=None, districts=sorted(set(counts["district"])),
                         date_from=start, date_to=as_at)
    every_force["records"] = every_force["crimes"] + every_force["asb"]
    home = every_force.sort_values(["records", "force"], ascending=[False, True]).drop_duplicates("district")
    counts = counts.merge(home[["district", "force"]], on=["district", "force"], how="inner")
    if counts.empty:
        return pd.DataFrame(columns=columns)
    forces = sql.df(cur, "app/performance_force_counts", forces=sorted(set(counts["force"])),
                    date_from=start, date_to=as_at).set_index("force")
    force_records = counts["force"].map(forces["crimes"] + forces["asb"])
    counts = counts[(counts["crimes"] + counts["asb"]) >= STRAY_SHARE * force_records]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    pop = sql.df(cur, "app/performance_population", districts=sorted(set(counts["district"])))
    out = counts.merge(pop[["district", "population", "population_year"]], on="district", how="left")
    out["population"] = out["population"].where(out["population"] > 0)
    out["crimes_per_1000"] = spc.rate_per_1000(out["crimes"], out["population"])
    out["asb_per_1000"] = spc.rate_per_1000(out["asb"], out["population"])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["force_crime_share"] = out["crimes"] / out["force"].map(forces["crimes"]).replace(0, np.nan)
        out["force_asb_share"] = out["asb"] / out["force"].map(forces["asb"]).replace(0, np.nan)
    out = out.sort_values(["crimes", "district"], ascending=[False, True], ignore_index=True)
    return out[columns + ["population_year"]]


def _population(district_table: pd.DataFrame, area: areas.Area) -> tuple[float | None, int | None]:
    """Residents of the area: the population of its districts with records (None when not loaded)."""
    if district_table.empty or district_table["population"].isna().all():
        return None, None
    frame = district_table.drop_duplicates("district")
    if frame["population"].isna().any():  # a district without population: no honest total
        return None, None
    year = frame["population_year"].dropna()
    return float(frame["population"].sum()), (int(year.max()) if len(year) else None)
