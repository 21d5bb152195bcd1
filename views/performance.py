"""Performance: are the partnership's priorities being met? Summary, XmR charts, districts side by side."""

import streamlit as st

import app_data
from components import downloads, markup, notices, plots, spc_charts, tables
from components.filters import require, month_text

st.title("Are our priorities being met?")
filters = require()

version = app_data.data_version()
notices.demo_banner(app_data.is_demo(version))
configured = app_data.performance_partnerships(version)
choice = st.selectbox(
    "Whose priorities", [""] + configured, key=f"perf_whose_{filters.kind}_{filters.name}",
    format_func=lambda p: f"{filters.name} (the area chosen in the sidebar)" if not p else f"{p} partnership",
    help="A partnership's priorities, measures and targets come from its configuration file "
         "(python -m cspdash priorities import). Any other area gets the standard police measures.")
view = app_data.performance(version, filters.kind, filters.name, filters.date_to, choice)

st.markdown(f"{markup.bold(view.label)} · every month up to **{month_text(view.as_at)}** (the sidebar's end month)")
st.caption(markup.plain(view.note) + " Each chart uses every month up to the end month, so a measure's baseline and "
           "usual range do not move when you change the start month.")
if any(m.synthetic for m in view.measures):
    st.warning("Measures marked * use **synthetic demo values**, made up to show how the charts read. "
               "They are not real figures for this partnership.", icon=":material/science:")
per_1000 = st.toggle(
    "Show police counts per 1,000 residents", key="perf_per_1000", disabled=view.population is None,
    help="Divides each month's count by the area's residents, so areas of different sizes compare fairly."
    if view.population else "Needs the LSOA population, which is not loaded for this area.")
if per_1000 and view.population:
    st.caption(f"Residents: {view.population:,.0f} (ONS mid-{view.population_year or 'year'} estimate, "
               "summed over the area's LSOAs); the same figure is used for every month.")

st.subheader("Summary")
summary = view.summary()
tables.show(spc_charts.summary_table(summary), spc_charts.SUMMARY_COLUMNS)
st.caption(spc_charts.RAG_LEGEND)
st.caption("**Variation** (Making Data Count): ○ the latest figure is within the usual ups and downs; "
           "▲/▼ Improving or Concern: a real change (a special cause), the arrow showing which way the figures "
           "moved. **Assurance**: ✔ the target is beyond the usual range on the good side, so it is met "
           "consistently; ↕ the target sits inside the usual range, so it is met in some months and missed in "
           "others; ✘ it is out of reach without a change. \\* synthetic demo values.")
downloads.download_csv(summary, "summary", f"performance-summary-{view.label}")

with st.expander("How to read the charts", icon=":material/help:"):
    st.markdown(spc_charts.LIMITS_SENTENCE + " The shaded block is the baseline period whose figures set "
                "the average and the usual range. While fewer than 13 figures set them, the limits are "
                "*trial* limits and may still move. A grey band is a month with no figure: a gap, never a "
                "zero, because a false zero would look like a sudden fall.")

for priority in dict.fromkeys(m.priority for m in view.measures):
    st.subheader(markup.plain(priority))
    for i, m in enumerate(x for x in view.measures if x.priority == priority):
        use_rate = per_1000 and m.rate is not None
        result, sentence = (m.rate, m.rate_sentence) if use_rate else (m.result, m.sentence)
        title = m.name + (" per 1,000 residents" if use_rate else "")
        if result is None:
            st.info(f"{markup.bold(m.name)}: no figures for {markup.plain(view.label)} — {markup.plain(m.no_data_reason)}.", icon=":material/block:")
            continue
        st.markdown(markup.bold(title) + (" · *synthetic demo values*" if m.synthetic else ""))
        st.markdown(markup.plain(sentence))
        unit = "rate_per_1000" if use_rate else m.unit
        plots.show(spc_charts.xmr_figure(result, title, view.label, unit, m.frequency, m.kind),
                   key=f"xmr-{priority}-{m.name}")
        if m.description:
            st.caption(markup.plain(m.description))
        downloads.download_csv(m.series_frame(use_rate), f"{title} figures", f"{view.label}-{title}",
                               key=f"dl-{priority}-{m.name}")

st.subheader("Districts side by side")
if view.districts.empty:
    st.info(f"No police records are loaded for {markup.plain(view.label)}'s districts, so there is nothing to compare.",
            icon=":material/block:")
else:
    st.caption(f"Crime and anti-social behaviour in the 12 months to the end month, {view.shares_period}: each district's "
               "share of its force's records, and rates per 1,000 residents where population is loaded.")
    st.markdown(markup.bullets(f"{sentence}." for sentence in view.share_sentences()))
    plots.show(spc_charts.district_shares_figure(view.districts, view.label, view.shares_period, per_1000),
               key="perf-districts")
    tables.show(view.districts, spc_charts.DISTRICT_COLUMNS)
    downloads.download_csv(view.districts, "district table", f"performance-districts-{view.label}")
