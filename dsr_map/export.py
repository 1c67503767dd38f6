"""Exports of a filtered view: CSV, GeoJSON, a Frictionless data package, standalone HTML,
PNG/SVG/PDF and an animated GIF through the years.

Every export names the data version, the selection, the date and the attributions. The plain CSV
keeps its column contract (``schema.EXPORT_COLUMNS`` then ``EXPORT_EXTRA_COLUMNS``); the data package
carries the same CSV with a schema, licence, version, filters, citation and the sources its rows cite.
Heavy modules (matplotlib, the web renderer) are imported by the formats that need them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from .filters import Selection
from .fmt import to_csv_text
from .primitives import EXPORT_FORMATS, EXPORT_TABLES, MULTI_SEP, TITLE_MAX_CHARS
from .schema import (
    EVENTS_EXPORT_COLUMNS,
    EXPORT_COLUMNS,
    EXPORT_EXTRA_COLUMNS,
    STANDARDS_EXPORT_COLUMNS,
    TABLES,
)

IMAGE_FORMATS = ("png", "svg", "pdf")
FORMATS = EXPORT_FORMATS
TABLE_NAMES = EXPORT_TABLES
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "gif": "image/gif",
    "html": "text/html",
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "datapackage": "application/zip",
}
EXTENSION = {"datapackage": "zip"}
DATA_LICENCE = "CC BY 4.0 (DSR Map data); boundaries Natural Earth (public domain)"
SEED_CREDIT = "Seed: Asia Society Policy Institute, Stacking the Deck (2021)"
CITATION = (
    'DSR Map, data version {version}, "China\'s Digital Silk Road technology exports" (CC BY 4.0), accessed {date}'
)


@dataclass(frozen=True)
class Snapshot:
    """What an export shows and says about itself."""

    selection: Selection = field(default_factory=Selection)
    version: str = "unversioned"
    title: str = ""
    exported: dt.date = field(default_factory=dt.date.today)
    standards_layer: bool = False
    government_only: bool = False

    def __post_init__(self) -> None:
        if len(self.title) > TITLE_MAX_CHARS:
            raise ValueError(f"the title has {len(self.title)} characters; the limit is {TITLE_MAX_CHARS}")

    def heading(self) -> str:
        if self.title:
            return self.title
        return "DSR Map: China's Digital Silk Road projects" + (
            "" if self.selection.is_empty() else f" — {self.selection.describe()}"
        )

    def filters_line(self, count: int) -> str:
        extras = []
        if self.government_only:
            extras.append("shading counts national, regional and city projects only")
        if self.standards_layer:
            extras.append("hatched: standards ties")
        tail = "".join(f" · {e}" for e in extras)
        return f"Filters: {self.selection.describe()} · {count:,} project{'s' if count != 1 else ''}{tail}"

    def footer(self, projects: pd.DataFrame) -> str:
        credits = [
            "Data: DSR Map v" + self.version,
            f"exported {self.exported.isoformat()}",
            "Boundaries: Natural Earth",
            SEED_CREDIT,
        ]
        if uses_aiddata(projects):
            credits.append("AidData Global Huawei Finance Dataset (ODC-By)")
        return " · ".join(credits)

    def citation(self) -> str:
        return CITATION.format(version=self.version, date=self.exported.isoformat())


def uses_aiddata(projects: pd.DataFrame) -> bool:
    return any(p == "AidData" for pubs in projects.get("source_publishers", []) for p in pubs)


def _joined(values) -> str:
    return MULTI_SEP.join(str(v) for v in values if v) if isinstance(values, tuple | list) else str(values or "")


def export_frame(projects: pd.DataFrame) -> pd.DataFrame:
    """The flat public column contract, in order, then the extra columns."""
    out = pd.DataFrame(index=projects.index)
    for column in (*EXPORT_COLUMNS, *EXPORT_EXTRA_COLUMNS):
        values = projects[column] if column in projects else pd.Series("", index=projects.index)
        if column in ("categories", "vendors", "source_urls", "source_titles", "source_ids", "source_publishers"):
            values = values.map(_joined)
        out[column] = values
    return out.reset_index(drop=True)


def _cell(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    return str(value)


def _csv(frame: pd.DataFrame) -> bytes:
    return to_csv_text(frame.map(_cell)).encode("utf-8")


def to_csv(projects: pd.DataFrame) -> bytes:
    return _csv(export_frame(projects))


def events_frame(events: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Events of the given projects, in the events export contract."""
    from .schema import EVENTS

    rows = events[events["project_id"].isin(set(projects["project_id"]))].copy()
    rows["state_after"] = ""
    if len(rows):
        from .lifecycle import state_after

        states = []
        history: dict[str, list[str]] = {}
        for pid, kind in zip(rows["project_id"], rows["event"]):
            history.setdefault(pid, []).append(kind)
            states.append(state_after(history[pid]) if kind in EVENTS else "")
        rows["state_after"] = states
    for column in ("source_ids", "source_urls"):
        rows[column] = rows[column].map(_joined) if column in rows else ""
    return rows.reindex(columns=list(EVENTS_EXPORT_COLUMNS)).fillna("").reset_index(drop=True)


def standards_frame(ties: pd.DataFrame) -> pd.DataFrame:
    """Ties (one row per tie as recorded: a regional body's tie once, not per member)."""
    direct = ties.drop_duplicates("tie_id").copy()
    direct.loc[direct["body_id"] != "", "country_iso3"] = ""
    direct.loc[direct["body_id"] != "", "country"] = ""
    for column in ("source_ids", "source_urls", "source_titles"):
        direct[column] = direct[column].map(_joined)
    return direct.reindex(columns=list(STANDARDS_EXPORT_COLUMNS)).reset_index(drop=True)


def table_csv(name: str, frame: pd.DataFrame) -> bytes:
    return _csv(frame)


def to_geojson(projects: pd.DataFrame, snapshot: Snapshot) -> bytes:
    """FeatureCollection: points where coordinates exist, null geometry otherwise; metadata on top."""
    frame = export_frame(projects)
    features = []
    for record in frame.to_dict("records"):
        lat, lon = record["latitude"], record["longitude"]
        has_point = not (pd.isna(lat) or pd.isna(lon))
        props = {k: _json_value(v) for k, v in record.items()}
        features.append(
            {
                "type": "Feature",
                "id": record["project_id"],
                "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]} if has_point else None,
                "properties": props,
            }
        )
    return _feature_collection(features, snapshot, list(frame.columns), projects)


def _json_value(value):
    text = _cell(value)
    if text == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) or hasattr(value, "__int__") and not isinstance(value, str):
        number = float(value)
        return int(number) if number.is_integer() else number
    return str(value)


def _feature_collection(features: list, snapshot: Snapshot, columns: list[str], projects: pd.DataFrame) -> bytes:
    collection = {
        "type": "FeatureCollection",
        "properties": {
            "title": snapshot.heading(),
            "filters": snapshot.selection.describe(),
            "data_version": snapshot.version,
            "exported": snapshot.exported.isoformat(),
            "licence": DATA_LICENCE,
            "attribution": snapshot.footer(projects),
            "citation": snapshot.citation(),
            "columns": columns,
        },
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def standards_geojson(ties: pd.DataFrame, world: pd.DataFrame, snapshot: Snapshot) -> bytes:
    """One feature per tie and partner country, placed at a point inside the country."""
    import shapely

    anchors = dict(zip(world["iso3"], shapely.point_on_surface(world["geometry"].to_numpy())))
    features = []
    for record in ties.to_dict("records"):
        point = anchors.get(record["country_iso3"])
        props = {
            k: _json_value(_joined(v) if isinstance(v, tuple) else v)
            for k, v in record.items()
            if k in STANDARDS_EXPORT_COLUMNS or k == "via"
        }
        features.append(
            {
                "type": "Feature",
                "id": f"{record['tie_id']}-{record['country_iso3']}",
                "geometry": {"type": "Point", "coordinates": [round(point.x, 4), round(point.y, 4)]}
                if point is not None
                else None,
                "properties": props,
            }
        )
    return _feature_collection(features, snapshot, [*STANDARDS_EXPORT_COLUMNS, "via"], ties.iloc[0:0])


# ---------------------------------------------------------------- data package (Frictionless)
_FIELD_TYPES = {
    "latitude": "number",
    "longitude": "number",
    "value_usd": "number",
    "year": "integer",
    "first_event_year": "integer",
}


def _field(name: str, description: str = "") -> dict:
    spec = {"name": name, "type": _FIELD_TYPES.get(name, "string")}
    if description:
        spec["description"] = description
    return spec


def _descriptions() -> dict[str, str]:
    out: dict[str, str] = {}
    for table in TABLES.values():
        for column in table.columns:
            out.setdefault(column.name, column.description)
    out.update(
        {
            "country": "Display name of the country.",
            "source_urls": "Source addresses, '; '-joined.",
            "source_titles": "Source titles, '; '-joined.",
            "region": "UN M49 region.",
            "subregion": "UN M49 subregion.",
            "origin": "Where the row comes from (DSR Map or an upload).",
            "first_event_year": "Year of the project's first dated event.",
            "source_publishers": "Source publishers, '; '-joined.",
        }
    )
    return out


def datapackage(
    projects: pd.DataFrame,
    snapshot: Snapshot,
    *,
    events: pd.DataFrame | None = None,
    ties: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
) -> bytes:
    """A zip: projects.csv (the plain CSV export), projects.geojson, events.csv, standards.csv,
    sources.csv (the sources those rows cite) and datapackage.json describing them."""
    descriptions = _descriptions()
    files: dict[str, bytes] = {"projects.csv": to_csv(projects), "projects.geojson": to_geojson(projects, snapshot)}
    resources = [
        {
            "name": "projects",
            "path": "projects.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": "Projects in this view",
            "schema": {
                "fields": [_field(c, descriptions.get(c, "")) for c in (*EXPORT_COLUMNS, *EXPORT_EXTRA_COLUMNS)],
                "primaryKey": ["project_id"],
                "missingValues": [""],
            },
        },
        {
            "name": "projects-geojson",
            "path": "projects.geojson",
            "format": "geojson",
            "mediatype": "application/geo+json",
            "title": "The same projects as GeoJSON points",
        },
    ]
    cited: set[str] = {s for ids in projects["source_ids"] for s in ids} if len(projects) else set()
    if events is not None:
        frame = events_frame(events, projects)
        files["events.csv"] = _csv(frame)
        cited |= {s for ids in frame["source_ids"] for s in str(ids).split("; ") if s}
        resources.append(
            {
                "name": "events",
                "path": "events.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": "Dated events of these projects",
                "schema": {
                    "fields": [_field(c, descriptions.get(c, "")) for c in EVENTS_EXPORT_COLUMNS],
                    "primaryKey": ["event_id"],
                    "missingValues": [""],
                },
            }
        )
    if ties is not None:
        frame = standards_frame(ties)
        files["standards.csv"] = _csv(frame)
        cited |= {s for ids in frame["source_ids"] for s in str(ids).split("; ") if s}
        resources.append(
            {
                "name": "standards",
                "path": "standards.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": "Standards and Digital Silk Road ties of the countries in view",
                "schema": {
                    "fields": [_field(c, descriptions.get(c, "")) for c in STANDARDS_EXPORT_COLUMNS],
                    "primaryKey": ["tie_id"],
                    "missingValues": [""],
                },
            }
        )
    if sources is not None:
        rows = sources[sources["source_id"].isin(cited)]
        files["sources.csv"] = _csv(rows)
        resources.append(
            {
                "name": "sources",
                "path": "sources.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": "Sources cited by these rows",
                "schema": {
                    "fields": [_field(c, descriptions.get(c, "")) for c in sources.columns],
                    "primaryKey": ["source_id"],
                    "missingValues": [""],
                },
            }
        )
    descriptor = {
        "profile": "data-package",
        "name": "dsr-map-export",
        "title": snapshot.heading(),
        "description": snapshot.filters_line(len(projects)),
        "version": snapshot.version,
        "created": dt.datetime.combine(snapshot.exported, dt.time()).isoformat() + "Z",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "sources": [
            {"title": f"DSR Map, data version {snapshot.version}"},
            {"title": "Natural Earth (boundaries, public domain)", "path": "https://www.naturalearthdata.com/"},
        ]
        + (
            [{"title": "AidData Global Huawei Finance Dataset (ODC-By 1.0)", "path": "https://www.aiddata.org/"}]
            if uses_aiddata(projects)
            else []
        ),
        "keywords": ["Digital Silk Road", "China", "technology exports", "standards"],
        "dsr_map": {
            "filters": snapshot.selection.describe(),
            "citation": snapshot.citation(),
            "attribution": snapshot.footer(projects),
            "exported": snapshot.exported.isoformat(),
        },
        "resources": resources,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=1))
        for name, payload in files.items():
            archive.writestr(name, payload)
    return buffer.getvalue()


# ---------------------------------------------------------------- maps
def to_image(
    projects: pd.DataFrame,
    summary: pd.DataFrame,
    snapshot: Snapshot,
    fmt: str,
    *,
    extent="world",
    width_px: int = 1600,
    height_px: int = 900,
    dpi: int = 150,
    layers=None,
    world=None,
) -> bytes:
    from .static import Caption, draw_map, render_image

    caption = Caption(snapshot.heading(), snapshot.filters_line(len(projects)), snapshot.footer(projects))
    fig = draw_map(
        projects,
        summary,
        caption,
        extent=extent,
        width_px=width_px,
        height_px=height_px,
        dpi=dpi,
        layers=layers,
        world=world,
    )
    return render_image(fig, fmt)


def to_gif(
    frames: list[tuple[int, pd.DataFrame, pd.DataFrame]],
    snapshot: Snapshot,
    *,
    extent="world",
    width_px: int = 1200,
    height_px: int = 675,
    dpi: int = 100,
    layers=None,
    world=None,
    seconds_per_frame: float = 0.9,
) -> bytes:
    """An animated GIF: one frame per (year, projects as of that year, their summary)."""
    from PIL import Image

    from .static import Caption, draw_map, render_image, resolve_extent

    if not frames:
        raise ValueError("no years to animate")
    box = resolve_extent(extent, frames[-1][1], world if world is not None else frames[-1][2])
    images = []
    for year, projects, summary in frames:
        title = f"{snapshot.heading()}: by end of {year}"
        caption = Caption(title, snapshot.filters_line(len(projects)), snapshot.footer(projects))
        fig = draw_map(
            projects,
            summary,
            caption,
            extent=box,
            width_px=width_px,
            height_px=height_px,
            dpi=dpi,
            layers=layers,
            world=world,
        )
        images.append(Image.open(io.BytesIO(render_image(fig, "png"))).convert("RGB").quantize(colors=128))
    buffer = io.BytesIO()
    durations = [int(seconds_per_frame * 1000)] * (len(images) - 1) + [int(seconds_per_frame * 3000)]
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0)
    return buffer.getvalue()


def file_extension(fmt: str) -> str:
    return EXTENSION.get(fmt, fmt)
