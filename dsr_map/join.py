"""Join the curated tables into one projects frame, and count projects onto ALL boundaries.

Never drops a row: a project whose vendor, source or country is unknown keeps its raw id
(validation reports those). Country-level rows keep empty coordinates.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .countries import display_name
from .load import Dataset
from .validate import split_multi

# Columns of the prepared frame every later step (filter, render, export) works on.
PREPARED_COLUMNS = (
    "project_id", "name", "country_iso3", "country", "region", "subregion", "city",
    "latitude", "longitude", "categories", "project_type", "vendor_ids", "vendors", "year",
    "status", "value_usd", "client", "financing", "certainty", "description", "source_ids",
    "source_urls", "source_titles", "source_publishers", "origin",
)


def prepare_projects(dataset: Dataset, *, origin: str = "DSR Map") -> pd.DataFrame:
    """One row per project with names resolved, numbers typed and multi-values as tuples."""
    projects = dataset.projects
    vendor_names = dict(zip(dataset.vendors["vendor_id"], dataset.vendors["name"]))
    sources = dataset.sources.set_index("source_id")
    world = dataset.world.set_index("iso3")
    frame = pd.DataFrame(index=projects.index)
    for column in ("project_id", "name", "country_iso3", "city", "project_type", "status",
                   "client", "financing", "certainty", "description"):
        frame[column] = projects[column].astype(str)
    frame["country"] = frame["country_iso3"].map(display_name)
    frame["region"] = frame["country_iso3"].map(world["region"]).fillna("")
    frame["subregion"] = frame["country_iso3"].map(world["subregion"]).fillna("")
    frame["latitude"] = pd.to_numeric(projects["latitude"], errors="coerce").astype(float)
    frame["longitude"] = pd.to_numeric(projects["longitude"], errors="coerce").astype(float)
    frame["categories"] = projects["categories"].map(lambda v: tuple(split_multi(v)))
    frame["vendor_ids"] = projects["vendors"].map(lambda v: tuple(split_multi(v)))
    frame["vendors"] = frame["vendor_ids"].map(lambda ids: tuple(vendor_names.get(i, i) for i in ids))
    frame["year"] = pd.to_numeric(projects["year"], errors="coerce").astype("Int64")
    frame["value_usd"] = pd.to_numeric(projects["value_usd"], errors="coerce").astype(float)
    frame["source_ids"] = projects["source_ids"].map(lambda v: tuple(split_multi(v)))
    for column, field in (("source_urls", "url"), ("source_titles", "title"), ("source_publishers", "publisher")):
        lookup = sources[field].to_dict() if field in sources else {}
        frame[column] = frame["source_ids"].map(lambda ids, lk=lookup: tuple(lk.get(i, "") for i in ids))
    frame["origin"] = origin
    return frame[list(PREPARED_COLUMNS)].reset_index(drop=True)


def count_by_country(projects: pd.DataFrame, world: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """All boundary features with ``projects`` (count) and ``country``; zero where none."""
    counts = projects.groupby("country_iso3").size()
    summary = world[["iso3", "name", "region", "subregion", "geometry"]].copy()
    summary["country"] = summary["iso3"].map(display_name)
    summary["projects"] = summary["iso3"].map(counts).fillna(0).astype(int)
    return summary


def has_point(projects: pd.DataFrame) -> pd.Series:
    return projects["latitude"].notna() & projects["longitude"].notna() & np.isfinite(projects["latitude"])
