"""The floor for "map visible": a Streamlit page holding only DSR Map's map component (no sidebar, no
header, no tabs) on the bundled data. What no page built on Streamlit and this component can beat on this
machine; the benchmark reports it beside the app. Not part of the app."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from dsr_map import views, web
from dsr_map.filters import Selection

st.set_page_config(page_title="Floor", layout="wide")


@st.cache_resource
def load() -> views.ViewData:
    return views.load_view_data()


data = load()
folder, shapes_file, details_file = data.web_files
component = components.declare_component("dsr_map", path=str(folder))
view = views.map_view(
    data.projects,
    data.dataset.world,
    data.exporter.ties,
    Selection(),
    standards_layer=False,
    government_only=False,
    play=True,
)
args = web.view_args(selected=[True] * len(data.projects), **view)
args.update(shapes_url=shapes_file, details_url=details_file)
component(**args, key="map", default=None)
