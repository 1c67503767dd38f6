"""DSR Map: a thin Streamlit page over the dsr_map library.

Widgets become a Selection; the library filters, maps and exports. The view lives in the URL
(?category=Surveillance&vendor=huawei&country=KEN&layer=standards&as_of=2019). The map is the
library's own browser renderer: country shapes and project details are files the browser loads
once; each rerun sends only what changed.
"""

from __future__ import annotations

import hashlib

import streamlit as st
import streamlit.components.v1 as components

from dsr_map import export, filters, upload, views, web
from dsr_map.escape import escape_markdown
from dsr_map.extent import REGIONS
from dsr_map.filters import Selection
from dsr_map.load import resolve_data_dir
from dsr_map.primitives import TITLE_MAX_CHARS, plural

st.set_page_config(page_title="DSR Map: China's Digital Silk Road", page_icon="🗺️", layout="wide")
# Layout only (no data): metrics two by two on a phone, so the map is near the top of the page.
st.markdown(
    """<style>
.block-container {padding-top: 2.2rem; padding-left: 1rem; padding-right: 1rem}
@media (max-width: 640px) {
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) {flex-wrap: wrap; gap: 0.25rem 1rem}
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) > [data-testid="stColumn"] {
    min-width: calc(50% - 0.5rem) !important; flex: 1 1 calc(50% - 0.5rem) !important}
  [data-testid="stMetricValue"] {font-size: 1.5rem}
  h1 {font-size: 1.8rem !important; padding-bottom: 0.2rem}
}
</style>""",
    unsafe_allow_html=True,
)


@st.cache_resource(show_spinner="Loading data and boundaries…")
def load(data_dir: str) -> views.ViewData:
    return views.load_view_data(data_dir)


@st.cache_resource(max_entries=4, show_spinner="Reading your file…")
def parse_upload(key: str, name: str, _payload: bytes, data_dir: str):
    """(UploadResult or None, error message, upload table for the map), cached by content."""
    data = load(data_dir)
    try:
        result = upload.parse_upload(name, _payload, data.dataset, data.resolver)
    except upload.UploadError as exc:
        return None, str(exc), None
    return result, "", web.table_payload(result.projects)


@st.cache_resource(max_entries=8)
def choices_for(data_dir: str, upload_key: str, show: str, _projects):
    """Filter choices with counts, computed once per dataset (and upload)."""
    return filters.choices(_projects)


@st.cache_resource(max_entries=8)
def resolver_for(data_dir: str, vendors: tuple[str, ...]):
    """Names as users type them, the upload's companies included, built once per upload."""
    from dsr_map.resolve import build_resolver

    data = load(data_dir)
    return build_resolver(
        data.dataset.vendors, data.dataset.world["iso3"], data.dataset.world["region"], extra_vendors=vendors
    )


DATA_DIR = str(resolve_data_dir())
data = load(DATA_DIR)
folder, shapes_file, details_file = data.web_files
dsr_map_component = components.declare_component("dsr_map", path=str(folder))

# ---------------------------------------------------------------- bring your own data
# The sidebar's widgets are drawn at the end of the script (their values are read from the session
# first): the browser then receives the map before the widgets and builds it while they arrive.
uploaded_file = st.session_state.get("upload")
show_mode = st.session_state.get("show_mode", "Bundled data and my upload")
upload_result, upload_error, upload_key, upload_table = None, "", "", None
if uploaded_file is not None:
    payload = uploaded_file.getvalue()
    upload_key = hashlib.sha256(payload).hexdigest()[:16]
    upload_result, upload_error, upload_table = parse_upload(upload_key, uploaded_file.name, payload, DATA_DIR)
show = "only" if (upload_result is not None and show_mode == "Only my upload") else "both"
uploaded = upload_result.projects if upload_result is not None else None
projects_all = views.combine(data.projects, uploaded, show)
options = choices_for(DATA_DIR, upload_key, show, projects_all)
counts = {name: dict(values) for name, values in options.items()}
resolver = resolver_for(DATA_DIR, tuple(v for v, _ in options["vendors"])) if upload_key else data.resolver

# ---------------------------------------------------------------- URL -> widget state (first run only)
LIST_FIELDS = [
    ("categories", "Technology category"),
    ("vendors", "Company"),
    ("countries", "Country"),
    ("regions", "Region"),
    ("statuses", "Status"),
    ("project_types", "Project type"),
    ("scales", "Scale"),
]
if "url_loaded" not in st.session_state:
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    preset, notices = filters.from_query_params(params, resolver)
    for name, _ in LIST_FIELDS:
        st.session_state[f"f_{name}"] = [v for v in getattr(preset, name) if v in counts[name]]
        notices += [
            f"no project in the data has {name[:-1]} {v!r}" for v in getattr(preset, name) if v not in counts[name]
        ]
    st.session_state["f_search"] = preset.search
    st.session_state["f_years"] = (preset.year_from, preset.year_to)
    st.session_state["f_undated"] = preset.include_undated
    st.session_state["f_as_of_on"] = preset.as_of is not None
    st.session_state["f_as_of"] = preset.as_of
    st.session_state["f_layer"] = params.get("layer", [""])[0] == "standards"
    st.session_state["f_shade"] = (
        "Government-level projects" if params.get("shade", [""])[0] == "government" else "All projects"
    )
    st.session_state["url_notices"] = notices
    st.session_state["url_loaded"] = True


def _label(name: str):
    names = data.country_names
    if name == "countries":
        return lambda v: f"{names.get(v, v)} ({counts[name].get(v, 0):,})"
    return lambda v: f"{v} ({counts[name].get(v, 0):,})"


def ranked_bars(alt, frame, label: str, row_px: int):
    """Horizontal bars, largest first, with full names and thousands separators."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("Projects:Q", axis=alt.Axis(format=",d")),
            y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=0)),
            tooltip=[label, alt.Tooltip("Projects:Q", format=",d")],
        )
        .properties(height=max(120, row_px * len(frame)))
    )


def reset_filters() -> None:
    for name, _ in LIST_FIELDS:
        st.session_state[f"f_{name}"] = []
    st.session_state["f_search"] = ""
    st.session_state["f_years"] = (None, None)
    st.session_state["f_undated"] = False
    st.session_state["f_as_of_on"] = False
    for key in [k for k in st.session_state if str(k).startswith("f_year_slider")]:
        del st.session_state[key]


# ---------------------------------------------------------------- the filters, as the widgets hold them
state = st.session_state
state["map_drawn"] = map_drawn = bool(state.get("map_drawn") or (state.get("map") or {}).get("drawn"))
bounds = filters.year_bounds(projects_all)
year_from, year_to = state.get("f_years", (None, None))
slider_key = f"f_year_slider_{bounds[0]}_{bounds[1]}" if bounds else ""
if bounds and bounds[0] < bounds[1]:
    lo, hi = bounds
    picked = state.get(slider_key, (max(lo, min(hi, year_from or lo)), min(hi, max(lo, year_to or hi))))
    year_from = picked[0] if picked[0] > lo else None
    year_to = picked[1] if picked[1] < hi else None
elif bounds:
    year_from = year_to = None
state["f_years"] = (year_from, year_to)
undated_total = int(projects_all["year"].isna().sum())
show_undated_choice = (year_from is not None or year_to is not None) and undated_total > 0
include_undated = bool(state.get("f_undated")) if show_undated_choice else False
as_of = None
if state.get("f_as_of_on") and bounds:
    if state.get("f_as_of") is None or not bounds[0] <= state["f_as_of"] <= bounds[1]:
        state["f_as_of"] = bounds[1]
    as_of = state["f_as_of"]
search = state.get("f_search", "")
standards_layer = bool(state.get("f_layer"))
government_only = state.get("f_shade") == "Government-level projects"

selection = Selection(
    **{name: tuple(st.session_state[f"f_{name}"]) for name, _ in LIST_FIELDS},
    year_from=year_from,
    year_to=year_to,
    include_undated=include_undated,
    as_of=as_of,
    search=str(search).strip(),
)
url_state = filters.to_query_params(selection)
if standards_layer:
    url_state["layer"] = ["standards"]
if government_only:
    url_state["shade"] = ["government"]
st.query_params.from_dict(url_state)
projects = filters.apply_selection(projects_all, selection, events=data.exporter.events)

# ---------------------------------------------------------------- headline
# Placeholders first, so the map's message leaves early (the browser builds the map while the rest
# arrives); the header and the upload notices fill their places afterwards. They are always present,
# so the map keeps its place in the page (a component that moves remounts).
header = st.container()
notices = st.container()

# ---------------------------------------------------------------- map
n_bundled = len(data.projects) if show == "both" else 0
bundled_mask = [False] * len(data.projects)
upload_mask = [False] * (len(uploaded) if uploaded is not None else 0)
for label in projects.index:
    if label < n_bundled:
        bundled_mask[label] = True
    elif upload_mask:
        upload_mask[label - n_bundled] = True
view = views.map_view(
    projects,
    data.dataset.world,
    data.exporter.ties,
    selection,
    standards_layer=standards_layer,
    government_only=government_only,
    play=True,
)
args = web.view_args(
    selected=bundled_mask, selected_upload=upload_mask, upload_label="Your upload" if upload_mask else "", **view
)
args.update(shapes_url=shapes_file, details_url=details_file)
if upload_table is not None and uploaded is not None and len(uploaded):
    have = (st.session_state.get("map") or {}).get("upload_have")
    args["upload"] = {"key": upload_key} if have == upload_key else {"key": upload_key, "table": upload_table}
map_value = dsr_map_component(**args, key="map", default=None)
clicked_iso3 = views.clicked_country(map_value, set(data.country_names))

with header:
    st.title("DSR Map")
    st.caption(
        "China's Digital Silk Road technology exports: what was built where, by whom, on whose evidence. "
        f"Data version {escape_markdown(data.dataset.version)}."
    )
    for notice in st.session_state.get("url_notices", []):
        st.warning(f"From the link: {escape_markdown(notice)}")
    if data.problems:
        st.warning(f"The data has {len(data.problems):,} validation problem(s); see 'About the data'.")
    for column, (label, value) in zip(st.columns(4), views.headline(projects).items()):
        column.metric(label, value)
    left_out = filters.undated_left_out(projects_all, selection)
    st.caption(
        views.showing_caption(selection, len(projects))
        + (f" · {escape_markdown(plural(left_out, 'undated project'))} left out by the year range" if left_out else "")
    )

with notices:
    if upload_error:
        st.error(upload_error)
    elif upload_result is not None:
        st.info(
            f"Your upload: {len(upload_result.projects):,} of {upload_result.rows_read:,} row(s) valid and shown "
            f"(black points); {len({p.row for p in upload_result.problems}):,} row(s) skipped."
        )
        for note in upload_result.notes:
            st.caption(escape_markdown(note))
        if upload_result.problems:
            with st.expander("Rows not shown, and why"):
                st.dataframe(views.problems_frame(upload_result.problems), hide_index=True, width="stretch")

# ---------------------------------------------------------------- first paint
# A new session's first run stops here, with the header and the map: the browser builds the map
# without competing with the filters and tables for its one page thread. The map reports once it is
# drawn (or could not be), and that rerun draws everything else.
if not map_drawn:
    st.sidebar.caption("Loading the filters…")
    st.stop()

# ---------------------------------------------------------------- tabs
# Lazy tabs: only the open tab runs and is sent (a click on a country opens its profile).
TABS = ["Projects", "Country profile", "Standards ties", "Charts", "Export", "About the data"]
if clicked_iso3 and st.session_state.get("last_clicked") != map_value.get("clicked"):
    st.session_state["last_clicked"] = map_value.get("clicked")
    st.session_state["tab"] = "Country profile"
tab_table, tab_country, tab_ties, tab_charts, tab_export, tab_about = st.tabs(TABS, key="tab", on_change="rerun")

if tab_table.open:
    with tab_table:
        pages = max(1, -(-len(projects) // views.TABLE_PAGE))
        page = (
            st.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, value=1, step=1, key="table_page")
            if pages > 1
            else 1
        )
        rows, page, pages = views.table_page(projects, int(page))
        first = (page - 1) * views.TABLE_PAGE + 1 if len(projects) else 0
        st.caption(f"Rows {first:,}–{first + len(rows) - 1:,} of {len(projects):,}. The CSV export holds them all.")
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            column_config={
                "Source": st.column_config.LinkColumn("Source", display_text="open"),
                "Value (US$)": st.column_config.NumberColumn(format="localized"),
                "First event": st.column_config.NumberColumn(format="%d"),
            },
        )

if tab_country.open:
    with tab_country:
        in_view = projects["country_iso3"].value_counts()
        present = list(in_view.index)
        if clicked_iso3 and clicked_iso3 not in present:
            present.insert(0, clicked_iso3)
        if present:
            labels = {
                iso3: f"{data.country_names.get(iso3, iso3)} ({int(in_view.get(iso3, 0)):,} in view)"
                for iso3 in present
            }
            iso3 = st.selectbox(
                "Country (or click one on the map)",
                present,
                index=present.index(clicked_iso3) if clicked_iso3 in present else 0,
                format_func=labels.get,
                key=f"profile_{clicked_iso3 or ''}",
            )
            profile = views.country_profile(
                projects, data.exporter.ties, data.exporter.events, iso3, views.short_vendor_names(data.dataset.vendors)
            )
            st.subheader(
                f"{escape_markdown(data.country_names.get(iso3, iso3))}: "
                f"{escape_markdown(plural(len(profile['projects']), 'project'))} in this view"
            )
            left, right = st.columns(2)
            left.dataframe(profile["companies"], hide_index=True, width="stretch")
            right.dataframe(profile["categories"], hide_index=True, width="stretch")
            st.markdown("**Standards ties**")
            if len(profile["ties"]):
                st.dataframe(
                    profile["ties"],
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "Source": st.column_config.LinkColumn("Source", display_text="open"),
                        "Year": st.column_config.NumberColumn(format="%d"),
                    },
                )
            else:
                st.caption(
                    "No standards tie with China in the data for this country (which does not mean there is none)."
                )
            if len(profile["timeline"]):
                import altair as alt  # only the tabs with charts need it

                st.markdown("**Timeline: agreements and project events**")
                st.altair_chart(
                    alt.Chart(profile["timeline"])
                    .mark_circle(size=90)
                    .encode(
                        x=alt.X("Year:O", title="Year"),
                        y=alt.Y("What:N", title=None),
                        color=alt.Color("What:N", scale=alt.Scale(range=["#0072B2", "#0b3d2e"]), legend=None),
                        tooltip=["Year", "What", "Kind", "Item"],
                    )
                    .properties(height=120),
                    width="stretch",
                )
            st.dataframe(
                views.table_frame(profile["projects"]),
                hide_index=True,
                width="stretch",
                column_config={
                    "Source": st.column_config.LinkColumn("Source", display_text="open"),
                    "First event": st.column_config.NumberColumn(format="%d"),
                },
            )
            with st.expander("Each project's timeline (dated events and their sources)"):
                st.dataframe(
                    views.project_timelines(profile["projects"], data.exporter.events),
                    hide_index=True,
                    width="stretch",
                    column_config={"Source": st.column_config.LinkColumn("Source", display_text="open")},
                )

if tab_ties.open:
    with tab_ties:
        ties_in_view = views.select_ties(data.exporter.ties, selection)
        both = views.both_table(projects, ties_in_view)
        n_both = int(both["Both"].sum())
        st.markdown(
            f"**{n_both:,} countries** have both projects in this view and a standards tie with China "
            f"(directly or through a regional body). Switch on **Standards ties layer** to see them on the map."
        )
        st.dataframe(both, hide_index=True, width="stretch")
        st.caption(
            "Ties are agreements and MoUs at government level; many are non-binding, and official lists are "
            "incomplete. See 'About the data'."
        )

if tab_charts.open:
    import altair as alt  # only the tabs with charts need it

    with tab_charts:
        short = views.short_vendor_names(data.dataset.vendors)
        left, right = st.columns(2)
        left.subheader("Projects per year (first event)")
        left.altair_chart(
            alt.Chart(views.per_year(projects))
            .mark_bar()
            .encode(
                x=alt.X("Year:O"),
                y=alt.Y("Projects:Q", axis=alt.Axis(format=",d")),
                tooltip=["Year", alt.Tooltip("Projects:Q", format=",d")],
            ),
            width="stretch",
        )
        right.subheader("Top companies")
        top = views.breakdown(projects, "vendors", top=15, label="Company", short_names=short)
        right.altair_chart(ranked_bars(alt, top, "Company", 22), width="stretch")
        st.subheader("Categories")
        cats = views.breakdown(projects, "categories", label="Category")
        st.altair_chart(ranked_bars(alt, cats, "Category", 26), width="stretch")

if tab_export.open:
    with tab_export:
        st.write(
            "Every export shows exactly this view, with its filters, the data version, the date and the "
            "attributions. Files are built when you click. Images: DPI is the print density; the image prints "
            "at width ÷ DPI inches with text sized for that print."
        )
        left, mid, right = st.columns(3)
        title = left.text_input("Title", value="", placeholder="default: from the filters", max_chars=TITLE_MAX_CHARS)
        extents = ["world", "data", *REGIONS]
        extent_name = mid.selectbox(
            "Image extent",
            extents,
            format_func=lambda e: {"world": "World", "data": "Fitted to the filtered projects"}.get(e, e),
        )
        size = right.selectbox(
            "Image size (pixels)",
            ["1600x900 (slide)", "2400x1350 (print)", "1200x800", "3600x2400 (poster)", "800x800 (social)"],
        )
        dpi = right.select_slider("Image DPI", options=[72, 150, 300, 600], value=150)
        width_px, height_px = (int(v) for v in size.split(" ")[0].split("x"))
        st.caption(
            f"At {dpi} DPI a {width_px:,} × {height_px:,} image prints at "
            f"{width_px / dpi:.1f} × {height_px / dpi:.1f} inches."
        )
        exporter = views.Exporter(
            data.dataset,
            data.projects,
            data.exporter.events,
            data.exporter.ties,
            upload=uploaded if show == "both" else None,
        )
        if show == "only":
            exporter = views.Exporter(
                data.dataset, uploaded.iloc[0:0], data.exporter.events, data.exporter.ties, upload=uploaded
            )

        def make(fmt: str):
            def build() -> bytes:
                return exporter.export(
                    fmt,
                    selection,
                    title=title.strip(),
                    extent=extent_name,
                    width_px=width_px,
                    height_px=height_px,
                    dpi=dpi,
                    standards_layer=standards_layer,
                    government_only=government_only,
                )

            return build

        labels = {"datapackage": "Data package", "geojson": "GeoJSON"}
        for column, fmt in zip(st.columns(len(export.FORMATS)), export.FORMATS):
            column.download_button(
                labels.get(fmt, fmt.upper()),
                data=make(fmt),
                file_name=views.export_filename(selection, export.file_extension(fmt)),
                mime=export.MIME[fmt],
                on_click="ignore",
                key=f"dl_{fmt}",
                width="stretch",
            )
        st.caption(
            "GIF: the map year by year (slow: one frame per year). Data package: CSV and GeoJSON with a "
            "Frictionless datapackage.json (schema, licence, version, filters, citation), the events, the "
            "standards ties and the sources of these rows."
        )

if tab_about.open:
    with tab_about:
        st.markdown(views.about_markdown(data))
        with st.expander("Data changelog"):
            st.markdown(data.changelog)
        if data.problems:
            with st.expander("Validation problems"):
                st.code("\n".join(data.problems))


# ---------------------------------------------------------------- the sidebar (drawn last; see above)
with st.sidebar.expander("Your own data (CSV, XLSX or data package)"):
    st.caption(
        "Columns: country (name or ISO code), vendor, category; optional city, latitude, longitude, "
        f"year, name, source_url, description, status, scale. Or a DSR Map export. Max {upload.MAX_MEGABYTES} MB."
    )
    st.file_uploader("Upload projects", type=["csv", "xlsx", "zip"], key="upload")
    st.radio("Show", ["Bundled data and my upload", "Only my upload"], key="show_mode", disabled=uploaded_file is None)
with st.sidebar:
    st.header("Filters")
    for name, label in LIST_FIELDS:
        st.multiselect(label, [v for v, _ in options[name]], key=f"f_{name}", format_func=_label(name))
    if bounds and bounds[0] < bounds[1]:
        st.slider(
            "Year of the first event",
            bounds[0],
            bounds[1],
            (year_from or bounds[0], year_to or bounds[1]),
            key=slider_key,
        )
    elif bounds:
        st.caption(f"Every dated project in this view is from {bounds[0]}.")
    if show_undated_choice:
        st.checkbox(
            f"Also show the {plural(undated_total, 'undated project')}",
            key="f_undated",
            help="A year range leaves out projects that no source dates, unless you keep them.",
        )
    st.checkbox(
        "Show the world as of a year",
        key="f_as_of_on",
        help="Projects that existed by the end of that year, with the status they had then.",
    )
    if as_of is not None and bounds[0] < bounds[1]:
        st.slider("As of the end of", bounds[0], bounds[1], key="f_as_of")
    st.text_input("Search name, description, place, company, sources", key="f_search", max_chars=200)
    st.button("Reset filters", on_click=reset_filters)
    st.header("Map")
    st.checkbox(
        "Standards ties layer",
        key="f_layer",
        help="Hatch countries that have a standards or Digital Silk Road tie with China.",
    )
    st.radio(
        "Shade countries by",
        ["All projects", "Government-level projects"],
        key="f_shade",
        help="Government-level: national, regional and city projects (not single sites or products).",
    )
