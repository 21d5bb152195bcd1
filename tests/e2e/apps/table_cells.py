"""A page of one table whose cells are names as users type them: served by the e2e test of table text."""

import pandas as pd
import streamlit as st

from components import tables

# Names a consultation concern, a grant recipient or a place could have, each with characters Markdown (or
# Streamlit's extras) would style, drop or turn into something else.
AWKWARD_NAMES = [
    "Drugs *dealing* and _use_", "**Bold** claims", "St. Mary's [Trust] (2024)", "[link](http://x.org)",
    "![picture](x.png)", ":red[Alert] :smile: :material/info:", "$5 and $10 a night", "# Town centre",
    "- dash", "+ plus", "> quote", "1. first", "2) second", "---", "***", "<b>bold</b>", "back\\slash",
    "~~struck~~", "x`code`y", "Tom & Jerry &amp; &#42;", "http://x.org/a_b_c", "Anti-social behaviour",
    "Note: 10:30", "a\\*b", "a | b", "Ward_7 _fly-tipping_",
]

st.title("Table cells")
tables.show(pd.DataFrame({"name": AWKWARD_NAMES, "n": range(len(AWKWARD_NAMES))}),
            {"name": tables.Col("Name"), "n": tables.Col("Number", "count")})
