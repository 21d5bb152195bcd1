"""The shared sidebar: area, period and crime types, mirrored in the URL so a link reproduces a view.

Pure helpers (parse/encode) are unit-tested; sidebar() draws the widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

KIND_LABEL = {"force": "Force", "partnership": "Partnership", "district": "District"}


@dataclass(frozen=True)
class Filters:
    kind: str
    name: str
    date_from: date
    date_to: date
    types: tuple[str, ...]  # empty = every type

    @property
    def area_label(self) -> str:
        return f"{self.name} ({KIND_LABEL.get(self.kind, self.kind).lower()})"

    @property
    def types_label(self) -> str:
        return "all crime types and ASB" if not self.types else ", ".join(self.types)

    @property
    def period_label(self) -> str:
        return f"{month_text(self.date_from)} – {month_text(self.date_to)}"


def month_text(d: date) -> str:
    return pd.Timestamp(d).strftime("%b %Y")


def area_options(catalogue: pd.DataFrame) -> list[str]:
    """'kind:name' keys for areas with records, forces first (an area with no data is no use)."""
    usable = catalogue[catalogue["records"].fillna(0) > 0]
    return [f"{k}:{n}" for k, n in zip(usable["kind"].astype(str), usable["name"])]


def format_area(key: str) -> str:
    kind, _, name = key.partition(":")
    return f"{name} — {KIND_LABEL.get(kind, kind).lower()}"


def parse_params(params: dict, options: list[str], months: list[date], types: list[str]) -> dict:
    """Validated widget defaults from URL parameters; anything unknown falls back to a default."""
    by_text = {pd.Timestamp(m).strftime("%Y-%m"): m for m in months}
    area = params.get("area")
    start = by_text.get(params.get("from", ""))
    end = by_text.get(params.get("to", ""))
    default_end = months[-1]
    default_start = months[max(0, len(months) - 12)]
    chosen_types = [t for t in (params.get("types") or "").split("|") if t in types]
    if start and end and start > end:
        start, end = end, start
    return {
        "area": area if area in options else (options[0] if options else None),
        "period": (start or default_start, end or default_end),
        "types": chosen_types,
    }


def encode_params(f: Filters) -> dict[str, str]:
    out = {"area": f"{f.kind}:{f.name}", "from": f.date_from.strftime("%Y-%m"), "to": f.date_to.strftime("%Y-%m")}
    if f.types:
        out["types"] = "|".join(f.types)
    return out


def sidebar(catalogue: pd.DataFrame, months: list[date], types: list[str]) -> Filters | None:
    """Draw the shared filters (once per run, from dashboard.py) and keep the URL in step."""
    options = area_options(catalogue)
    if not options or not months:
        return None
    # The URL is the single source of truth: defaults come from it on every run, and the URL is
    # rewritten from the widgets' values, so a shared link reproduces the view exactly.
    params = dict(st.query_params)
    if "area" not in params:
        # Moving between pages drops the query string: carry the last view over in the session.
        params = st.session_state.get("last_filter_params", params)
    defaults = parse_params(params, options, months, types)
    with st.sidebar:
        st.header("Show me")
        area = st.selectbox("Area", options, index=options.index(defaults["area"]), format_func=format_area,
                            key="f_area", help="A police force, a community safety partnership, or a district.")
        start, end = st.select_slider("Months", options=months, value=defaults["period"], format_func=month_text,
                                      key="f_period",
                                      help="The period the hotspot and performance pages use. "
                                           "The overview compares the 12 months to the end month with the 12 before.")
        chosen = st.multiselect("Crime types", types, default=defaults["types"], key="f_types",
                                placeholder="All crime types and ASB",
                                help="Leave empty for every type, anti-social behaviour included.")
    kind, _, name = area.partition(":")
    filters = Filters(kind, name, start, end, tuple(chosen))
    wanted = encode_params(filters)
    st.session_state["last_filter_params"] = wanted
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)
    return filters


def current() -> Filters | None:
    """The filters the frame drew on this run (pages call this)."""
    return st.session_state.get("filters")


def require() -> Filters:
    """The shared filters for a page that needs street-level records; otherwise say how to load
    some, in plain words, and stop the page there."""
    from components import notices

    filters = current()
    if filters is None:
        notices.no_data(st.session_state.get("db_problem") or "No street-level records are loaded yet.")
        st.stop()
    return filters
