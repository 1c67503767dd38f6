"""The naive baseline the benchmark compares DSR Map with: the usual folium + streamlit-folium page.

Same bundled data, same filter (technology category), same layers: a country choropleth and clustered
points whose popups are built in Python, the whole map sent to the browser on every rerun. Needs the
``bench`` extra (folium, streamlit-folium). Not part of the app.
"""

from __future__ import annotations

import folium
import streamlit as st
from folium.plugins import MarkerCluster
from streamlit_folium import st_folium

from dsr_map import filters, views
from dsr_map.escape import escape_text
from dsr_map.palette import CLASS_COLOURS, category_colour, classify_counts

st.set_page_config(page_title="Naive baseline", layout="wide")


@st.cache_resource
def load() -> views.ViewData:
    return views.load_view_data()


data = load()
projects = data.projects
category = st.sidebar.multiselect("Technology category", [v for v, _ in filters.choices(projects)["categories"]])
shown = filters.apply_selection(projects, filters.Selection(categories=tuple(category)))
st.metric("Projects", len(shown))

summary = views.Exporter.for_dataset(data.dataset).summary(shown)
classes = classify_counts(summary["projects"].to_numpy())
fmap = folium.Map(location=(15, 20), zoom_start=2, tiles=None)
features = []
for (_, row), cls in zip(summary.iterrows(), classes):
    features.append(
        {
            "type": "Feature",
            "properties": {"name": row["country"], "n": int(row["projects"]), "fill": CLASS_COLOURS[int(cls)]},
            "geometry": row["geometry"].__geo_interface__,
        }
    )
folium.GeoJson(
    {"type": "FeatureCollection", "features": features},
    style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#999", "weight": 0.5, "fillOpacity": 0.9},
    tooltip=folium.GeoJsonTooltip(["name", "n"]),
).add_to(fmap)
cluster = MarkerCluster().add_to(fmap)
for row in shown.dropna(subset=["latitude", "longitude"]).itertuples():
    popup = (
        f"<b>{escape_text(row.name)}</b><br>{escape_text(', '.join(row.vendors))}<br>"
        f"{escape_text(row.description)}<br>" + "<br>".join(escape_text(t) for t in row.source_titles)
    )
    folium.CircleMarker(
        (row.latitude, row.longitude),
        radius=6,
        color=category_colour(row.categories),
        fill=True,
        popup=folium.Popup(popup, max_width=350),
        tooltip=escape_text(row.name),
    ).add_to(cluster)
st_folium(fmap, height=560, use_container_width=True, returned_objects=[], key="naive")
