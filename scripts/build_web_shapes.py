"""Build data/boundaries/countries.topo.json, the country shapes the interactive map draws.

Derived from ``countries.parquet`` (never edited by hand): TopoJSON (shared borders stored once)
quantised to 10,000 steps per axis (about 0.036 x 0.017 degrees) and simplified at 0.05 degrees,
which suits the zoom levels the map uses for shading countries. The parquet's sha256 is recorded
in the file (``source_sha256``); a test checks that it matches, so the two never drift apart.

Needs the ``build`` extra (the ``topojson`` package): ``pip install -e .[build]``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import geopandas as gpd
import topojson

BOUNDARIES = Path(__file__).resolve().parent.parent / "data" / "boundaries"
QUANTISATION = 1e4
TOLERANCE = 0.05  # degrees


def build(source: Path = BOUNDARIES / "countries.parquet", target: Path = BOUNDARIES / "countries.topo.json") -> dict:
    world = gpd.read_parquet(source)
    topology = topojson.Topology(
        world[["iso3", "geometry"]],
        prequantize=QUANTISATION,
        toposimplify=TOLERANCE,
        prevent_oversimplify=True,
        object_name="countries",
    )
    data = json.loads(topology.to_json())
    data["source_sha256"] = hashlib.sha256(source.read_bytes()).hexdigest()
    data["note"] = "Natural Earth 1:50m (public domain) via DSR Map's countries.parquet; see SOURCE.md"
    target.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    return data


if __name__ == "__main__":
    built = build()
    print(f"wrote {len(built['objects']['countries']['geometries'])} countries to countries.topo.json")
