"""The interactive map: payloads for the browser renderer (``web/dsr-map.js``), the Streamlit
component's files, and the standalone HTML export.

What never changes for a dataset (country shapes, project details with their events and sources)
is written once as files the browser fetches and caches; what a filter changes (which projects
are selected, counts per country, standards ties, the view) is a few kilobytes per update. The
HTML export inlines the same files and the same renderer, so it shows the same map.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import shutil
import tempfile
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .countries import display_name
from .extent import Box
from .palette import (
    BORDER_COLOUR,
    CATEGORY_COLOURS,
    CLASS_BINS,
    CLASS_COLOURS,
    CLASS_LABELS,
    OTHER_COLOUR,
    TIE_COLOUR,
    UPLOAD_COLOUR,
)
from .schema import CATEGORIES, EVENT_KINDS, TIE_KINDS

ASSETS = (
    "index.html",
    "component.js",
    "dsr-map.js",
    "dsr-map.css",
    "vendor/leaflet.js",
    "vendor/leaflet.css",
    "vendor/topojson-client.min.js",
    "vendor/supercluster.min.js",
    "vendor/images/layers.png",
    "vendor/images/layers-2x.png",
    "vendor/LICENSES.md",
)
SHAPES_FILE = Path("boundaries") / "countries.topo.json"
EVENT_INDEX = {kind.name: k for k, kind in enumerate(EVENT_KINDS)}
MAP_HEIGHT = 560


def asset_path(name: str) -> Path:
    return Path(str(resources.files("dsr_map") / "web" / name))


def asset_text(name: str) -> str:
    return asset_path(name).read_text(encoding="utf-8")


def palette_payload() -> dict:
    return {
        "categories": list(CATEGORIES),
        "category_colours": CATEGORY_COLOURS,
        "category_index": {name: k for k, name in enumerate(CATEGORIES)},
        "other": OTHER_COLOUR,
        "upload": UPLOAD_COLOUR,
        "class_bins": list(CLASS_BINS),
        "class_labels": list(CLASS_LABELS),
        "class_colours": list(CLASS_COLOURS),
        "border": BORDER_COLOUR,
        "tie": TIE_COLOUR,
    }


def _clean(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else round(float(value), 5)
    if isinstance(value, np.integer):
        return int(value)
    return value


def table_payload(projects: pd.DataFrame, events: pd.DataFrame | None = None) -> dict:
    """The projects as columns (compact JSON): what popups, tooltips and clusters need.

    Companies, categories and sources are listed once and referred to by index."""
    vendors: dict[str, int] = {}
    sources: dict[tuple[str, str, str], int] = {}
    categories = {name: k for k, name in enumerate(CATEGORIES)}
    extra_categories: list[str] = []

    def index_of(table: dict, key) -> int:
        return table.setdefault(key, len(table))

    def category_index(name: str) -> int:
        if name not in categories:
            categories[name] = len(categories)
            extra_categories.append(name)
        return categories[name]

    by_project: dict[str, list] = {}
    if events is not None and len(events):
        for row in events.itertuples():
            cited = [
                index_of(sources, (u, t, p))
                for u, t, p in zip(row.source_urls, row.source_titles, row.source_publishers)
            ]
            by_project.setdefault(row.project_id, []).append(
                [row.date, EVENT_INDEX.get(row.event, 0), row.description, cited, int(row.date_basis == "read")]
            )
    changes = _changes(events)
    rows: dict[str, list] = {
        name: []
        for name in (
            "id",
            "name",
            "city",
            "country",
            "iso3",
            "lat",
            "lon",
            "cats",
            "type",
            "scale",
            "vendors",
            "year",
            "status",
            "as_of",
            "value",
            "client",
            "financing",
            "certainty",
            "description",
            "sources",
            "events",
            "origin",
            "changes",
            "exists",
        )
    }
    for record in projects.to_dict("records"):
        pid = record["project_id"]
        rows["id"].append(pid)
        for name, column in (
            ("name", "name"),
            ("city", "city"),
            ("country", "country"),
            ("iso3", "country_iso3"),
            ("type", "project_type"),
            ("scale", "scale"),
            ("status", "status"),
            ("as_of", "status_as_of"),
            ("client", "client"),
            ("financing", "financing"),
            ("certainty", "certainty"),
            ("description", "description"),
            ("origin", "origin"),
        ):
            rows[name].append(_clean(record.get(column, "")) or "")
        rows["lat"].append(_clean(record["latitude"]))
        rows["lon"].append(_clean(record["longitude"]))
        rows["value"].append(_clean(record["value_usd"]))
        rows["year"].append(_clean(record["year"]))
        first = _clean(record.get("first_event_year"))
        rows["exists"].append(first if first is not None else _clean(record["year"]))
        rows["cats"].append([category_index(c) for c in record["categories"]])
        rows["vendors"].append([index_of(vendors, v) for v in record["vendors"]])
        rows["sources"].append(
            [
                index_of(sources, (u, t, p))
                for u, t, p in zip(record["source_urls"], record["source_titles"], record["source_publishers"])
            ]
        )
        rows["events"].append(by_project.get(pid, []))
        rows["changes"].append(changes.get(pid, []))
    source_list = list(sources)
    return {
        "categories": list(categories),
        "vendors": list(vendors),
        "event_labels": [kind.label for kind in EVENT_KINDS],
        "sources": {
            "url": [s[0] for s in source_list],
            "title": [s[1] for s in source_list],
            "publisher": [s[2] for s in source_list],
        },
        "rows": rows,
    }


def _changes(events: pd.DataFrame | None) -> dict[str, list[tuple[str, str]]]:
    if events is None or not len(events):
        return {}
    from .lifecycle import status_changes

    return status_changes(events)


def details_payload(projects: pd.DataFrame, events: pd.DataFrame, world_codes, version: str) -> dict:
    payload = table_payload(projects, events)
    payload["version"] = version
    payload["country_names"] = {code: display_name(code) for code in world_codes}
    return payload


def shapes_payload(data_dir: Path, world: pd.DataFrame) -> dict:
    """Country shapes for the browser: the committed TopoJSON, or (for a data folder without one)
    GeoJSON simplified from the boundaries."""
    path = Path(data_dir) / SHAPES_FILE
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    import shapely

    geoms = shapely.set_precision(shapely.simplify(np.asarray(world["geometry"]), 0.05), 0.01)
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": iso3, "properties": {"iso3": iso3}, "geometry": json.loads(shapely.to_geojson(g))}
            for iso3, g in zip(world["iso3"], geoms)
        ],
    }


def dumps(payload) -> str:
    """Compact JSON, safe inside a <script> element (no '<', no line separators)."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def bits(mask) -> str:
    """A boolean sequence as base64 of its bits (least significant bit first)."""
    array = np.asarray(mask, dtype=bool)
    return base64.b64encode(np.packbits(array, bitorder="little").tobytes()).decode("ascii") if len(array) else ""


def component_dir(shapes: dict, details: dict, *, root: Path | None = None) -> tuple[Path, str, str]:
    """A folder the Streamlit component serves: the assets plus this dataset's two data files.

    Returns (folder, shapes file name, details file name); names carry a content hash, so a browser
    caches each version and never mixes versions."""
    shapes_text, details_text = dumps(shapes), dumps(details)
    digest = hashlib.sha256(
        (
            shapes_text + details_text + "".join(asset_text(a) for a in ASSETS if a.endswith((".js", ".css", ".html")))
        ).encode("utf-8")
    ).hexdigest()[:16]
    folder = (root or Path(tempfile.gettempdir()) / "dsr-map-web") / digest
    shapes_name, details_name = f"data/countries-{digest}.json", f"data/details-{digest}.json"
    if not (folder / details_name).exists():
        staging = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        for name in ASSETS:
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset_path(name), target)
        (staging / "data").mkdir(exist_ok=True)
        (staging / shapes_name).write_text(shapes_text, encoding="utf-8")
        (staging / details_name).write_text(details_text, encoding="utf-8")
        # start fetching this dataset's two files before Leaflet has even loaded
        preload = "".join(
            f'"{name}":fetch("{name}").then(function(r){{return r.json();}}),' for name in (shapes_name, details_name)
        )
        index = (staging / "index.html").read_text(encoding="utf-8")
        index = index.replace("<title>", f"<script>window.DSR_PRELOAD={{{preload}}};</script>\n<title>", 1)
        (staging / "index.html").write_text(index, encoding="utf-8")
        try:
            staging.rename(folder)
        except OSError:  # another process made it first
            shutil.rmtree(staging, ignore_errors=True)
    return folder, shapes_name, details_name


def view_args(
    *,
    selected,
    counts: dict[str, int],
    fit: Box | None,
    ties: dict[str, tuple[str, ...]] | None = None,
    ties_via: dict[str, str] | None = None,
    selected_upload=None,
    year: int | None = None,
    play: tuple[int, int] | None = None,
    count_label: str = "in view",
    count_title: str = "Projects per country",
    upload_label: str = "",
    focus: tuple[str, ...] = (),
    height: int = MAP_HEIGHT,
) -> dict:
    """What one update of the map needs: a few kilobytes whatever the size of the dataset."""
    kinds = list(TIE_KINDS)
    return {
        "sel": bits(selected),
        "sel_upload": bits(selected_upload if selected_upload is not None else []),
        "counts": {k: int(v) for k, v in counts.items() if v},
        "count_label": count_label,
        "ties": {iso3: [kinds.index(k) for k in values] for iso3, values in (ties or {}).items()} or None,
        "ties_via": ties_via or {},
        "tie_kinds": [TIE_KINDS[k] for k in kinds],
        "fit": fit.leaflet() if fit else None,
        "centre": round(fit.centre, 3) if fit and fit.crosses_antimeridian else 0,
        "year": year,
        "play": {"from": play[0], "to": play[1]} if play else None,
        "legend": {
            "count_title": count_title,
            "upload": upload_label,
            "ties": bool(ties),
            "categories": list(focus) or None,
        },
        "focus": list(focus),
        "palette": palette_payload(),
        "height": height,
    }


def html_page(
    shapes: dict, details: dict, args: dict, *, title: str, caption: str, footer: str, upload: dict | None = None
) -> str:
    """A standalone, offline HTML page: the same renderer, assets and data inlined."""
    from .escape import escape_text

    data = {"shapes": shapes, "details": details, "args": args, "upload": upload}
    styles = asset_text("vendor/leaflet.css") + "\n" + asset_text("dsr-map.css")
    scripts = "\n".join(
        asset_text(name).replace("</script", "<\\/script")
        for name in ("vendor/leaflet.js", "vendor/topojson-client.min.js", "vendor/supercluster.min.js", "dsr-map.js")
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape_text(title)}</title>
<style>{styles}</style>
<script>{scripts}</script>
</head><body>
<div id="dsr-map" role="application" aria-label="Map of DSR projects"></div>
<div class="dsr-caption"><b>{escape_text(title)}</b><br><span>{escape_text(caption)}</span><br><small>{escape_text(footer)}</small></div>
<script type="application/json" id="dsr-data">{dumps(data)}</script>
<script>
(function () {{
  var data = JSON.parse(document.getElementById("dsr-data").textContent);
  var element = document.getElementById("dsr-map");
  element.style.height = "100vh";
  var map = new DSRMap.DsrMap(element, {{ palette: data.args.palette }});
  map.setShapes(data.shapes, data.details.country_names);
  map.setDetails(data.details);
  if (data.upload) map.setUpload(data.upload);
  map.update(data.args);
  window.dsrMap = map;
}})();
</script>
</body></html>
"""
