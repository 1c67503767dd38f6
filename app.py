"""DSR Map: a thin Streamlit page over the dsr_map library.

Widgets become a Selection; the library filters, renders and exports. The filter state lives
in the URL (?category=Surveillance&vendor=Huawei%20Technologies&country=KEN).
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import hashlib

from dsr_map import export, filters, render, upload, views
from dsr_map.filters import Selection
from dsr_map.load import resolve_data_dir

st.set_page_config(page_title="DSR Map: China's Digital Silk Road", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner="Loading data and boundaries…")
def load(data_dir: str) -> views.ViewData:
    return views.load_view_data(data_dir)


@st.cache_data(max_entries=8, show_spinner="Reading your file…")
def parse_upload(name: str, payload: bytes, data_dir: str):
    """Parsed upload (cached by content); an UploadError message instead when unreadable."""
    try:
        result = upload.parse_upload(name, payload, load(data_dir).dataset)
    except upload.UploadError as exc:
        return None, str(exc)
    return result, ""


@st.cache_resource(max_entries=16)
def choices_for(data_dir: str, upload_key: str, show: str, _projects):
    """Filter choices with counts, computed once per dataset (and upload)."""
    return filters.choices(_projects)


def map_layers(projects, web_world):
    """Fresh folium layers for this run (folium objects are mutated by st_folium, so never shared)."""
    summary = views.summary_for(projects, web_world)
    bundled = projects[projects["origin"] != upload.ORIGIN]
    mine = projects[projects["origin"] == upload.ORIGIN]
    layers = [render.country_layer(summary), render.point_layer(bundled)]
    if len(mine):
        layers.append(render.point_layer(mine, name="Your upload", colour="#111111"))
    return layers, render.fit_bounds_for(projects, summary)


def base_map():
    """Built each run with stable ids: identical HTML, so the browser keeps the map and only the layers swap."""
    fmap = render.build_base_map()
    render.make_offline(fmap)
    render.stable_ids(fmap, "dsrbase")
    return fmap


DATA_DIR = str(resolve_data_dir())
data = load(DATA_DIR)

# ---------------------------------------------------------------- bring your own data
with st.sidebar.expander("Your own data (CSV or XLSX)"):
    st.caption("Columns: country (name or ISO code), vendor, category; optional city, latitude, longitude, "
               "year, name, source_url, description. Or our projects.csv layout. Max 20 MB.")
    uploaded_file = st.file_uploader("Upload projects", type=["csv", "xlsx"], key="upload")
    show_mode = st.radio("Show", ["Bundled data and my upload", "Only my upload"], key="show_mode",
                         disabled=uploaded_file is None)
upload_result, upload_error, upload_key = None, "", ""
if uploaded_file is not None:
    payload = uploaded_file.getvalue()
    upload_key = hashlib.sha256(payload).hexdigest()
    upload_result, upload_error = parse_upload(uploaded_file.name, payload, DATA_DIR)
show = "only" if (upload_result is not None and show_mode == "Only my upload") else "both"
projects_all = views.combine(data.projects, upload_result.projects if upload_result else None, show)
options = choices_for(DATA_DIR, upload_key, show, projects_all)
counts = {name: dict(values) for name, values in options.items()}

# ---------------------------------------------------------------- URL -> widget state (first run only)
if "url_loaded" not in st.session_state:
    preset = filters.from_query_params({k: st.query_params.get_all(k) for k in st.query_params}, projects_all)
    for name in ("categories", "vendors", "countries", "regions", "statuses", "project_types"):
        st.session_state[f"f_{name}"] = list(getattr(preset, name))
    st.session_state["f_search"] = preset.search
    st.session_state["f_years"] = (preset.year_from, preset.year_to)
    st.session_state["url_loaded"] = True


country_names = dict(zip(projects_all["country_iso3"], projects_all["country"]))


def _label(name: str):
    if name == "countries":
        return lambda v: f"{country_names.get(v, v)} ({counts[name].get(v, 0)})"
    return lambda v: f"{v} ({counts[name].get(v, 0)})"


def reset_filters() -> None:
    for name in ("categories", "vendors", "countries", "regions", "statuses", "project_types"):
        st.session_state[f"f_{name}"] = []
    st.session_state["f_search"] = ""
    st.session_state["f_years"] = (None, None)


# ---------------------------------------------------------------- sidebar filters
with st.sidebar:
    st.header("Filters")
    widgets = [("categories", "Technology category"), ("vendors", "Company"), ("countries", "Country"),
               ("regions", "Region"), ("statuses", "Status"), ("project_types", "Project type")]
    for name, label in widgets:
        st.multiselect(label, [v for v, _ in options[name]], key=f"f_{name}", format_func=_label(name))
    bounds = filters.year_bounds(projects_all)
    year_from, year_to = st.session_state.get("f_years", (None, None))
    if bounds:
        lo, hi = bounds
        picked = st.slider("Year (first contract, announcement or launch)", lo, hi,
                           (max(lo, year_from or lo), min(hi, year_to or hi)), key="f_year_slider")
        year_from = picked[0] if picked[0] > lo else None
        year_to = picked[1] if picked[1] < hi else None
        st.session_state["f_years"] = (year_from, year_to)
    search = st.text_input("Search name, description, city, company, sources", key="f_search", max_chars=200)
    st.button("Reset filters", on_click=reset_filters)

selection = Selection(
    **{name: tuple(st.session_state[f"f_{name}"]) for name, _ in widgets},
    year_from=year_from, year_to=year_to, search=search.strip(),
)
st.query_params.from_dict(filters.to_query_params(selection))
projects = filters.apply_selection(projects_all, selection)

# ---------------------------------------------------------------- headline
st.title("DSR Map")
st.caption("China's Digital Silk Road technology exports: what was built where, by whom, on whose evidence. "
           f"Data version {data.dataset.version}.")
if data.problems:
    st.warning(f"The data has {len(data.problems)} validation problem(s); see 'About the data'.")
columns = st.columns(4)
for column, (label, value) in zip(columns, views.headline(projects).items()):
    column.metric(label, value)
st.caption(f"Showing: {selection.describe()}")

# One container, always present, so the map keeps its place in the page (a moved component remounts).
with st.container():
    if upload_error:
        st.error(upload_error)
    elif upload_result is not None:
        st.info(f"Your upload: {len(upload_result.projects)} of {upload_result.rows_read} row(s) valid and shown "
                f"(black points); {len({p.row for p in upload_result.problems})} row(s) skipped.")
        if upload_result.problems:
            with st.expander("Rows not shown, and why"):
                st.dataframe(views.problems_frame(upload_result.problems), hide_index=True, width="stretch")

# ---------------------------------------------------------------- map: the base map stays, the layers swap
layers, fit = map_layers(projects, data.web_world)
center, zoom = render.view_for_bounds(fit)
clicked = st_folium(
    base_map(), key="map", height=560, use_container_width=True,
    feature_group_to_add=layers,
    center=center, zoom=zoom, returned_objects=["last_active_drawing"],
)
clicked_iso3 = views.clicked_country(clicked)

# ---------------------------------------------------------------- tabs
tab_table, tab_country, tab_charts, tab_export, tab_about = st.tabs(
    ["Projects table", "Country profile", "Charts", "Export", "About the data"])

with tab_table:
    if len(projects) > views.TABLE_LIMIT:
        st.caption(f"Showing the first {views.TABLE_LIMIT:,} of {len(projects):,} projects; "
                   "the CSV export holds them all.")
    st.dataframe(
        views.table_frame(projects.head(views.TABLE_LIMIT)), hide_index=True, width="stretch",
        column_config={"Source": st.column_config.LinkColumn("Source", display_text="open"),
                       "Value (USD)": st.column_config.NumberColumn(format="%.0f"),
                       "Year": st.column_config.NumberColumn(format="%d")},
    )

with tab_country:
    present = list(projects["country_iso3"].value_counts().index)
    if clicked_iso3 and clicked_iso3 not in present:
        present.insert(0, clicked_iso3)
    default = present.index(clicked_iso3) if clicked_iso3 in present else 0
    if present:
        in_view = projects["country_iso3"].value_counts().to_dict()
        iso3 = st.selectbox("Country (or click one on the map)", present, index=default,
                            format_func=lambda v: f"{views.country_name(projects_all, v)} ({in_view.get(v, 0)} in view)",
                            key=f"profile_{clicked_iso3 or ''}")
        profile = views.country_profile(projects, iso3)
        st.subheader(f"{views.country_name(projects_all, iso3)}: {len(profile['projects'])} project(s) in this view")
        left, right = st.columns(2)
        left.dataframe(profile["vendors"], hide_index=True, width="stretch")
        right.dataframe(profile["categories"], hide_index=True, width="stretch")
        st.dataframe(views.table_frame(profile["projects"]), hide_index=True, width="stretch",
                     column_config={"Source": st.column_config.LinkColumn("Source", display_text="open")})

with tab_charts:
    left, right = st.columns(2)
    left.subheader("Projects per year")
    left.bar_chart(views.per_year(projects), x="year", y="projects")
    right.subheader("Top companies")
    right.bar_chart(views.breakdown(projects, "vendors", top=15), x="vendors", y="projects", horizontal=True)
    st.subheader("Categories")
    st.bar_chart(views.breakdown(projects, "categories"), x="categories", y="projects", horizontal=True)

with tab_export:
    st.write("Every export shows exactly this view, with its filters, the data version, the date and the "
             "attributions. Files are built when you click.")
    left, mid, right = st.columns(3)
    title = left.text_input("Title", value="", placeholder="default: from the filters", max_chars=150)
    extent_name = mid.selectbox("Image extent", ["world", "data"], format_func={
        "world": "World", "data": "Fitted to the filtered projects"}.get)
    size = right.selectbox("Image size", ["1600x900 (slide)", "2400x1350 (print)", "1200x800"])
    dpi = right.select_slider("Image DPI", options=[100, 150, 200, 300], value=150)
    width_px, height_px = (int(v) for v in size.split(" ")[0].split("x"))
    snapshot = export.Snapshot(selection=selection, version=data.dataset.version, title=title.strip())

    def make(fmt: str):
        def build() -> bytes:
            image = {"extent": extent_name, "width_px": width_px, "height_px": height_px, "dpi": dpi}
            options = image if fmt in ("png", "svg", "pdf") else {}
            return export.export_bytes(fmt, projects, data.dataset.world, snapshot, **options)
        return build

    buttons = st.columns(6)
    for column, fmt in zip(buttons, export.FORMATS):
        column.download_button(fmt.upper(), data=make(fmt), file_name=views.export_filename(selection, fmt),
                               mime=export.MIME[fmt], on_click="ignore", key=f"dl_{fmt}", width="stretch")

with tab_about:
    st.markdown(views.about_markdown(data))
    with st.expander("Data changelog"):
        st.markdown(data.changelog)
    if data.problems:
        with st.expander("Validation problems"):
            st.code("\n".join(data.problems))
