"""The officers' entry form for one consultation event: fill in, check, confirm, save.

Shown only when data entry is switched on. The checking and the saving are passed in
(app_data's validate and save), so this module never touches the database itself.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

import pandas as pd
import streamlit as st

from components import markup
from components.consultation_charts import blank_entry

PENDING = "c_entry_pending"
FLASH = "c_entry_saved"

ROW_COLUMNS = {
    "category": st.column_config.TextColumn("Concern (as on the pot or question)", required=False, width="large"),
    "tokens": st.column_config.NumberColumn("Tokens / answers / dots", min_value=0, step=1, format="%d"),
    "weight": st.column_config.NumberColumn("Points per dot (dots only: 3, 2 or 1)", min_value=1, max_value=3,
                                            step=1, format="%d"),
}


def _summary(entry: dict) -> str:
    rows = entry["rows"]
    counted = rows[rows["category"].notna() & (rows["category"].astype(str).str.strip() != "")]
    tokens = int(pd.to_numeric(counted["tokens"], errors="coerce").fillna(0).sum())
    return (f"{markup.bold(entry['event'])} on {entry['event_date']:%d %b %Y} in {markup.bold(entry['area'])}, "
            f"{markup.plain(entry['method'])}: {len(counted)} concerns, {tokens:,} tokens in all.")


def entry_form_ui(methods: tuple[str, ...], area_names: list[str], start_categories: list[str],
                  validate: Callable[..., list[str]], save: Callable[..., tuple[bool, str]],
                  existing_events: list[str]) -> None:
    """Draw the form; on 'Check' show the problems or a confirmation step; on 'Save' write."""
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(markup.plain(flash), icon=":material/check_circle:")
    with st.form("c_entry_form"):
        top = st.columns([3, 2])
        event = top[0].text_input("Event name", key="c_entry_event", placeholder="e.g. Heybridge Fete 2026")
        event_date = top[1].date_input("Date of the event", value=date.today(), key="c_entry_date",
                                       format="DD/MM/YYYY")
        mid = st.columns([3, 2])
        area = mid[0].selectbox("Area (district or partnership)", area_names, index=None, key="c_entry_area",
                                accept_new_options=True, placeholder="Choose or type the area")
        method = mid[1].selectbox("Method", methods, key="c_entry_method")
        st.caption("One row per concern. The table starts with the concerns of the event shown above; "
                   "change, add or delete rows to match your pots. For dots, add one row per concern "
                   "and points value.")
        rows = st.data_editor(blank_entry(start_categories), num_rows="dynamic", key="c_entry_rows",
                              column_config=ROW_COLUMNS, hide_index=True, width="stretch", placeholder="")
        checked = st.form_submit_button("Check the entry", icon=":material/fact_check:")
    if checked:
        problems = validate(event, event_date, area, method, rows)
        st.session_state[PENDING] = None
        if problems:
            st.error("Not saved. Please fix:\n\n" + markup.bullets(problems),
                     icon=":material/error:")
        else:
            st.session_state[PENDING] = dict(event=event.strip(), event_date=event_date, area=area,
                                             method=method, rows=rows.copy())
    entry = st.session_state.get(PENDING)
    if not entry:
        return
    replaces = entry["event"] in existing_events
    st.info("Check before saving: " + _summary(entry)
            + (" **An event with this name is already loaded: saving replaces it.**" if replaces else ""),
            icon=":material/task_alt:")
    left, right = st.columns(2)
    if left.button("Save to the database", type="primary", key="c_entry_save", icon=":material/save:"):
        ok, message = save(entry["event"], entry["event_date"], entry["area"], entry["method"], entry["rows"])
        st.session_state[PENDING] = None
        if ok:  # rerun so the new event shows in the lists above; say so once
            st.session_state[FLASH] = message[:1].upper() + message[1:] + "."
            st.rerun()
        st.error(markup.plain(message), icon=":material/error:")
    if right.button("Go back and edit", key="c_entry_cancel"):
        st.session_state[PENDING] = None
        st.rerun()
