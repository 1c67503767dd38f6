"""The only readers of files: the CSV tables, the boundaries and the data version."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .errors import DataValidationError, Problem
from .schema import ID_COLUMN, column_names

ENV_VAR = "DSR_MAP_DATA"
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BOUNDARIES = Path("boundaries") / "countries.parquet"


@dataclass(frozen=True, eq=False)
class Dataset:
    """The curated tables as read (all text), the boundaries and the data version."""

    projects: pd.DataFrame
    sources: pd.DataFrame
    vendors: pd.DataFrame
    world: gpd.GeoDataFrame
    version: str
    data_dir: Path


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data`` wins, then ``$DSR_MAP_DATA``, then the repository's ``data/``."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return DEFAULT_DATA_DIR


def parse_csv_text(text: str, table: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse CSV text of one table into an all-text frame; rows of the wrong width are reported, not kept."""
    expected = column_names(table)
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return _empty(expected), [Problem(table, "line 1", "", f"malformed CSV: {exc}")]
    if header is None:
        return _empty(expected), [Problem(table, "", "", "file is empty (no header row)")]
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    problems += [Problem(table, "header", c, "required column is missing") for c in missing]
    problems += [Problem(table, "header", c, "unknown column") for c in unknown]
    if missing:
        return _empty(expected), problems
    records = []
    line = 1
    try:
        for line, fields in enumerate(reader, start=2):
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                row_id = fields[0].strip() if fields else ""
                problems.append(Problem(table, row_id or f"line {line}", "",
                                        f"line {line}: expected {len(header)} fields, found {len(fields)}"))
                continue
            records.append(dict(zip(header, (f.strip() for f in fields))))
    except csv.Error as exc:
        problems.append(Problem(table, f"line {line + 1}", "", f"malformed CSV: {exc}"))
    frame = pd.DataFrame.from_records(records, columns=expected) if records else _empty(expected)
    return frame.astype(str), problems


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=str) for c in columns})


def read_table(data_dir: Path, table: str) -> tuple[pd.DataFrame, list[Problem]]:
    path = Path(data_dir) / table
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _empty(column_names(table)), [Problem(table, "", "", f"cannot read {path}: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _empty(column_names(table)), [Problem(table, "", "", f"not UTF-8 text (byte {exc.start})")]
    return parse_csv_text(text, table)


def read_projects(data_dir: Path) -> pd.DataFrame:
    return _read_or_raise(data_dir, "projects.csv")


def read_sources(data_dir: Path) -> pd.DataFrame:
    return _read_or_raise(data_dir, "sources.csv")


def read_vendors(data_dir: Path) -> pd.DataFrame:
    return _read_or_raise(data_dir, "vendors.csv")


def _read_or_raise(data_dir: Path, table: str) -> pd.DataFrame:
    frame, problems = read_table(data_dir, table)
    if problems:
        raise DataValidationError(problems)
    return frame


def read_world(data_dir: Path) -> gpd.GeoDataFrame:
    path = Path(data_dir) / BOUNDARIES
    if not path.exists():
        raise DataValidationError([Problem(str(BOUNDARIES), "", "", f"boundaries file missing: {path}")])
    return gpd.read_parquet(path)


def read_version(data_dir: Path) -> str:
    path = Path(data_dir) / "VERSION"
    return path.read_text(encoding="utf-8").strip() if path.exists() else "unversioned"


def read_dataset(data_dir: str | os.PathLike[str] | None = None) -> tuple[Dataset, list[Problem]]:
    """Read everything; structural problems (bad CSV, missing columns) are returned, not raised."""
    root = resolve_data_dir(data_dir)
    problems: list[Problem] = []
    tables = {}
    for table in ID_COLUMN:
        tables[table], found = read_table(root, table)
        problems += found
    world = read_world(root)
    dataset = Dataset(
        projects=tables["projects.csv"],
        sources=tables["sources.csv"],
        vendors=tables["vendors.csv"],
        world=world,
        version=read_version(root),
        data_dir=root,
    )
    return dataset, problems
