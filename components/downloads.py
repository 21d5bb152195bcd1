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
    st.download_button(f"Download {label} (CSV)", csv_bytes(frame), file_name=f"{slug(name)}.csv",
                       mime="text/csv", key=key or f"dl-{slug(name)}", icon=":material/download:")
