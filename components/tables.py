"""Column formats for tables shown on pages: units and plain headings."""

import streamlit as st

DISTRICT_COLUMNS = {
    "district": st.column_config.TextColumn("District"),
    "crimes": st.column_config.NumberColumn("Crimes (excl. ASB)", format="localized"),
    "asb": st.column_config.NumberColumn("ASB incidents", format="localized"),
    "records": st.column_config.NumberColumn("All records", format="localized"),
    "crime_share": st.column_config.NumberColumn("Share of area's crime", format="percent"),
    "asb_share": st.column_config.NumberColumn("Share of area's ASB", format="percent"),
}

COVERAGE_COLUMNS = {
    "force": st.column_config.TextColumn("Force"),
    "month": st.column_config.TextColumn("Month"),
    "rows": st.column_config.NumberColumn("Records", format="localized"),
    "rows_without_location": st.column_config.NumberColumn("Without a location", format="localized"),
    "source_file": st.column_config.TextColumn("File"),
    "loaded_at": st.column_config.DatetimeColumn("Loaded", format="D MMM YYYY, HH:mm"),
}
