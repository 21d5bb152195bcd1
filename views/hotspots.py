"""Hotspots: where crime and ASB concentrate, whether those places hold, and a beat sheet to act on."""

import streamlit as st
from streamlit_folium import st_folium

import app_data
from components import downloads, hotspot_charts as hc, maps, markup, notices, plots, tables
from components.filters import require

st.title("Where crime and ASB concentrate")
filters = require()

version = app_data.data_version()
notices.demo_banner(app_data.is_demo(version))
st.markdown(f"{markup.bold(filters.area_label)} · {filters.period_label} · {markup.plain(filters.types_label)}")

left, right = st.columns(2)
cell_m = left.slider("Square size (metres)", 100, 500, 250, step=50, key="hs_cell",
                     help="The map counts records on squares of this size. Smaller squares show more detail "
                          "but fewer records each; police.uk locations are too rough for less than 100 m.")
widths = right.select_slider("Neighbourhood distance", [1.5, 2.0, 2.5, 3.0, 4.0, 5.0], 2.5, key="hs_band",
                             format_func=lambda w: f"{w * cell_m:,.0f} m",
                             help="A square counts as a hotspot when it and its neighbours within this "
                                  "distance hold more records than chance would give.")
distance_m = float(widths * cell_m)
args = (version, filters.kind, filters.name, filters.date_from, filters.date_to, filters.types, float(cell_m), distance_m)
with st.spinner("Finding hotspots…"):
    view = app_data.hotspots(*args)

st.markdown(markup.plain(view.summary()))
if view.missing_months:
    st.warning("No records were published for " + ", ".join(f"{m:%b %Y}" for m in view.missing_months)
               + ": those months are missing from the map, not zero.", icon=":material/event_busy:")
if view.without_location:
    st.caption(f"{view.without_location:,} records were published with no location: counted above, not mapped.")

st.subheader("Map")
maps.ensure_offline_assets()
base = (st.get_option("server.baseUrlPath") or "").strip("/")
fmap, legend = maps.hotspot_map(view.spots_geojson, view.count_tiles, view.occupied_counts, view.kde_image,
                                view.kde_bounds, view.lsoa, view.outlines, bounds=view.map_bounds,
                                static_url=(f"/{base}" if base else "") + "/app/static")
map_col, side = st.columns([3, 1])
with map_col:
    # render=False: st_folium renders the map itself either way; True renders the whole figure once more
    # first, compiling every element's code twice in Jinja (same output; force map 82 -> 57 ms a run).
    clicked = st_folium(fmap, key="hotspot_map", height=620, width=None, render=False,
                        returned_objects=["last_clicked"])
    st.caption(notices.SNAP_POINTS + " Switch layers with the box at the top right of the map; "
               "click anywhere on the map to see what was recorded in the square there.")
with side:
    # st.html, not st.markdown(unsafe_allow_html): raw HTML in Markdown costs a first-time visitor 190 kB more code.
    st.html(maps.legend_html(legend, view.cell_m, view.distance_m))
downloads.download_csv(view.cli_table(), "every square's counts and scores", f"hotspot-squares-{filters.name}")

point = (clicked or {}).get("last_clicked")
if point and point.get("lat") is not None:
    cell = app_data.hotspot_cell(*args, float(point["lat"]), float(point["lng"]))
    with st.container(border=True):
        st.markdown(f"**The {cell.cell_m:g} m square you clicked** ({cell.lat:.4f}, {cell.lon:.4f}): "
                    f"{cell.records:,} records · {maps.HOT_WORDS.get(cell.confidence, cell.confidence)}")
        one, two = st.columns([1, 2])
        tables.show(cell.by_type, {"crime_type": tables.Col("Crime type"), "n": tables.Col("Records", "count")},
                    where=one)
        plots.show(hc.cell_month_chart(cell.by_month, "Records per month in this square"), where=two)
        downloads.download_csv(cell.by_month, "this square's months", f"square-{cell.col}-{cell.row}-months")

st.subheader("Beat sheet: the busiest hotspot squares")
st.caption(f"The {view.cell_m:g} m hotspot squares with most records. 'Where' lists the most frequent police.uk "
           "locations in each (anonymous map points, so 'on or near'). The trend has a bar for each month of the "
           "period, from zero to that square's busiest month; its numbers are beside it (and in the CSV). "
           "Touching hotspot squares form one hotspot area, numbered busiest first. Share is of all the area's "
           "mapped records.")
if view.beat_sheet.empty:
    st.info("No square stands out as a hotspot for this selection.", icon=":material/info:")
else:
    st.markdown(markup.plain(view.beat_sheet_sentence()))
    tables.show(hc.beat_sheet_table(view.beat_sheet, view.months), hc.BEAT_SHEET_COLUMNS)
    downloads.download_csv(hc.beat_sheet_csv(view.beat_sheet, view.months), "beat sheet",
                           f"beat-sheet-{filters.name}")

st.subheader("Are these hotspots stable?")
st.caption("We pick hotspots from some months, then check how much of the following months' crime fell in them. "
           "The Predictive Accuracy Index (PAI) divides that share of crime by the share of the area the "
           "hotspots cover: 1 is no better than chance, 10 means ten times what an area that size would hold.")
a, b = st.columns(2)
months_in = a.number_input("Months to pick hotspots from", 1, 12, 3, key="hs_in")
months_out = b.number_input("Months to check them on", 1, 6, 1, key="hs_out")
stab = app_data.hotspot_stability(*args, int(months_in), int(months_out))
st.markdown(markup.bold(stab.sentence))
if len(stab.windows):
    counts = stab.counts()
    cols = st.columns(4)
    for col, key, words in zip(cols, ("persistent", "emerging", "fading", "intermittent"),
                               ("hot in most tests", "hot only lately", "hot only earlier", "come and go")):
        col.metric(f"{key.capitalize()} squares", f"{counts[key]:,}", help=words, border=True)
    plots.show(hc.pai_chart(stab.windows, stab.months_in, stab.months_out))
    downloads.download_csv(stab.windows, "test windows", f"hotspot-stability-{filters.name}")
    if len(stab.places):
        st.markdown("**Places that are persistent, emerging or fading**")
        tables.show(hc.stability_places(stab.places), hc.STABILITY_PLACE_COLUMNS)

st.subheader("How concentrated is crime here?")
plots.show(hc.concentration_chart(view.concentration, view.concentration_summary, view.cell_m))
st.markdown(hc.concentration_sentence(view.concentration_summary, view.cell_m))
downloads.download_csv(view.concentration, "concentration curve", f"concentration-{filters.name}")
