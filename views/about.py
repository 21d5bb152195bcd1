"""About the data: sources, licences and attribution, snap points, and what was loaded."""

import streamlit as st

import app_data
from components import charts, downloads, notices, plots, tables

st.title("About the data")

st.markdown("""
**Street-level crime and anti-social behaviour** comes from [data.police.uk](https://data.police.uk/data/),
published monthly by each police force in England, Wales and Northern Ireland.
*Contains public sector information licensed under the Open Government Licence v3.0.*

**Boundaries and population**, when loaded, come from the Office for National Statistics (LSOA boundaries,
mid-year population estimates, and the LAD → CSP → police force lookup that defines partnerships).
*Source: Office for National Statistics licensed under the Open Government Licence v3.0.
Contains OS data © Crown copyright and database right.*

**Grants, consultation tallies and priorities** in the demo come from the council committee reports this
project grew from (Norwich 2011, Maldon 2011, Worcestershire 2011, Herefordshire 2017); later years are
synthetic and marked as such wherever they appear.
""")

st.subheader("What a map point means")
st.markdown(notices.SNAP_POINTS)
st.markdown("Crime categories are harmonised across police.uk's history: the older *Violent crime* is shown "
            "as *Violence and sexual offences*, and *Public disorder and weapons* as *Public order*; the "
            "original category is kept with every record.")

st.subheader("Months loaded per force")
if st.session_state.get("db_problem"):
    notices.no_data(st.session_state["db_problem"])
    st.stop()
version = app_data.data_version()
notices.demo_banner(app_data.is_demo(version))
coverage = app_data.coverage(version)
if coverage.empty:
    st.info("No street-level files are loaded yet.")
else:
    st.caption("A month a force did not publish (or you did not load) is missing, never zero: charts show a gap.")
    plots.show(charts.coverage_heatmap(coverage))
    st.markdown("**Each force's months**: the first and last month loaded, and any month missing in between.")
    tables.show(app_data.coverage_summary(version), tables.COVERAGE_SUMMARY_COLUMNS)
    downloads.download_csv(coverage, "every force and month", "coverage-by-force-and-month")

st.subheader("Load history")
st.caption("The latest 50 loads, newest first.")
tables.show(tables.load_history_table(app_data.load_history(version)), tables.LOAD_HISTORY_COLUMNS)
