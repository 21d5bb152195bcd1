"""What residents told us: consultation rankings with honest uncertainty, change between events,
concerns beside recorded crime, and (when switched on) the officers' entry form."""

import streamlit as st

import app_data
from components import consultation_charts as cc
from components import downloads, markup, notices, plots, tables
from components.consultation_form import entry_form_ui
from components.filters import require

st.title("What residents told us")
filters = require()
version = app_data.data_version()
notices.demo_banner(app_data.is_demo(version))
st.caption("At events residents drop a token in the pot for the crime that worries them most (or answer a "
           "questionnaire, or place sticky dots). The counts rank the concerns; the intervals show how sure "
           "that ranking can be with the number of tokens collected.")

events = app_data.consultation_events(version)
labels = {r["event"]: cc.event_label(r) for _, r in events.iterrows()}
names = list(labels)
chosen = []
if not names:
    st.info("No consultation results are loaded yet. Import a tally file with "
            "`python -m cspdash consultation import FILE`.", icon=":material/how_to_vote:")
else:
    default = [e for e in app_data.consultation_default_events(version, filters.kind, filters.name) if e in labels]
    chosen = st.multiselect("Events to rank (choose several to combine them)", names, default=default,
                            format_func=labels.get, key="c_events",
                            help="Defaults to the latest event in the area chosen in the sidebar.")

if chosen:
    ranking = app_data.consultation_ranking(version, tuple(chosen))
    st.subheader("What worried people most")
    st.markdown(markup.plain(ranking.summary()))
    if ranking.warning:
        st.warning(markup.plain(ranking.warning), icon=":material/warning:")
    plots.show(cc.ranking_chart(ranking.table, cc.events_title(chosen), ranking.weighted))
    st.caption(markup.plain(ranking.interval_words + (f" {ranking.note}" if ranking.note else "")))
    tables.show(cc.ranking_table(ranking.table, ranking.weighted))
    downloads.download_csv(ranking.table, "ranking", f"consultation-ranking-{cc.events_title(chosen)}")
elif names:
    st.info("Choose at least one event to see its ranking.")

if len(names) >= 2:
    st.subheader("Change between events")
    st.caption("This year against last, or one area against another: did the mix of concerns change?")
    pair = app_data.consultation_default_pair(version) or (names[1], names[0])
    left, right = st.columns(2)
    event_a = left.selectbox("First event", names, index=names.index(pair[0]), format_func=labels.get, key="c_a")
    event_b = right.selectbox("Second event", names, index=names.index(pair[1]), format_func=labels.get, key="c_b")
    if event_a == event_b:
        st.info("Choose two different events to compare.")
    else:
        change = app_data.consultation_comparison(version, event_a, event_b)
        st.markdown(markup.bold(change.sentence))
        plots.show(cc.comparison_chart(change.table, event_a, event_b))
        st.caption(markup.plain(change.test_words() + (f" {change.test['note']}" if change.test.get("note") else "")))
        tables.show(change.table, cc.COMPARISON_COLUMNS)
        downloads.download_csv(change.table, "comparison", f"consultation-change-{event_a}-{event_b}")

if chosen:
    st.subheader("Concern against recorded crime")
    st.caption("Residents' rank beside the rank of the same kind of crime among all police.uk categories "
               "recorded in the event's area over the 12 whole months before it. A concern ranked well above "
               "its recorded crime points to fear of crime worth addressing as well as crime itself.")
    event = st.selectbox("Event", chosen, index=len(chosen) - 1, format_func=labels.get, key="c_rec_event")
    with st.expander("Which police.uk crime types each concern counts as"):
        reference = app_data.consultation_reference_mapping(version)
        st.markdown("Concerns are matched to police.uk categories by this table (a blank type: no police.uk "
                    "category, e.g. alcohol misuse). Upload your own `concern,crime_type` CSV to change it.")
        upload = st.file_uploader("Your mapping (CSV)", type=["csv"], key="c_mapping")
        downloads.download_csv(reference, "the standard mapping", "concern-to-crime-type")
    pairs = None
    if upload is not None:
        pairs, problem = app_data.consultation_read_mapping(upload.getvalue(), upload.name)
        if problem:
            st.error(f"Your mapping wasn't used: {markup.plain(problem)}", icon=":material/error:")
        else:
            st.caption(f"Using your mapping ({markup.plain(upload.name)}, {len(pairs)} rows).")
    rec = app_data.consultation_recorded(version, event, pairs)
    if rec.coverage_note:
        (st.warning if not rec.comparable else st.info)(rec.coverage_note, icon=":material/event_busy:")
    if rec.comparable:
        st.markdown(markup.bullets(rec.readings))
    tables.show(rec.table, cc.RECORDED_COLUMNS)
    downloads.download_csv(rec.table, "concern against recorded crime", f"consultation-recorded-{event}")

st.subheader("Enter an event's results")
if app_data.consultation_entry_enabled():
    start = list(ranking.table["category"]) if chosen else []
    area_names = sorted(app_data.area_catalogue(version).query("kind != 'force'")["name"].unique())
    entry_form_ui(app_data.consultation_methods(), area_names, start, app_data.consultation_validate_entry,
                  app_data.consultation_save_entry, names)
else:
    st.caption("Data entry is off. To let officers type in an event's tallies, start the app with "
               "`CSPDASH_DATA_ENTRY=1` (or import a CSV with `python -m cspdash consultation import FILE`).")
