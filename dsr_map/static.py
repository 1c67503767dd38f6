"""Static maps (PNG, SVG, PDF, and GIF frames) with matplotlib: same classes and colours as the app.

Size and DPI: ``width_px`` x ``height_px`` is the exact pixel size of the image; ``dpi`` is its print
density, so the image prints at width_px / dpi inches. Text is set in points for that physical
size (a 1600 x 900 image at 300 DPI is a 5.3 x 3 inch print with print-sized text), grows for
posters and shrinks, where a small print leaves too little room, until it fits.

Layout: title, filter caption, legends, footer and map are placed from measured text extents
(``layout``), so nothing is clipped or overlaps at any size or DPI in the documented ranges. Long
text wraps at word boundaries (a word longer than a line breaks inside). Text from users and data
is drawn literally (no mathtext). Fully offline: our boundaries, our points, no tiles. Maps use
the Equal Earth projection centred on the extent, so regions across 180 degrees draw whole.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from .extent import REGIONS, WORLD, Box, fit_box, parse_box, wrap_geometries, wrap_longitudes  # noqa: E402
from .palette import (  # noqa: E402
    BORDER_COLOUR,
    CATEGORY_COLOURS,
    CLASS_COLOURS,
    CLASS_LABELS,
    OCEAN_COLOUR,
    TIE_COLOUR,
    UPLOAD_COLOUR,
    category_colour,
    classify_counts,
    shown_category,
)
from .primitives import DPI_RANGE, SIZE_RANGE  # noqa: E402

FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
REFERENCE_AREA_IN2 = (1600 / 150) * (900 / 150)  # a 1600 x 900 slide at 150 DPI: text at its base size
BASE_PT = {"title": 15.0, "subtitle": 9.5, "legend": 8.0, "legend_title": 9.0, "footer": 7.0, "label": 7.0}
MIN_TEXT_PX = 7.0  # never smaller than this many pixels
MAX_TEXT_SHARE = 0.42  # title, caption and footer together take at most this share of the height
MIN_MAP_SHARE = 0.45  # the map keeps at least this share of the height (text shrinks first)


@dataclass(frozen=True)
class Caption:
    title: str
    filters: str
    footer: str


@dataclass(frozen=True)
class MapLayers:
    """What to draw besides the shading and the points."""

    ties: dict[str, bool] = field(default_factory=dict)  # ISO3 -> True for a direct tie, False via a body
    upload_label: str = ""
    count_title: str = "Projects per country"
    focus: tuple[str, ...] = ()  # selected categories: a point is drawn in the first of them it has


def resolve_extent(extent: str | Box, projects: pd.DataFrame, world: pd.DataFrame) -> Box:
    """'world', 'data' (fitted to the filtered projects), a region preset, or 'minx,miny,maxx,maxy'."""
    if isinstance(extent, Box):
        return extent
    name = extent.strip()
    if name.lower() == "world":
        return WORLD
    if name.lower() == "data":
        return fit_box(projects, world) or WORLD
    for region, box in REGIONS.items():
        if name.casefold() == region.casefold():
            return box
    return parse_box(name)


def check_size(width_px: int, height_px: int, dpi: int) -> None:
    """Range checks with messages that say the range."""
    for label, value, (lo, hi) in (
        ("width", width_px, SIZE_RANGE),
        ("height", height_px, SIZE_RANGE),
        ("dpi", dpi, DPI_RANGE),
    ):
        if not isinstance(value, int) or not lo <= value <= hi:
            raise ValueError(f"{label} must be a whole number from {lo} to {hi} (got {value!r})")


# ---------------------------------------------------------------- projection
def _projection(centre: float) -> str:
    return f"+proj=eqearth +lon_0={centre:.6f} +datum=WGS84 +units=m +no_defs"


@lru_cache(maxsize=8)
def _transformer(centre: float):
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", _projection(centre), always_xy=True)


def _project_xy(lon, lat, centre: float) -> tuple[np.ndarray, np.ndarray]:
    x, y = _transformer(centre).transform(wrap_longitudes(lon, centre), np.asarray(lat, dtype=float))
    return np.asarray(x), np.asarray(y)


_WORLD_CACHE: dict = {}


def _projected_world(world: pd.DataFrame, centre: float):
    """Boundary shapes wrapped around ``centre`` and projected (cached per boundaries and centre)."""
    import shapely

    geometry = world["geometry"].to_numpy()
    key = (round(centre, 6), tuple(world["iso3"]), tuple(id(g) for g in geometry[:3]))
    if key not in _WORLD_CACHE:
        if len(_WORLD_CACHE) > 8:
            _WORLD_CACHE.clear()
        geoms = wrap_geometries(geometry, centre)
        transformer = _transformer(centre)
        projected = shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
        _WORLD_CACHE[key] = projected
    return _WORLD_CACHE[key]


def _projected_box(box: Box) -> tuple[float, float, float, float]:
    """Projected bounds of the box's outline (sampled along its edges)."""
    lons = np.linspace(box.west, box.east, 73)
    lats = np.linspace(box.south, box.north, 37)
    edge_lon = np.concatenate([lons, lons, np.full_like(lats, box.west), np.full_like(lats, box.east)])
    edge_lat = np.concatenate([np.full_like(lons, box.south), np.full_like(lons, box.north), lats, lats])
    x, y = _transformer(box.centre).transform(edge_lon, edge_lat)
    return float(np.min(x)), float(np.min(y)), float(np.max(x)), float(np.max(y))


# ---------------------------------------------------------------- text measuring and wrapping
def renderer_of(fig):
    """The Agg renderer that measures text as it will be drawn."""
    return fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg canvases have one


class _Measure:
    def __init__(self, fig) -> None:
        self.renderer = renderer_of(fig)
        self.dpi = fig.dpi

    def width(self, text: str, size_pt: float, weight: str = "normal") -> float:
        from matplotlib.font_manager import FontProperties

        prop = FontProperties(size=size_pt, weight=weight)
        width, _, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
        return width

    def wrap(self, text: str, size_pt: float, max_px: float, weight: str = "normal") -> list[str]:
        """Lines of ``text`` no wider than ``max_px``: at spaces, and inside words longer than a line."""
        lines: list[str] = []
        for paragraph in str(text).split("\n"):
            current = ""
            for word in paragraph.split(" "):
                candidate = f"{current} {word}" if current else word
                if self.width(candidate, size_pt, weight) <= max_px:
                    current = candidate
                    continue
                if current:
                    lines.append(current)
                current = ""
                while self.width(word, size_pt, weight) > max_px and len(word) > 1:
                    cut = max(1, self._fit_chars(word, size_pt, max_px, weight))
                    lines.append(word[:cut])
                    word = word[cut:]
                current = word
            lines.append(current)
        return lines

    def _fit_chars(self, word: str, size_pt: float, max_px: float, weight: str) -> int:
        lo, hi = 1, len(word)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.width(word[:mid], size_pt, weight) <= max_px:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def line_px(self, size_pt: float) -> float:
        return size_pt * self.dpi / 72 * 1.25


@dataclass
class _Block:
    lines: list[str]
    size: float
    weight: str
    colour: str
    height: float


def _text_scale(width_px: int, height_px: int, dpi: int) -> float:
    area = (width_px / dpi) * (height_px / dpi)
    return float(np.clip(math.sqrt(area / REFERENCE_AREA_IN2), 0.45, 3.0))


def _blocks(measure: _Measure, caption: Caption, width: float, scale: float) -> dict[str, _Block]:
    out = {}
    for key, text, weight, colour in (
        ("title", caption.title, "bold", "#111111"),
        ("subtitle", caption.filters, "normal", "#333333"),
        ("footer", caption.footer, "normal", "#444444"),
    ):
        size = BASE_PT[key] * scale
        lines = measure.wrap(text, size, width, weight) if text else []
        out[key] = _Block(lines, size, weight, colour, len(lines) * measure.line_px(size))
    return out


def _min_scale(dpi: int) -> float:
    """The scale at which the smallest text (the footer) is MIN_TEXT_PX pixels high."""
    return MIN_TEXT_PX / (BASE_PT["footer"] * dpi / 72)


# ---------------------------------------------------------------- drawing
def draw_map(
    projects: pd.DataFrame,
    summary: pd.DataFrame,
    caption: Caption,
    *,
    extent: str | Box = "world",
    width_px: int = 1600,
    height_px: int = 900,
    dpi: int = 150,
    layers: MapLayers | None = None,
    world: pd.DataFrame | None = None,
) -> plt.Figure:
    """The figure: choropleth, points by category, legends, title, filter caption and footer.

    ``summary`` is every boundary feature with its ``projects`` count (join.count_by_country)."""
    check_size(width_px, height_px, dpi)
    layers = layers or MapLayers()
    box = resolve_extent(extent, projects, world if world is not None else summary)
    fig = plt.figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    measure = _Measure(fig)
    margin = max(4.0, 0.015 * min(width_px, height_px))
    text_width = width_px - 2 * margin
    scale = _text_scale(width_px, height_px, dpi)
    floor = min(scale, _min_scale(dpi))
    points = projects.dropna(subset=["latitude", "longitude"])
    while True:  # shrink the text until title, caption, legends and footer leave the map enough room
        fig.texts.clear()
        fig.legends.clear()
        blocks = _blocks(measure, caption, text_width, scale)
        legends = _legends(fig, points, layers, scale)
        map_rect = _place(fig, measure, blocks, legends, width_px, height_px, margin)
        room = map_rect[3]
        if (
            room >= MIN_MAP_SHARE and sum(b.height for b in blocks.values()) <= MAX_TEXT_SHARE * height_px
        ) or scale <= floor:
            break
        scale = max(floor, scale * 0.85)
    ax = fig.add_axes(map_rect)
    _draw_layers(ax, summary, points, box, layers, scale, dpi)
    _fit_axes(ax, box, map_rect, width_px, height_px)
    if box != WORLD:
        _label_countries(ax, summary, box, scale, fig)
    return fig


def _legends(fig, points: pd.DataFrame, layers: MapLayers, scale: float) -> list:
    size, title_size = BASE_PT["legend"] * scale, BASE_PT["legend_title"] * scale
    common = {
        "fontsize": size,
        "title_fontsize": title_size,
        "frameon": True,
        "framealpha": 1.0,
        "edgecolor": "#cccccc",
        "fancybox": False,
        "borderpad": 0.5,
        "handlelength": 1.2,
        "handletextpad": 0.5,
        "labelspacing": 0.35,
        "alignment": "left",
        "borderaxespad": 0.0,
    }
    line = 0.5 * scale
    handles = [
        Patch(facecolor=c, edgecolor="#999999", linewidth=line, label=label)
        for c, label in zip(CLASS_COLOURS, CLASS_LABELS)
    ]
    legends = [fig.legend(handles=handles, title=layers.count_title, loc="upper left", **common)]
    drawn = {shown_category(cats, layers.focus) for cats in points["categories"]}
    shown = [name for name in CATEGORY_COLOURS if name in drawn]
    dots = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor=CATEGORY_COLOURS[name],
            markeredgecolor="white",
            markeredgewidth=line,
            markersize=7 * scale,
            label=name,
        )
        for name in shown
    ]
    if layers.upload_label and len(points) and (points["origin"] == layers.upload_label).any():
        dots.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor=UPLOAD_COLOUR,
                markeredgecolor="white",
                markeredgewidth=1.5 * line,
                markersize=8 * scale,
                label=layers.upload_label,
            )
        )
    if dots:
        title = "Project category (first selected)" if layers.focus else "Project category (first listed)"
        legends.append(fig.legend(handles=dots, title=title, loc="upper left", **common))
    if layers.ties:
        ties = [
            Patch(
                facecolor="none", edgecolor=TIE_COLOUR, hatch="////", linewidth=line, label="standards tie with China"
            ),
            Patch(
                facecolor="none",
                edgecolor=TIE_COLOUR,
                hatch="..",
                linestyle="--",
                linewidth=line,
                label="only through a regional body",
            ),
        ]
        for patch in ties:
            patch.set_hatch_linewidth(line)
        legends.append(fig.legend(handles=ties, title="Standards ties", loc="upper left", **common))
    for legend in legends:
        legend.get_frame().set_linewidth(line)
        for text in [*legend.get_texts(), legend.get_title()]:
            text.set_parse_math(False)
    return legends


def _place(
    fig, measure: _Measure, blocks: dict[str, _Block], legends: list, width_px: int, height_px: int, margin: float
) -> tuple[float, float, float, float]:
    """Put text and legends where their measured boxes fit; return the map's rectangle (figure fractions)."""
    renderer = measure.renderer
    gap = margin * 0.8
    top = height_px - margin
    for key in ("title", "subtitle"):
        if blocks[key].lines:
            drawn = _text(fig, blocks[key], margin, top, width_px, height_px, va="top")
            top -= drawn.get_window_extent(renderer).height + gap * 0.5
    bottom = margin
    if blocks["footer"].lines:
        drawn = _text(fig, blocks["footer"], margin, bottom, width_px, height_px, va="bottom")
        bottom += drawn.get_window_extent(renderer).height + gap
    top -= gap * 0.5
    sizes = [legend.get_window_extent(renderer) for legend in legends]
    widths = [s.width for s in sizes]
    heights = [s.height for s in sizes]
    side_width = max(widths) if widths else 0
    if widths and side_width <= 0.3 * width_px and sum(heights) + gap * (len(heights) - 1) <= top - bottom:
        x = width_px - margin - side_width
        y = top
        for legend, height in zip(legends, heights):
            legend.set_bbox_to_anchor((x / width_px, y / height_px), transform=fig.transFigure)
            y -= height + gap
        return (margin / width_px, bottom / height_px, (x - gap - margin) / width_px, (top - bottom) / height_px)
    # legends below the map, flowing left to right in rows
    rows: list[list[int]] = [[]]
    row_width = 0.0
    for i, w in enumerate(widths):
        if rows[-1] and row_width + w > width_px - 2 * margin:
            rows.append([])
            row_width = 0.0
        rows[-1].append(i)
        row_width += w + gap
    y = bottom
    for row in reversed(rows):
        row_height = max((heights[i] for i in row), default=0)
        x = margin
        for i in row:
            legends[i].set_bbox_to_anchor((x / width_px, (y + row_height) / height_px), transform=fig.transFigure)
            x += widths[i] + gap
        y += row_height + gap
    return (margin / width_px, y / height_px, (width_px - 2 * margin) / width_px, max(top - y, 10) / height_px)


def _text(fig, block: _Block, x: float, y: float, width_px: int, height_px: int, *, va: str):
    return fig.text(
        x / width_px,
        y / height_px,
        "\n".join(block.lines),
        fontsize=block.size,
        weight=block.weight,
        color=block.colour,
        va=va,
        ha="left",
        linespacing=1.25,
        parse_math=False,
        wrap=False,
    )


def _draw_layers(
    ax, summary: pd.DataFrame, points: pd.DataFrame, box: Box, layers: MapLayers, scale: float, dpi: int
) -> None:
    from matplotlib.collections import PatchCollection

    ax.set_facecolor(OCEAN_COLOUR)
    geoms = _projected_world(summary, box.centre)
    colours = np.asarray(CLASS_COLOURS)[classify_counts(summary["projects"].to_numpy())]
    patches, patch_colours, hatched = [], [], []
    for geom, colour, iso3 in zip(geoms, colours, summary["iso3"]):
        for patch in _patches(geom):
            patches.append(patch)
            patch_colours.append(colour)
            if iso3 in layers.ties:
                hatched.append((_patch_copy(patch), layers.ties[iso3]))
    ax.add_collection(
        PatchCollection(patches, facecolor=patch_colours, edgecolor=BORDER_COLOUR, linewidth=0.3 * scale, zorder=1)
    )
    for patch, direct in hatched:
        patch.set_facecolor("none")
        patch.set_edgecolor(TIE_COLOUR)
        patch.set_hatch("////" if direct else "..")
        patch.set_hatch_linewidth(0.5 * scale)
        patch.set_linewidth(0.5 * scale)
        patch.set_linestyle("-" if direct else "--")
        patch.set_zorder(2)
        ax.add_patch(patch)
    if len(points):
        x, y = _project_xy(points["longitude"].to_numpy(), points["latitude"].to_numpy(), box.centre)
        upload = (
            (points["origin"] == layers.upload_label).to_numpy() if layers.upload_label else np.zeros(len(points), bool)
        )
        colours = [
            UPLOAD_COLOUR if up else category_colour(c, layers.focus) for c, up in zip(points["categories"], upload)
        ]
        size = (5.5 * scale) ** 2 * (1 if len(points) < 500 else 0.5)
        ax.scatter(x, y, s=size, c=colours, edgecolors="white", linewidths=0.5 * scale, zorder=3)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#bbbbbb")
        spine.set_linewidth(0.6 * scale)


def _patches(geom):
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    for polygon in getattr(geom, "geoms", [geom]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        rings = [np.asarray(polygon.exterior.coords)] + [np.asarray(r.coords) for r in polygon.interiors]
        vertices = np.concatenate(rings)
        codes = np.concatenate(
            [[MplPath.MOVETO] + [MplPath.LINETO] * (len(r) - 2) + [MplPath.CLOSEPOLY] for r in rings]
        )
        yield PathPatch(MplPath(vertices, codes))


def _patch_copy(patch):
    from matplotlib.patches import PathPatch

    return PathPatch(patch.get_path())


def _fit_axes(ax, box: Box, rect, width_px: int, height_px: int) -> None:
    minx, miny, maxx, maxy = _projected_box(box)
    aspect = (rect[2] * width_px) / max(rect[3] * height_px, 1)
    width, height = maxx - minx, maxy - miny
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        minx, maxx = minx - grow, maxx + grow
    else:
        grow = (width / aspect - height) / 2
        miny, maxy = miny - grow, maxy + grow
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal", adjustable="box")


def _label_countries(ax, summary: pd.DataFrame, box: Box, scale: float, fig) -> None:
    """Names of countries with projects, largest counts first; a label that would collide is left out."""
    import shapely

    renderer = renderer_of(fig)
    have = summary[summary["projects"] > 0].sort_values("projects", ascending=False)
    if have.empty:
        return
    geoms = wrap_geometries(have["geometry"].to_numpy(), box.centre)
    anchors = shapely.point_on_surface(geoms)
    x, y = _project_xy(shapely.get_x(anchors), shapely.get_y(anchors), box.centre)
    axes_box = ax.get_window_extent(renderer)
    placed: list = []
    for name, px, py in zip(have["country"], x, y):
        label = ax.text(
            px,
            py,
            name,
            fontsize=BASE_PT["label"] * scale,
            ha="center",
            va="center",
            color="#222222",
            parse_math=False,
            zorder=4,
            clip_on=True,
            path_effects=[patheffects.withStroke(linewidth=2 * scale, foreground="white")],
        )
        extent = label.get_window_extent(renderer)
        inside = (
            extent.x0 >= axes_box.x0
            and extent.x1 <= axes_box.x1
            and extent.y0 >= axes_box.y0
            and extent.y1 <= axes_box.y1
        )
        if not inside or any(extent.overlaps(other) for other in placed):
            label.remove()
            continue
        placed.append(extent.expanded(1.05, 1.1))


def render_image(fig: plt.Figure, fmt: str) -> bytes:
    """Bytes of the figure as png, svg or pdf; the figure is closed. SVG keeps text as text and PDF
    embeds its fonts (TrueType), so both stay editable."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; expected one of {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    metadata = {"png": {"Software": "DSR Map"}, "svg": {"Creator": "DSR Map"}, "pdf": {"Creator": "DSR Map"}}[fmt]
    try:
        with plt.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
            fig.savefig(buffer, format=fmt, dpi=fig.dpi, metadata=metadata)
    finally:
        plt.close(fig)
    return buffer.getvalue()


def text_boxes(fig: plt.Figure) -> dict[str, Any]:
    """Window extents (pixels) of every text, legend and the map frame: what the layout tests check."""
    renderer = renderer_of(fig)
    texts = [t for t in fig.texts if t.get_text()]
    legends = list(fig.legends)
    axes = fig.axes[0] if fig.axes else None
    return {
        "texts": [(t.get_text(), t.get_window_extent(renderer)) for t in texts],
        "legends": [legend.get_window_extent(renderer) for legend in legends],
        "map": [axes.get_window_extent(renderer)] if axes else [],
        "labels": [t.get_window_extent(renderer) for t in (axes.texts if axes else []) if t.get_text()],
        "figure": fig.bbox,
    }
