"""CSP Dashboard: the frame. Page config, the shared sidebar filters (mirrored in the URL), and
the list of pages. Run with `make run` (or `streamlit run dashboard.py`)."""

import streamlit as st

import app_data
from components import filters, run_log, warmup
from components.periods import months_between

timer = run_log.RunTimer()  # the server's time for this run, logged when CSPDASH_RUN_LOG=1
st.set_page_config(page_title="CSP Dashboard", page_icon=":material/shield_person:", layout="wide")
warmup.start((app_data.warm_core,))  # once per process: first-use costs, off the visitor's run

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/hotspots.py", title="Hotspots", icon=":material/map:"),
    st.Page("views/consultation.py", title="What residents told us", icon=":material/how_to_vote:"),
    st.Page("views/performance.py", title="Priorities and performance", icon=":material/monitoring:"),
    st.Page("views/funding.py", title="Funding", icon=":material/payments:"),
    st.Page("views/about.py", title="About the data", icon=":material/info:"),
]
# The pages live in views/, not pages/: Streamlit 1.67 treats a pages/ folder as an old-style
# multipage app, and a fresh server then answers the first deep link (/hotspots?...) without this
# frame — no shared filters, raw file names in the menu.
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

with timer.page(page.url_path):
    page.run()
