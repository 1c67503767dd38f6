"""find_problems: every problem in a dataset at once, each naming file, row id and column.

Column rules are pandera schemas (built from ``schema.py``); rules across tables and fields
(foreign keys, duplicates, a point inside its country) are plain pandas below. Pure: reads
nothing, changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from urllib.parse import urlparse

import pandas as pd
import pandera.pandas as pa
import shapely

from .errors import DataValidationError, Problem
from .load import Dataset
from .schema import (
    CATEGORIES, CERTAINTIES, DATE_PATTERN, FIRST_YEAR, ID_COLUMN, OWNERSHIPS,
    PROJECT_ID_PATTERN, PROJECT_TYPES, SOURCE_ID_PATTERN, STATUSES, VENDOR_ID_PATTERN,
)

COAST_TOLERANCE_DEG = 0.3  # a point may lie this far outside its country (coasts, islands)
# Countries whose Natural Earth 1:50m shape leaves out most of their islands: Maldives is drawn
# as the two Male atolls only (3.2-4.2 N), while its atolls run from 0.7 S to 7.1 N.
SPARSE_SHAPE_TOLERANCE_DEG = {"MDV": 3.5}


def split_multi(value: str) -> list[str]:
    """'a; b;c' -> ['a', 'b', 'c']; empty parts dropped."""
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _vocab(values: tuple[str, ...], what: str) -> pa.Check:
    shown = ", ".join(values)
    return pa.Check.isin(list(values), error=f"unknown {what}; expected one of: {shown}")


def _nonblank(what: str = "is empty") -> pa.Check:
    return pa.Check(lambda s: s.str.strip().str.len() > 0, error=what)


def _optional(check: pa.Check, *, error: str) -> pa.Check:
    fn = check
    return pa.Check(lambda s: (s == "") | fn(s), error=error)


def _is_number(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").notna()


def _in_range(lo: float, hi: float):
    return lambda s: pd.to_numeric(s, errors="coerce").between(lo, hi)


def _year_ok(s: pd.Series) -> pd.Series:
    this_year = dt.date.today().year
    years = pd.to_numeric(s.where(s.str.fullmatch(r"\d{4}"), None), errors="coerce")
    return years.between(FIRST_YEAR, this_year)


def _positive(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce") > 0


def project_schema() -> pa.DataFrameSchema:
    this_year = dt.date.today().year
    return pa.DataFrameSchema(
        {
            "project_id": pa.Column(str, pa.Check.str_matches(PROJECT_ID_PATTERN, error="id must look like DSR-0001")),
            "name": pa.Column(str, _nonblank("name is empty")),
            "country_iso3": pa.Column(str, pa.Check.str_matches(r"[A-Z]{3}", error="must be a three-letter ISO3 code")),
            "latitude": pa.Column(str, [
                _optional(_is_number, error="latitude is not a number"),
                _optional(_in_range(-90, 90), error="latitude out of range -90..90"),
            ]),
            "longitude": pa.Column(str, [
                _optional(_is_number, error="longitude is not a number"),
                _optional(_in_range(-180, 180), error="longitude out of range -180..180"),
            ]),
            "categories": pa.Column(str, _nonblank("at least one category is required")),
            "project_type": pa.Column(str, _vocab(PROJECT_TYPES, "project type")),
            "vendors": pa.Column(str, _nonblank("at least one vendor is required")),
            "year": pa.Column(str, _optional(_year_ok, error=f"year must be a whole year from {FIRST_YEAR} to {this_year}")),
            "status": pa.Column(str, _vocab(STATUSES, "status")),
            "value_usd": pa.Column(str, _optional(_positive, error="value_usd must be a positive number")),
            "certainty": pa.Column(str, _vocab(CERTAINTIES, "certainty")),
            "description": pa.Column(str, _nonblank("description is empty")),
            "source_ids": pa.Column(str, _nonblank("at least one source is required")),
        }
    )


def source_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "source_id": pa.Column(str, pa.Check.str_matches(SOURCE_ID_PATTERN, error="id must look like S-0001")),
            "publisher": pa.Column(str, _nonblank("publisher is empty")),
            "title": pa.Column(str, _nonblank("title is empty")),
            "url": pa.Column(str, pa.Check(lambda s: s.map(is_http_url), error="url must be an absolute http(s) address")),
            "published": pa.Column(str, _optional(lambda s: s.str.fullmatch(DATE_PATTERN), error="published must be YYYY, YYYY-MM or YYYY-MM-DD")),
            "accessed": pa.Column(str, pa.Check.str_matches(r"\d{4}-\d{2}-\d{2}$", error="accessed must be YYYY-MM-DD")),
        }
    )


def vendor_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "vendor_id": pa.Column(str, pa.Check.str_matches(VENDOR_ID_PATTERN + "$", error="id must be a lower-case slug like china-mobile")),
            "name": pa.Column(str, _nonblank("name is empty")),
            "ownership": pa.Column(str, _vocab(OWNERSHIPS, "ownership")),
        }
    )


SCHEMAS = {"projects.csv": project_schema, "sources.csv": source_schema, "vendors.csv": vendor_schema}


@lru_cache(maxsize=65536)
def is_http_url(value: str) -> bool:
    """True for absolute http:// or https:// addresses with a host; refuses javascript:, data:, ..."""
    text = str(value).strip()
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        return False
    parsed = urlparse(text)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def _row_label(frame: pd.DataFrame, table: str, index) -> str:
    id_col = ID_COLUMN[table]
    value = str(frame.at[index, id_col]).strip() if index in frame.index else ""
    return value or f"line {int(index) + 2}"


def check_columns(frame: pd.DataFrame, table: str) -> list[Problem]:
    """Apply the table's pandera schema; each failure becomes a Problem naming the row id."""
    try:
        SCHEMAS[table]().validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        problems = []
        for case in cases.itertuples(index=False):
            row = _row_label(frame, table, case.index) if pd.notna(case.index) else ""
            value = "" if pd.isna(case.failure_case) else str(case.failure_case)
            shown = f" (got {value[:60]!r})" if value and case.index is not None else ""
            problems.append(Problem(table, row, str(case.column or ""), f"{case.check}{shown}"))
        return problems
    return []


def check_ids(frame: pd.DataFrame, table: str) -> list[Problem]:
    id_col = ID_COLUMN[table]
    ids = frame[id_col]
    dupes = ids[ids.duplicated(keep="first") & (ids != "")]
    return [Problem(table, value, id_col, "duplicate id") for value in dupes]


def check_projects_against(dataset: Dataset) -> list[Problem]:
    """Multi-valued vocabularies, foreign keys, countries, points and duplicate projects."""
    projects = dataset.projects
    vendor_ids = set(dataset.vendors["vendor_id"])
    source_ids = set(dataset.sources["source_id"])
    shapes = dict(zip(dataset.world["iso3"], dataset.world.geometry))
    problems: list[Problem] = []
    seen: dict[tuple, str] = {}
    for row in projects.itertuples(index=True):
        pid = row.project_id or f"line {row.Index + 2}"
        problems += _check_multi(pid, "categories", row.categories, set(CATEGORIES), "category")
        problems += _check_multi(pid, "vendors", row.vendors, vendor_ids, "vendor id (not in vendors.csv)")
        problems += _check_multi(pid, "source_ids", row.source_ids, source_ids, "source id (not in sources.csv)")
        if row.country_iso3 and re.fullmatch(r"[A-Z]{3}", row.country_iso3) and row.country_iso3 not in shapes:
            problems.append(Problem("projects.csv", pid, "country_iso3", f"unknown country {row.country_iso3!r} (not in the boundaries)"))
        problems += _check_point_pair(pid, row.latitude, row.longitude)
        key = (row.country_iso3, tuple(sorted(split_multi(row.vendors))), _norm_name(row.name))
        if key in seen and row.name.strip():
            problems.append(Problem("projects.csv", pid, "name", f"duplicate project: same country, vendors and name as {seen[key]}"))
        else:
            seen.setdefault(key, pid)
    return problems + _points_outside(projects, shapes)


def _points_outside(projects: pd.DataFrame, shapes: dict) -> list[Problem]:
    """Vectorised: rows whose point lies farther than the tolerance from their country."""
    lat = pd.to_numeric(projects["latitude"], errors="coerce")
    lon = pd.to_numeric(projects["longitude"], errors="coerce")
    ok = lat.between(-90, 90) & lon.between(-180, 180) & projects["country_iso3"].isin(shapes.keys())
    rows = projects[ok]
    if rows.empty:
        return []
    geoms = [shapes[c] for c in rows["country_iso3"]]
    points = shapely.points(lon[ok].to_numpy(), lat[ok].to_numpy())
    distance = shapely.distance(geoms, points)
    problems = []
    for pid, iso3, y, x, d in zip(rows["project_id"], rows["country_iso3"], lat[ok], lon[ok], distance):
        if d > SPARSE_SHAPE_TOLERANCE_DEG.get(iso3, COAST_TOLERANCE_DEG):
            problems.append(Problem("projects.csv", pid or "?", "latitude",
                                    f"point ({y}, {x}) lies outside its country (by {d:.2f} degrees)"))
    return problems


def _norm_name(name: str) -> str:
    return re.sub(r"\W+", " ", str(name).casefold()).strip()


def _check_multi(pid: str, column: str, value: str, allowed: set[str], what: str) -> list[Problem]:
    parts = split_multi(value)
    problems = [Problem("projects.csv", pid, column, f"unknown {what}: {p!r}") for p in parts if p not in allowed]
    if len(parts) != len(set(parts)):
        problems.append(Problem("projects.csv", pid, column, "a value is listed twice"))
    return problems


def _check_point_pair(pid: str, lat: str, lon: str) -> list[Problem]:
    if bool(lat) != bool(lon):
        return [Problem("projects.csv", pid, "latitude" if not lat else "longitude",
                        "latitude and longitude go together: one is missing")]
    return []


def find_problems(dataset: Dataset) -> list[Problem]:
    """Every problem in the dataset, sorted by file, row and column."""
    problems: list[Problem] = []
    for table, frame in (("projects.csv", dataset.projects), ("sources.csv", dataset.sources), ("vendors.csv", dataset.vendors)):
        problems += check_columns(frame, table)
        problems += check_ids(frame, table)
    problems += check_projects_against(dataset)
    return sorted(set(problems))


def validate_dataset(dataset: Dataset) -> Dataset:
    """Return the dataset unchanged, or raise DataValidationError with every problem."""
    problems = find_problems(dataset)
    if problems:
        raise DataValidationError(problems)
    return dataset
