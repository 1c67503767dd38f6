"""Build data/boundaries/countries.parquet from Natural Earth 1:50m (npm world-atlas 2.0.2).

Re-runnable: ``python scripts/build_boundaries.py`` fetches the pinned npm package with
``npm pack`` (or takes ``--topojson PATH``), reads its ``countries`` layer with GDAL,
assigns ISO 3166 alpha-3 codes (with the documented fix-ups below), adds UN M49
region/subregion, splits rings at the antimeridian, simplifies the coverage so shared borders
stay shared, rounds coordinates and writes GeoParquet plus ``SOURCE.md``.

Needs the ``build`` extra: ``pip install -e .[build]`` (antimeridian, country_converter;
only country_converter's bundled ``country_data.tsv`` table is read, its API is not used).
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import tempfile
import warnings
from importlib import resources
from pathlib import Path

import antimeridian
import geopandas as gpd
import pandas as pd
import pycountry
import shapely

PACKAGE = "world-atlas@2.0.2"
LAYER = "countries"
SIMPLIFY_TOLERANCE = 0.02  # degrees; coverage-preserving
GRID = 0.001  # degrees; coordinate rounding (~100 m)
OUT = Path(__file__).resolve().parent.parent / "data" / "boundaries"

# Features with no ISO 3166 numeric id in the source, or a shared one, get stable codes.
# name in source -> (iso3, reason)
FIXUPS: dict[str, tuple[str, str]] = {
    "Kosovo": ("XKX", "no ISO 3166 code; XKX is the user-assigned code used by the EU and IMF"),
    "N. Cyprus": ("XNC", "unassigned area; stable project code"),
    "Somaliland": ("XSL", "unassigned area; stable project code"),
    "Indian Ocean Ter.": ("XIO", "Christmas I. and Cocos Is. merged in the source; stable project code"),
    "Siachen Glacier": ("XSG", "disputed area without id; stable project code"),
    "Ashmore and Cartier Is.": ("XAC", "shares numeric id 036 with Australia; stable project code"),
}
# UN M49 sub-region for the project codes above (the nearest M49 grouping).
FIXUP_SUBREGION = {
    "XKX": "Southern Europe",
    "XNC": "Western Asia",
    "XSL": "Eastern Africa",
    "XIO": "Australia and New Zealand",
    "XSG": "Southern Asia",
    "XAC": "Australia and New Zealand",
}
# UN M49 sub-region -> M49 region.
M49_REGION = {
    "Northern Africa": "Africa",
    "Eastern Africa": "Africa",
    "Middle Africa": "Africa",
    "Southern Africa": "Africa",
    "Western Africa": "Africa",
    "Caribbean": "Americas",
    "Central America": "Americas",
    "South America": "Americas",
    "Northern America": "Americas",
    "Central Asia": "Asia",
    "Eastern Asia": "Asia",
    "South-eastern Asia": "Asia",
    "Southern Asia": "Asia",
    "Western Asia": "Asia",
    "Eastern Europe": "Europe",
    "Northern Europe": "Europe",
    "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania",
    "Micronesia": "Oceania",
    "Polynesia": "Oceania",
    "Antarctica": "Antarctica",
}


def fetch_topojson(workdir: Path) -> Path:
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True)
    tgz = next(workdir.glob("world-atlas-*.tgz"))
    subprocess.run(["tar", "xzf", tgz.name], cwd=workdir, check=True)
    return workdir / "package" / "countries-50m.json"


def m49_subregions() -> dict[str, str]:
    table = resources.files("country_converter") / "country_data.tsv"
    with resources.as_file(table) as path:
        frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    return dict(zip(frame["ISO3"], frame["UNregion"]))


def assign_codes(world: gpd.GeoDataFrame) -> tuple[pd.Series, list[str]]:
    codes, log = [], []
    for name, numeric in zip(world["name"], world["id"]):
        if name in FIXUPS:
            code, reason = FIXUPS[name]
            log.append(f"{name} (id {numeric if isinstance(numeric, str) else 'none'}) -> {code}: {reason}")
        else:
            country = pycountry.countries.get(numeric=str(numeric).zfill(3))
            if country is None:
                raise SystemExit(f"no ISO 3166 code for {name!r} (id {numeric!r}): add a fix-up")
            code = country.alpha_3
        codes.append(code)
    return pd.Series(codes, index=world.index), log


def split_antimeridian(geometry: shapely.Geometry) -> tuple[shapely.Geometry, bool]:
    parts = getattr(geometry, "geoms", [geometry])
    if all(p.bounds[2] - p.bounds[0] <= 180 for p in parts):
        return geometry, False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if geometry.geom_type == "MultiPolygon":
            return antimeridian.fix_multi_polygon(geometry, fix_winding=True), True
        return antimeridian.fix_polygon(geometry, fix_winding=True), True


def build(topojson: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    world = gpd.read_file(topojson, layer=LAYER).set_crs("EPSG:4326", allow_override=True)
    world["iso3"], log = assign_codes(world)
    world["iso_n3"] = world["id"].fillna("").astype(str)
    subregions = m49_subregions()
    world["subregion"] = [FIXUP_SUBREGION.get(c) or subregions.get(c, "") for c in world["iso3"]]
    missing = world.loc[world["subregion"] == "", "iso3"].tolist()
    if missing:
        raise SystemExit(f"no UN M49 sub-region for {missing}: add a fix-up")
    world["region"] = world["subregion"].map(M49_REGION)
    fixed = [split_antimeridian(g) for g in world.geometry]
    for name, (_, changed) in zip(world["name"], fixed):
        if changed:
            log.append(f"{name}: rings split at the antimeridian")
    geoms = shapely.make_valid(gpd.GeoSeries([g for g, _ in fixed], crs="EPSG:4326").values)
    geoms = shapely.coverage_simplify(geoms, SIMPLIFY_TOLERANCE, simplify_boundary=True)
    geoms = shapely.set_precision(geoms, GRID)
    geoms = shapely.make_valid(geoms)
    world = gpd.GeoDataFrame(
        world[["iso3", "iso_n3", "name", "region", "subregion"]],
        geometry=list(geoms),
        crs="EPSG:4326",
    )
    empty = world.loc[world.geometry.is_empty, "name"].tolist()
    if empty:
        raise SystemExit(f"simplification emptied {empty}")
    return world.sort_values("iso3").reset_index(drop=True), log


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_source_md(world: gpd.GeoDataFrame, log: list[str], src_sha: str, out_sha: str) -> str:
    fixups = "\n".join(f"- {line}" for line in log)
    return f"""# World boundaries: origin and build

- **Origin**: Natural Earth 1:50m Cultural Vectors, Admin 0 - Countries, as carried in
  TopoJSON by the npm package `{PACKAGE}` (file `countries-50m.json`, layer `{LAYER}`,
  ISO 3166-1 numeric ids).
- **Licence**: Natural Earth is in the public domain (https://www.naturalearthdata.com/about/terms-of-use/);
  world-atlas is ISC-licensed.
- **Input sha256** (`countries-50m.json`): `{src_sha}`
- **Output**: `countries.parquet` (GeoParquet, EPSG:4326), sha256 `{out_sha}`
- **Features**: {len(world)}
- **Columns**: `iso3` (ISO 3166-1 alpha-3 or a project code below), `iso_n3` (source numeric id,
  empty where the source has none), `name` (source name), `region` and `subregion` (UN M49,
  from the table bundled with the `country_converter` package), `geometry`.
- **Build**: `python scripts/build_boundaries.py` (needs `pip install -e .[build]` and npm).
  Steps: read with GDAL; ISO3 from the numeric id with pycountry; fix-ups below; rings that
  cross the antimeridian split with the `antimeridian` package; coverage-preserving
  simplification (`shapely.coverage_simplify`, tolerance {SIMPLIFY_TOLERANCE} degrees) so shared borders
  stay shared; coordinates rounded to a {GRID}-degree grid.

## Fix-ups
{fixups}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topojson", type=Path, help="use this countries-50m.json instead of npm pack")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.topojson or fetch_topojson(Path(tmp))
        world, log = build(source)
        src_sha = sha256(source)
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "countries.parquet"
    world.to_parquet(target, index=False, compression="zstd")
    (OUT / "SOURCE.md").write_text(write_source_md(world, log, src_sha, sha256(target)), encoding="utf-8")
    print(f"wrote {target} ({len(world)} features, {target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
