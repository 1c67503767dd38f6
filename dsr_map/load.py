"""The only readers of files: the CSV tables, the boundaries and the data version.

The bundled data is found in the source checkout (``data/`` beside the package) or, after a
plain ``pip install .``, inside the installed package (``dsr_map/data``, package data read
through ``importlib.resources``). ``--data`` and ``$DSR_MAP_DATA`` point elsewhere.

Boundaries are read with pyarrow and shapely (no geopandas), so commands that do not draw
maps stay light; ``world_frame`` turns them into a GeoDataFrame where drawing needs one.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from .errors import DataValidationError, Problem
from .schema import OPTIONAL_TABLES, TABLES, column_names

ENV_VAR = "DSR_MAP_DATA"
CHECKOUT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BOUNDARIES = Path("boundaries") / "countries.parquet"
WORLD_COLUMNS = ["iso3", "iso_n3", "name", "region", "subregion"]


def bundled_data_dir() -> Path:
    """The data shipped with this copy of DSR Map: the checkout's data/, else the installed package data."""
    if (CHECKOUT_DATA_DIR / "projects.csv").exists():
        return CHECKOUT_DATA_DIR
    return Path(str(resources.files("dsr_map") / "data"))


DEFAULT_DATA_DIR = bundled_data_dir()


@dataclass(frozen=True, eq=False)
class Dataset:
    """The curated tables as read (all text, keyed by file name), the boundaries and the data version."""

    tables: dict[str, pd.DataFrame]
    world: pd.DataFrame  # iso3, iso_n3, name, region, subregion, geometry (shapely objects, EPSG:4326)
    version: str
    data_dir: Path
    extras: dict = field(default_factory=dict)

    @property
    def projects(self) -> pd.DataFrame:
        return self.tables["projects.csv"]

    @property
    def sources(self) -> pd.DataFrame:
        return self.tables["sources.csv"]

    @property
    def vendors(self) -> pd.DataFrame:
        return self.tables["vendors.csv"]

    @property
    def events(self) -> pd.DataFrame:
        return self.tables["events.csv"]

    @property
    def standards(self) -> pd.DataFrame:
        return self.tables["standards.csv"]

    @property
    def bodies(self) -> pd.DataFrame:
        return self.tables["bodies.csv"]

    @property
    def figures(self) -> pd.DataFrame:
        return self.tables["standards_figures.csv"]

    @property
    def retired(self) -> pd.DataFrame:
        return self.tables["retired.csv"]


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data`` wins, then ``$DSR_MAP_DATA``, then the bundled data."""
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
        return empty_table(table), [Problem(table, "line 1", "", f"malformed CSV: {exc}")]
    if header is None:
        return empty_table(table), [Problem(table, "", "", "file is empty (no header row)")]
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    problems += [Problem(table, "header", c, "required column is missing") for c in missing]
    problems += [Problem(table, "header", c, "unknown column") for c in unknown]
    if missing:
        return empty_table(table), problems
    records = []
    line = 1
    try:
        for line, fields in enumerate(reader, start=2):
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                row_id = fields[0].strip() if fields else ""
                problems.append(
                    Problem(
                        table,
                        row_id or f"line {line}",
                        "",
                        f"line {line}: expected {len(header)} fields, found {len(fields)}",
                    )
                )
                continue
            records.append(dict(zip(header, (f.strip() for f in fields))))
    except csv.Error as exc:
        problems.append(Problem(table, f"line {line + 1}", "", f"malformed CSV: {exc}"))
    frame = pd.DataFrame.from_records(records, columns=expected).astype(object) if records else empty_table(table)
    return frame, problems


def empty_table(table: str) -> pd.DataFrame:
    """A table with no rows. Cells are Python strings in object columns (iterating pandas' Arrow-backed
    string columns cell by cell is several times slower, and validation reads every cell)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in column_names(table)})


def read_table(data_dir: Path, table: str) -> tuple[pd.DataFrame, list[Problem]]:
    path = Path(data_dir) / table
    if table in OPTIONAL_TABLES and not path.exists():
        return empty_table(table), []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return empty_table(table), [Problem(table, "", "", f"cannot read {path}: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return empty_table(table), [Problem(table, "", "", f"not UTF-8 text (byte {exc.start})")]
    return parse_csv_text(text, table)


def read_world(data_dir: Path, *, geometry: bool = True) -> pd.DataFrame:
    """Boundary features: iso3, iso_n3, name, region, subregion and (unless ``geometry=False``) shapely shapes."""
    import pyarrow.parquet as pq

    path = Path(data_dir) / BOUNDARIES
    if not path.exists():
        raise DataValidationError([Problem(str(BOUNDARIES), "", "", f"boundaries file missing: {path}")])
    columns = WORLD_COLUMNS + (["geometry"] if geometry else [])
    frame = pq.read_table(path, columns=columns).to_pandas()
    if geometry:
        import shapely

        frame["geometry"] = shapely.from_wkb(frame["geometry"].to_numpy())
    return frame


def world_frame(world: pd.DataFrame):
    """The boundaries as a GeoDataFrame in EPSG:4326 (imports geopandas: for drawing only)."""
    import geopandas as gpd

    if isinstance(world, gpd.GeoDataFrame):
        return world
    return gpd.GeoDataFrame(world, geometry="geometry", crs="EPSG:4326")


def read_version(data_dir: Path) -> str:
    path = Path(data_dir) / "VERSION"
    return path.read_text(encoding="utf-8").strip() if path.exists() else "unversioned"


def read_text_file(data_dir: Path, name: str) -> str:
    path = Path(data_dir) / name
    return path.read_text(encoding="utf-8") if path.exists() else ""


def read_dataset(
    data_dir: str | os.PathLike[str] | None = None, *, geometry: bool = True
) -> tuple[Dataset, list[Problem]]:
    """Read everything; structural problems (bad CSV, missing columns) are returned, not raised."""
    root = resolve_data_dir(data_dir)
    problems: list[Problem] = []
    tables = {}
    for table in TABLES:
        tables[table], found = read_table(root, table)
        problems += found
    dataset = Dataset(
        tables=tables, world=read_world(root, geometry=geometry), version=read_version(root), data_dir=root
    )
    return dataset, problems
