"""Bring your own data: parse an uploaded CSV/XLSX of projects into rows shown as their own layer.

Two layouts are accepted: our projects.csv schema, or a minimal one (country as a name or code,
vendor, category; optional city, latitude, longitude, year, name, source URL, description,
status, project type). Valid rows become prepared projects (origin "Your upload"); invalid rows
are reported with row number, column and reason, and are not shown. Nothing is written to disk.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely

from .countries import display_name, to_iso3
from .errors import Problem
from .join import PREPARED_COLUMNS
from .load import Dataset
from .schema import CATEGORIES, FIRST_YEAR, PROJECT_TYPES, STATUSES
from .validate import COAST_TOLERANCE_DEG, is_http_url

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
ORIGIN = "Your upload"

# accepted header names (normalised) -> our field
HEADER_ALIASES: dict[str, str] = {
    "country": "country", "country_iso3": "country", "iso3": "country", "country_name": "country",
    "host_country": "country", "country_code": "country",
    "vendor": "vendor", "vendors": "vendor", "company": "vendor", "companies": "vendor", "contractor": "vendor",
    "category": "category", "categories": "category", "technology": "category", "technology_category": "category",
    "city": "city", "site": "city", "location": "city",
    "latitude": "latitude", "lat": "latitude", "longitude": "longitude", "lon": "longitude", "lng": "longitude",
    "long": "longitude",
    "year": "year", "name": "name", "project": "name", "project_name": "name", "title": "name",
    "source_url": "source_url", "source_urls": "source_url", "url": "source_url", "source": "source_url",
    "description": "description", "status": "status", "project_type": "project_type", "type": "project_type",
    "project_id": "project_id", "source_ids": "source_ids", "value_usd": "value_usd",
}
REQUIRED = ("country", "vendor", "category")
CATEGORY_LOOKUP = {c.casefold(): c for c in CATEGORIES}


class UploadError(ValueError):
    """The file as a whole cannot be read (wrong type, encoding, size, empty, no usable columns)."""


@dataclass(frozen=True, eq=False)
class UploadResult:
    projects: pd.DataFrame
    problems: list[Problem]
    rows_read: int


def _normalise_header(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name or "").strip().lower()).strip("_")


def read_table_bytes(filename: str, payload: bytes) -> list[list[str]]:
    """Rows of text from CSV or XLSX bytes; UploadError when the file is not what it claims."""
    if not payload:
        raise UploadError(f"{filename}: the file is empty")
    if len(payload) > MAX_BYTES:
        raise UploadError(f"{filename}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    suffix = Path(filename).suffix.lower()
    is_zip = payload[:4] == b"PK\x03\x04"
    if suffix in (".xlsx", ".xlsm") or (is_zip and suffix not in (".csv", ".txt")):
        if not is_zip:
            raise UploadError(f"{filename}: not an Excel .xlsx file (it does not start like one)")
        return _read_xlsx(filename, payload)
    if is_zip or b"\x00" in payload[:8192]:
        raise UploadError(f"{filename}: this looks like a binary file, not CSV text")
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(f"{filename}: not UTF-8 text (invalid byte at position {exc.start}); "
                          "save it as CSV UTF-8 and try again") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise UploadError(f"{filename}: malformed CSV ({exc})") from None
    return rows


def _read_xlsx(filename: str, payload: bytes) -> list[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UploadError(f"{filename}: cannot read this Excel file ({type(exc).__name__})") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                         for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def parse_upload(filename: str, payload: bytes, dataset: Dataset) -> UploadResult:
    """Valid rows as prepared projects; every invalid row as Problems naming row and column."""
    rows = read_table_bytes(filename, payload)
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise UploadError(f"{filename}: the file has no rows")
    if len(rows) - 1 > MAX_ROWS:
        raise UploadError(f"{filename}: more than {MAX_ROWS:,} rows")
    from .aiddata import import_records, is_aiddata_layout

    raw_header = [str(h).strip() for h in rows[0]]
    if is_aiddata_layout(raw_header):
        frame, problems, _ = import_records(filename, raw_header, rows[1:], dataset)
        if len(frame):
            frame["origin"] = ORIGIN
        return UploadResult(frame if len(frame) else _empty_prepared(), problems, len(rows) - 1)
    header = [HEADER_ALIASES.get(_normalise_header(h), "") for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise UploadError(f"{filename}: required column(s) missing: {', '.join(missing)} "
                          "(need country, vendor and category; see the README)")
    context = _Context(dataset, filename)
    records, problems = [], []
    for number, raw in enumerate(rows[1:], start=2):
        values = {field: "" for field in HEADER_ALIASES.values()}
        for field, cell in zip(header, raw):
            if field and not values[field]:
                values[field] = str(cell).strip()
        record, row_problems = context.row(number, values)
        problems += row_problems
        if record is not None:
            records.append(record)
    frame = pd.DataFrame(records, columns=list(PREPARED_COLUMNS)) if records else _empty_prepared()
    if len(frame):
        frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
        for column in ("latitude", "longitude", "value_usd"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return UploadResult(frame, problems, len(rows) - 1)


def _empty_prepared() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in PREPARED_COLUMNS})
    frame["year"] = frame["year"].astype("Int64")
    for column in ("latitude", "longitude", "value_usd"):
        frame[column] = frame[column].astype(float)
    return frame


class _Context:
    def __init__(self, dataset: Dataset, filename: str) -> None:
        self.filename = filename
        self.shapes = dict(zip(dataset.world["iso3"], dataset.world.geometry))
        world = dataset.world.set_index("iso3")
        self.region = world["region"].to_dict()
        self.subregion = world["subregion"].to_dict()
        self.vendor_names: dict[str, str] = {}
        for vendor in dataset.vendors.itertuples():
            names = [vendor.vendor_id, vendor.name] + [a for a in str(vendor.aliases).split(";") if a.strip()]
            for name in names:
                self.vendor_names[name.strip().casefold()] = vendor.name
        self.this_year = dt.date.today().year

    def row(self, number: int, v: dict[str, str]) -> tuple[dict | None, list[Problem]]:
        label = f"row {number}"
        problems: list[Problem] = []

        def bad(column: str, message: str) -> None:
            problems.append(Problem(self.filename, label, column, message))

        iso3 = to_iso3(v["country"]) if v["country"] else None
        if not v["country"]:
            bad("country", "country is empty")
        elif iso3 is None or iso3 not in self.shapes:
            bad("country", f"unknown country {v['country'][:60]!r} (use an ISO code or the English name)")
        vendors = [part.strip() for part in re.split(r"[;|]", v["vendor"]) if part.strip()]
        if not vendors:
            bad("vendor", "vendor is empty")
        vendors = [self.vendor_names.get(x.casefold(), x[:120]) for x in vendors]
        categories = []
        for part in re.split(r"[;|,]", v["category"]):
            if part.strip():
                found = CATEGORY_LOOKUP.get(part.strip().casefold())
                if found is None:
                    bad("category", f"unknown category {part.strip()[:60]!r}; expected one of: {', '.join(CATEGORIES)}")
                else:
                    categories.append(found)
        if not v["category"].strip():
            bad("category", "category is empty")
        lat, lon = _number(v["latitude"]), _number(v["longitude"])
        if v["latitude"] and lat is None:
            bad("latitude", "latitude is not a number")
        if v["longitude"] and lon is None:
            bad("longitude", "longitude is not a number")
        if (lat is None) != (lon is None) and not any(p.column in ("latitude", "longitude") for p in problems):
            bad("latitude" if lat is None else "longitude", "latitude and longitude go together: one is missing")
        if lat is not None and not -90 <= lat <= 90:
            bad("latitude", "latitude out of range -90..90")
        if lon is not None and not -180 <= lon <= 180:
            bad("longitude", "longitude out of range -180..180")
        if (lat is not None and lon is not None and iso3 in self.shapes and not problems
                and self.shapes[iso3].distance(shapely.Point(lon, lat)) > COAST_TOLERANCE_DEG):
            bad("latitude", f"point ({lat}, {lon}) lies outside {display_name(iso3)}")
        year = None
        if v["year"]:
            if re.fullmatch(r"\d{4}", v["year"]) and FIRST_YEAR <= int(v["year"]) <= self.this_year:
                year = int(v["year"])
            else:
                bad("year", f"year must be a whole year from {FIRST_YEAR} to {self.this_year}")
        urls = [u.strip() for u in re.split(r"[;|\s]+", v["source_url"]) if u.strip()]
        for url in urls:
            if not is_http_url(url):
                bad("source_url", f"only http(s) links are accepted (got {url[:60]!r})")
        status = v["status"] if v["status"] in STATUSES else "unknown"
        if v["status"] and v["status"] not in STATUSES:
            bad("status", f"unknown status; expected one of: {', '.join(STATUSES)}")
        project_type = v["project_type"] if v["project_type"] in PROJECT_TYPES else "Other"
        if v["project_type"] and v["project_type"] not in PROJECT_TYPES:
            bad("project_type", f"unknown project type; expected one of: {', '.join(PROJECT_TYPES)}")
        if problems:
            return None, problems
        name = v["name"][:300] or f"{', '.join(vendors)} project ({display_name(iso3)})"
        return {
            "project_id": f"UP-{number:06d}", "name": name, "country_iso3": iso3, "country": display_name(iso3),
            "region": self.region.get(iso3, ""), "subregion": self.subregion.get(iso3, ""),
            "city": v["city"][:200], "latitude": lat, "longitude": lon, "categories": tuple(categories),
            "project_type": project_type, "vendor_ids": tuple(vendors), "vendors": tuple(vendors), "year": year,
            "status": status, "value_usd": _number(v["value_usd"]), "client": "", "financing": "",
            "certainty": "reported", "description": v["description"][:2000], "source_ids": (),
            "source_urls": tuple(urls), "source_titles": tuple(urls), "source_publishers": tuple("" for _ in urls),
            "origin": ORIGIN,
        }, []


def _number(text: str) -> float | None:
    try:
        value = float(str(text).replace(",", "")) if str(text).strip() else None
    except ValueError:
        return None
    return value if value is None or pd.notna(value) and abs(value) != float("inf") else None


def add_extra_projects(projects: pd.DataFrame, path: str, dataset: Dataset) -> tuple[pd.DataFrame, list[Problem]]:
    """CLI --extra: read a file, append its valid rows to ``projects``; raise UploadError if unreadable."""
    payload = Path(path).read_bytes()
    result = parse_upload(Path(path).name, payload, dataset)
    combined = pd.concat([projects, result.projects], ignore_index=True) if len(result.projects) else projects
    return combined, result.problems
