"""Coverage figures of a prepared projects frame."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from .load import Dataset
from .schema import CATEGORIES

# The floors the dataset issue sets; ``stats`` shows whether each holds.
FLOORS = {
    "projects": 300,
    "countries": 80,
    "vendors": 25,
    "per_category": 20,
    "share_with_coordinates": 0.7,
    "standards_records": 60,
    "standards_countries": 45,
}


def _explode_counts(series: pd.Series) -> dict[str, int]:
    counter: Counter[str] = Counter()
    for values in series:
        counter.update(values)
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _counts(series: pd.Series) -> dict[str, int]:
    counts = series.astype(str).value_counts()
    return {str(k): int(v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


def compute_stats(projects: pd.DataFrame, dataset: Dataset) -> dict[str, Any]:
    total = len(projects)
    events = dataset.events
    with_events = projects["project_id"].isin(set(events["project_id"]))
    as_of_years = pd.to_numeric(projects["status_as_of"].str[:4], errors="coerce").dropna()
    standards = dataset.standards
    direct = set(standards.loc[standards["country_iso3"] != "", "country_iso3"])

    def share(mask: pd.Series) -> float:
        return round(float(mask.mean()), 3) if total else 0.0

    located = projects["latitude"].notna() & projects["longitude"].notna()
    by_category = _explode_counts(projects["categories"])
    vendors_used = _explode_counts(projects["vendors"])
    stats: dict[str, Any] = {
        "data_version": dataset.version,
        "projects": total,
        "countries": int(projects["country_iso3"].nunique()),
        "vendors": len(vendors_used),
        "vendors_listed": len(dataset.vendors),
        "sources": len(dataset.sources),
        "sources_cited": len({s for ids in projects["source_ids"] for s in ids}),
        "boundary_countries": len(dataset.world),
        "share_with_coordinates": share(located),
        "share_with_city": share(projects["city"] != ""),
        "share_with_year": share(projects["year"].notna()),
        "share_with_value": share(projects["value_usd"].notna()),
        "by_category": {c: by_category.get(c, 0) for c in CATEGORIES},
        "by_vendor": vendors_used,
        "by_region": _counts(projects["region"]),
        "by_subregion": _counts(projects["subregion"]),
        "by_year": {
            str(k): int(v) for k, v in projects["year"].dropna().astype(int).value_counts().sort_index().items()
        },
        "by_status": _counts(projects["status"]),
        "by_project_type": _counts(projects["project_type"]),
        "by_certainty": _counts(projects["certainty"]),
        "by_country": _counts(projects["country_iso3"]),
        "by_scale": _counts(projects["scale"]),
        "events": len(events),
        "projects_with_events_share": share(with_events),
        "status_as_of_median_year": int(as_of_years.median()) if len(as_of_years) else None,
        "by_event": _counts(events["event"]),
        "standards_records": len(standards),
        "standards_countries": len(direct),
        "standards_bodies": int((standards["body_id"] != "").sum()),
        "by_tie_kind": _counts(standards["kind"]),
        "standards_figures": len(dataset.figures),
        "retired_ids": len(dataset.retired),
    }
    stats["floors"] = {
        "projects": stats["projects"] >= FLOORS["projects"],
        "countries": stats["countries"] >= FLOORS["countries"],
        "vendors": stats["vendors"] >= FLOORS["vendors"],
        "per_category": all(v >= FLOORS["per_category"] for v in stats["by_category"].values()),
        # on the exact share, not the rounded figure shown (0.6996 shows as 0.700 but is short)
        "share_with_coordinates": total > 0 and int(located.sum()) >= FLOORS["share_with_coordinates"] * total,
        "standards_records": stats["standards_records"] >= FLOORS["standards_records"],
        "standards_countries": stats["standards_countries"] >= FLOORS["standards_countries"],
        "every_project_has_events": total > 0 and bool(with_events.all()),
    }
    return stats


def format_stats(stats: dict) -> str:
    lines = [f"DSR Map data {stats['data_version']}"]
    for key in (
        "projects",
        "countries",
        "vendors",
        "vendors_listed",
        "sources",
        "sources_cited",
        "boundary_countries",
        "share_with_coordinates",
        "share_with_city",
        "share_with_year",
        "share_with_value",
        "events",
        "projects_with_events_share",
        "status_as_of_median_year",
        "standards_records",
        "standards_countries",
    ):
        lines.append(f"  {key:<24} {stats[key]}")
    for key in (
        "by_category",
        "by_region",
        "by_status",
        "by_scale",
        "by_project_type",
        "by_certainty",
        "by_vendor",
        "by_year",
        "by_event",
        "by_tie_kind",
    ):
        lines.append(f"  {key}:")
        lines += [f"    {name:<32} {count}" for name, count in stats[key].items()]
    lines.append("  floors: " + ", ".join(f"{k} {'ok' if v else 'NOT MET'}" for k, v in stats["floors"].items()))
    return "\n".join(lines)
