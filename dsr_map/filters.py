"""Selection: what the user filtered, shared by the app, the URL and the CLI export.

A Selection is frozen and hashable (a cache key). ``apply_selection`` is pure. Within one field
values are alternatives (OR); across fields they all apply (AND).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace

import pandas as pd

# URL key -> Selection field. Repeatable keys; values as displayed (ISO3 for country).
URL_KEYS: dict[str, str] = {
    "category": "categories",
    "vendor": "vendors",
    "country": "countries",
    "region": "regions",
    "status": "statuses",
    "type": "project_types",
    "year_from": "year_from",
    "year_to": "year_to",
    "q": "search",
}
# Selection field -> column of the prepared frame it filters.
FIELD_COLUMN: dict[str, str] = {
    "categories": "categories",
    "vendors": "vendors",
    "countries": "country_iso3",
    "regions": "region",
    "statuses": "status",
    "project_types": "project_type",
}
MULTI_VALUED = {"categories", "vendors"}
SEARCH_COLUMNS = ("name", "description", "city", "country", "vendors", "source_titles", "client")
MAX_SEARCH = 200


@dataclass(frozen=True)
class Selection:
    categories: tuple[str, ...] = ()
    vendors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    project_types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    search: str = ""

    def is_empty(self) -> bool:
        return self == Selection()

    def describe(self) -> str:
        """Human-readable list of the active filters ('All projects' when none)."""
        parts = []
        labels = {"categories": "Category", "vendors": "Company", "countries": "Country", "regions": "Region",
                  "statuses": "Status", "project_types": "Type"}
        from .countries import display_name

        for name, label in labels.items():
            values = getattr(self, name)
            if name == "countries":
                values = tuple(display_name(v) for v in values)
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        if self.year_from is not None or self.year_to is not None:
            parts.append(f"Years: {self.year_from or '…'}–{self.year_to or '…'}")
        if self.search:
            parts.append(f'Search: "{self.search}"')
        return "; ".join(parts) if parts else "All projects"


def _matches_any(column: pd.Series, wanted: set[str], multi: bool) -> pd.Series:
    if multi:
        return column.map(lambda values: not wanted.isdisjoint(values))
    return column.isin(wanted)


def _search_mask(projects: pd.DataFrame, text: str) -> pd.Series:
    needle = text.casefold()
    mask = pd.Series(False, index=projects.index)
    for column in SEARCH_COLUMNS:
        values = projects[column].map(lambda v: " ".join(v) if isinstance(v, tuple) else str(v))
        mask |= values.str.casefold().str.contains(needle, regex=False)
    return mask


def apply_selection(projects: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """The rows of ``projects`` that match every active filter of ``selection``."""
    mask = pd.Series(True, index=projects.index)
    for name, column in FIELD_COLUMN.items():
        wanted = getattr(selection, name)
        if wanted:
            mask &= _matches_any(projects[column], set(wanted), name in MULTI_VALUED)
    years = projects["year"]
    if selection.year_from is not None:
        mask &= (years >= selection.year_from).fillna(False).astype(bool)
    if selection.year_to is not None:
        mask &= (years <= selection.year_to).fillna(False).astype(bool)
    if selection.search.strip():
        mask &= _search_mask(projects, selection.search.strip())
    return projects[mask]


def choices(projects: pd.DataFrame) -> dict[str, list[tuple[str, int]]]:
    """For each list field, the values present in ``projects`` with their counts (most first)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for name, column in FIELD_COLUMN.items():
        counter: Counter[str] = Counter()
        if name in MULTI_VALUED:
            for values in projects[column]:
                counter.update(set(values))
        else:
            counter.update(projects[column].astype(str))
        counter.pop("", None)
        out[name] = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return out


def year_bounds(projects: pd.DataFrame) -> tuple[int, int] | None:
    years = projects["year"].dropna()
    return (int(years.min()), int(years.max())) if len(years) else None


def to_query_params(selection: Selection) -> dict[str, list[str]]:
    """URL state: repeatable keys, only for active filters."""
    params: dict[str, list[str]] = {}
    for key, name in URL_KEYS.items():
        value = getattr(selection, name)
        if isinstance(value, tuple) and value:
            params[key] = list(value)
        elif isinstance(value, int):
            params[key] = [str(value)]
        elif isinstance(value, str) and value:
            params[key] = [value]
    return params


def from_query_params(params: Mapping[str, Sequence[str] | str], projects: pd.DataFrame) -> Selection:
    """Selection from URL parameters; values not present in the data are ignored, never an error."""
    present = {name: {value for value, _ in values} for name, values in choices(projects).items()}
    kwargs: dict[str, object] = {}
    for key, name in URL_KEYS.items():
        raw = params.get(key)
        if raw is None:
            continue
        values = [raw] if isinstance(raw, str) else [str(v) for v in raw]
        if name in present:
            kept = tuple(dict.fromkeys(v for v in values if v in present[name]))
            if kept:
                kwargs[name] = kept
        elif name in ("year_from", "year_to"):
            year = next((int(v) for v in values if v.strip().isdigit() and 1900 <= int(v) <= 2100), None)
            if year is not None:
                kwargs[name] = year
        elif name == "search" and values:
            kwargs[name] = values[0][:MAX_SEARCH]
    return Selection(**kwargs)


def selection_fields() -> list[str]:
    return [f.name for f in fields(Selection)]


def with_country(selection: Selection, iso3: str) -> Selection:
    return replace(selection, countries=(iso3,))
