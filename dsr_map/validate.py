"""find_problems: every problem in a dataset at once, each naming file, row id and column.

Column rules come from ``schema.py``: each column's ``kind`` picks a rule below (patterns match the
whole value), applied to every cell so that every failure is reported, not the first. Rules across tables and fields (references, duplicate
projects, a point inside its country, unique vendor names, events in order and agreeing with the
project) are plain pandas. Pure: reads nothing, changes nothing. The rules that uploads also
apply (``year_of``, ``points_outside``) are defined here once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from .errors import DataValidationError, Problem
from .load import Dataset
from .primitives import finite_number, is_http_url, normalise_name, parse_date, split_multi, whole_year
from .schema import FIRST_YEAR, PROJECTS, TABLES, Column, Table

COAST_TOLERANCE_DEG = 0.3  # a point may lie this far outside its country (coasts, islands)
# Countries whose Natural Earth 1:50m shape leaves out most of their islands: Maldives is drawn
# as the two Male atolls only (3.2-4.2 N), while its atolls run from 0.7 S to 7.1 N.
SPARSE_SHAPE_TOLERANCE_DEG = {"MDV": 3.5}


# ---------------------------------------------------------------- rules shared with uploads
def this_year() -> int:
    return dt.date.today().year


def year_of(text: str) -> int | None:
    """The project-year rule: four ASCII digits from FIRST_YEAR to this year."""
    return whole_year(text, FIRST_YEAR, this_year())


def point_tolerance(iso3: str) -> float:
    return SPARSE_SHAPE_TOLERANCE_DEG.get(iso3, COAST_TOLERANCE_DEG)


def points_outside(iso3: pd.Series, lat: pd.Series, lon: pd.Series, shapes: dict) -> pd.Series:
    """Distance (degrees) from each point to its country where it exceeds the tolerance; NaN elsewhere.

    Rows without a point, or whose country has no shape, are NaN (other rules report those)."""
    import shapely

    lat = pd.to_numeric(lat, errors="coerce")
    lon = pd.to_numeric(lon, errors="coerce")
    ok = lat.between(-90, 90) & lon.between(-180, 180) & iso3.isin(shapes.keys())
    out = pd.Series(np.nan, index=iso3.index)
    if not ok.any():
        return out
    geoms = [shapes[c] for c in iso3[ok]]
    distance = shapely.distance(geoms, shapely.points(lon[ok].to_numpy(), lat[ok].to_numpy()))
    tolerance = iso3[ok].map(point_tolerance).to_numpy()
    out[ok] = np.where(distance > tolerance, distance, np.nan)
    return out


# ---------------------------------------------------------------- column rules from the schema
Rule = tuple[Callable[[str], bool], str]  # (value -> ok, message); an empty value passes (see required)


def column_rules(table: Table, column: Column, world_codes: frozenset[str]) -> list[Rule]:
    """The value rules of one column, picked by its ``kind`` (each applies to every part of a multi-value)."""
    kind = column.kind
    if kind == "id":
        pattern = re.compile(table.id_pattern)
        return [(lambda v: bool(pattern.fullmatch(v)), f"id must look like {table.id_example}")]
    if kind == "vocab":
        allowed = frozenset(column.vocab)
        return [(lambda v: v in allowed, f"unknown value; expected one of: {', '.join(column.vocab)}")]
    if kind == "number":
        lo, hi = column.bounds or (-np.inf, np.inf)

        def number_ok(v: str) -> bool:
            value = finite_number(v)
            return value is not None and lo <= value <= hi and (value > 0 or not column.positive)

        what = "a finite positive number" if column.positive else "a finite number"
        where = f" from {lo:g} to {hi:g}" if column.bounds else ""
        return [(number_ok, f"must be {what}{where}")]
    if kind == "year":
        first = int(column.bounds[0]) if column.bounds else FIRST_YEAR
        last = this_year()
        return [(lambda v: whole_year(v, first, last) is not None, f"must be a whole year from {first} to {last}")]
    if kind == "date":
        today = dt.date.today()
        return [
            (
                lambda v: (span := parse_date(v)) is not None and span[0] <= today,
                "must be a real date YYYY, YYYY-MM or YYYY-MM-DD, not in the future",
            )
        ]
    if kind == "url":
        return [(is_http_url, "must be an absolute http(s) address")]
    if kind == "iso3":
        return [(lambda v: v in world_codes, "unknown country code (not an ISO3 code in the boundaries)")]
    return []


def check_columns(frame: pd.DataFrame, table: str, world_codes: frozenset[str]) -> list[Problem]:
    """Apply the schema's rules to every cell of the table; every failure is a Problem naming the row id,
    the column and the value (all of them, not the first)."""
    spec = TABLES[table]
    labels = row_labels(frame, spec)
    problems: list[Problem] = []
    for column in spec.columns:
        rules = column_rules(spec, column, world_codes)
        empty_message = "at least one value is required" if column.multi else f"{column.name} is empty"
        for label, raw in zip(labels, frame[column.name]):
            value = str(raw).strip()
            if not value:
                if column.required:
                    problems.append(Problem(table, label, column.name, empty_message))
                continue
            parts = split_multi(value) if column.multi and column.kind != "id" else [value]
            for ok, message in rules:
                if not all(ok(part) for part in parts):
                    problems.append(Problem(table, label, column.name, f"{message} (got {value[:60]!r})"))
    return problems


def check_ids(frame: pd.DataFrame, table: str) -> list[Problem]:
    id_col = TABLES[table].id_column
    ids = frame[id_col]
    dupes = ids[ids.duplicated(keep="first") & (ids != "")]
    return [Problem(table, value, id_col, "duplicate id") for value in dupes]


def row_labels(frame: pd.DataFrame, table: Table) -> list[str]:
    """Each row's id, or 'line N' (its line in the file) where the id is empty."""
    return [str(v).strip() or f"line {i + 2}" for i, v in enumerate(frame[table.id_column])]


def check_references(dataset: Dataset) -> list[Problem]:
    """Every ``ref`` column names ids that exist in the referenced table; no value is listed twice."""
    problems: list[Problem] = []
    for spec in TABLES.values():
        frame = dataset.tables[spec.file]
        labels = row_labels(frame, spec)
        for column in spec.columns:
            if column.kind not in ("ref", "vocab", "iso3") or not column.multi and column.kind != "ref":
                continue
            known = set(dataset.tables[column.ref][TABLES[column.ref].id_column]) if column.kind == "ref" else None
            for label, value in zip(labels, frame[column.name]):
                parts = split_multi(value) if column.multi else ([value.strip()] if value.strip() else [])
                if known is not None:
                    problems += [
                        Problem(spec.file, label, column.name, f"unknown id {p!r} (not in {column.ref})")
                        for p in parts
                        if p not in known
                    ]
                if len(parts) != len(set(parts)):
                    problems.append(Problem(spec.file, label, column.name, "a value is listed twice"))
    return problems


# ---------------------------------------------------------------- rules across fields
def check_projects(dataset: Dataset) -> list[Problem]:
    """Point pairs, points inside their country, and the same project under two ids."""
    projects = dataset.projects
    problems: list[Problem] = []
    for row in projects.itertuples(index=True):
        pid = row.project_id or f"line {row.Index + 2}"
        if bool(row.latitude) != bool(row.longitude):
            problems.append(
                Problem(
                    "projects.csv",
                    pid,
                    "latitude" if not row.latitude else "longitude",
                    "latitude and longitude go together: one is missing",
                )
            )
    shapes = dict(zip(dataset.world["iso3"], dataset.world["geometry"])) if "geometry" in dataset.world else {}
    distance = points_outside(projects["country_iso3"], projects["latitude"], projects["longitude"], shapes)
    for index in distance.dropna().index:
        row = projects.loc[index]
        problems.append(
            Problem(
                "projects.csv",
                row["project_id"] or "?",
                "latitude",
                f"point ({row['latitude']}, {row['longitude']}) lies outside its country "
                f"(by {distance[index]:.2f} degrees)",
            )
        )
    seen: dict[tuple, str] = {}
    for row in projects.itertuples():
        key = (
            row.country_iso3,
            tuple(sorted(split_multi(row.vendors))),
            re.sub(r"\W+", " ", row.name.casefold()).strip(),
        )
        if key in seen and row.name.strip():
            problems.append(
                Problem(
                    "projects.csv",
                    row.project_id,
                    "name",
                    f"duplicate project: same country, vendors and name as {seen[key]}",
                )
            )
        else:
            seen.setdefault(key, row.project_id)
    return problems


def vendor_name_index(vendors: pd.DataFrame) -> tuple[dict[str, str], list[Problem]]:
    """Normalised id, name, short name and alias -> vendor id; a name claimed by two vendors is a problem.

    The one name table for the CLI, URLs, uploads and the AidData importer."""
    index: dict[str, str] = {}
    problems: list[Problem] = []
    for row in vendors.itertuples():
        names = [row.vendor_id, row.name, getattr(row, "short_name", "")] + split_multi(row.aliases)
        for name in dict.fromkeys(n for n in names if str(n).strip()):
            key = normalise_name(name)
            owner = index.get(key)
            if owner is not None and owner != row.vendor_id:
                problems.append(
                    Problem("vendors.csv", row.vendor_id, "aliases", f"name {name!r} already belongs to {owner}")
                )
            else:
                index[key] = row.vendor_id
    return index, problems


def check_sources(dataset: Dataset) -> list[Problem]:
    problems = []
    for row in dataset.sources.itertuples():
        published, accessed = parse_date(row.published), parse_date(row.accessed)
        if published and accessed and published[0] > accessed[1]:
            problems.append(Problem("sources.csv", row.source_id, "published", "published after it was accessed"))
    return problems


def check_standards(dataset: Dataset) -> list[Problem]:
    """A tie names a country or a regional body (not both), and its date falls in its year."""
    problems = []
    for row in dataset.standards.itertuples():
        if bool(row.country_iso3) == bool(row.body_id):
            problems.append(
                Problem("standards.csv", row.tie_id, "country_iso3", "give exactly one of country_iso3 and body_id")
            )
        if row.date and row.year and not row.date.startswith(row.year):
            problems.append(Problem("standards.csv", row.tie_id, "date", f"date {row.date} is not in year {row.year}"))
    return problems


def check_retired(dataset: Dataset) -> list[Problem]:
    """A retired id is not in projects.csv; a merged one names its successor."""
    active = set(dataset.projects["project_id"])
    problems = []
    for row in dataset.retired.itertuples():
        if row.project_id in active:
            problems.append(
                Problem("retired.csv", row.project_id, "project_id", "id is retired but still in projects.csv")
            )
        if row.reason == "merged" and not row.successor:
            problems.append(Problem("retired.csv", row.project_id, "successor", "a merged id names its successor"))
    return problems


def find_problems(dataset: Dataset) -> list[Problem]:
    """Every problem in the dataset, sorted by file, row and column."""
    from .lifecycle import check_events

    world_codes = frozenset(dataset.world["iso3"])
    problems: list[Problem] = []
    for table, frame in dataset.tables.items():
        problems += check_columns(frame, table, world_codes)
        problems += check_ids(frame, table)
    problems += check_references(dataset)
    problems += check_projects(dataset)
    problems += vendor_name_index(dataset.vendors)[1]
    problems += check_sources(dataset)
    problems += check_standards(dataset)
    problems += check_retired(dataset)
    problems += check_events(dataset)
    return sorted(set(problems))


def validate_dataset(dataset: Dataset) -> Dataset:
    """Return the dataset unchanged, or raise DataValidationError with every problem."""
    problems = find_problems(dataset)
    if problems:
        raise DataValidationError(problems)
    return dataset


__all__ = ["PROJECTS", "find_problems", "is_http_url", "split_multi", "validate_dataset", "year_of"]
