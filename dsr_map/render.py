"""Interactive map with folium: country choropleth, project points, legend, offline assets.

Every string from data is escaped with ``escape_text``. Leaflet and plugin assets come from
the installed ``folium-offline`` package as data: URIs, so nothing is fetched from a CDN and
the map draws with the network blocked. Tiles are an optional layer, off by default.
"""

from __future__ import annotations

import base64
import json
import math
from functools import cache, lru_cache

import folium
import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.plugins import MarkerCluster
from folium.utilities import JsCode
from jinja2 import Template

from .escape import escape_text, safe_link
from .schema import CATEGORIES

# Stable choropleth classes: upper bounds of 1, 2-3, 4-9, 10+ (0 is drawn neutral).
CLASS_BINS = (0, 1, 3, 9)
CLASS_LABELS = ("none", "1", "2–3", "4–9", "10+")
CLASS_COLOURS = ("#eeeeee", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000")
BORDER_COLOUR = "#9e9e9e"
OCEAN_COLOUR = "#dfeaf2"
CATEGORY_COLOURS: dict[str, str] = dict(zip(CATEGORIES, (
    "#1f77b4", "#2ca02c", "#9467bd", "#e6ab02", "#ff7f0e", "#17becf", "#8c564b",
)))
OTHER_COLOUR = "#555555"
MAX_POINT_MARKERS = 2000  # beyond this, points are aggregated into grid cells
WEB_TOLERANCE = 0.1  # degrees: boundary simplification for the browser
ATTRIBUTION = ("Boundaries: Natural Earth (public domain) · Data: DSR Map, sources per project · "
               "Seed: Asia Society Policy Institute, Stacking the Deck (2021)")


# ---------------------------------------------------------------- offline assets
@cache
def _asset_table() -> dict[str, str]:
    from offlinefolium.elements import _res  # the installed package's inlined assets

    return dict(_res)


def _data_uri(url: str, mime: str) -> str:
    body = _asset_table().get(url)
    if body is None:
        raise LookupError(f"no offline copy of {url} in folium-offline")
    return f"data:{mime};base64," + base64.b64encode(body.encode("utf-8")).decode("ascii")


# folium's map loads Bootstrap and icon fonts we never use; only these of its assets are kept.
UNUSED_ASSETS = {"bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
                 "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css"}


def make_offline(element) -> None:
    """Point every JS/CSS link of ``element`` and its children at offline data: URIs."""
    for child in _walk(element):
        for attr, mime in (("default_js", "text/javascript"), ("default_css", "text/css")):
            links = getattr(child, attr, None)
            if links:
                setattr(child, attr, [(name, url if url.startswith("data:") else _data_uri(url, mime))
                                      for name, url in links if name not in UNUSED_ASSETS])


def stable_ids(element, prefix: str) -> None:
    """Give ``element`` and its children deterministic ids, so re-rendering gives identical HTML
    (st_folium then keeps the map in place instead of rebuilding it)."""
    for number, child in enumerate(_walk(element)):
        child._id = f"{prefix}{number}"


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


# ---------------------------------------------------------------- classes and colours
def classify_counts(counts: pd.Series) -> pd.Series:
    """Class index 0..4 for project counts (0 = none, 1 = 1, 2 = 2-3, 3 = 4-9, 4 = 10+)."""
    values = counts.astype(float).to_numpy()
    bins = list(CLASS_BINS) + ([float(values.max())] if len(values) and values.max() > CLASS_BINS[-1] else [])
    classes = mapclassify.UserDefined(values, bins=bins).yb if len(values) else np.array([], dtype=int)
    return pd.Series(np.minimum(classes, len(CLASS_LABELS) - 1), index=counts.index, dtype=int)


def category_colour(categories: tuple[str, ...]) -> str:
    return CATEGORY_COLOURS.get(categories[0], OTHER_COLOUR) if categories else OTHER_COLOUR


def simplify_for_web(world: gpd.GeoDataFrame, tolerance: float = WEB_TOLERANCE) -> gpd.GeoDataFrame:
    """Lighter boundaries for the browser; shared borders stay shared."""
    out = world.copy()
    geoms = shapely.coverage_simplify(out.geometry.values, tolerance, simplify_boundary=True)
    geoms = shapely.make_valid(shapely.set_precision(geoms, 0.01))
    keep = ~shapely.is_empty(geoms)
    out.loc[keep, "geometry"] = geoms[keep]
    return out


# ---------------------------------------------------------------- text
def _fmt_value(value: float) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value >= 1e9:
        return f"US${value / 1e9:.2f} bn"
    if value >= 1e6:
        return f"US${value / 1e6:.1f} m"
    return f"US${value:,.0f}"


def tooltip_text(row) -> str:
    year = "" if row["year"] is None or pd.isna(row["year"]) else f" ({int(row['year'])})"
    return escape_text(f"{row['name']} — {', '.join(row['vendors'])}{year}")


def popup_html(row) -> str:
    """The project card: every field escaped, each source an http(s) link."""
    place = ", ".join(v for v in (row["city"], row["country"]) if v)
    fields = [
        ("Country", place),
        ("Companies", ", ".join(row["vendors"])),
        ("Categories", ", ".join(row["categories"])),
        ("Type", row["project_type"]),
        ("Year", "" if row["year"] is None or pd.isna(row["year"]) else str(int(row["year"]))),
        ("Status", row["status"]),
        ("Certainty", row.get("certainty", "")),
        ("Value", _fmt_value(row["value_usd"])),
        ("Client", row.get("client", "")),
        ("Financing", row.get("financing", "")),
    ]
    rows = "".join(f"<tr><th>{escape_text(k)}</th><td>{escape_text(v)}</td></tr>" for k, v in fields if v)
    links = "".join(
        f"<li>{safe_link(url, title or url)}" + (f" <span class='pub'>({escape_text(pub)})</span>" if pub else "") + "</li>"
        for url, title, pub in zip(row["source_urls"], row["source_titles"], row.get("source_publishers", ()))
    )
    return (
        f"<div class='dsr-popup'><h4>{escape_text(row['name'])}</h4>"
        f"<div class='pid'>{escape_text(row['project_id'])} · {escape_text(row.get('origin', ''))}</div>"
        f"<table>{rows}</table><p>{escape_text(row['description'])}</p>"
        f"<b>Sources</b><ol>{links}</ol></div>"
    )


# ---------------------------------------------------------------- layers
def country_layer(summary: gpd.GeoDataFrame, *, name: str = "Projects per country") -> folium.FeatureGroup:
    """Choropleth of ``summary['projects']`` over every boundary feature."""
    frame = summary[["iso3", "country", "projects", "geometry"]].copy()
    frame["cls"] = classify_counts(frame["projects"])
    frame["label"] = [escape_text(f"{c}: {n} project{'s' if n != 1 else ''}")
                      for c, n in zip(frame["country"], frame["projects"])]
    frame["country"] = frame["country"].map(escape_text)
    frame["iso3"] = frame["iso3"].map(escape_text)
    group = folium.FeatureGroup(name=name, control=True)
    folium.GeoJson(
        feature_collection(frame, ["iso3", "country", "projects", "cls", "label"]),
        name=name,
        style_function=lambda f: {
            "fillColor": CLASS_COLOURS[int(f["properties"]["cls"])],
            "color": BORDER_COLOUR, "weight": 0.5, "fillOpacity": 0.85,
        },
        highlight_function=lambda f: {"weight": 2, "color": "#333333"},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        zoom_on_click=False,
    ).add_to(group)
    make_offline(group)
    return group


@lru_cache(maxsize=4096)
def _geometry_dict(geom: shapely.Geometry) -> dict:
    """GeoJSON geometry (boundaries repeat on every rerun, so it is converted once)."""
    return json.loads(shapely.to_geojson(geom))


def feature_collection(frame: gpd.GeoDataFrame, properties: list[str]) -> dict:
    """GeoJSON dict with only ``properties``; GEOS writes the (already rounded) coordinates compactly."""
    features = []
    for record, geom in zip(frame[properties].to_dict("records"), frame.geometry):
        geometry = _geometry_dict(geom) if geom is not None and not geom.is_empty else None
        props = {k: (int(v) if isinstance(v, (np.integer,)) else v) for k, v in record.items()}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def _grid_cells(points: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Aggregate points into square cells, coarse enough to give at most ``limit`` cells."""
    size = 0.25
    while True:
        keys = pd.DataFrame({
            "gx": np.floor(points["longitude"] / size).astype(int),
            "gy": np.floor(points["latitude"] / size).astype(int),
        })
        cells = points.assign(**keys).groupby(["gx", "gy"]).agg(
            latitude=("latitude", "mean"), longitude=("longitude", "mean"), n=("project_id", "size"))
        if len(cells) <= limit:
            return cells.reset_index(drop=True)
        size *= 2


@lru_cache(maxsize=200_000)
def _popup_cached(values: tuple) -> str:
    return popup_html(dict(zip(_POPUP_FIELDS, values)))


_POPUP_FIELDS = ("project_id", "name", "city", "country", "vendors", "categories", "project_type", "year", "status",
                 "certainty", "value_usd", "client", "financing", "description", "source_urls", "source_titles",
                 "source_publishers", "origin")


# Tooltip and popup are bound on each point (the clustered layers leave their GeoJSON group).
# Their content is HTML built with escape_text, passed as JSON data, never as template code.
BIND_PER_POINT = JsCode("""
function(feature, layer) {
  if (feature.properties.tooltip) { layer.bindTooltip(feature.properties.tooltip, {sticky: true}); }
  if (feature.properties.popup) { layer.bindPopup(feature.properties.popup, {maxWidth: 380}); }
}
""")


def _point_features(points: pd.DataFrame, colour: str | None) -> dict:
    features = []
    for row in points[list(_POPUP_FIELDS) + ["latitude", "longitude", "categories"]].itertuples(index=False):
        record = row._asdict()
        values = tuple(None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v
                       for v in (record[f] for f in _POPUP_FIELDS))
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(float(record["longitude"]), 5),
                                                          round(float(record["latitude"]), 5)]},
            "properties": {"tooltip": tooltip_text(record), "popup": _popup_cached(values),
                           "colour": colour or category_colour(record["categories"])},
        })
    return {"type": "FeatureCollection", "features": features}


def point_layer(projects: pd.DataFrame, *, name: str = "Projects", max_markers: int = MAX_POINT_MARKERS,
                colour: str | None = None) -> folium.FeatureGroup:
    """Projects with coordinates as one clustered GeoJSON layer; aggregated into grid cells past ``max_markers``."""
    points = projects[projects["latitude"].notna() & projects["longitude"].notna()]
    group = folium.FeatureGroup(name=escape_text(name), control=True)
    if len(points) > max_markers:
        cells = _grid_cells(points, max_markers)
        collection = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(c.longitude, 4), round(c.latitude, 4)]},
             "properties": {"tooltip": escape_text(f"{c.n} projects in this area — zoom in or filter to see each one"),
                            "radius": min(4 + math.log2(c.n + 1) * 2, 22)}}
            for c in cells.itertuples()]}
        folium.GeoJson(
            collection, name=escape_text(name),
            marker=folium.CircleMarker(radius=6, color="#333333", weight=1, fill=True, fill_opacity=0.7),
            style_function=lambda f: {"fillColor": colour or "#3182bd", "radius": f["properties"]["radius"]},
            on_each_feature=BIND_PER_POINT,
        ).add_to(group)
        make_offline(group)
        return group
    cluster = MarkerCluster(name=escape_text(name), options={"maxClusterRadius": 35, "spiderfyOnMaxZoom": True})
    if len(points):
        folium.GeoJson(
            _point_features(points, colour), name=escape_text(name),
            marker=folium.CircleMarker(radius=7, color="#ffffff", weight=1.5, fill=True, fill_opacity=0.95),
            style_function=lambda f: {"fillColor": f["properties"]["colour"]},
            on_each_feature=BIND_PER_POINT,
        ).add_to(cluster)
    cluster.add_to(group)
    make_offline(group)
    return group


# ---------------------------------------------------------------- legend and captions
_LEGEND = Template("""
{% macro html(this, kwargs) %}
<div class="dsr-legend" style="position:absolute;bottom:20px;left:10px;z-index:650;background:rgba(255,255,255,.92);
 padding:6px 8px;border-radius:6px;font:11px/1.35 system-ui,sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:220px">
 <b>Projects per country</b><br>
 {% for colour, label in this.classes %}<span style="display:inline-block;width:12px;height:12px;background:{{colour}};
 border:1px solid #999;margin-right:4px;vertical-align:middle"></span>{{label}}<br>{% endfor %}
 <b>Project category</b> (first listed)<br>
 {% for colour, label in this.categories %}<span style="display:inline-block;width:10px;height:10px;border-radius:50%;
 background:{{colour}};margin-right:4px;vertical-align:middle"></span>{{label}}<br>{% endfor %}
</div>
{% endmacro %}
""")


class Legend(MacroElement):
    """Static legend: classes and category colours are fixed, so it never needs rebuilding."""

    _template = _LEGEND

    def __init__(self) -> None:
        super().__init__()
        self._name = "DsrLegend"
        self.classes = [(c, escape_text(l)) for c, l in zip(CLASS_COLOURS, CLASS_LABELS)]
        self.categories = [(c, escape_text(k)) for k, c in CATEGORY_COLOURS.items()]


def caption_element(title: str, caption: str, footer: str) -> Element:
    return Element(
        "<div class='dsr-caption' style=\"position:absolute;top:10px;left:50px;z-index:650;"
        "background:rgba(255,255,255,.92);padding:6px 10px;border-radius:6px;font:13px/1.35 system-ui,sans-serif;"
        "max-width:60%;box-shadow:0 1px 4px rgba(0,0,0,.3)\">"
        f"<b>{escape_text(title)}</b><br><span>{escape_text(caption)}</span><br>"
        f"<small>{escape_text(footer)}</small></div>"
    )


# ---------------------------------------------------------------- maps
def build_base_map(*, tiles: bool = False) -> folium.Map:
    """An empty world map: no tiles unless asked (tiles need the network), legend, offline assets."""
    fmap = folium.Map(location=(15, 20), zoom_start=2, min_zoom=1, max_zoom=18, tiles=None, world_copy_jump=False,
                      prefer_canvas=False, control_scale=False)
    fmap.options.update({"maxZoom": 18, "minZoom": 1})  # folium only passes these to tile layers
    fmap.get_root().header.add_child(Element(
        f"<style>.leaflet-container{{background:{OCEAN_COLOUR} !important}}.dsr-popup h4{{margin:0 0 2px;font-size:15px}}"
        ".dsr-popup .pid{color:#666;font-size:11px;margin-bottom:4px}.dsr-popup th{text-align:left;padding-right:8px;"
        "vertical-align:top;color:#444}.dsr-popup ol{padding-left:18px;margin:2px 0}.dsr-popup .pub{color:#666}</style>"))
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap tiles (online)", show=False, overlay=False).add_to(fmap)
    Legend().add_to(fmap)
    return fmap


def fit_bounds_for(projects: pd.DataFrame, summary: gpd.GeoDataFrame) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the filtered points, else their countries."""
    pts = projects[projects["latitude"].notna() & projects["longitude"].notna()]
    boxes = []
    if len(pts):
        boxes.append((pts["longitude"].min(), pts["latitude"].min(), pts["longitude"].max(), pts["latitude"].max()))
    unplaced = set(projects.loc[projects["latitude"].isna(), "country_iso3"])
    hit = summary[summary["iso3"].isin(unplaced) & (summary["projects"] > 0)]
    if not hit.empty:
        boxes.append(tuple(hit.total_bounds))
    if not boxes:
        return None
    west, south = min(float(b[0]) for b in boxes), min(float(b[1]) for b in boxes)
    east, north = max(float(b[2]) for b in boxes), max(float(b[3]) for b in boxes)
    pad = 2.0
    return [[max(south - pad, -85), max(west - pad, -180)], [min(north + pad, 85), min(east + pad, 180)]]


def build_map(projects: pd.DataFrame, summary: gpd.GeoDataFrame, *, title: str = "DSR Map",
              caption: str = "", footer: str = ATTRIBUTION, tiles: bool = False,
              extra_layers: list[folium.FeatureGroup] | None = None) -> folium.Map:
    """A complete standalone map of the filtered projects (used for the HTML export)."""
    fmap = build_base_map(tiles=tiles)
    country_layer(summary).add_to(fmap)
    point_layer(projects).add_to(fmap)
    for layer in extra_layers or []:
        layer.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    fmap.get_root().html.add_child(caption_element(title, caption, footer))
    bounds = fit_bounds_for(projects, summary)
    if bounds:
        fmap.fit_bounds(bounds)
    make_offline(fmap)
    return fmap


def view_for_bounds(bounds: list[list[float]] | None) -> tuple[tuple[float, float], int]:
    """Centre and zoom that show ``bounds`` (used by the app to move the map without rebuilding it)."""
    if not bounds:
        return (15.0, 20.0), 2
    (south, west), (north, east) = bounds
    span = max(east - west, (north - south) * 1.6, 0.5)
    zoom = int(max(2, min(10, math.floor(math.log2(360 / span)) + 1)))
    return ((south + north) / 2, (west + east) / 2), zoom
