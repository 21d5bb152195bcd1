"""Standing notices every page may need: demo data, snap points, missing months."""

from __future__ import annotations

import streamlit as st

SNAP_POINTS = (
    "police.uk moves every record to the nearest of a set of anonymous map points (a street, a car "
    "park, a shop) to protect victims' privacy, so a point marks 'on or near' a place, never an address. "
    "Records with no location are kept and counted, but can't be mapped."
)


def demo_banner(is_demo: bool) -> None:
    if is_demo:
        st.info("**Demo data.** The street-level records on this site are synthetic, made in the exact "
                "data.police.uk format for West Mercia's Worcestershire and Herefordshire districts. The "
                "grants, consultation and priority figures come from real council reports. Load your own "
                "force's files with `python -m cspdash ingest`.", icon=":material/science:")


def no_data(message: str) -> None:
    st.warning(message, icon=":material/database:")
    st.markdown("Build the demo with `python -m cspdash demo`, or load your force's files from "
                "data.police.uk with `python -m cspdash ingest ~/Downloads/2024-xx.zip`.")
