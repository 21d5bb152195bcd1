"""Funding: where the money came from and went — trends in cash and real terms, change against a
baseline year, flows funder → recipient → priority, stated totals checked, and a formula what-if."""

import streamlit as st

import app_data
from components import downloads, funding_charts as fc, funding_ui as ui, markup, notices, plots, tables
from components.filters import current

st.title("Where the money came from and went")
if st.session_state.get("db_problem"):
    notices.no_data(st.session_state["db_problem"])
    st.stop()
version = app_data.data_version()
notices.demo_banner(app_data.is_demo(version))
choices = app_data.funding_choices(version)
if not choices.flows:
    ui.no_grants()
    st.stop()
st.caption("Grants and allocations by UK financial year (April to March). Money passed on — Home Office to a "
           "county council, then on to the partnerships — is counted at each step, so choose a funder or a "
           "recipient to follow one step. These figures are not filtered by the sidebar's area.")

by, funder, recipient, real, price_col = ui.selection(choices.funders, choices.recipients)
with st.expander("Real terms: what they mean, and the deflator table", icon=":material/currency_pound:"):
    upload = ui.deflator_upload()
    _table, problem = app_data.funding_deflators(version, upload)
    info = app_data.funding_deflator_info(version, upload)
    ui.deflator_notes(info.edition, info.first, info.last, info.forecast_years, problem)
base_year = ui.base_year_picker(info.years, info.forecast_years, info.default_base_year, price_col) if real else None

view = app_data.funding_trend(version, by, funder, recipient, real, base_year, upload)
if view.problem:
    st.warning(f"Real terms can't be shown for this selection, so these are cash figures: {markup.plain(view.problem)}",
               icon=":material/warning:")
terms = f"£ in {view.prices} prices" if view.real else "£ (cash)"
who = " · ".join(x for x in (funder, recipient) if x) or "all funders and recipients"
years = view.years()
if not years:
    st.info("Nothing matches this funder and recipient together: choose another pair.", icon=":material/filter_alt_off:")
    st.stop()
for sentence in view.sentences():
    st.markdown(markup.bold(sentence))
plots.show(fc.trend_bars(view.table, years, by, f"Money per financial year by {fc.GROUP_WORDS[by]}, {who}",
                         terms, view.forecast_years()))
st.caption("Lighter, outlined bars (open circles below) are figures that were provisional, or not known yet "
           "(TBC), when published: an unknown amount is left out of the total, never counted as zero.")
downloads.download_csv(view.table, "amounts by year and group", f"funding-by-{by}-{who}", key="dl-fund-groups")
plots.show(fc.trend_lines(view.table, view.totals, years, by, f"Money per financial year, {who}: "
                          f"each {fc.GROUP_WORDS[by]} and the total", terms, view.forecast_years()))
downloads.download_csv(view.totals, "yearly totals", f"funding-totals-{who}", key="dl-fund-totals")
with st.expander("The numbers behind the charts"):
    tables.show(view.table, ui.TREND_COLUMNS)

st.subheader("Change against a baseline year")
st.caption("Pick the year to look at and the year to compare it with: the percentage is the change in the "
           "total of the selected flows, in cash and in real terms.")
year, baseline_year = ui.year_pair(years, "fund_change")
_change, sentence = app_data.funding_baseline(version, year, baseline_year, funder, recipient,
                                             base_year, upload)
st.info(markup.plain(sentence), icon=":material/compare_arrows:")

st.subheader("Who gave money to whom, and for what")
flow_year = st.selectbox("Financial year", years, index=len(years) - 1, key="fund_sankey_year")
links = app_data.funding_sankey(version, flow_year, funder, recipient)
if len(links):
    plots.show(fc.sankey(links, f"Flows of money in {flow_year}: funder → recipient → priority (£, cash)"))
    st.caption("Blue: where money starts; green: bodies that receive money and pass it on; orange: where it "
               "ends (a recipient, or the priority it was given for). The width of each band is the amount.")
    downloads.download_csv(links, "flows", f"funding-flows-{flow_year}", key="dl-fund-sankey")
else:
    st.caption(f"No known amounts for {flow_year} in this selection.")

st.subheader("Do the stated totals add up?")
check = app_data.funding_reconciliation(version)
if lines := check.sentences():
    st.markdown(markup.bullets(lines))
if len(check.table):
    tables.show(check.table, ui.RECONCILE_COLUMNS)
    downloads.download_csv(check.table, "reconciliation", "funding-reconciliation", key="dl-fund-reconcile")

st.subheader("What if the pot were split by need?")
st.caption(ui.FORMULA_WORDS)
filters = current()
pots = app_data.funding_pots(version)
if len(pots):
    pot_funder, pot_year, typed, weights = ui.allocation_controls(pots)
    result = app_data.funding_allocation(version, pot_year, pot_funder, weights["population"], weights["crime"],
                                         weights["asb"], typed, filters.date_to if filters else None,
                                         filters.types if filters else ())
    if lines := result.sentences():
        st.markdown(markup.bullets(lines))
    if not result.problem:
        plots.show(fc.allocation_bars(result.table, f"{pot_funder}, {pot_year}: what each recipient got "
                                                     "and what the formula would give"))
        tables.show(result.table, ui.ALLOCATION_COLUMNS)
        downloads.download_csv(result.table, "what-if table", f"funding-whatif-{pot_funder}-{pot_year}",
                               key="dl-fund-whatif")
