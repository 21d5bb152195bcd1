"""Overview: crime and ASB for the chosen area, this year against last, by type and by district."""

import streamlit as st

import app_data
from components import charts, downloads, kpi, markup, notices, plots, tables
from components.filters import require, month_text

st.title("Crime and anti-social behaviour")
filters = require()

version = app_data.data_version()
notices.demo_banner(app_data.is_demo(version))
view = app_data.overview(version, filters.kind, filters.name, filters.date_to, filters.types)

st.markdown(f"{markup.bold(filters.area_label)} · 12 months to **{month_text(filters.date_to)}** against the 12 before"
            f" · {markup.plain(filters.types_label)}")
kpi.comparison_metrics(view.comparison)
if sentences := view.sentences():
    st.markdown(markup.bullets(sentences))
missing = view.missing_months()
if missing:
    st.warning(f"No records were published for {', '.join(missing)}: those months are gaps in the "
               "charts, not zeros.", icon=":material/event_busy:")

plots.show(charts.crime_asb_trend(view.totals, filters.name))
downloads.download_csv(view.totals.reset_index(), "monthly totals", f"monthly-totals-{filters.name}")

plots.show(charts.trend_by_type(view.by_type, filters.name))
downloads.download_csv(view.by_type.reset_index(), "monthly counts by type", f"monthly-by-type-{filters.name}")

st.subheader("Districts side by side")
st.caption("Each district's records in the 12 months to the end month, and its share of the area's total.")
if len(view.districts):
    plots.show(charts.district_shares(view.districts, filters.name))
    tables.show(view.districts, tables.DISTRICT_COLUMNS)
    downloads.download_csv(view.districts, "district table", f"districts-{filters.name}")

loads = app_data.load_history(version)
if len(loads):
    st.caption(f"Data last loaded {loads['loaded_at'].iloc[0]:%d %b %Y %H:%M}. "
               "Source: data.police.uk, Open Government Licence v3.0.")
