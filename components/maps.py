"""Folium map builders for the hotspots page, and the offline Leaflet assets they load.

Pure builders: GeoJSON / DataFrames / arrays in, a folium.Map out (no Streamlit, no database), so
they are unit-testable and the page's payload can be measured. The map loads Leaflet from the
app's own static folder (`/app/static/vendor/leaflet/`, Streamlit static serving), copied there
from the xstatic-leaflet package by ensure_offline_assets(): the data layers draw with no
internet; only the background street map needs it.

What the browser is sent stays small whatever the number of squares (a whole force over three
years is well under 2 MB): records per square travel as palette PNG tiles, hot and cold squares as
patches of joined squares, and shapes are written once (GeoJsonData) with their coordinates as
integer steps (compact_geometry), decoded in the browser, for any number of layers to draw
(SharedGeoJson: the two LSOA choropleths share one copy, as do hot and cold spots).

Colours are ColorBrewer sequential ramps (OrRd for hotspots, Blues for cold spots, YlGnBu for
counts, Purples for LSOAs) and a viridis ramp for the density: all readable with the common
colour-vision deficiencies and in greyscale print.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import shutil
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.map import Layer
from folium.template import Template

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
# YlGnBu's six classes less the palest, which vanishes on the street map.
COUNT_COLOURS = ["#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"]
LSOA_COLOURS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"]
# viridis at 0, .25, .5, .75, 1
DENSITY_RAMP = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]]) / 255
OUTLINE = "#1a1a1a"
# Decimal places sent to the browser: LSOA and district shapes 4 (about 10 m), hotspot patches 5
# (about a metre, so 100 m squares keep their corners).
SHAPE_DECIMALS = 4
SPOT_DECIMALS = 5

LAYER_HOT = "Hotspots (90, 95, 99% confidence)"
LAYER_COLD = "Cold spots"
LAYER_COUNTS = "Records per square"
LAYER_DENSITY = "Density surface (visual aid)"
LAYER_LSOA_COUNT = "Records per LSOA"
LAYER_LSOA_RATE = "Records per 1,000 residents (LSOA)"
LAYER_DISTRICTS = "District outlines"
# Leaflet panes, bottom to top: the density image under everything drawn, the count image above
# it, LSOAs in Leaflet's overlay pane (400), hotspots above whatever else is switched on, outlines on top.
PANE_DENSITY, PANE_COUNTS, PANE_HOTSPOTS, PANE_OUTLINES = "density", "counts", "hotspots", "outlines"


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
# Images and shared GeoJSON (what keeps the page small)
# --------------------------------------------------------------------------------------------


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def palette_png(classes: np.ndarray, colours: list[str], alpha: int = 190) -> bytes:
    """An 8-bit palette PNG: class 0 transparent, class i (1..) drawn in colours[i - 1].

    One byte a pixel with long runs of the same value: a force's squares compress to kilobytes
    (an RGBA image of the same squares is several times larger).
    """
    from PIL import Image

    image = Image.fromarray(np.asarray(classes, dtype=np.uint8), mode="P")
    palette = [0, 0, 0] + [v for c in colours for v in _hex_rgb(c)]
    image.putpalette(palette)
    buffer = io.BytesIO()
    # zlib level 6: four times faster than 9 for ~10% more bytes (the map is rebuilt on every rerun).
    image.save(buffer, format="PNG", compress_level=6, transparency=bytes([0] + [alpha] * len(colours)))
    return buffer.getvalue()


def _nonzero(image) -> tuple[tuple[int, int], tuple[np.ndarray, np.ndarray], np.ndarray]:
    """(shape, (rows, cols), values) of an image's non-zero pixels; dense arrays or scipy sparse."""
    if hasattr(image, "tocoo"):
        coo = image.tocoo()
        keep = coo.data > 0
        return coo.shape, (coo.row[keep], coo.col[keep]), coo.data[keep]
    image = np.asarray(image)
    where = np.nonzero(image > 0)
    return image.shape, where, image[where]


def png_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _deltas(ring, scale: int) -> list[int]:
    """A ring of [lon, lat] as one flat list: the first point in 1/scale degrees, then the steps."""
    flat: list[int] = []
    x0 = y0 = 0
    for lon, lat in ring:
        x, y = int(round(lon * scale)), int(round(lat * scale))
        flat += [x - x0, y - y0]
        x0, y0 = x, y
    return flat


def compact_geometry(geometry: dict | None, decimals: int) -> dict | None:
    """A GeoJSON (Multi)Polygon with its rings as integer steps ("d"), decoded in the browser.

    "[0.4691,51.7343]," costs 17 characters a point; a step of a few units costs about 6, and
    neighbouring points of a boundary are a few units apart. Other geometry types pass unchanged.
    """
    if not geometry:
        return None
    scale = 10**decimals
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "d": [_deltas(r, scale) for r in geometry["coordinates"]]}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "d": [[_deltas(r, scale) for r in poly] for poly in geometry["coordinates"]]}
    return geometry


def decode_geometry(geometry: dict, decimals: int) -> dict:
    """compact_geometry undone (what the browser's script does; for tests and reuse)."""
    if "d" not in geometry:
        return geometry
    scale = 10**decimals

    def ring(flat):
        out, x, y = [], 0, 0
        for i in range(0, len(flat), 2):
            x, y = x + flat[i], y + flat[i + 1]
            out.append([x / scale, y / scale])
        return out

    rings = geometry["d"]
    coords = [ring(r) for r in rings] if geometry["type"] == "Polygon" else [[ring(r) for r in p] for p in rings]
    return {"type": geometry["type"], "coordinates": coords}


class GeoJsonData(MacroElement):
    """Features written into the page once, as a script variable, for one or more layers to draw.

    Polygons travel as compact_geometry (integer steps at ``decimals``) and are decoded by the
    browser before any layer uses them. ``features`` keeps the plain GeoJSON for Python's use.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(data, scale) {
            function ring(r) {
                var out = [], x = 0, y = 0;
                for (var i = 0; i < r.length; i += 2) { x += r[i]; y += r[i + 1]; out.push([x / scale, y / scale]); }
                return out;
            }
            data.features.forEach(function(f) {
                var g = f.geometry;
                if (g && g.d) {
                    g.coordinates = g.type === "MultiPolygon"
                        ? g.d.map(function(p) { return p.map(ring); }) : g.d.map(ring);
                    delete g.d;
                }
            });
            return data;
        })({{ this.json }}, {{ this.scale }});
        {% endmacro %}
    """)

    def __init__(self, features: list[dict], decimals: int):
        super().__init__()
        self._name = "GeoJsonData"
        self.features = features
        self.decimals, self.scale = int(decimals), 10 ** int(decimals)
        self.data = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": f["properties"], "geometry": compact_geometry(f["geometry"], decimals)}
            for f in features]}
        # Compact separators ("[12,-3]", not "[12, -3]"), and never "</" inside the script element.
        self.json = json.dumps(self.data, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")


class SharedGeoJson(Layer):
    """A layer drawing the features of a GeoJsonData (all, or those whose property ``only[0]`` is in
    ``only[1]``), so several layers share one copy of the data.

    style: Leaflet path options; style_by: (property, {value: options}) laid over them; classes:
    (property, upper edges, colours) shading value <= edges[i] in colours[i] (no value: white);
    tooltip: a JavaScript function of the feature's properties returning HTML (constant code, never
    built from data); highlight: options while the pointer is over a feature.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.source.get_name() }}, {
            {%- if this.pane %}
            pane: {{ this.pane|tojson }},
            {%- endif %}
            interactive: {{ this.interactive|tojson }},
            {%- if this.only %}
            filter: function(f) { return {{ this.only[1]|tojson }}.indexOf(f.properties[{{ this.only[0]|tojson }}]) >= 0; },
            {%- endif %}
            style: function(f) {
                var s = Object.assign({}, {{ this.style|tojson }});
                {%- if this.style_by %}
                Object.assign(s, {{ this.style_by[1]|tojson }}[f.properties[{{ this.style_by[0]|tojson }}]] || {});
                {%- endif %}
                {%- if this.classes %}
                var v = f.properties[{{ this.classes[0]|tojson }}], edges = {{ this.classes[1]|tojson }},
                    colours = {{ this.classes[2]|tojson }};
                s.fillColor = "#ffffff";
                if (v !== null && v !== undefined) {
                    s.fillColor = colours[colours.length - 1];
                    for (var i = 0; i < edges.length; i++) { if (v <= edges[i]) { s.fillColor = colours[i]; break; } }
                }
                {%- endif %}
                return s;
            },
            onEachFeature: function(f, layer) {
                {%- if this.tooltip %}
                layer.bindTooltip(({{ this.tooltip }})(f.properties), {sticky: {{ this.sticky|tojson }}});
                {%- endif %}
                {%- if this.highlight %}
                layer.on({
                    mouseover: function(e) { e.target.setStyle({{ this.highlight|tojson }}); },
                    mouseout: function(e) { {{ this.get_name() }}.resetStyle(e.target); }
                });
                {%- endif %}
            }
        });
        {% endmacro %}
    """)

    def __init__(self, source: GeoJsonData, name: str, *, show: bool = False, style: dict | None = None,
                 style_by: tuple[str, dict] | None = None, classes: tuple[str, list, list] | None = None,
                 only: tuple[str, list] | None = None, tooltip: str | None = None, sticky: bool = True,
                 highlight: dict | None = None, pane: str | None = None, interactive: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "SharedGeoJson"
        self.source, self.style, self.style_by, self.classes = source, dict(style or {}), style_by, classes
        self.only, self.tooltip, self.sticky, self.highlight = only, tooltip, sticky, highlight
        self.pane, self.interactive = pane, interactive

    @property
    def features(self) -> list[dict]:
        """The source's features this layer draws (plain GeoJSON)."""
        if not self.only:
            return list(self.source.features)
        key, values = self.only
        return [f for f in self.source.features if f["properties"].get(key) in values]


def crisp_zoom(bounds: list, width_px: int) -> int:
    """The first zoom at which an image of width_px pixels over bounds is drawn larger than it is
    (each image pixel over a screen pixel or more): Leaflet's zoom z has 256 * 2**z pixels round the world."""
    (south, west), (north, east) = bounds
    world_px_per_image_px = 360.0 / ((east - west) / width_px)
    return max(0, int(math.ceil(math.log2(world_px_per_image_px / 256))))


class CrispWhenZoomedIn(MacroElement):
    """Draw a pane's images with hard pixel edges from a zoom on (squares stay squares when zoomed
    in), smoothly below it (shrunk with hard edges, some squares would drop out at random)."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>.leaflet-{{ this.pane }}-pane.crisp img {image-rendering: pixelated; image-rendering: crisp-edges;}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function(map) {
            function crisp() { map.getPane({{ this.pane|tojson }}).classList.toggle("crisp", map.getZoom() >= {{ this.zoom }}); }
            map.on("zoomend", crisp);
            crisp();
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, pane: str, zoom: int):
        super().__init__()
        self._name = "CrispWhenZoomedIn"
        self.pane, self.zoom = pane, int(zoom)


# --------------------------------------------------------------------------------------------
# The hotspot map
# --------------------------------------------------------------------------------------------


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _ring_points(geometry: dict):
    coords = geometry["coordinates"]
    polygons = coords if geometry["type"] == "MultiPolygon" else [coords]
    for polygon in polygons:
        yield from polygon[0]


def data_bounds(spots: dict, count_tiles=None) -> list | None:
    """[[south, west], [north, east]] around the count tiles and the hot and cold patches."""
    xs, ys = [], []
    for f in spots.get("features", []):
        for lon, lat in _ring_points(f["geometry"]):
            xs.append(lon)
            ys.append(lat)
    for _, ((south, west), (north, east)) in count_tiles or []:
        xs += [west, east]
        ys += [south, north]
    if not xs:
        return None
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


# Tooltips are built in the browser from a few numbers per feature (cheaper than sending HTML for
# each). Names are escaped in Python before they are sent.
_SPOT_TIP = ("function(p) { var words = " + "%s" + "; return '<b>' + (words[p.conf] || p.conf) + '</b><br>' "
             "+ p.squares.toLocaleString() + (p.squares === 1 ? ' square, ' : ' squares, ') "
             "+ p.n.toLocaleString() + (p.n === 1 ? ' record' : ' records'); }")
_LSOA_TIP = ("function(p) { return '<b>' + p.name + '</b><br>' "
             "+ (p.n === null ? 'no records' : p.n.toLocaleString() + ' records') + '<br>' "
             "+ (p.rate === null ? 'no population figure' : p.rate.toLocaleString(undefined, "
             "{minimumFractionDigits: 1, maximumFractionDigits: 1}) + ' per 1,000 residents'); }")


def _lsoa_features(shaped: pd.DataFrame) -> list[dict]:
    """The LSOAs with both measures (one copy for both choropleths)."""
    names = shaped["lsoa_name"].where(shaped["lsoa_name"].notna(), shaped.get("lsoa_code"))
    return [{"type": "Feature", "geometry": geometry,
             "properties": {"name": html.escape(str(name)), "n": None if pd.isna(n) else int(round(float(n))),
                            "rate": None if pd.isna(rate) else round(float(rate), 1)}}
            for name, n, rate, geometry in zip(names, shaped["n"], shaped["rate"], shaped["geometry"])]


def hotspot_map(spots: dict | None = None, count_tiles=None, count_values=None, kde_image=None,
                kde_bounds=None, lsoa: pd.DataFrame | None = None, outlines: pd.DataFrame | None = None,
                bounds: list | None = None, static_url: str = "/app/static") -> tuple[folium.Map, dict]:
    """The hotspot map with switchable layers, and the legend entries it used.

    spots: GeoJSON hot and cold patches with properties conf (e.g. "95% hot"), squares, n.
    count_tiles: [(image of records per square, 0 = none; [[south, west], [north, east]])], images
        (arrays or scipy sparse matrices) rows north to south, evenly spaced on the Web Mercator map
        (drawn as is).
    count_values: records in each square with any, to cut the classes from (else the pixels).
    kde_image / kde_bounds: density on a lat/lon grid (rows north to south) and its bounds.
    lsoa: lsoa_name, n, population, rate, geometry (GeoJSON dict or None).
    outlines: district, geometry.
    bounds: where to open the map (else around the squares and patches).
    """
    spots = spots or _collection([])
    m = base_map(bounds or data_bounds(spots, count_tiles), static_url)
    folium.map.CustomPane(PANE_DENSITY, z_index=350, pointer_events=False).add_to(m)
    folium.map.CustomPane(PANE_COUNTS, z_index=360, pointer_events=False).add_to(m)
    folium.map.CustomPane(PANE_HOTSPOTS, z_index=450, pointer_events=True).add_to(m)
    folium.map.CustomPane(PANE_OUTLINES, z_index=460, pointer_events=False).add_to(m)
    legend: dict = {}

    tiles = [(_nonzero(image), tile_bounds) for image, tile_bounds in (count_tiles or [])]
    if tiles:
        values = count_values if count_values is not None else np.concatenate([t[2] for t, _ in tiles])
        edges = class_breaks(values)
        colours = ramp(COUNT_COLOURS, len(edges))
        group = folium.FeatureGroup(name=LAYER_COUNTS, show=False)
        for (shape, (rows, cols), counts), tile_bounds in tiles:
            # np.searchsorted(edges, v) is the first class whose upper edge holds v (as class_of).
            classes = np.zeros(shape, dtype=np.uint8)
            classes[rows, cols] = np.minimum(np.searchsorted(edges, counts), len(edges) - 1) + 1
            folium.raster_layers.ImageOverlay(
                png_url(palette_png(classes, colours)), bounds=tile_bounds, mercator_project=False,
                pixelated=False, interactive=False, pane=PANE_COUNTS).add_to(group)
        group.add_to(m)
        CrispWhenZoomedIn(PANE_COUNTS, crisp_zoom(tiles[0][1], tiles[0][0][0][1])).add_to(m)
        legend["counts"] = list(zip(class_labels(edges), colours))

    if kde_image is not None and kde_bounds is not None:
        folium.raster_layers.ImageOverlay(
            density_rgba(kde_image), bounds=kde_bounds, mercator_project=True, pixelated=False,
            name=LAYER_DENSITY, show=False, interactive=False, pane=PANE_DENSITY).add_to(m)
        legend["density"] = True

    if lsoa is not None and len(lsoa) and lsoa["geometry"].notna().any():
        shaped = lsoa[lsoa["geometry"].notna()].reset_index(drop=True)
        data = GeoJsonData(_lsoa_features(shaped), SHAPE_DECIMALS)
        data.add_to(m)
        for column, name in (("n", LAYER_LSOA_COUNT), ("rate", LAYER_LSOA_RATE)):
            values = pd.to_numeric(shaped[column], errors="coerce")
            if not values.notna().any():
                continue
            lsoa_edges = class_breaks(values, 5)
            lsoa_colours = ramp(LSOA_COLOURS, len(lsoa_edges))
            SharedGeoJson(data, name, style={"fillOpacity": 0.65, "color": "#666666", "weight": 0.5},
                          classes=(column, lsoa_edges, lsoa_colours), tooltip=_LSOA_TIP).add_to(m)
            legend["lsoa_" + column] = list(zip(class_labels(lsoa_edges, whole=column == "n"), lsoa_colours))

    features = [f for f in spots.get("features", []) if f["properties"].get("conf") in HOT or
                f["properties"].get("conf") in COLD]
    if features:
        data = GeoJsonData(features, SPOT_DECIMALS)
        data.add_to(m)
        tip = _SPOT_TIP % json.dumps(HOT_WORDS)
        if any(f["properties"]["conf"] in COLD for f in features):
            SharedGeoJson(data, LAYER_COLD, only=("conf", list(COLD)), pane=PANE_HOTSPOTS, tooltip=tip, sticky=False,
                          style={"fillOpacity": 0.75, "color": "#08306b", "weight": 0.8},
                          style_by=("conf", {k: {"fillColor": v} for k, v in COLD.items()}),
                          highlight={"weight": 2.5, "color": OUTLINE}).add_to(m)
            legend["cold"] = [(HOT_WORDS[k], v) for k, v in COLD.items()]
        if any(f["properties"]["conf"] in HOT for f in features):
            SharedGeoJson(data, LAYER_HOT, show=True, only=("conf", list(HOT)), pane=PANE_HOTSPOTS, tooltip=tip,
                          sticky=False, style={"fillOpacity": 0.75, "color": "#4d0000", "weight": 0.8},
                          style_by=("conf", {k: {"fillColor": v} for k, v in HOT.items()}),
                          highlight={"weight": 2.5, "color": OUTLINE}).add_to(m)
    legend["hot"] = [(HOT_WORDS[k], v) for k, v in HOT.items()]

    if outlines is not None and len(outlines) and outlines["geometry"].notna().any():
        data = GeoJsonData([{"type": "Feature", "geometry": g, "properties": {"name": html.escape(str(d))}}
                            for d, g in zip(outlines["district"], outlines["geometry"]) if g], SHAPE_DECIMALS)
        data.add_to(m)
        SharedGeoJson(data, LAYER_DISTRICTS, show=True, pane=PANE_OUTLINES, interactive=False,
                      style={"fill": False, "color": OUTLINE, "weight": 2, "dashArray": "6 4"}).add_to(m)
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
    parts.append("<p style='margin:.3em 0'>Touching squares of the same confidence are drawn as one patch; "
                 "point at a patch for its squares and records.</p>")
    if legend.get("cold"):
        parts.append("<p style='margin:.5em 0 .3em'><b>Cold spots</b> (layer off at first): far fewer records "
                     "than the area's average.</p>")
        parts += [_swatch(c, label) for label, c in legend["cold"]]
    if legend.get("counts"):
        parts.append(f"<p style='margin:.5em 0 .3em'><b>Records per {cell_m:g} m square</b> over the period "
                     "(layer off at first; click a square for its records by type and month):</p>")
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
