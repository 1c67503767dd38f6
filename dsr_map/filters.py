"""Selection: what the user filtered, shared by the app, the URL and the CLI export.

A Selection is frozen and hashable (a cache key). ``apply_selection`` is pure. Within one field
values are alternatives (OR); across fields they all apply (AND). ``as_of`` first turns the
projects into the world as it stood at the end of that year (projects that existed then, with the
status they had), then the other filters apply to that view.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .countries import display_name
from .primitives import whole_year
from .resolve import Resolver, UnknownValue
from .schema import FIRST_YEAR

# URL key -> Selection field. Repeatable keys; values as displayed (ISO3 for country), or as typed.
URL_KEYS: dict[str, str] = {
    "category": "categories",
    "vendor": "vendors",
    "country": "countries",
    "region": "regions",
    "status": "statuses",
    "type": "project_types",
    "scale": "scales",
    "year_from": "year_from",
    "year_to": "year_to",
    "undated": "include_undated",
    "as_of": "as_of",
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
    "scales": "scale",
}
FIELD_LABELS: dict[str, str] = {
    "categories": "Category",
    "vendors": "Company",
    "countries": "Country",
    "regions": "Region",
    "statuses": "Status",
    "project_types": "Type",
    "scales": "Scale",
}
MULTI_VALUED = {"categories", "vendors"}
SEARCH_COLUMNS = ("name", "description", "city", "country", "vendors", "source_titles", "client")
MAX_SEARCH = 200
MAX_URL_VALUES = 50


@dataclass(frozen=True)
class Selection:
    categories: tuple[str, ...] = ()
    vendors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    project_types: tuple[str, ...] = ()
    scales: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    include_undated: bool = False  # with a year bound: keep projects that have no year
    as_of: int | None = None
    search: str = ""

    def is_empty(self) -> bool:
        return self == Selection()

    def describe(self) -> str:
        """Human-readable list of the active filters ('All projects' when none)."""
        parts = []
        for name, label in FIELD_LABELS.items():
            values = getattr(self, name)
            if name == "countries":
                values = tuple(display_name(v) for v in values)
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        if self.year_from is not None or self.year_to is not None:
            undated = " (and undated)" if self.include_undated else ""
            parts.append(f"Years: {self.year_from or '…'}–{self.year_to or '…'}{undated}")
        if self.as_of is not None:
            parts.append(f"As of: end of {self.as_of}")
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


def apply_selection(
    projects: pd.DataFrame, selection: Selection, *, events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The rows of ``projects`` that match every active filter of ``selection``.

    With ``as_of``, ``events`` (events.csv) give each project's state at the end of that year."""
    if selection.as_of is not None:
        from .lifecycle import as_of, year_end

        projects = as_of(projects, events if events is not None else _no_events(), year_end(selection.as_of))
    mask = pd.Series(True, index=projects.index)
    for name, column in FIELD_COLUMN.items():
        wanted = getattr(selection, name)
        if wanted:
            mask &= _matches_any(projects[column], set(wanted), name in MULTI_VALUED)
    years = projects["year"]
    undated = years.isna()
    if selection.year_from is not None:
        mask &= (years >= selection.year_from).fillna(False).astype(bool) | (undated & selection.include_undated)
    if selection.year_to is not None:
        mask &= (years <= selection.year_to).fillna(False).astype(bool) | (undated & selection.include_undated)
    if selection.search.strip():
        mask &= _search_mask(projects, selection.search.strip())
    return projects[mask]


def _no_events() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=str) for c in ("event_id", "project_id", "date", "event")})


def undated_left_out(projects: pd.DataFrame, selection: Selection) -> int:
    """How many undated projects a year bound leaves out (0 without a bound or when they are kept)."""
    if selection.include_undated or (selection.year_from is None and selection.year_to is None):
        return 0
    return int(projects["year"].isna().sum())


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
    for url_key, name in URL_KEYS.items():
        value = getattr(selection, name)
        if isinstance(value, bool):
            if value and (selection.year_from is not None or selection.year_to is not None):
                params[url_key] = ["1"]
        elif isinstance(value, tuple) and value:
            params[url_key] = list(value)
        elif isinstance(value, int):
            params[url_key] = [str(value)]
        elif isinstance(value, str) and value:
            params[url_key] = [value]
    return params


def from_query_params(params: Mapping[str, Sequence[str] | str], resolver: Resolver) -> tuple[Selection, list[str]]:
    """Selection from URL parameters, and a notice for every value that was not understood.

    Values resolve as users type them (``resolve``); unknown ones are left out with a notice that
    names them and suggests the closest valid values. Never raises."""
    kwargs: dict[str, object] = {}
    notices: list[str] = []
    last_year = dt.date.today().year
    for url_key, name in URL_KEYS.items():
        raw = params.get(url_key)
        if raw is None:
            continue
        values = [raw] if isinstance(raw, str) else [str(v) for v in raw]
        values = [v[:MAX_SEARCH] for v in values[:MAX_URL_VALUES]]
        if not values:
            continue
        if name in FIELD_COLUMN:
            kept, errors = resolver.resolve_all(name, values)
            notices += [str(e) for e in errors]
            if kept:
                kwargs[name] = kept
        elif name in ("year_from", "year_to", "as_of"):
            year = whole_year(values[0], FIRST_YEAR, last_year)
            if year is None:
                notices.append(f"ignored {url_key}={values[0][:20]!r}: not a year from {FIRST_YEAR} to {last_year}")
            else:
                kwargs[name] = year
        elif name == "include_undated":
            kwargs[name] = values[0].strip().lower() in ("1", "true", "yes", "include")
        elif name == "search":
            kwargs[name] = values[0].strip()
    if kwargs.get("year_from") and kwargs.get("year_to") and kwargs["year_from"] > kwargs["year_to"]:  # type: ignore[operator]
        notices.append("ignored the year range: year_from is after year_to")
        kwargs.pop("year_from")
        kwargs.pop("year_to")
    return Selection(**kwargs), notices  # type: ignore[arg-type]


def selection_from_names(resolver: Resolver, **values: Sequence[str]) -> Selection:
    """A Selection from names as typed (CLI): raises UnknownValue naming the first unknown value."""
    kwargs: dict[str, Any] = {}
    for name, typed in values.items():
        kept, errors = resolver.resolve_all(name, typed)
        if errors:
            raise errors[0]
        if kept:
            kwargs[name] = kept
    return Selection(**kwargs)


__all__ = ["Selection", "UnknownValue", "apply_selection", "choices", "from_query_params", "to_query_params"]
