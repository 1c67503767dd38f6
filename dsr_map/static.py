"""Static maps (PNG, SVG, PDF) with geopandas and matplotlib: same classes and colours as the app.

Fully offline: our boundaries, our points, no tiles. World views use the Equal Earth
projection (EPSG:8857); fitted or given extents are drawn in the same projection.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from .render import (  # noqa: E402
    BORDER_COLOUR, CATEGORY_COLOURS, CLASS_COLOURS, CLASS_LABELS, OCEAN_COLOUR, category_colour, classify_counts,
)

PROJECTION = "EPSG:8857"  # Equal Earth
WORLD_EXTENT = (-180.0, -58.0, 180.0, 84.0)
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


@dataclass(frozen=True)
class Caption:
    title: str
    filters: str
    footer: str


def resolve_extent(extent: str | tuple[float, float, float, float], projects: pd.DataFrame,
                   summary: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """'world', 'data' (fitted to the filtered projects) or (minx, miny, maxx, maxy) in degrees."""
    if isinstance(extent, tuple):
        return _checked_box(extent)
    if extent == "world":
        return WORLD_EXTENT
    if extent == "data":
        points = projects.dropna(subset=["latitude", "longitude"])
        boxes = []
        if len(points):
            boxes.append((points["longitude"].min(), points["latitude"].min(),
                          points["longitude"].max(), points["latitude"].max()))
        hit = summary[summary["iso3"].isin(set(projects["country_iso3"])) & (summary["projects"] > 0)]
        if not hit.empty:
            boxes.append(tuple(hit.total_bounds))
        if not boxes:
            return WORLD_EXTENT
        minx, miny = min(b[0] for b in boxes), min(b[1] for b in boxes)
        maxx, maxy = max(b[2] for b in boxes), max(b[3] for b in boxes)
        pad = max(2.0, 0.08 * max(maxx - minx, maxy - miny))
        return _checked_box((minx - pad, miny - pad, maxx + pad, maxy + pad))
    return _checked_box(parse_extent(extent))


def parse_extent(text: str) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        raise ValueError(f"extent must be world, data or minx,miny,maxx,maxy (got {text!r})") from None
    if len(values) != 4:
        raise ValueError(f"extent must have four numbers minx,miny,maxx,maxy (got {text!r})")
    return values  # type: ignore[return-value]


def _checked_box(box) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = (float(v) for v in box)
    minx, maxx = max(minx, -180.0), min(maxx, 180.0)
    miny, maxy = max(miny, -85.0), min(maxy, 85.0)
    if not (minx < maxx and miny < maxy) or any(math.isnan(v) for v in (minx, miny, maxx, maxy)):
        raise ValueError(f"empty or inverted extent {box}")
    return minx, miny, maxx, maxy


def _projected_bounds(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    outline = shapely.segmentize(shapely.box(*box), 1.0)
    return tuple(gpd.GeoSeries([outline], crs="EPSG:4326").to_crs(PROJECTION).total_bounds)


def _fit_aspect(bounds, aspect: float):
    """Grow the shorter side of ``bounds`` so it fills axes of width/height ``aspect``."""
    minx, miny, maxx, maxy = bounds
    width, height = maxx - minx, maxy - miny
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        minx, maxx = minx - grow, maxx + grow
    else:
        grow = (width / aspect - height) / 2
        miny, maxy = miny - grow, maxy + grow
    return minx, miny, maxx, maxy


def draw_map(projects: pd.DataFrame, summary: gpd.GeoDataFrame, caption: Caption, *,
             extent="world", width_px: int = 1600, height_px: int = 900, dpi: int = 150) -> plt.Figure:
    """The figure: choropleth, points by category, legends, title, filter caption and footer."""
    box = resolve_extent(extent, projects, summary)
    fig = plt.figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    ax_box = (0.01, 0.08, 0.80, 0.82)
    ax = fig.add_axes(ax_box)
    ax.set_facecolor(OCEAN_COLOUR)
    countries = summary.copy()
    countries["colour"] = classify_counts(countries["projects"]).map(lambda c: CLASS_COLOURS[c])
    countries = countries.to_crs(PROJECTION)
    countries.plot(ax=ax, color=countries["colour"], edgecolor=BORDER_COLOUR, linewidth=0.3)
    points = projects.dropna(subset=["latitude", "longitude"])
    if len(points):
        geo = gpd.GeoSeries(gpd.points_from_xy(points["longitude"], points["latitude"]), crs="EPSG:4326")
        geo = geo.to_crs(PROJECTION)
        colours = [category_colour(c) for c in points["categories"]]
        size = max(6.0, 22.0 * (dpi / 150) ** 0.5 * (1 if len(points) < 500 else 0.5))
        ax.scatter(geo.x, geo.y, s=size, c=colours, edgecolors="white", linewidths=0.4, zorder=3)
    minx, miny, maxx, maxy = _fit_aspect(_projected_bounds(box), (ax_box[2] * width_px) / (ax_box[3] * height_px))
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_color("#bbbbbb")
    _legends(ax, points)
    scale = width_px / 1600
    fig.text(0.01, 0.97, caption.title, fontsize=max(9, 16 * scale), weight="bold", va="top")
    fig.text(0.01, 0.925, caption.filters, fontsize=max(7, 10 * scale), va="top", color="#333333", wrap=True)
    fig.text(0.01, 0.015, caption.footer, fontsize=max(6, 8 * scale), va="bottom", color="#444444", wrap=True)
    return fig


def _legends(ax, points: pd.DataFrame) -> None:
    class_handles = [Patch(facecolor=c, edgecolor="#999999", label=l) for c, l in zip(CLASS_COLOURS, CLASS_LABELS)]
    first = ax.legend(handles=class_handles, title="Projects per country", loc="upper left",
                      bbox_to_anchor=(1.01, 1.0), fontsize=8, title_fontsize=9, frameon=False)
    ax.add_artist(first)
    shown = {cats[0] for cats in points["categories"] if cats} if len(points) else set()
    handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=colour, markeredgecolor="white",
                      markersize=7, label=name) for name, colour in CATEGORY_COLOURS.items() if name in shown]
    if handles:
        ax.legend(handles=handles, title="Project category\n(first listed)", loc="upper left",
                  bbox_to_anchor=(1.01, 0.55), fontsize=8, title_fontsize=9, frameon=False)


def render_image(fig: plt.Figure, fmt: str) -> bytes:
    """Bytes of the figure as png, svg or pdf; the figure is closed."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; expected one of {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    metadata = {"png": {"Software": "DSR Map"}, "svg": {"Creator": "DSR Map"}, "pdf": {"Creator": "DSR Map"}}[fmt]
    try:
        fig.savefig(buffer, format=fmt, dpi=fig.dpi, metadata=metadata)
    finally:
        plt.close(fig)
    return buffer.getvalue()
