"""Tiny datasets built in code, and the real bundled data."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from dsr_map.load import DEFAULT_DATA_DIR, Dataset, read_dataset
from dsr_map.schema import column_names

REPO = Path(__file__).resolve().parent.parent


def make_world() -> gpd.GeoDataFrame:
    """Three square 'countries' with real codes."""
    return gpd.GeoDataFrame(
        {
            "iso3": ["KEN", "SRB", "ECU"],
            "iso_n3": ["404", "688", "218"],
            "name": ["Kenya", "Serbia", "Ecuador"],
            "region": ["Africa", "Europe", "Americas"],
            "subregion": ["Eastern Africa", "Southern Europe", "South America"],
        },
        geometry=[box(34, -4, 41, 4), box(19, 42, 23, 46), box(-81, -5, -75, 1)],
        crs="EPSG:4326",
    )


def project_row(**overrides: str) -> dict[str, str]:
    row = {
        "project_id": "DSR-0001", "name": "Nairobi Safe City", "country_iso3": "KEN",
        "city": "Nairobi", "latitude": "-1.28", "longitude": "36.82",
        "categories": "Surveillance; Integrated Platforms", "project_type": "Safe City",
        "vendors": "huawei", "year": "2014", "status": "operational", "value_usd": "",
        "client": "", "financing": "", "certainty": "reported",
        "description": "A city surveillance network.", "source_ids": "S-0001",
    }
    row.update(overrides)
    return row


def make_dataset(projects: list[dict[str, str]] | None = None) -> Dataset:
    projects = projects if projects is not None else [
        project_row(),
        project_row(project_id="DSR-0002", name="Belgrade cameras", country_iso3="SRB", city="Belgrade",
                    latitude="44.8", longitude="20.46", categories="Surveillance", year="2019",
                    source_ids="S-0002"),
        project_row(project_id="DSR-0003", name="ECU-911", country_iso3="ECU", city="", latitude="",
                    longitude="", categories="Integrated Platforms; Municipal Services",
                    project_type="Command / emergency centre", vendors="ceiec; huawei", year="2011",
                    status="operational", value_usd="240000000", source_ids="S-0001; S-0002"),
        project_row(project_id="DSR-0004", name="M-Pesa platform", country_iso3="KEN", city="",
                    latitude="", longitude="", categories="Fintech", project_type="Payment platform",
                    vendors="huawei", year="", status="unknown", source_ids="S-0002"),
    ]
    sources = pd.DataFrame(
        [
            {"source_id": "S-0001", "publisher": "Example", "title": "Report one", "url": "https://example.org/1",
             "published": "2019-04", "accessed": "2026-11-29"},
            {"source_id": "S-0002", "publisher": "Example", "title": "Report two", "url": "https://example.org/2",
             "published": "2020", "accessed": "2026-11-29"},
        ]
    )
    vendors = pd.DataFrame(
        [
            {"vendor_id": "huawei", "name": "Huawei Technologies", "aliases": "Huawei", "headquarters": "Shenzhen", "ownership": "private"},
            {"vendor_id": "ceiec", "name": "CEIEC", "aliases": "", "headquarters": "Beijing", "ownership": "state-owned"},
        ]
    )
    frame = pd.DataFrame(projects, columns=column_names("projects.csv")).fillna("").astype(str)
    return Dataset(projects=frame, sources=sources.astype(str), vendors=vendors.astype(str),
                   world=make_world(), version="test", data_dir=Path("."))


@pytest.fixture
def dataset() -> Dataset:
    return make_dataset()


@pytest.fixture(scope="session")
def real_dataset() -> Dataset:
    data, problems = read_dataset(DEFAULT_DATA_DIR)
    assert not problems
    return data


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data/ folder."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target
