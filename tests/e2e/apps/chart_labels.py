"""A page of one bar chart whose categories, legend and title hold names as users type them: served by the e2e
test of chart text."""

import streamlit as st

from components import plots
from components.charts import NAMES_AXIS
from components.echart import bar, category_axis, chart, value_axis

# Names with what HTML or ECharts could read as markup (tags, entities, ECharts' rich-text and template
# braces), and ordinary ones that must stay as they are.
AWKWARD_NAMES = ["<b>Bold</b> claims", "Fees <br> charges", "<i>Italic", "R&amp;D grants", "&#42; starred",
                 '<a href="http://x.org">link</a>', "Tom & Jerry", "St. Mary's (2024)", "a < b > c",
                 "{bold|Rich} text", "Pay {a} and {b}"]
RECIPIENT = "<sup>Top</sup> & co"

st.title("Chart labels")
plots.show(chart(f"Money to {RECIPIENT}", [bar(RECIPIENT, list(range(1, len(AWKWARD_NAMES) + 1)), "#0072B2")],
                 x_axis=value_axis("£"), y_axis=category_axis(AWKWARD_NAMES, **NAMES_AXIS), height=560))
