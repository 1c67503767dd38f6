"""Names as users type them -> the values the data uses, for the CLI, the URL and uploads alike.

Matching ignores case, accents, spacing and punctuation ("huawei", "HUAWEI", "Huawei Technologies"
are one company; "ken", "KE", "Kenya" one country). Companies resolve through their id, name,
short name and aliases (vendors.csv); countries through ISO codes, English names and the curated
alias table (countries.py). No fuzzy guessing: an unknown value is an error that names it and
suggests the closest valid values.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .countries import display_name, to_iso3
from .primitives import normalise_name, split_multi
from .schema import CATEGORIES, PROJECT_TYPES, SCALES, STATUSES, TIE_KINDS

FIELD_LABELS = {
    "categories": "category",
    "vendors": "company",
    "countries": "country",
    "regions": "region",
    "statuses": "status",
    "project_types": "project type",
    "scales": "scale",
    "tie_kinds": "tie kind",
}
# Extra spellings of statuses (normalised) -> status.
STATUS_ALIASES = {
    "announced": "announced/MoU",
    "mou": "announced/MoU",
    "suspended": "suspended/cancelled",
    "cancelled": "suspended/cancelled",
    "canceled": "suspended/cancelled",
    "pilot": "pilot/trial",
    "trial": "pilot/trial",
    "test": "pilot/trial",
    "live": "operational",
    "shut down": "ended",
}


def key(text: object) -> str:
    """The matching form: normalised name with punctuation as spaces ('Safe-City' -> 'safe city')."""
    return re.sub(r"[^a-z0-9]+", " ", normalise_name(text).replace("&", " and ")).strip()


class UnknownValue(ValueError):
    """A value that names nothing in the data; ``suggestions`` are the closest valid values."""

    def __init__(self, field_name: str, value: str, suggestions: list[str], valid: list[str]) -> None:
        self.field = field_name
        self.value = value
        self.suggestions = suggestions
        label = FIELD_LABELS.get(field_name, field_name)
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        if not suggestions and len(valid) <= 12:
            hint = f"; valid values: {', '.join(valid)}"
        super().__init__(f"unknown {label} {value[:80]!r}{hint}")


@dataclass
class Resolver:
    """Look-up tables per field: matching key -> canonical value, and the canonical values to suggest."""

    lookups: dict[str, dict[str, str]] = field(default_factory=dict)
    shown: dict[str, list[str]] = field(default_factory=dict)

    def add(self, field_name: str, canonical: str, *names: str) -> None:
        table = self.lookups.setdefault(field_name, {})
        for name in (canonical, *names):
            if name and key(name) and key(name) not in table:
                table[key(name)] = canonical
        values = self.shown.setdefault(field_name, [])
        if canonical not in values:
            values.append(canonical)

    def resolve(self, field_name: str, value: str) -> str:
        """The canonical value for ``value``, or UnknownValue with suggestions."""
        table = self.lookups.get(field_name, {})
        found = table.get(key(value))
        if found is not None:
            return found
        if field_name == "countries":
            iso3 = to_iso3(value)
            if iso3 is not None and iso3 in table.values():
                return iso3
        raise UnknownValue(field_name, str(value), self.suggest(field_name, value), self._valid(field_name))

    def resolve_all(self, field_name: str, values: Iterable[str]) -> tuple[tuple[str, ...], list[UnknownValue]]:
        """Canonical values (duplicates dropped, order kept) and an error for each unknown one."""
        found: list[str] = []
        errors: list[UnknownValue] = []
        for value in values:
            try:
                found.append(self.resolve(field_name, value))
            except UnknownValue as exc:
                errors.append(exc)
        return tuple(dict.fromkeys(found)), errors

    def suggest(self, field_name: str, value: str, n: int = 3) -> list[str]:
        table = self.lookups.get(field_name, {})
        close = difflib.get_close_matches(key(value), list(table), n=n * 3, cutoff=0.6)
        if not close and key(value):
            close = [k for k in table if k.startswith(key(value)) or key(value) in k.split()][: n * 3]
        named = list(dict.fromkeys(self.display(field_name, table[k]) for k in close))
        return named[:n]

    def display(self, field_name: str, canonical: str) -> str:
        return f"{display_name(canonical)} ({canonical})" if field_name == "countries" else canonical

    def _valid(self, field_name: str) -> list[str]:
        return [self.display(field_name, v) for v in self.shown.get(field_name, [])]


def build_resolver(
    vendors, world_codes: Iterable[str], regions: Iterable[str], *, extra_vendors: Iterable[str] = ()
) -> Resolver:
    """The resolver for a dataset: its vendors, the countries of its boundaries and its regions.

    ``extra_vendors`` are free-text company names present in uploads (kept as typed)."""
    resolver = Resolver()
    for name in CATEGORIES:
        resolver.add("categories", name)
    for name in PROJECT_TYPES:
        resolver.add("project_types", name)
    for name in SCALES:
        resolver.add("scales", name)
    for name, label in TIE_KINDS.items():
        resolver.add("tie_kinds", name, label)
    for status in STATUSES:
        resolver.add("statuses", status)
    for alias, status in STATUS_ALIASES.items():
        resolver.add("statuses", status, alias)
    for row in vendors.itertuples():
        resolver.add("vendors", row.name, row.vendor_id, getattr(row, "short_name", ""), *split_multi(row.aliases))
    for name in extra_vendors:
        resolver.add("vendors", name)
    for code in sorted(set(world_codes)):
        resolver.add("countries", code, display_name(code))
    for region in sorted(set(regions) - {""}):
        resolver.add("regions", region)
    return resolver
