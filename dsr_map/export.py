"""Exports of a filtered view: CSV, GeoJSON, standalone HTML, PNG/SVG/PDF.

Every export names the data version, the selection, the date and the attributions.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from .filters import Selection
from .fmt import to_csv_text
from .join import count_by_country
from .render import build_map
from .schema import EXPORT_COLUMNS, EXPORT_EXTRA_COLUMNS, MULTI_SEP
from .static import Caption, draw_map, render_image

FORMATS = ("png", "svg", "pdf", "html", "csv", "geojson")
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "html": "text/html",
        "csv": "text/csv", "geojson": "application/geo+json"}
DATA_LICENCE = "CC BY 4.0 (DSR Map data); boundaries Natural Earth (public domain)"
SEED_CREDIT = "Seed: Asia Society Policy Institute, Stacking the Deck (2021)"


@dataclass(frozen=True)
class Snapshot:
    """What an export shows and says about itself."""

    selection: Selection = field(default_factory=Selection)
    version: str = "unversioned"
    title: str = ""
    exported: dt.date = field(default_factory=dt.date.today)

    def heading(self) -> str:
        if self.title:
            return self.title
        return "DSR Map: China's Digital Silk Road projects" + (
            "" if self.selection.is_empty() else f" — {self.selection.describe()}")

    def filters_line(self, count: int) -> str:
        return f"Filters: {self.selection.describe()} · {count} project{'s' if count != 1 else ''}"

    def footer(self, projects: pd.DataFrame) -> str:
        credits = ["Data: DSR Map v" + self.version, f"exported {self.exported.isoformat()}",
                   "Boundaries: Natural Earth", SEED_CREDIT]
        if uses_aiddata(projects):
            credits.append("AidData Global Huawei Finance Dataset (ODC-By)")
        return " · ".join(credits)


def uses_aiddata(projects: pd.DataFrame) -> bool:
    return any(p == "AidData" for pubs in projects.get("source_publishers", []) for p in pubs)


def export_frame(projects: pd.DataFrame) -> pd.DataFrame:
    """The flat public column contract, in order, then the extra columns."""
    def joined(values: tuple[str, ...]) -> str:
        return MULTI_SEP.join(v for v in values if v)

    out = pd.DataFrame({
        "project_id": projects["project_id"],
        "name": projects["name"],
        "country_iso3": projects["country_iso3"],
        "country": projects["country"],
        "city": projects["city"],
        "latitude": projects["latitude"],
        "longitude": projects["longitude"],
        "categories": projects["categories"].map(joined),
        "project_type": projects["project_type"],
        "vendors": projects["vendors"].map(joined),
        "year": projects["year"],
        "status": projects["status"],
        "value_usd": projects["value_usd"],
        "description": projects["description"],
        "source_urls": projects["source_urls"].map(joined),
        "source_titles": projects["source_titles"].map(joined),
    })
    for column in EXPORT_EXTRA_COLUMNS:
        out[column] = projects[column] if column in projects else ""
    assert tuple(out.columns[: len(EXPORT_COLUMNS)]) == EXPORT_COLUMNS
    return out.reset_index(drop=True)


def _cell(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    return str(value)


def to_csv(projects: pd.DataFrame) -> bytes:
    frame = export_frame(projects).map(_cell)
    return to_csv_text(frame).encode("utf-8")


def to_geojson(projects: pd.DataFrame, snapshot: Snapshot) -> bytes:
    """FeatureCollection: points where coordinates exist, null geometry otherwise; metadata on top."""
    frame = export_frame(projects)
    features = []
    for record in frame.to_dict("records"):
        lat, lon = record["latitude"], record["longitude"]
        has_point = not (pd.isna(lat) or pd.isna(lon))
        props = {k: (None if _cell(v) == "" else (v if isinstance(v, (int, float, str)) and not pd.isna(v) else _cell(v)))
                 for k, v in record.items()}
        if props.get("year") is not None:
            props["year"] = int(props["year"])
        features.append({
            "type": "Feature", "id": record["project_id"],
            "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]} if has_point else None,
            "properties": props,
        })
    collection = {
        "type": "FeatureCollection",
        "properties": {
            "title": snapshot.heading(),
            "filters": snapshot.selection.describe(),
            "data_version": snapshot.version,
            "exported": snapshot.exported.isoformat(),
            "licence": DATA_LICENCE,
            "attribution": snapshot.footer(projects),
            "columns": list(frame.columns),
        },
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def to_html(projects: pd.DataFrame, world: gpd.GeoDataFrame, snapshot: Snapshot, *,
            extra_layers: list | None = None) -> bytes:
    summary = count_by_country(projects, world)
    fmap = build_map(projects, summary, title=snapshot.heading(), caption=snapshot.filters_line(len(projects)),
                     footer=snapshot.footer(projects), extra_layers=extra_layers)
    return fmap.get_root().render().encode("utf-8")


def to_image(projects: pd.DataFrame, world: gpd.GeoDataFrame, snapshot: Snapshot, fmt: str, *,
             extent="world", width_px: int = 1600, height_px: int = 900, dpi: int = 150) -> bytes:
    summary = count_by_country(projects, world)
    caption = Caption(snapshot.heading(), snapshot.filters_line(len(projects)), snapshot.footer(projects))
    fig = draw_map(projects, summary, caption, extent=extent, width_px=width_px, height_px=height_px, dpi=dpi)
    return render_image(fig, fmt)


def export_bytes(fmt: str, projects: pd.DataFrame, world: gpd.GeoDataFrame, snapshot: Snapshot, **options) -> bytes:
    """One entry point for every format (used by the CLI and the app)."""
    if fmt == "csv":
        return to_csv(projects)
    if fmt == "geojson":
        return to_geojson(projects, snapshot)
    if fmt == "html":
        return to_html(projects, world, snapshot, extra_layers=options.get("extra_layers"))
    if fmt in ("png", "svg", "pdf"):
        return to_image(projects, world, snapshot, fmt, **{k: v for k, v in options.items() if k != "extra_layers"})
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def to_png(projects: pd.DataFrame, world: gpd.GeoDataFrame, snapshot: Snapshot, **options) -> bytes:
    return to_image(projects, world, snapshot, "png", **options)
