"""Folium map builders for the hotspots page, and the offline Leaflet assets they load.

Pure builders: GeoJSON / DataFrames / arrays in, a folium.Map out (no Streamlit, no database), so
they are unit-testable and the page's payload can be measured. The map loads Leaflet from the
app's own static folder (`/app/static/vendor/leaflet/`, Streamlit static serving), copied there
from the xstatic-leaflet package by ensure_offline_assets(): the data layers draw with no
internet; only the background street map needs it.

Colours are ColorBrewer sequential ramps (OrRd for hotspots, Blues for cold spots, YlGnBu for
counts, Purples for LSOAs) and a viridis ramp for the density: all readable with the common
colour-vision deficiencies and in greyscale print.
"""

from __future__ import annotations

import html
import math
import shutil
from pathlib import Path

import folium
import numpy as np
import pandas as pd

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR = "vendor/leaflet"
# Files of Leaflet's dist we use: the script, the stylesheet and the images it refers to.
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
                 "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png")

HOT = {"99% hot": "#b30000", "95% hot": "#e34a33", "90% hot": "#fc8d59"}
COLD = {"99% cold": "#08519c", "95% cold": "#3182bd", "90% cold": "#6baed6"}
HOT_WORDS = {"99% hot": "Hotspot, 99% confidence", "95% hot": "Hotspot, 95% confidence",
             "90% hot": "Hotspot, 90% confidence", "99% cold": "Cold spot, 99% confidence",
             "95% cold": "Cold spot, 95% confidence", "90% cold": "Cold spot, 90% confidence",
             "not significant": "Not a hotspot"}
COUNT_COLOURS = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
LSOA_COLOURS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"]
# viridis at 0, .25, .5, .75, 1
DENSITY_RAMP = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]]) / 255
OUTLINE = "#1a1a1a"

LAYER_HOT = "Hotspots (90, 95, 99% confidence)"
LAYER_COLD = "Cold spots"
LAYER_COUNTS = "Records per square"
LAYER_DENSITY = "Density surface (visual aid)"
LAYER_LSOA_COUNT = "Records per LSOA"
LAYER_LSOA_RATE = "Records per 1,000 residents (LSOA)"
LAYER_DISTRICTS = "District outlines"
# Leaflet panes, bottom to top: the density image under everything drawn, counts and LSOAs in
# Leaflet's overlay pane (400), hotspots above whatever else is switched on, outlines on top.
PANE_DENSITY, PANE_HOTSPOTS, PANE_OUTLINES = "density", "hotspots", "outlines"


# --------------------------------------------------------------------------------------------
# Offline assets
# --------------------------------------------------------------------------------------------


def leaflet_source() -> Path:
    """Leaflet's dist folder inside the installed xstatic-leaflet package."""
    import xstatic.pkg.leaflet as xleaflet

    return Path(xleaflet.BASE_DIR)


def ensure_offline_assets(static_dir: Path = STATIC_DIR) -> Path:
    """Copy Leaflet's files into static/vendor/leaflet (idempotent; only what is missing or changed)."""
    source, target = leaflet_source(), Path(static_dir) / VENDOR
    for name in LEAFLET_FILES:
        src, dest = source / name, target / name
        if not dest.exists() or dest.stat().st_size != src.stat().st_size:
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(dest.name + ".part")
            shutil.copyfile(src, tmp)
            tmp.replace(dest)  # atomic: two sessions starting at once never serve half a file
    return target


def offline_assets(static_url: str = "/app/static") -> tuple[list, list]:
    """(default_js, default_css) for folium pointing at the locally served Leaflet."""
    base = static_url.rstrip("/") + "/" + VENDOR
    return [("leaflet", f"{base}/leaflet.js")], [("leaflet_css", f"{base}/leaflet.css")]


def base_map(bounds: list | None = None, static_url: str = "/app/static") -> folium.Map:
    """A folium map that loads Leaflet from the app (no CDN, no jQuery/Bootstrap) with a street basemap."""
    m = folium.Map(location=[52.5, -1.9], zoom_start=8, tiles=None, control_scale=True, prefer_canvas=False)
    # Instance attributes: folium and streamlit-folium read default_js/default_css per element.
    m.default_js, m.default_css = offline_assets(static_url)
    folium.TileLayer("OpenStreetMap", name="Street map (needs internet)", control=False).add_to(m)
    if bounds:
        m.fit_bounds(bounds)
    return m


# --------------------------------------------------------------------------------------------
# Classes and colours
# --------------------------------------------------------------------------------------------


def class_breaks(values, k: int = 5) -> list[float]:
    """Upper edges of up to k classes of roughly equal size (quantiles), rounded to whole numbers
    for counts; the last edge is the maximum."""
    v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce").dropna(), dtype=float)
    v = v[v > 0]
    if v.size == 0:
        return []
    whole = bool(np.all(np.equal(np.mod(v, 1), 0)))
    edges = np.quantile(v, np.arange(1, k + 1) / k)
    edges = np.ceil(edges) if whole else np.round(edges, 1)
    edges[-1] = v.max()
    return sorted(set(float(e) for e in edges))


def class_of(value: float, edges: list[float]) -> int:
    for i, edge in enumerate(edges):
        if value <= edge:
            return i
    return len(edges) - 1


def class_labels(edges: list[float], whole: bool = True) -> list[str]:
    fmt = (lambda x: f"{x:,.0f}") if whole else (lambda x: f"{x:,.1f}")
    labels, low = [], (1.0 if whole else 0.0)
    for e in edges:
        labels.append(fmt(e) if whole and low == e else f"{fmt(low)}–{fmt(e)}")
        low = e + 1 if whole else e
    return labels


def ramp(colours: list[str], n: int) -> list[str]:
    """n colours from a ramp, spread from light to dark (the darkest always used)."""
    if n <= 0:
        return []
    idx = np.round(np.linspace(len(colours) - n, len(colours) - 1, n)).astype(int) if n < len(colours) else \
        np.arange(len(colours))
    return [colours[i] for i in idx]


def density_rgba(image: np.ndarray) -> np.ndarray:
    """RGBA floats 0..1 for a density image: viridis by square root of density, transparent where low."""
    v = np.asarray(image, dtype=float)
    peak = np.nanmax(v) if np.isfinite(v).any() else 0.0
    scaled = np.sqrt(np.clip(np.nan_to_num(v / peak if peak > 0 else v * 0), 0, 1))
    stops = np.linspace(0, 1, len(DENSITY_RAMP))
    rgb = np.stack([np.interp(scaled, stops, DENSITY_RAMP[:, c]) for c in range(3)], axis=-1)
    alpha = np.where(np.isfinite(v) & (scaled > 0.12), 0.25 + 0.5 * scaled, 0.0)
    return np.concatenate([rgb, alpha[..., None]], axis=-1)


# --------------------------------------------------------------------------------------------
# The hotspot map
# --------------------------------------------------------------------------------------------


def _features(cells: dict, keep) -> list[dict]:
    return [f for f in cells.get("features", []) if keep(f["properties"])]


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _with_words(features: list[dict]) -> list[dict]:
    out = []
    for f in features:
        props = dict(f["properties"])
        props["what"] = HOT_WORDS.get(props.get("conf"), props.get("conf", ""))
        out.append({**f, "properties": props})
    return out


def _tooltip() -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(fields=["what", "n"], aliases=["", "Records"], localize=True, sticky=False)


def data_bounds(cells: dict) -> list | None:
    """[[south, west], [north, east]] of the cells with records."""
    xs, ys = [], []
    for f in cells.get("features", []):
        if f["properties"].get("n", 0) > 0:
            ring = f["geometry"]["coordinates"][0]
            xs += [p[0] for p in ring]
            ys += [p[1] for p in ring]
    if not xs:
        return None
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def hotspot_map(cells: dict, kde_image=None, kde_bounds=None, lsoa: pd.DataFrame | None = None,
                outlines: pd.DataFrame | None = None, static_url: str = "/app/static") -> tuple[folium.Map, dict]:
    """The hotspot map with switchable layers, and the legend entries it used.

    cells: GeoJSON squares with properties n (records), conf (e.g. "95% hot"), sig.
    kde_image / kde_bounds: density on a lat/lon grid (rows north to south) and its bounds.
    lsoa: lsoa_name, n, population, rate, geometry (GeoJSON dict or None).
    outlines: district, geometry.
    """
    m = base_map(data_bounds(cells), static_url)
    folium.map.CustomPane(PANE_DENSITY, z_index=350, pointer_events=False).add_to(m)
    folium.map.CustomPane(PANE_HOTSPOTS, z_index=450, pointer_events=True).add_to(m)
    folium.map.CustomPane(PANE_OUTLINES, z_index=460, pointer_events=False).add_to(m)
    legend: dict = {}

    occupied = _features(cells, lambda p: p["n"] > 0)
    edges = class_breaks([f["properties"]["n"] for f in occupied])
    colours = ramp(COUNT_COLOURS, len(edges))
    if occupied:
        folium.GeoJson(
            _collection(_with_words(occupied)), name=LAYER_COUNTS, show=False, tooltip=_tooltip(),
            style_function=lambda f, e=edges, c=colours: {
                "fillColor": c[class_of(f["properties"]["n"], e)], "fillOpacity": 0.7, "color": "#555555",
                "weight": 0.3},
        ).add_to(m)
        legend["counts"] = list(zip(class_labels(edges), colours))

    if kde_image is not None and kde_bounds is not None:
        folium.raster_layers.ImageOverlay(
            density_rgba(kde_image), bounds=kde_bounds, mercator_project=True, pixelated=False,
            name=LAYER_DENSITY, show=False, interactive=False, pane=PANE_DENSITY).add_to(m)
        legend["density"] = True

    if lsoa is not None and len(lsoa) and lsoa["geometry"].notna().any():
        shaped = lsoa[lsoa["geometry"].notna()]
        for column, name, unit in (("n", LAYER_LSOA_COUNT, "Records"), ("rate", LAYER_LSOA_RATE, "Per 1,000 residents")):
            values = pd.to_numeric(shaped[column], errors="coerce")
            if not values.notna().any():
                continue
            lsoa_edges = class_breaks(values, 5)
            lsoa_colours = ramp(LSOA_COLOURS, len(lsoa_edges))
            features = [{"type": "Feature", "geometry": g,
                         "properties": {"name": str(nm), "value": None if pd.isna(v) else round(float(v), 1)}}
                        for nm, v, g in zip(shaped["lsoa_name"].fillna(shaped.get("lsoa_code")), values,
                                            shaped["geometry"])]
            folium.GeoJson(
                _collection(features), name=name, show=False,
                tooltip=folium.GeoJsonTooltip(fields=["name", "value"], aliases=["", unit], localize=True),
                style_function=lambda f, e=lsoa_edges, c=lsoa_colours: {
                    "fillColor": "#ffffff" if f["properties"]["value"] is None else c[class_of(f["properties"]["value"], e)],
                    "fillOpacity": 0.65, "color": "#666666", "weight": 0.5},
            ).add_to(m)
            legend["lsoa_" + column] = list(zip(class_labels(lsoa_edges, whole=column == "n"), lsoa_colours))

    cold = _features(cells, lambda p: p["conf"] in COLD)
    if cold:
        folium.GeoJson(
            _collection(_with_words(cold)), name=LAYER_COLD, show=False, tooltip=_tooltip(), pane=PANE_HOTSPOTS,
            style_function=lambda f: {"fillColor": COLD[f["properties"]["conf"]], "fillOpacity": 0.75,
                                      "color": "#08306b", "weight": 0.6},
        ).add_to(m)
        legend["cold"] = [(HOT_WORDS[k], v) for k, v in COLD.items()]

    hot = _features(cells, lambda p: p["conf"] in HOT)
    if hot:
        folium.GeoJson(
            _collection(_with_words(hot)), name=LAYER_HOT, show=True, tooltip=_tooltip(), pane=PANE_HOTSPOTS,
            style_function=lambda f: {"fillColor": HOT[f["properties"]["conf"]], "fillOpacity": 0.75,
                                      "color": "#4d0000", "weight": 0.6},
            highlight_function=lambda f: {"weight": 2.5, "color": OUTLINE},
        ).add_to(m)
    legend["hot"] = [(HOT_WORDS[k], v) for k, v in HOT.items()]

    if outlines is not None and len(outlines):
        folium.GeoJson(
            _collection([{"type": "Feature", "geometry": g, "properties": {"name": d}}
                         for d, g in zip(outlines["district"], outlines["geometry"])]),
            name=LAYER_DISTRICTS, show=True, pane=PANE_OUTLINES, interactive=False,
            style_function=lambda f: {"fill": False, "color": OUTLINE, "weight": 2, "dashArray": "6 4"},
        ).add_to(m)
        legend["districts"] = True

    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return m, legend


def map_html(m: folium.Map) -> str:
    """The map as the HTML document folium renders (what the browser is sent, near enough)."""
    return m.get_root().render()


# --------------------------------------------------------------------------------------------
# Legend (drawn beside the map, so it prints and reads without the map's controls)
# --------------------------------------------------------------------------------------------


def _swatch(colour: str, label: str, border: str = "#333") -> str:
    return (f'<div style="display:flex;align-items:center;gap:.5em;margin:.15em 0">'
            f'<span style="display:inline-block;width:1.1em;height:1.1em;background:{colour};'
            f'border:1px solid {border};flex:none"></span><span>{html.escape(label)}</span></div>')


def legend_html(legend: dict, cell_m: float, distance_m: float) -> str:
    """The map's legend in plain words, as HTML."""
    parts = [f"<div style='font-size:0.95rem;line-height:1.35'>",
             f"<p style='margin:0 0 .3em'><b>Hotspots</b>: {cell_m:g} m squares where the square and its neighbours "
             f"within {distance_m:,.0f} m together hold far more records than chance would put there. "
             "The confidence says how sure: 99% means a pattern this strong would turn up by chance "
             "less than 1 time in 100, after allowing for testing every square.</p>"]
    parts += [_swatch(c, label) for label, c in legend.get("hot", [])]
    if legend.get("cold"):
        parts.append("<p style='margin:.5em 0 .3em'><b>Cold spots</b> (layer off at first): far fewer records "
                     "than the area's average.</p>")
        parts += [_swatch(c, label) for label, c in legend["cold"]]
    if legend.get("counts"):
        parts.append(f"<p style='margin:.5em 0 .3em'><b>Records per square</b> (layer off at first):</p>")
        parts += [_swatch(c, label) for label, c in legend["counts"]]
    if legend.get("density"):
        gradient = ", ".join(f"rgb({r*255:.0f},{g*255:.0f},{b*255:.0f})" for r, g, b in DENSITY_RAMP)
        parts.append("<p style='margin:.5em 0 .3em'><b>Density surface</b> (layer off at first): a smoothed "
                     "picture of where records cluster, from fewer to more. A visual aid, not a test.</p>"
                     f"<div style='height:.9em;background:linear-gradient(to right, {gradient});"
                     "border:1px solid #333'></div>")
    for key, title in (("lsoa_n", "Records per LSOA"), ("lsoa_rate", "Records per 1,000 residents, per LSOA")):
        if legend.get(key):
            parts.append(f"<p style='margin:.5em 0 .3em'><b>{title}</b> (layer off at first):</p>")
            parts += [_swatch(c, label) for label, c in legend[key]]
    if legend.get("districts"):
        parts.append("<p style='margin:.5em 0 0'>Dashed black lines: district boundaries.</p>")
    parts.append("</div>")
    return "".join(parts)
