"""CSP Dashboard: the frame. Page config, the shared sidebar filters (mirrored in the URL), and
the list of pages. Run with `make run` (or `streamlit run dashboard.py`)."""

import streamlit as st

import app_data
from components import filters
from components.periods import months_between

st.set_page_config(page_title="CSP Dashboard", page_icon=":material/shield_person:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/about.py", title="About the data", icon=":material/info:"),
]
# st.navigation must come before the shared widgets: widgets drawn before it lose their value on
# every rerun (seen with Streamlit 1.67), so the sidebar sits between navigation() and run().
page = st.navigation(PAGES)

ready, problem = app_data.database_ready()
st.session_state["db_problem"] = None if ready else problem
st.session_state["filters"] = None
if ready:
    version = app_data.data_version()
    first, last = app_data.month_bounds(version)
    if first is not None:
        st.session_state["filters"] = filters.sidebar(
            app_data.area_catalogue(version), months_between(first, last), app_data.crime_types(version))

page.run()
