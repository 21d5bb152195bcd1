"""CSV downloads of the numbers behind every chart."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def download_csv(frame: pd.DataFrame, label: str, name: str, key: str | None = None) -> None:
    """A button that downloads `frame` as CSV. The CSV is written when clicked, not on every run: eager,
    each page run wrote every table it offers (a force's hotspot squares alone are 160 kB) and the
    browser fetched them all as the page loaded, about a third of the hotspot page's data. A download
    does not rerun the page either (on_click="ignore")."""
    st.download_button(f"Download {label} (CSV)", lambda: csv_bytes(frame), file_name=f"{slug(name)}.csv",
                       mime="text/csv", key=key or f"dl-{slug(name)}", icon=":material/download:",
                       on_click="ignore")
