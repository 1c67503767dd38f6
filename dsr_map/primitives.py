"""Small shared primitives with no project imports: multi-values, URLs, numbers, dates, names.

Every other module may import this one; it imports nothing from the package, so no module
needs a lazy import to dodge a cycle.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlparse

MULTI_SEP = "; "
# Export options, one definition for the CLI, the app and the renderers (the CLI reads them without
# importing the export chain).
EXPORT_FORMATS = ("png", "svg", "pdf", "gif", "html", "csv", "geojson", "datapackage")
EXPORT_TABLES = ("projects", "events", "standards")
DPI_RANGE = (72, 600)
SIZE_RANGE = (600, 6000)
TITLE_MAX_CHARS = 150
DATE_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?"
_DATE_RE = re.compile(DATE_PATTERN)
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")


def split_multi(value: object) -> list[str]:
    """'a; b;c' -> ['a', 'b', 'c']; empty parts dropped."""
    return [part.strip() for part in str(value).split(";") if part.strip()]


def join_multi(values) -> str:
    """The canonical '; '-joined form of several values (empty ones dropped)."""
    return MULTI_SEP.join(str(v) for v in values if str(v))


@lru_cache(maxsize=65536)
def is_http_url(value: str) -> bool:
    """True for absolute http:// or https:// addresses with a host; refuses javascript:, data:, ..."""
    text = str(value).strip()
    if not text or _SPACE_OR_CONTROL.search(text):
        return False
    parsed = urlparse(text)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def finite_number(text: object) -> float | None:
    """The finite number written in ``text`` (commas as thousands separators allowed), else None.

    'inf', 'nan', '1e999' and words are not numbers here."""
    raw = str(text).strip().replace(",", "")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def whole_year(text: object, first: int, last: int) -> int | None:
    """The year written as exactly four ASCII digits within first..last, else None.

    (``str.isdigit`` accepts superscripts and other scripts; this does not.)"""
    raw = str(text).strip()
    if not re.fullmatch(r"[0-9]{4}", raw, flags=re.ASCII):
        return None
    year = int(raw)
    return year if first <= year <= last else None


def parse_date(text: str) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) covered by 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; None if not a real date."""
    raw = str(text).strip()
    if not _DATE_RE.fullmatch(raw):
        return None
    parts = [int(p) for p in raw.split("-")]
    try:
        if len(parts) == 1:
            return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
        if len(parts) == 2:
            start = dt.date(parts[0], parts[1], 1)
            following = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return start, following - dt.timedelta(days=1)
        day = dt.date(*parts)
    except ValueError:
        return None
    return day, day


def date_precision(text: str) -> str:
    """'year', 'month' or 'day' for a date written as 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'."""
    return {1: "year", 2: "month", 3: "day"}.get(len(str(text).strip().split("-")), "")


def normalise_name(name: object) -> str:
    """Case-, accent- and spacing-insensitive form of a name, for look-ups."""
    text = str(name).replace("\u2019", "'").replace("\u2018", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", text).strip().casefold()


def plural(count: int, word: str, plural_word: str | None = None) -> str:
    """'1 project', '2 projects', '1,324 sources'."""
    return f"{count:,} {word if count == 1 else (plural_word or word + 's')}"
