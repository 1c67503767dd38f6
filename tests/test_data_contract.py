"""Contract over the real data/: valid, canonical, joined, and boundaries as SOURCE.md says."""

from __future__ import annotations

import hashlib
import json
import re

import geopandas as gpd
import shapely

from dsr_map.fmt import canonical_tables
from dsr_map.join import count_by_country, prepare_projects
from dsr_map.load import DEFAULT_DATA_DIR
from dsr_map.schema import TABLES, dictionary_markdown
from dsr_map.validate import find_problems

BOUNDARIES = DEFAULT_DATA_DIR / "boundaries"


def test_bundled_data_validates(real_dataset) -> None:
    """No problem at all in the committed data."""
    assert [str(p) for p in find_problems(real_dataset)] == []


def test_bundled_csvs_are_canonical(real_dataset) -> None:
    """Committed files equal their canonical form, derived columns included (so diffs stay readable)."""
    for table, text in canonical_tables(real_dataset.tables).items():
        committed = (DEFAULT_DATA_DIR / table).read_text(encoding="utf-8")
        assert committed == text, table
        assert "\r" not in committed


def test_every_table_has_its_data_dictionary(real_dataset) -> None:
    """data/README.md holds each table's dictionary exactly as the schema defines it."""
    readme = (DEFAULT_DATA_DIR / "README.md").read_text(encoding="utf-8")
    for table in TABLES.values():
        assert f"## {table.file}\n{dictionary_markdown(table)}" in readme, table.file


def test_the_floors_of_the_issues_hold(real_dataset) -> None:
    """Every project has events; at least 60 ties in 45 countries; year and status derive from events."""
    events, projects, ties = real_dataset.events, real_dataset.projects, real_dataset.standards
    assert set(projects["project_id"]) == set(events["project_id"])
    assert len(ties) >= 60 and ties.loc[ties["country_iso3"] != "", "country_iso3"].nunique() >= 45
    assert set(real_dataset.retired["project_id"]).isdisjoint(projects["project_id"])


def test_every_project_joins_to_a_boundary(real_dataset) -> None:
    """Each country code has a feature, a display name and a region."""
    projects = prepare_projects(real_dataset)
    assert set(projects["country_iso3"]) <= set(real_dataset.world["iso3"])
    assert (projects["region"] != "").all()
    summary = count_by_country(projects, real_dataset.world)
    assert len(summary) == len(real_dataset.world)
    assert summary["projects"].sum() == len(projects)


def test_boundaries_match_source_md(real_dataset) -> None:
    """Feature count and sha256 in SOURCE.md describe the committed file."""
    text = (BOUNDARIES / "SOURCE.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((BOUNDARIES / "countries.parquet").read_bytes()).hexdigest()
    assert f"`{digest}`" in text
    count = int(re.search(r"\*\*Features\*\*: (\d+)", text).group(1))
    world = real_dataset.world
    assert count == len(world) >= 240
    assert world["iso3"].is_unique
    assert {"SGP", "MDV", "MUS", "BHR", "MLT", "XKX", "XNC", "XSL"} <= set(world["iso3"])
    assert (
        shapely.is_valid(world["geometry"].to_numpy()).all()
        and not shapely.is_empty(world["geometry"].to_numpy()).any()
    )
    assert gpd.read_parquet(BOUNDARIES / "countries.parquet").crs.to_epsg() == 4326


def test_web_shapes_come_from_the_committed_boundaries(real_dataset) -> None:
    """countries.topo.json (the map's shapes) records the parquet's sha256 and holds every feature."""
    topo = json.loads((BOUNDARIES / "countries.topo.json").read_text(encoding="utf-8"))
    assert topo["source_sha256"] == hashlib.sha256((BOUNDARIES / "countries.parquet").read_bytes()).hexdigest()
    ids = {g["properties"]["iso3"] for g in topo["objects"]["countries"]["geometries"]}
    assert ids == set(real_dataset.world["iso3"])


def test_no_ring_crosses_the_antimeridian(real_dataset) -> None:
    """Split rings: no polygon part spans more than 180 degrees of longitude (Antarctica excepted)."""
    for iso3, geom in zip(real_dataset.world["iso3"], real_dataset.world["geometry"]):
        if iso3 == "ATA":
            continue
        for part in getattr(geom, "geoms", [geom]):
            minx, _, maxx, _ = part.bounds
            assert maxx - minx <= 180, iso3


def test_shared_borders_stay_shared(real_dataset) -> None:
    """Neighbours touch without gaps: France and Spain share a border line."""
    world = real_dataset.world.set_index("iso3")["geometry"]
    shared = world["FRA"].intersection(world["ESP"])
    assert shared.length > 3  # degrees of common border
    assert shared.area < 1e-6


def test_version_and_changelog_exist() -> None:
    """The data carries a version and a changelog that mentions it."""
    version = (DEFAULT_DATA_DIR / "VERSION").read_text().strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert f"[{version}]" in (DEFAULT_DATA_DIR / "CHANGELOG.md").read_text()
