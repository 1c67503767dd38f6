"""Join the curated tables into the frames later steps work on, and count onto ALL boundaries.

Never drops a row: a project whose vendor, source or country is unknown keeps its raw id
(validation reports those). Country-level rows keep empty coordinates.
"""

from __future__ import annotations

import pandas as pd

from .countries import display_name
from .load import Dataset
from .primitives import date_precision, split_multi
from .schema import EVENTS, GOVERNMENT_SCALES, TIE_KINDS

# Columns of the prepared frame every later step (filter, render, export) works on.
PREPARED_COLUMNS = (
    "project_id",
    "name",
    "country_iso3",
    "country",
    "region",
    "subregion",
    "city",
    "latitude",
    "longitude",
    "categories",
    "project_type",
    "scale",
    "vendor_ids",
    "vendors",
    "year",
    "status",
    "status_as_of",
    "first_event_year",
    "value_usd",
    "client",
    "financing",
    "certainty",
    "description",
    "source_ids",
    "source_urls",
    "source_titles",
    "source_publishers",
    "origin",
)
TEXT_COLUMNS = (
    "project_id",
    "name",
    "country_iso3",
    "city",
    "project_type",
    "scale",
    "status",
    "status_as_of",
    "client",
    "financing",
    "certainty",
    "description",
)


def prepare_projects(dataset: Dataset, *, origin: str = "DSR Map") -> pd.DataFrame:
    """One row per project with names resolved, numbers typed and multi-values as tuples."""
    projects = dataset.projects
    vendor_names = dict(zip(dataset.vendors["vendor_id"], dataset.vendors["name"]))
    world = dataset.world.set_index("iso3")
    frame = pd.DataFrame(index=projects.index)
    for column in TEXT_COLUMNS:
        frame[column] = projects[column].astype(str) if column in projects else ""
    frame["country"] = frame["country_iso3"].map(display_name)
    frame["region"] = frame["country_iso3"].map(world["region"]).fillna("")
    frame["subregion"] = frame["country_iso3"].map(world["subregion"]).fillna("")
    frame["latitude"] = pd.to_numeric(projects["latitude"], errors="coerce").astype(float)
    frame["longitude"] = pd.to_numeric(projects["longitude"], errors="coerce").astype(float)
    frame["categories"] = projects["categories"].map(lambda v: tuple(split_multi(v)))
    frame["vendor_ids"] = projects["vendors"].map(lambda v: tuple(split_multi(v)))
    frame["vendors"] = frame["vendor_ids"].map(lambda ids: tuple(vendor_names.get(i, i) for i in ids))
    frame["year"] = pd.to_numeric(projects["year"], errors="coerce").astype("Int64")
    frame["first_event_year"] = first_event_years(dataset.events).reindex(frame["project_id"]).to_numpy()
    frame["first_event_year"] = frame["first_event_year"].astype("Int64")
    frame["value_usd"] = pd.to_numeric(projects["value_usd"], errors="coerce").astype(float)
    frame["source_ids"] = projects["source_ids"].map(lambda v: tuple(split_multi(v)))
    attach_sources(frame, dataset.sources)
    frame["origin"] = origin
    return frame[list(PREPARED_COLUMNS)].reset_index(drop=True)


def attach_sources(frame: pd.DataFrame, sources: pd.DataFrame) -> None:
    """Add source_urls, source_titles and source_publishers (tuples in the order of source_ids)."""
    table = sources.set_index("source_id")
    for column, name in (("source_urls", "url"), ("source_titles", "title"), ("source_publishers", "publisher")):
        lookup = table[name].to_dict() if name in table else {}
        frame[column] = frame["source_ids"].map(lambda ids, lk=lookup: tuple(lk.get(i, "") for i in ids))


def first_event_years(events: pd.DataFrame) -> pd.Series:
    """project_id -> year of its first event."""
    if events.empty:
        return pd.Series(dtype="Int64")
    years = pd.to_numeric(events["date"].str[:4], errors="coerce")
    return years.groupby(events["project_id"]).min().astype("Int64")


def prepare_events(dataset: Dataset) -> pd.DataFrame:
    """Events with their project, label, precision and sources, in file order."""
    events = dataset.events
    frame = events.copy()
    names = dict(zip(dataset.projects["project_id"], dataset.projects["name"]))
    countries = dict(zip(dataset.projects["project_id"], dataset.projects["country_iso3"]))
    frame["project"] = frame["project_id"].map(names).fillna("")
    frame["country_iso3"] = frame["project_id"].map(countries).fillna("")
    frame["precision"] = frame["date"].map(date_precision)
    frame["event_label"] = frame["event"].map(lambda e: EVENTS[e].label if e in EVENTS else e)
    frame["source_ids"] = frame["source_ids"].map(lambda v: tuple(split_multi(v)))
    attach_sources(frame, dataset.sources)
    return frame.reset_index(drop=True)


def prepare_standards(dataset: Dataset) -> pd.DataFrame:
    """One row per tie and partner country: a regional body's tie is listed under each member.

    ``via`` names the body for rows that come from a body's membership (empty for direct ties)."""
    bodies = dataset.bodies.set_index("body_id") if not dataset.bodies.empty else pd.DataFrame()
    rows = []
    for tie in dataset.standards.to_dict("records"):
        body = tie["body_id"]
        if body and body in bodies.index:
            members = split_multi(bodies.at[body, "members"]) or [""]  # no member list read: kept, not mapped
            label = bodies.at[body, "name"]
        else:
            members, label = [tie["country_iso3"]], ""
        for iso3 in members:
            rows.append({**tie, "country_iso3": iso3, "via": label, "body": label})
    frame = pd.DataFrame(rows, columns=[*dataset.standards.columns, "via", "body"])
    frame["country"] = frame["country_iso3"].map(display_name)
    frame["region"] = frame["country_iso3"].map(dataset.world.set_index("iso3")["region"]).fillna("")
    frame["kind_label"] = frame["kind"].map(lambda k: TIE_KINDS.get(k, k))
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    frame["source_ids"] = frame["source_ids"].map(lambda v: tuple(split_multi(v)))
    attach_sources(frame, dataset.sources)
    return frame.reset_index(drop=True)


def count_by_country(projects: pd.DataFrame, world: pd.DataFrame, *, government_only: bool = False) -> pd.DataFrame:
    """Every boundary feature (iso3, name, region, subregion, geometry if present) with ``projects``
    (count) and ``country``; zero where none. ``government_only`` counts national, regional and
    city-scale projects only (not sites or products in use)."""
    counted = projects[projects["scale"].isin(GOVERNMENT_SCALES)] if government_only else projects
    counts = counted.groupby("country_iso3").size()
    keep = [c for c in ("iso3", "name", "region", "subregion", "geometry") if c in world]
    summary = world[keep].copy()
    summary["country"] = summary["iso3"].map(display_name)
    summary["projects"] = summary["iso3"].map(counts).fillna(0).astype(int)
    return summary


def ties_by_country(ties: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """ISO3 -> the tie kinds it has (sorted), from prepared ties."""
    kinds: dict[str, set[str]] = {}
    for iso3, kind in zip(ties["country_iso3"], ties["kind"]):
        if iso3:
            kinds.setdefault(iso3, set()).add(kind)
    return {iso3: tuple(sorted(values)) for iso3, values in kinds.items()}
