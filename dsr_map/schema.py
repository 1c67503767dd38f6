"""The data model as data: columns, vocabularies and the public export contract."""

from __future__ import annotations

from dataclasses import dataclass

MULTI_SEP = "; "
FIRST_YEAR = 1990

CATEGORIES: tuple[str, ...] = (
    "Surveillance",
    "Network Infrastructure",
    "Big Data",
    "Fintech",
    "Energy",
    "Integrated Platforms",
    "Municipal Services",
)
PROJECT_TYPES: tuple[str, ...] = (
    "Safe City",
    "Smart City",
    "Surveillance system",
    "Mobile network",
    "Backbone / fibre",
    "Submarine cable",
    "Data centre",
    "Cloud / e-government",
    "National ID",
    "Payment platform",
    "Smart grid / meters",
    "Traffic system",
    "Command / emergency centre",
    "Other",
)
STATUSES: tuple[str, ...] = (
    "announced/MoU",
    "contracted",
    "under construction",
    "operational",
    "suspended/cancelled",
    "unknown",
)
CERTAINTIES: tuple[str, ...] = ("confirmed", "reported", "alleged")
OWNERSHIPS: tuple[str, ...] = (
    "state-owned",
    "private",
    "listed",
    "listed, state-controlled",
    "other",
)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str
    multi: bool = False


PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("project_id", True, "Stable id, DSR-NNNN; never reused."),
    Column("name", True, "Short English name of the project."),
    Column("country_iso3", True, "ISO 3166-1 alpha-3 of the host country (or a project code from data/boundaries/SOURCE.md)."),
    Column("city", False, "City or site, where known; empty for national projects."),
    Column("latitude", False, "WGS84 decimal degrees; empty for country-level rows."),
    Column("longitude", False, "WGS84 decimal degrees; empty for country-level rows."),
    Column("categories", True, "One or more technology categories from the seed report, joined by '; '.", multi=True),
    Column("project_type", True, "One project type from the controlled list."),
    Column("vendors", True, "Vendor ids from vendors.csv, joined by '; '.", multi=True),
    Column("year", False, "First year: contract, announcement or launch."),
    Column("status", True, "announced/MoU, contracted, under construction, operational, suspended/cancelled or unknown."),
    Column("value_usd", False, "Reported value in US dollars, where a source states one."),
    Column("client", False, "Host-side client or partner (ministry, city, operator), where named."),
    Column("financing", False, "Financing as reported (e.g. a China Exim Bank loan)."),
    Column("certainty", True, "confirmed, reported or alleged."),
    Column("description", True, "Own words, short and neutral: what the sources report."),
    Column("source_ids", True, "Source ids from sources.csv, joined by '; '.", multi=True),
)
SOURCE_COLUMNS: tuple[Column, ...] = (
    Column("source_id", True, "Stable id, S-NNNN."),
    Column("publisher", True, "Publisher or organisation."),
    Column("title", True, "Title of the page or document."),
    Column("url", True, "http(s) address that was read."),
    Column("published", False, "YYYY, YYYY-MM or YYYY-MM-DD."),
    Column("accessed", True, "YYYY-MM-DD when it was read."),
)
VENDOR_COLUMNS: tuple[Column, ...] = (
    Column("vendor_id", True, "Stable slug, e.g. huawei."),
    Column("name", True, "Canonical name shown in filters and exports."),
    Column("aliases", False, "Other names, joined by '; '.", multi=True),
    Column("headquarters", False, "City of headquarters."),
    Column("ownership", True, "state-owned, private, listed, listed, state-controlled or other."),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "projects.csv": PROJECT_COLUMNS,
    "sources.csv": SOURCE_COLUMNS,
    "vendors.csv": VENDOR_COLUMNS,
}
ID_COLUMN = {"projects.csv": "project_id", "sources.csv": "source_id", "vendors.csv": "vendor_id"}

PROJECT_ID_PATTERN = r"DSR-\d{4}"
SOURCE_ID_PATTERN = r"S-\d{4}"
VENDOR_ID_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
DATE_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?"

# The flat public column contract of CSV/GeoJSON exports, in this order.
EXPORT_COLUMNS: tuple[str, ...] = (
    "project_id", "name", "country_iso3", "country", "city", "latitude", "longitude",
    "categories", "project_type", "vendors", "year", "status", "value_usd", "description",
    "source_urls", "source_titles",
)
EXPORT_EXTRA_COLUMNS: tuple[str, ...] = ("region", "subregion", "client", "financing", "certainty", "origin")


def column_names(table: str) -> list[str]:
    return [c.name for c in TABLES[table]]
