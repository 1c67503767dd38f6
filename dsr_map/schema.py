"""The data model as data: tables, columns, vocabularies and the public export contract.

Every table is described here once; validation (``validate``), the canonical form (``fmt``), the
data dictionary in ``data/README.md`` and the data-package export all read these definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

from .primitives import MULTI_SEP

__all__ = ["MULTI_SEP"]

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
# Project states, in the order a project usually moves through them.
STATUSES: tuple[str, ...] = (
    "announced/MoU",
    "contracted",
    "under construction",
    "pilot/trial",
    "operational",
    "suspended/cancelled",
    "ended",
    "unknown",
)
PROGRESS_STATES: tuple[str, ...] = ("announced/MoU", "contracted", "under construction", "pilot/trial", "operational")
STOPPED_STATES: tuple[str, ...] = ("suspended/cancelled", "ended")
CERTAINTIES: tuple[str, ...] = ("confirmed", "reported", "alleged")
OWNERSHIPS: tuple[str, ...] = ("state-owned", "private", "listed", "listed, state-controlled", "other")
SCALES: tuple[str, ...] = ("national", "regional", "city", "site", "product in use")
GOVERNMENT_SCALES: tuple[str, ...] = ("national", "regional", "city")


@dataclass(frozen=True)
class EventKind:
    name: str
    label: str
    state: str | None  # the project's state after the event; None: the state before the last stop
    meaning: str


EVENT_KINDS: tuple[EventKind, ...] = (
    EventKind("announced", "Announced", "announced/MoU", "plan or intent announced; nothing signed"),
    EventKind("mou_signed", "MoU signed", "announced/MoU", "MoU, framework or cooperation agreement signed"),
    EventKind("contracted", "Contracted", "contracted", "contract awarded or signed, supply deal agreed"),
    EventKind("financed", "Financed", "contracted", "loan, credit or financing signed"),
    EventKind(
        "construction_started",
        "Construction started",
        "under construction",
        "building, installation or integration began",
    ),
    EventKind("tested", "Tested", "pilot/trial", "a pilot, trial or test was carried out"),
    EventKind("launched", "Launched", "operational", "went live, inaugurated, commissioned or completed"),
    EventKind("expanded", "Expanded", "operational", "extended, upgraded or a new phase went live"),
    EventKind("reported_in_use", "Reported in use", "operational", "a source reports it in use at that date"),
    EventKind("suspended", "Suspended", "suspended/cancelled", "work or use suspended"),
    EventKind("resumed", "Resumed", None, "work or use resumed after a suspension"),
    EventKind("cancelled", "Cancelled", "suspended/cancelled", "cancelled or terminated before completion"),
    EventKind("shut_down", "Shut down", "ended", "an operating system was shut down or closed"),
    EventKind("exited", "Vendor exited", "ended", "the Chinese vendor was removed, replaced or withdrew"),
)
EVENTS: dict[str, EventKind] = {kind.name: kind for kind in EVENT_KINDS}

TIE_KINDS: dict[str, str] = {
    "standards_cooperation": "Standards cooperation agreement",
    "bri_standards_initiative": "2017 Belt and Road standards initiative",
    "mutual_recognition": "Mutual recognition",
    "digital_silk_road_mou": "Digital Silk Road / digital economy MoU",
    "ict_cooperation": "ICT cooperation agreement",
    "standard_adoption": "Adoption of Chinese standards",
}
TIE_STATUSES: tuple[str, ...] = ("announced", "signed", "renewed", "terminated")
DATE_BASES: tuple[str, ...] = ("source", "read")
RETIRE_REASONS: tuple[str, ...] = ("merged", "out of scope")


@dataclass(frozen=True)
class Column:
    """One column: ``kind`` says which rule checks it (see ``validate.COLUMN_RULES``).

    kinds: id, text, vocab, number, year, date, url, iso3, ref (an id of ``ref`` table), slug.
    ``multi`` columns hold several values joined by '; '. ``derived`` columns are written by
    ``dsr-map format`` from another table and checked against it.
    """

    name: str
    kind: str
    required: bool
    description: str
    multi: bool = False
    vocab: tuple[str, ...] = ()
    ref: str = ""
    bounds: tuple[float, float] | None = None
    positive: bool = False
    derived: bool = False


@dataclass(frozen=True)
class Table:
    file: str
    one_row_per: str
    id_column: str
    id_pattern: str
    id_example: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


PROJECTS = Table(
    "projects.csv",
    "project",
    "project_id",
    r"DSR-\d{4}",
    "DSR-0001",
    (
        Column("project_id", "id", True, "Stable id, DSR-NNNN; never reused."),
        Column("name", "text", True, "Short English name of the project."),
        Column(
            "country_iso3",
            "iso3",
            True,
            "ISO 3166-1 alpha-3 of the host country (or a project code from data/boundaries/SOURCE.md).",
        ),
        Column("city", "text", False, "City or site, where known; empty for national projects."),
        Column("latitude", "number", False, "WGS84 decimal degrees; empty for country-level rows.", bounds=(-90, 90)),
        Column(
            "longitude", "number", False, "WGS84 decimal degrees; empty for country-level rows.", bounds=(-180, 180)
        ),
        Column(
            "categories",
            "vocab",
            True,
            "One or more technology categories from the seed report.",
            multi=True,
            vocab=CATEGORIES,
        ),
        Column("project_type", "vocab", True, "One project type from the controlled list.", vocab=PROJECT_TYPES),
        Column(
            "scale",
            "vocab",
            True,
            "What kind of record: national, regional, city, site or product in use.",
            vocab=SCALES,
        ),
        Column("vendors", "ref", True, "Vendor ids from vendors.csv.", multi=True, ref="vendors.csv"),
        Column(
            "year",
            "year",
            False,
            "Year of the first event a source dates (derived from events.csv); empty where no page dates any step.",
            derived=True,
        ),
        Column(
            "status",
            "vocab",
            True,
            "State after the last event (derived from events.csv).",
            vocab=STATUSES,
            derived=True,
        ),
        Column(
            "status_as_of",
            "date",
            False,
            "Date of the last event, the latest dated evidence of the status (derived from events.csv).",
            derived=True,
        ),
        Column(
            "value_usd",
            "number",
            False,
            "Reported value in US dollars, where a source states one in dollars.",
            positive=True,
        ),
        Column("client", "text", False, "Host-side client or partner (ministry, city, operator), where named."),
        Column("financing", "text", False, "Financing as reported (e.g. a China Exim Bank loan)."),
        Column("certainty", "vocab", True, "confirmed, reported or alleged.", vocab=CERTAINTIES),
        Column("description", "text", True, "Own words, short and neutral: what the sources report."),
        Column("source_ids", "ref", True, "Source ids from sources.csv.", multi=True, ref="sources.csv"),
    ),
)
SOURCES = Table(
    "sources.csv",
    "source that was read",
    "source_id",
    r"S-\d{4}",
    "S-0001",
    (
        Column("source_id", "id", True, "Stable id, S-NNNN."),
        Column("publisher", "text", True, "Publisher or organisation."),
        Column(
            "title",
            "text",
            True,
            "Title of the page or document. Where the page showed none, a short title "
            "of ours marked `[descriptive title]`, or one read from the address marked `[title from URL]`.",
        ),
        Column("url", "url", True, "http(s) address that was read."),
        Column("published", "date", False, "YYYY, YYYY-MM or YYYY-MM-DD."),
        Column("accessed", "date", True, "YYYY-MM-DD when it was read."),
    ),
)
VENDORS = Table(
    "vendors.csv",
    "company",
    "vendor_id",
    r"[a-z0-9]+(-[a-z0-9]+)*",
    "china-mobile",
    (
        Column("vendor_id", "id", True, "Stable slug, e.g. huawei."),
        Column("name", "text", True, "Canonical name shown in filters and exports."),
        Column("short_name", "text", False, "Shorter name for charts and legends, where the canonical one is long."),
        Column("aliases", "text", False, "Other names (each resolves to this company only).", multi=True),
        Column("headquarters", "text", False, "City of headquarters."),
        Column(
            "ownership",
            "vocab",
            True,
            "state-owned, private, listed, listed, state-controlled or other.",
            vocab=OWNERSHIPS,
        ),
    ),
)
EVENTS_TABLE = Table(
    "events.csv",
    "dated step in a project's life",
    "event_id",
    r"EV-\d{5}",
    "EV-00001",
    (
        Column("event_id", "id", True, "Stable id, EV-NNNNN; a project's events in date order."),
        Column("project_id", "ref", True, "The project (projects.csv).", ref="projects.csv"),
        Column("date", "date", True, "YYYY, YYYY-MM or YYYY-MM-DD: as precise as the evidence, no more."),
        Column(
            "date_basis",
            "vocab",
            True,
            "source (the date the sources give for the step) or read (no page dates it: "
            "the date we read an undated page that reports it; such an event dates the status, not the year).",
            vocab=DATE_BASES,
        ),
        Column("event", "vocab", True, "What happened, from the event vocabulary.", vocab=tuple(EVENTS)),
        Column("description", "text", True, "Own words, short and neutral."),
        Column(
            "source_ids",
            "ref",
            True,
            "Sources that report the event (each also cited by the project).",
            multi=True,
            ref="sources.csv",
        ),
    ),
)
STANDARDS = Table(
    "standards.csv",
    "standards or Digital Silk Road tie between a country (or body) and China",
    "tie_id",
    r"ST-\d{4}",
    "ST-0001",
    (
        Column("tie_id", "id", True, "Stable id, ST-NNNN."),
        Column("country_iso3", "iso3", False, "The partner country (ISO3); empty when a regional body signed."),
        Column(
            "body_id",
            "ref",
            False,
            "The regional body (bodies.csv) when it, not one country, signed.",
            ref="bodies.csv",
        ),
        Column("kind", "vocab", True, "What kind of tie, from the tie vocabulary.", vocab=tuple(TIE_KINDS)),
        Column("counterpart", "text", True, "The body that signed for the partner."),
        Column("chinese_party", "text", True, "The Chinese body that signed (SAC, MIIT, NDRC, ...)."),
        Column(
            "year",
            "year",
            False,
            "Year it was signed or announced (empty where no page we read dates it).",
            bounds=(1949, 2100),
        ),
        Column("date", "date", False, "YYYY-MM or YYYY-MM-DD where a source gives it."),
        Column("status", "vocab", True, "announced, signed, renewed or terminated.", vocab=TIE_STATUSES),
        Column("description", "text", True, "Own words, short and neutral."),
        Column("source_ids", "ref", True, "Source ids from sources.csv.", multi=True, ref="sources.csv"),
    ),
)
BODIES = Table(
    "bodies.csv",
    "regional body that signs ties",
    "body_id",
    r"[a-z0-9]+(-[a-z0-9]+)*",
    "asean",
    (
        Column("body_id", "id", True, "Stable slug, e.g. asean."),
        Column("name", "text", True, "Name of the body."),
        Column(
            "members",
            "iso3",
            False,
            "Member countries (ISO3), as a page we read lists them; empty where no page we "
            "read lists them (the body's ties are then not drawn on the map).",
            multi=True,
        ),
        Column(
            "source_ids",
            "ref",
            True,
            "Sources for the membership (or, without members, for the body).",
            multi=True,
            ref="sources.csv",
        ),
    ),
)
FIGURES = Table(
    "standards_figures.csv",
    "headline figure on standards ties or standards leadership",
    "figure_id",
    r"SF-\d{2}",
    "SF-01",
    (
        Column("figure_id", "id", True, "Stable id, SF-NN."),
        Column("as_of", "date", True, "The date the figure describes (YYYY, YYYY-MM or YYYY-MM-DD)."),
        Column("figure", "number", True, "The number as the source states it.", positive=True),
        Column("unit", "text", True, "What is counted (agreements, countries, secretariats, ...)."),
        Column("measure", "text", True, "Own words: what the figure measures."),
        Column(
            "countries", "number", False, "Number of partner countries the source gives with it, if any.", positive=True
        ),
        Column("source_ids", "ref", True, "Source ids from sources.csv.", multi=True, ref="sources.csv"),
    ),
)
RETIRED = Table(
    "retired.csv",
    "project id no longer in projects.csv (never reused)",
    "project_id",
    r"DSR-\d{4}",
    "DSR-0001",
    (
        Column("project_id", "id", True, "The retired id; it is never reused."),
        Column("retired", "date", True, "YYYY-MM-DD it left projects.csv."),
        Column("reason", "vocab", True, "merged (a duplicate) or out of scope.", vocab=RETIRE_REASONS),
        Column(
            "successor", "ref", False, "For a merged duplicate: the project that carries it now.", ref="projects.csv"
        ),
        Column("note", "text", True, "Own words: why, with the evidence."),
    ),
)

TABLE_LIST: tuple[Table, ...] = (PROJECTS, SOURCES, VENDORS, EVENTS_TABLE, STANDARDS, BODIES, FIGURES, RETIRED)
TABLES: dict[str, Table] = {table.file: table for table in TABLE_LIST}
# Tables a data folder may lack (an older or smaller dataset): read as empty.
OPTIONAL_TABLES = frozenset({"events.csv", "standards.csv", "bodies.csv", "standards_figures.csv", "retired.csv"})

# The flat public column contract of CSV/GeoJSON exports, in this order; new columns are appended.
EXPORT_COLUMNS: tuple[str, ...] = (
    "project_id",
    "name",
    "country_iso3",
    "country",
    "city",
    "latitude",
    "longitude",
    "categories",
    "project_type",
    "vendors",
    "year",
    "status",
    "value_usd",
    "description",
    "source_urls",
    "source_titles",
)
EXPORT_EXTRA_COLUMNS: tuple[str, ...] = (
    "region",
    "subregion",
    "client",
    "financing",
    "certainty",
    "origin",
    "status_as_of",
    "first_event_year",
    "scale",
    "source_ids",
    "source_publishers",
)
STANDARDS_EXPORT_COLUMNS: tuple[str, ...] = (
    "tie_id",
    "country_iso3",
    "country",
    "body_id",
    "body",
    "kind",
    "kind_label",
    "counterpart",
    "chinese_party",
    "year",
    "date",
    "status",
    "description",
    "source_ids",
    "source_urls",
    "source_titles",
)
EVENTS_EXPORT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "project_id",
    "project",
    "country_iso3",
    "date",
    "precision",
    "date_basis",
    "event",
    "event_label",
    "state_after",
    "description",
    "source_ids",
    "source_urls",
)


def column_names(table: str) -> list[str]:
    return TABLES[table].names


def dictionary_markdown(table: Table) -> str:
    """The data-dictionary table of ``table`` as it stands in data/README.md."""
    lines = ["| column | required | meaning |", "| --- | --- | --- |"]
    for column in table.columns:
        meaning = column.description
        if column.multi:
            meaning += " Several values are joined by '; '."
        lines.append(f"| `{column.name}` | {'yes' if column.required else 'no'} | {meaning} |")
    return "\n".join(lines)
