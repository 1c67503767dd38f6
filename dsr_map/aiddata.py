"""Import AidData's Global Chinese Development Finance (GCDF) records as projects.

Reads the column layout of GCDF 2.0/3.0 and its Global Huawei Finance table. A record becomes a
project when it is in the Communications sector (code 220) or names a known vendor in its title,
description or implementing agencies. Each project credits AidData and keeps the record id; the
record's own source URLs (http(s) only) are listed after it. Licence of the data: ODC-By 1.0.
"""

from __future__ import annotations

import re

import pandas as pd

from .countries import display_name, to_iso3
from .errors import Problem
from .join import PREPARED_COLUMNS
from .load import Dataset
from .primitives import is_http_url, split_multi
from .validate import year_of

ORIGIN = "AidData import"
DATASET_URL = (
    "https://github.com/aiddata/gcdf-geospatial-data/blob/f04466ef88d47cc12a6590be1f5cfda7728cec2e/"
    "input_data/2.0release/AidDatasGlobalHuaweiFinanceDataset.xlsx"
)
ID_COLUMNS = ("AidData TUFF Project ID", "AidData Record ID", "AidData Project ID")
SECTOR_CODE = ("AidData Sector Code", "Sector Code")
SECTOR_NAME = ("AidData Sector Name", "Sector Name")
AMOUNT_USD = ("Amount (Nominal)", "Amount (Nominal USD)")
COMMUNICATIONS = "220"
STATUS = {
    "completion": "operational",
    "implementation": "under construction",
    "pipeline: commitment": "contracted",
    "pipeline: pledge": "announced/MoU",
    "cancelled": "suspended/cancelled",
    "suspended": "suspended/cancelled",
}
# keyword (regex) -> (category, project type); first match gives the type
KEYWORDS: tuple[tuple[str, str, str], ...] = (
    (r"safe city|cctv|surveillance|video monitor|facial", "Surveillance", "Safe City"),
    (r"data cent(er|re)|cloud|server", "Big Data", "Data centre"),
    (r"e-government|egovernment|e-gov", "Integrated Platforms", "Cloud / e-government"),
    (r"smart meter|smart grid|metering|solar|electricity", "Energy", "Smart grid / meters"),
    (r"payment|mobile money|e-wallet|banking", "Fintech", "Payment platform"),
    (r"traffic|street ?light|parking", "Municipal Services", "Traffic system"),
    (r"submarine|undersea", "Network Infrastructure", "Submarine cable"),
    (r"fib(er|re)|backbone|optical", "Network Infrastructure", "Backbone / fibre"),
    (r"\b(2g|3g|4g|5g|lte|gsm|cdma|mobile network|base station|wimax)\b", "Network Infrastructure", "Mobile network"),
)


def is_aiddata_layout(header: list[str]) -> bool:
    return any(column in header for column in ID_COLUMNS) and "Recipient" in header


def _pick(record: dict[str, str], names: tuple[str, ...]) -> str:
    return next((str(record.get(n) or "").strip() for n in names if n in record), "")


def _vendor_matcher(dataset: Dataset) -> list[tuple[re.Pattern[str], str]]:
    """One pattern per company name (id, name, short name, alias of 3+ characters), longest first."""
    matchers = []
    for vendor in dataset.vendors.itertuples():
        names = {vendor.name, vendor.vendor_id.replace("-", " "), getattr(vendor, "short_name", "")} | set(
            split_multi(vendor.aliases)
        )
        for name in sorted((n.strip() for n in names if len(n.strip()) > 2), key=len, reverse=True):
            matchers.append((re.compile(r"\b" + re.escape(name) + r"\b", re.IGNORECASE), vendor.name))
    return sorted(matchers, key=lambda m: -len(m[0].pattern))


def vendors_named(text: str, matchers: list[tuple[re.Pattern[str], str]]) -> list[str]:
    """Companies named in ``text``; a name inside a longer company name's match does not count
    ("China Mobile" inside "China Mobile International" credits only the longer one's company)."""
    taken: list[tuple[int, int]] = []
    found: set[str] = set()
    for pattern, name in matchers:
        for match in pattern.finditer(text):
            span = match.span()
            if any(a <= span[0] and span[1] <= b for a, b in taken):
                continue
            taken.append(span)
            found.add(name)
    return sorted(found)


def import_records(
    filename: str,
    header: list[str],
    rows: list[list[str]],
    dataset: Dataset,
) -> tuple[pd.DataFrame, list[Problem], int]:
    """(prepared projects, problems, records skipped as out of scope)."""
    matchers = _vendor_matcher(dataset)
    world = dataset.world.set_index("iso3")
    records, problems, skipped = [], [], 0
    for number, raw in enumerate(rows, start=2):
        record = dict(zip(header, ("" if v is None else str(v) for v in raw)))
        record_id = _pick(record, ID_COLUMNS)
        text = " ".join(record.get(k, "") for k in ("Title", "Description", "Implementing Agencies"))
        vendors = vendors_named(text, matchers)
        sector = _pick(record, SECTOR_CODE)
        in_scope = sector.split(".")[0] == COMMUNICATIONS or "communication" in _pick(record, SECTOR_NAME).lower()
        if not (in_scope or vendors):
            skipped += 1
            continue
        label = f"row {number}"
        if not record_id:
            problems.append(Problem(filename, label, ID_COLUMNS[0], "record id is empty"))
            continue
        iso3 = to_iso3(record.get("Recipient", ""))
        if iso3 is None or iso3 not in world.index:
            problems.append(
                Problem(filename, label, "Recipient", f"unknown recipient {record.get('Recipient', '')[:60]!r}")
            )
            continue
        year = year_of(record.get("Commitment Year", "").split(".")[0])
        lowered = text.lower()
        categories, project_type = [], "Other"
        for pattern, category, kind in KEYWORDS:
            if re.search(pattern, lowered):
                if category not in categories:
                    categories.append(category)
                if project_type == "Other":
                    project_type = kind
        if not categories:
            categories = ["Network Infrastructure"]
        urls = [u.strip() for u in record.get("Source URLs", "").split("|") if is_http_url(u.strip())]
        titles = [t.strip() for t in record.get("Source Titles", "").split("|")]
        amount = pd.to_numeric(_pick(record, AMOUNT_USD), errors="coerce")
        records.append(
            {
                "project_id": f"AID-{record_id}",
                "name": record.get("Title", "")[:300] or f"AidData record {record_id}",
                "country_iso3": iso3,
                "country": display_name(iso3),
                "region": world.at[iso3, "region"],
                "subregion": world.at[iso3, "subregion"],
                "city": "",
                "latitude": float("nan"),
                "longitude": float("nan"),
                "categories": tuple(categories),
                "project_type": project_type,
                "vendor_ids": tuple(vendors),
                "vendors": tuple(vendors) or ("not named in the record",),
                "year": year,
                "first_event_year": None,
                "scale": "",
                "status_as_of": "",
                "status": STATUS.get(record.get("Status", "").strip().lower(), "unknown"),
                "value_usd": float(amount)
                if pd.notna(amount) and str(record.get("Original Currency", "USD")).upper() in ("USD", "")
                else float("nan"),
                "client": record.get("Receiving Agencies", "")[:200],
                "financing": " ".join(
                    v for v in (record.get("Flow Type", ""), record.get("Funding Agencies", "")) if v
                )[:200],
                "certainty": "confirmed" if record.get("Status", "").lower() == "completion" else "reported",
                "description": record.get("Description", "")[:1500],
                "source_ids": (),
                "source_urls": (DATASET_URL, *urls),
                "source_titles": (
                    f"AidData GCDF record {record_id}",
                    *[(titles[i] if i < len(titles) and titles[i] else u) for i, u in enumerate(urls)],
                ),
                "source_publishers": ("AidData", *["" for _ in urls]),
                "origin": ORIGIN,
            }
        )
    frame = pd.DataFrame(records, columns=list(PREPARED_COLUMNS))
    if len(frame):
        frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    return frame, problems, skipped
