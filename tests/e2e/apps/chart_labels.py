"""A page of one bar chart whose categories, legend and title hold names as users type them: served by the e2e
test of chart text."""

import streamlit as st

from components.charts import layout
from components.figures import figure

# Names with what Plotly would read as markup (tags, entities), and ordinary ones that must stay as they are.
AWKWARD_NAMES = ["<b>Bold</b> claims", "Fees <br> charges", "<i>Italic", "R&amp;D grants", "&#42; starred",
                 '<a href="http://x.org">link</a>', "Tom & Jerry", "St. Mary's (2024)", "a < b > c"]
RECIPIENT = "<sup>Top</sup> & co"

st.title("Chart labels")
st.plotly_chart(figure(
    [{"type": "bar", "orientation": "h", "y": AWKWARD_NAMES, "x": list(range(1, len(AWKWARD_NAMES) + 1)),
      "name": RECIPIENT, "showlegend": True}],
    layout(f"Money to {RECIPIENT}", "", height=520, yaxis={"title": None, "automargin": True})), width="stretch")
