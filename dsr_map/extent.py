"""Extents that know the antimeridian: one bounding-box function for static maps and the app.

Longitudes are intervals on a circle. ``covering_interval`` finds the shortest interval that
covers them all (the complement of the largest empty gap), so New Zealand with Tonga, Fiji or
Russia frames as one region: ``Box.east`` may exceed 180 (Fiji is 177..182). Drawing code wraps
longitudes into ``[centre - 180, centre + 180]`` (``wrap_longitudes``, ``wrap_geometries``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

WORLD_LAT = (-58.0, 84.0)


@dataclass(frozen=True)
class Box:
    west: float
    south: float
    east: float  # may exceed 180 when the box crosses the antimeridian; east - west <= 360
    north: float

    @property
    def centre(self) -> float:
        return (self.west + self.east) / 2

    @property
    def width(self) -> float:
        return self.east - self.west

    @property
    def crosses_antimeridian(self) -> bool:
        return self.east > 180

    def padded(self, pad: float) -> Box:
        grow = min(pad, (360 - self.width) / 2)
        return Box(self.west - grow, max(self.south - pad, -85.0), self.east + grow, min(self.north + pad, 85.0))

    def leaflet(self) -> list[list[float]]:
        """[[south, west], [north, east]] for Leaflet's fitBounds (east may exceed 180)."""
        return [[round(self.south, 4), round(self.west, 4)], [round(self.north, 4), round(self.east, 4)]]


WORLD = Box(-180.0, WORLD_LAT[0], 180.0, WORLD_LAT[1])

# Named region presets (--extent and the app's Export panel); Oceania runs across 180.
REGIONS: dict[str, Box] = {
    "Africa": Box(-26.0, -36.0, 58.0, 38.5),
    "Asia": Box(25.0, -12.0, 150.0, 56.0),
    "Europe": Box(-25.0, 34.0, 60.0, 71.5),
    "Latin America and the Caribbean": Box(-118.0, -56.0, -33.0, 33.0),
    "Middle East and North Africa": Box(-18.0, 12.0, 63.0, 42.0),
    "Oceania": Box(110.0, -50.0, 215.0, 12.0),
    "Southeast Asia": Box(92.0, -11.5, 142.0, 29.0),
}


def _norm(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


def covering_interval(intervals: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
    """The shortest (west, east) covering every (west, east) longitude interval, east possibly > 180.

    Each input interval runs eastward from west to east (a point is (x, x)); inputs need not be
    normalised. None when there are no intervals; (-180, 180) when they cover the whole circle."""
    spans: list[list[float]] = []
    for west, east in intervals:
        if east - west >= 360:
            return (-180.0, 180.0)
        start = _norm(west)
        spans.append([start, start + (east - west) % 360.0])
    if not spans:
        return None
    spans.sort()
    merged: list[list[float]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    while len(merged) > 1 and merged[-1][1] >= merged[0][0] + 360:  # the last span wraps over the first
        first = merged.pop(0)
        merged[-1][1] = max(merged[-1][1], first[1] + 360)
    if merged[-1][1] - merged[0][0] >= 360 or (len(merged) == 1 and merged[0][1] - merged[0][0] >= 360):
        return (-180.0, 180.0)
    count = len(merged)
    gaps = [merged[(i + 1) % count][0] + (360 if i == count - 1 else 0) - merged[i][1] for i in range(count)]
    i = int(np.argmax(gaps))
    if i == count - 1:
        west, east = merged[0][0], merged[-1][1]
    else:
        west, east = merged[i + 1][0], merged[i][1] + 360
    shift = _norm(west) - west
    return west + shift, east + shift


def geometry_intervals(geom) -> list[tuple[float, float]]:
    """Longitude interval of each polygon part (countries are split at the antimeridian)."""
    parts = getattr(geom, "geoms", [geom])
    return [(p.bounds[0], p.bounds[2]) for p in parts if not p.is_empty]


def fit_box(
    projects: pd.DataFrame, world: pd.DataFrame | None = None, *, pad: float = 2.0, min_span: float = 4.0
) -> Box | None:
    """The box around the filtered projects: their points, and the countries of rows without a point.

    The same function serves the app's first view and the static maps' fitted extent."""
    points = projects[projects["latitude"].notna() & projects["longitude"].notna()]
    # distinct longitudes (to 0.01 degree) are enough to find the gap: 100k points are a few thousand
    intervals = [(x, x) for x in np.unique(np.round(points["longitude"].to_numpy(dtype=float), 2))]
    lats = [float(points["latitude"].min()), float(points["latitude"].max())] if len(points) else []
    unplaced = set(projects.loc[projects["latitude"].isna(), "country_iso3"])
    if world is not None and unplaced and "geometry" in world:
        for geom in world.loc[world["iso3"].isin(unplaced), "geometry"]:
            intervals += geometry_intervals(geom)
            lats += [geom.bounds[1], geom.bounds[3]]
    span = covering_interval(intervals)
    if span is None:
        return None
    west, east = span
    south, north = min(lats), max(lats)
    if east - west < min_span:
        grow = (min_span - (east - west)) / 2
        west, east = west - grow, east + grow
    if north - south < min_span:
        grow = (min_span - (north - south)) / 2
        south, north = south - grow, north + grow
    pad = max(pad, 0.06 * max(east - west, north - south))
    box = Box(west, south, east, north).padded(pad)
    return WORLD if box.width >= 330 else box


def parse_box(text: str) -> Box:
    """'minx,miny,maxx,maxy' in degrees; maxx < minx (or > 180) means the box crosses 180."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise ValueError(f"extent must be world, data, a region or minx,miny,maxx,maxy (got {text!r})") from None
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise ValueError(f"extent must have four numbers minx,miny,maxx,maxy (got {text!r})")
    west, south, east, north = values
    if not (-180 <= west <= 180 and -180 <= east <= 540 and -90 <= south < north <= 90):
        raise ValueError(f"extent {text!r} is out of range (longitudes -180..180, latitudes -90..90, south < north)")
    if east <= west:
        east += 360  # e.g. 165,-50,-170,-10 runs east across 180
    if east - west > 360:
        raise ValueError(f"extent {text!r} spans more than 360 degrees")
    return Box(west, max(south, -85.0), east, min(north, 85.0))


def wrap_longitudes(lon: np.ndarray, centre: float) -> np.ndarray:
    """Longitudes moved by 360 into [centre - 180, centre + 180)."""
    return (np.asarray(lon, dtype=float) - centre + 180.0) % 360.0 + centre - 180.0


def wrap_geometries(geoms, centre: float):
    """Shapes moved into [centre - 180, centre + 180]: parts beyond the seam shift by 360, shapes
    cut by the seam are clipped into both sides (so projecting around ``centre`` draws them whole)."""
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    if abs(centre) < 1e-9:
        return geoms
    lo, hi = centre - 180 + 1e-6, centre + 180 - 1e-6
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        moved = shapely.transform(geoms, lambda xy, s=shift: xy + np.array([s, 0.0]))
        pieces.append(shapely.clip_by_rect(moved, lo, -90, hi, 90))
    out = shapely.union_all(np.stack(pieces), axis=0)
    return shapely.make_valid(out)
