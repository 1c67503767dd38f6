"""Bring your own data: parse an uploaded CSV, XLSX or data-package zip into rows shown as their own layer.

Accepted layouts: our CSV export (lossless: ids, fields and sources are kept), our projects.csv
schema, a minimal one (country as a name or code, vendor, category; optional city, latitude,
longitude, year, name, source URL, description, status, project type, scale), AidData's GCDF
layout, and our data-package zip (its projects.csv). Valid rows become prepared projects; invalid
rows are reported with row number, column and reason. Everything is bounded before it is parsed
(bytes, zip contents, a sheet's rows, columns and cells), and nothing is written to disk. Names
resolve as the CLI and the URL resolve them (``resolve``); years and points follow ``validate``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .countries import display_name
from .errors import Problem
from .join import PREPARED_COLUMNS
from .load import Dataset
from .primitives import finite_number, is_http_url, split_multi
from .resolve import Resolver, UnknownValue, build_resolver
from .schema import CATEGORIES, EXPORT_COLUMNS
from .validate import FIRST_YEAR, points_outside, this_year, year_of

MAX_MEGABYTES = 20
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 150
MAX_CELLS = 6_000_000
MAX_UNZIPPED = 200 * 1024 * 1024  # the parts of an .xlsx or .zip, uncompressed
ORIGIN = "Your upload"
EXPORT_ORIGIN = "Your upload (a DSR Map export)"

# accepted header names (normalised) -> our field
HEADER_ALIASES: dict[str, str] = {
    "country": "country",
    "country_iso3": "country",
    "iso3": "country",
    "country_name": "country",
    "host_country": "country",
    "country_code": "country",
    "vendor": "vendor",
    "vendors": "vendor",
    "company": "vendor",
    "companies": "vendor",
    "contractor": "vendor",
    "category": "category",
    "categories": "category",
    "technology": "category",
    "technology_category": "category",
    "city": "city",
    "site": "city",
    "location": "city",
    "latitude": "latitude",
    "lat": "latitude",
    "longitude": "longitude",
    "lon": "longitude",
    "lng": "longitude",
    "long": "longitude",
    "year": "year",
    "name": "name",
    "project": "name",
    "project_name": "name",
    "title": "name",
    "source_url": "source_url",
    "source_urls": "source_url",
    "url": "source_url",
    "source": "source_url",
    "source_titles": "source_titles",
    "source_publishers": "source_publishers",
    "description": "description",
    "status": "status",
    "project_type": "project_type",
    "type": "project_type",
    "scale": "scale",
    "project_id": "project_id",
    "source_ids": "source_ids",
    "value_usd": "value_usd",
    "client": "client",
    "financing": "financing",
    "certainty": "certainty",
    "status_as_of": "status_as_of",
    "first_event_year": "first_event_year",
    "origin": "origin",
}
REQUIRED = ("country", "vendor", "category")
CERTAINTIES = ("confirmed", "reported", "alleged")


class UploadError(ValueError):
    """The file as a whole cannot be read (wrong type, encoding, size, shape, empty, no usable columns)."""


@dataclass(frozen=True, eq=False)
class UploadResult:
    projects: pd.DataFrame
    problems: list[Problem]
    rows_read: int
    notes: tuple[str, ...] = ()


def _normalise_header(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name or "").strip().lower()).strip("_")


# ---------------------------------------------------------------- reading bytes, bounded
def read_table_bytes(filename: str, payload: bytes) -> tuple[list[list[str]], list[str]]:
    """(rows of text, notes) from CSV, XLSX or data-package bytes; UploadError when the file is not
    what it claims or exceeds a bound."""
    if not payload:
        raise UploadError(f"{filename}: the file is empty")
    if len(payload) > MAX_BYTES:
        raise UploadError(f"{filename}: the file is larger than {MAX_MEGABYTES} MB")
    suffix = Path(filename).suffix.lower()
    is_zip = payload[:4] == b"PK\x03\x04"
    if suffix in (".xlsx", ".xlsm", ".zip") or (is_zip and suffix not in (".csv", ".txt")):
        if not is_zip:
            raise UploadError(
                f"{filename}: not an {'Excel .xlsx' if suffix != '.zip' else 'zip'} file (it does not start like one)"
            )
        archive = _open_zip(filename, payload)
        if "datapackage.json" in archive.namelist():
            return _read_package(filename, archive), [f"read projects.csv from the data package {filename}"]
        return _read_xlsx(filename, payload, archive)
    if is_zip or b"\x00" in payload[:8192]:
        raise UploadError(f"{filename}: this looks like a binary file, not CSV text")
    return _read_csv_text(filename, payload), []


def _read_csv_text(filename: str, payload: bytes) -> list[list[str]]:
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(
            f"{filename}: not UTF-8 text (invalid byte at position {exc.start}); save it as CSV UTF-8 and try again"
        ) from None
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            if len(row) > MAX_COLUMNS:
                raise UploadError(f"{filename}: line {len(rows) + 1} has {len(row):,} columns; at most {MAX_COLUMNS}")
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise UploadError(f"{filename}: more than {MAX_ROWS:,} rows")
    except csv.Error as exc:
        raise UploadError(f"{filename}: malformed CSV ({exc})") from None
    return rows


def _open_zip(filename: str, payload: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
        total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadError(f"{filename}: cannot read this file as a zip archive ({type(exc).__name__})") from None
    if total > MAX_UNZIPPED:
        raise UploadError(
            f"{filename}: its contents unpack to {total / 2**20:,.0f} MB; at most {MAX_UNZIPPED // 2**20} MB"
        )
    return archive


def _read_package(filename: str, archive: zipfile.ZipFile) -> list[list[str]]:
    if "projects.csv" not in archive.namelist():
        raise UploadError(f"{filename}: the data package holds no projects.csv")
    return _read_csv_text(f"{filename}/projects.csv", archive.read("projects.csv"))


_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _declared_shape(archive: zipfile.ZipFile) -> tuple[int, int] | None:
    """(rows, columns) the first sheet declares in its <dimension>, read from its first bytes only."""
    sheets = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    if not sheets:
        return None
    with archive.open(sheets[0]) as handle:
        head = handle.read(4096)
    match = _DIMENSION.search(head)
    if not match or not match.group(3):
        return None
    return int(match.group(4)), _column_number(match.group(3).decode())


def _read_xlsx(filename: str, payload: bytes, archive: zipfile.ZipFile) -> tuple[list[list[str]], list[str]]:
    import openpyxl

    notes: list[str] = []
    declared = _declared_shape(archive)
    if declared and declared[0] > MAX_ROWS + 1:
        raise UploadError(
            f"{filename}: the sheet declares {declared[0]:,} rows (cells used down to row "
            f"{declared[0]:,}); at most {MAX_ROWS:,}. Clear the cells below your data or save it as CSV"
        )
    if declared and declared[1] > MAX_COLUMNS:
        notes.append(f"{filename}: the sheet declares {declared[1]:,} columns; only the first {MAX_COLUMNS} are read")
    try:
        book = openpyxl.load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UploadError(f"{filename}: cannot read this Excel file ({type(exc).__name__})") from None
    try:
        sheet = book.worksheets[0]
        width = min(declared[1], MAX_COLUMNS) if declared else MAX_COLUMNS
        rows: list[list[str]] = []
        cells = 0
        for values in sheet.iter_rows(values_only=True, max_col=width, max_row=MAX_ROWS + 2):
            row = [
                "" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                for v in values
            ]
            while row and row[-1] == "":
                row.pop()
            rows.append(row)
            cells += len(row)
            if len(rows) > MAX_ROWS + 1:
                raise UploadError(f"{filename}: more than {MAX_ROWS:,} rows")
            if cells > MAX_CELLS:
                raise UploadError(f"{filename}: more than {MAX_CELLS:,} filled cells")
        return rows, notes
    finally:
        book.close()


# ---------------------------------------------------------------- rows to projects
def parse_upload(filename: str, payload: bytes, dataset: Dataset, resolver: Resolver | None = None) -> UploadResult:
    """Valid rows as prepared projects; every invalid row as Problems naming row and column."""
    rows, notes = read_table_bytes(filename, payload)
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise UploadError(f"{filename}: the file has no rows")
    if len(rows) - 1 > MAX_ROWS:
        raise UploadError(f"{filename}: more than {MAX_ROWS:,} rows")
    resolver = resolver or build_resolver(dataset.vendors, dataset.world["iso3"], dataset.world["region"])
    from .aiddata import import_records, is_aiddata_layout

    raw_header = [str(h).strip() for h in rows[0]]
    if is_aiddata_layout(raw_header):
        frame, problems, _ = import_records(filename, raw_header, rows[1:], dataset)
        if len(frame):
            frame["origin"] = ORIGIN
        return UploadResult(frame if len(frame) else _empty_prepared(), problems, len(rows) - 1, tuple(notes))
    header = [HEADER_ALIASES.get(_normalise_header(h), "") for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise UploadError(
            f"{filename}: required column(s) missing: {', '.join(missing)} "
            "(need country, vendor and category; see the README)"
        )
    is_export = all(column in [_normalise_header(h) for h in rows[0]] for column in EXPORT_COLUMNS)
    context = _Context(dataset, filename, resolver, is_export)
    records, problems = [], []
    for number, raw in enumerate(rows[1:], start=2):
        values = dict.fromkeys(HEADER_ALIASES.values(), "")
        for name, cell in zip(header, raw):
            if name and not values[name]:
                values[name] = str(cell).strip()
        record, row_problems = context.row(number, values)
        problems += row_problems
        if record is not None:
            records.append(record)
    problems += context.points_outside(records)
    bad_rows = {p.row for p in problems}
    records = [r for r in records if r["_label"] not in bad_rows]
    frame = pd.DataFrame(records, columns=list(PREPARED_COLUMNS)) if records else _empty_prepared()
    if len(frame):
        for column in ("year", "first_event_year"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
        for column in ("latitude", "longitude", "value_usd"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    if is_export:
        notes.append(
            f"{filename} is a DSR Map export: its ids, fields and sources are kept (shown as '{EXPORT_ORIGIN}')"
        )
    return UploadResult(frame, problems, len(rows) - 1, tuple(notes))


def _empty_prepared() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in PREPARED_COLUMNS})
    for column in ("year", "first_event_year"):
        frame[column] = frame[column].astype("Int64")
    for column in ("latitude", "longitude", "value_usd"):
        frame[column] = frame[column].astype(float)
    return frame


class _Context:
    def __init__(self, dataset: Dataset, filename: str, resolver: Resolver, is_export: bool) -> None:
        self.filename = filename
        self.resolver = resolver
        self.is_export = is_export
        self.shapes = dict(zip(dataset.world["iso3"], dataset.world["geometry"])) if "geometry" in dataset.world else {}
        world = dataset.world.set_index("iso3")
        self.codes = set(world.index)
        self.region = world["region"].to_dict()
        self.subregion = world["subregion"].to_dict()

    def _resolve(self, field: str, text: str, column: str, bad) -> str | None:
        try:
            return self.resolver.resolve(field, text)
        except UnknownValue as exc:
            bad(column, str(exc))
            return None

    def row(self, number: int, v: dict[str, str]) -> tuple[dict | None, list[Problem]]:
        label = f"row {number}"
        problems: list[Problem] = []

        def bad(column: str, message: str) -> None:
            problems.append(Problem(self.filename, label, column, message))

        iso3 = None
        if not v["country"]:
            bad("country", "country is empty")
        else:
            iso3 = self._resolve("countries", v["country"], "country", bad)
        vendors = []
        for part in re.split(r"[;|]", v["vendor"]):
            if part.strip():
                try:
                    vendors.append(self.resolver.resolve("vendors", part.strip()))
                except UnknownValue:
                    vendors.append(part.strip()[:120])  # a company we do not list: kept as typed
        if not vendors:
            bad("vendor", "vendor is empty")
        categories = []
        for part in re.split(r"[;|,]", v["category"]):
            if part.strip():
                found = self._resolve("categories", part.strip(), "category", bad)
                if found:
                    categories.append(found)
        if not v["category"].strip():
            bad("category", "category is empty")
        lat, lon = finite_number(v["latitude"]), finite_number(v["longitude"])
        if v["latitude"] and lat is None:
            bad("latitude", "latitude is not a finite number")
        if v["longitude"] and lon is None:
            bad("longitude", "longitude is not a finite number")
        if (lat is None) != (lon is None) and not any(p.column in ("latitude", "longitude") for p in problems):
            bad("latitude" if lat is None else "longitude", "latitude and longitude go together: one is missing")
        if lat is not None and not -90 <= lat <= 90:
            bad("latitude", "latitude out of range -90..90")
        if lon is not None and not -180 <= lon <= 180:
            bad("longitude", "longitude out of range -180..180")
        year = None
        if v["year"]:
            year = year_of(v["year"])
            if year is None:
                bad("year", f"year must be a whole year from {FIRST_YEAR} to {this_year()}")
        urls = [u.strip() for u in re.split(r"; |[|\s]+", v["source_url"]) if u.strip()]
        for url in urls:
            if not is_http_url(url):
                bad("source_url", f"only http(s) links are accepted (got {url[:60]!r})")
        status = self._resolve("statuses", v["status"], "status", bad) if v["status"] else "unknown"
        project_type = (
            self._resolve("project_types", v["project_type"], "project_type", bad) if v["project_type"] else "Other"
        )
        scale = self._resolve("scales", v["scale"], "scale", bad) if v["scale"] else ""
        value = finite_number(v["value_usd"]) if v["value_usd"] else None
        if v["value_usd"] and (value is None or value <= 0):
            bad("value_usd", "value_usd must be a finite positive number")
        certainty = v["certainty"] if v["certainty"] in CERTAINTIES else "reported"
        if v["certainty"] and v["certainty"] not in CERTAINTIES:
            bad("certainty", f"unknown certainty; expected one of: {', '.join(CERTAINTIES)}")
        if problems or iso3 is None:
            return None, problems
        titles = split_multi(v["source_titles"]) if self.is_export else []
        publishers = v["source_publishers"].split("; ") if self.is_export and v["source_publishers"] else []
        name = v["name"][:300] or f"{', '.join(vendors)} project ({display_name(iso3)})"
        project_id = v["project_id"][:40] if self.is_export and v["project_id"] else f"UP-{number:06d}"
        return {
            "_label": label,
            "project_id": project_id,
            "name": name,
            "country_iso3": iso3,
            "country": display_name(iso3),
            "region": self.region.get(iso3, ""),
            "subregion": self.subregion.get(iso3, ""),
            "city": v["city"][:200],
            "latitude": lat,
            "longitude": lon,
            "categories": tuple(categories),
            "project_type": project_type,
            "scale": scale,
            "vendor_ids": tuple(vendors),
            "vendors": tuple(vendors),
            "year": year,
            "status": status,
            "status_as_of": v["status_as_of"][:10] if self.is_export else "",
            "first_event_year": year_of(v["first_event_year"]) if self.is_export else None,
            "value_usd": value,
            "client": v["client"][:200],
            "financing": v["financing"][:200],
            "certainty": certainty,
            "description": v["description"][:2000],
            "source_ids": tuple(split_multi(v["source_ids"])) if self.is_export else (),
            "source_urls": tuple(urls),
            "source_titles": tuple(titles) if len(titles) == len(urls) else tuple(urls),
            "source_publishers": tuple(publishers) if len(publishers) == len(urls) else tuple("" for _ in urls),
            "origin": EXPORT_ORIGIN if self.is_export else ORIGIN,
        }, []

    def points_outside(self, records: list[dict]) -> list[Problem]:
        """The point-in-country rule of ``validate`` (coast tolerance and sparse shapes alike)."""
        placed = [r for r in records if r["latitude"] is not None and r["longitude"] is not None]
        if not placed:
            return []
        frame = pd.DataFrame(placed)
        distance = points_outside(frame["country_iso3"], frame["latitude"], frame["longitude"], self.shapes)
        return [
            Problem(
                self.filename,
                r["_label"],
                "latitude",
                f"point ({r['latitude']}, {r['longitude']}) lies outside {display_name(r['country_iso3'])}",
            )
            for r, d in zip(placed, distance)
            if pd.notna(d)
        ]


def add_extra_projects(
    projects: pd.DataFrame, path: str, dataset: Dataset, resolver: Resolver | None = None
) -> tuple[pd.DataFrame, UploadResult]:
    """CLI --extra: read a file, append its valid rows to ``projects``; raise UploadError if unreadable."""
    source = Path(path)
    if source.stat().st_size > MAX_BYTES:
        raise UploadError(f"{source.name}: the file is larger than {MAX_MEGABYTES} MB")
    result = parse_upload(source.name, source.read_bytes(), dataset, resolver)
    combined = pd.concat([projects, result.projects], ignore_index=True) if len(result.projects) else projects
    return combined, result


__all__ = ["CATEGORIES", "MAX_BYTES", "ORIGIN", "UploadError", "UploadResult", "parse_upload"]
