"""find_problems: every problem in a dataset at once, each naming file, row id and column.

Column rules come from ``schema.py``: each column's ``kind`` picks a rule below, applied with
pandera (patterns match the whole value). Rules across tables and fields (references, duplicate
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
import pandera.pandas as pa

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
def _each(values: pd.Series, ok: Callable[[str], bool], multi: bool) -> pd.Series:
    if multi:
        return values.map(lambda v: all(ok(part) for part in split_multi(v))).astype(bool)
    return values.map(ok).astype(bool)


def _rule(table: Table, column: Column, world_codes: frozenset[str]) -> list[pa.Check]:
    """The pandera checks of one column (empty values pass unless the column is required)."""
    checks: list[pa.Check] = []

    def add(ok: Callable[[str], bool], error: str, *, multi: bool | None = None) -> None:
        use_multi = column.multi if multi is None else multi
        checks.append(pa.Check(lambda s: (s.str.strip() == "") | _each(s, ok, use_multi), error=error))

    if column.required:
        empty = "at least one value is required" if column.multi else f"{column.name} is empty"
        checks.append(pa.Check(lambda s: s.str.strip() != "", error=empty))
    kind = column.kind
    if kind == "id":
        pattern = re.compile(table.id_pattern)
        add(lambda v: bool(pattern.fullmatch(v)), f"id must look like {table.id_example}", multi=False)
    elif kind == "vocab":
        allowed = frozenset(column.vocab)
        add(lambda v: v in allowed, f"unknown value; expected one of: {', '.join(column.vocab)}")
    elif kind == "number":
        lo, hi = column.bounds or (-np.inf, np.inf)

        def number_ok(v: str) -> bool:
            value = finite_number(v)
            return value is not None and lo <= value <= hi and (value > 0 or not column.positive)

        what = "a finite positive number" if column.positive else "a finite number"
        where = f" from {lo:g} to {hi:g}" if column.bounds else ""
        add(number_ok, f"must be {what}{where}")
    elif kind == "year":
        first = int(column.bounds[0]) if column.bounds else FIRST_YEAR
        add(
            lambda v: whole_year(v, first, this_year()) is not None,
            f"must be a whole year from {first} to {this_year()}",
        )
    elif kind == "date":
        add(
            lambda v: (span := parse_date(v)) is not None and span[0] <= dt.date.today(),
            "must be a real date YYYY, YYYY-MM or YYYY-MM-DD, not in the future",
        )
    elif kind == "url":
        add(is_http_url, "must be an absolute http(s) address")
    elif kind == "iso3":
        add(lambda v: v in world_codes, "unknown country code (not an ISO3 code in the boundaries)")
    return checks


def check_columns(frame: pd.DataFrame, table: str, world_codes: frozenset[str]) -> list[Problem]:
    """Apply the table's column rules; each failure becomes a Problem naming the row id."""
    spec = TABLES[table]
    schema = pa.DataFrameSchema({c.name: pa.Column(str, _rule(spec, c, world_codes)) for c in spec.columns})
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        for case in exc.failure_cases.itertuples(index=False):
            index = case.index
            row = _row_label(frame, spec, index) if index is not None and pd.notna(index) else ""
            value = "" if pd.isna(case.failure_case) else str(case.failure_case)
            shown = f" (got {value[:60]!r})" if value and row else ""
            problems.append(Problem(table, row, str(case.column or ""), f"{case.check}{shown}"))
        return problems
    return []


def _row_label(frame: pd.DataFrame, table: Table, index) -> str:
    value = str(frame.at[index, table.id_column]).strip() if index in frame.index else ""
    return value or f"line {int(index) + 2}"


def check_ids(frame: pd.DataFrame, table: str) -> list[Problem]:
    id_col = TABLES[table].id_column
    ids = frame[id_col]
    dupes = ids[ids.duplicated(keep="first") & (ids != "")]
    return [Problem(table, value, id_col, "duplicate id") for value in dupes]


def check_references(dataset: Dataset) -> list[Problem]:
    """Every ``ref`` column names ids that exist in the referenced table; no value is listed twice."""
    problems: list[Problem] = []
    for spec in TABLES.values():
        frame = dataset.tables[spec.file]
        for column in spec.columns:
            if column.kind not in ("ref", "vocab", "iso3") or not column.multi and column.kind != "ref":
                continue
            known = set(dataset.tables[column.ref][TABLES[column.ref].id_column]) if column.kind == "ref" else None
            for index, value in frame[column.name].items():
                parts = split_multi(value) if column.multi else ([value.strip()] if value.strip() else [])
                label = _row_label(frame, spec, index)
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
