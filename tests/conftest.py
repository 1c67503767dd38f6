"""Tiny datasets built in code, and the real bundled data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from shapely.geometry import box

from dsr_map.load import DEFAULT_DATA_DIR, Dataset, empty_table, read_dataset
from dsr_map.schema import TABLES, column_names

REPO = Path(__file__).resolve().parent.parent


def make_world() -> pd.DataFrame:
    """Three square 'countries' with real codes (as load.read_world gives them: shapely shapes)."""
    return pd.DataFrame(
        {
            "iso3": ["KEN", "SRB", "ECU"],
            "iso_n3": ["404", "688", "218"],
            "name": ["Kenya", "Serbia", "Ecuador"],
            "region": ["Africa", "Europe", "Americas"],
            "subregion": ["Eastern Africa", "Southern Europe", "South America"],
            "geometry": [box(34, -4, 41, 4), box(19, 42, 23, 46), box(-81, -5, -75, 1)],
        }
    )


def project_row(**overrides: str) -> dict[str, str]:
    row = {
        "project_id": "DSR-0001",
        "name": "Nairobi Safe City",
        "country_iso3": "KEN",
        "city": "Nairobi",
        "latitude": "-1.28",
        "longitude": "36.82",
        "categories": "Surveillance; Integrated Platforms",
        "project_type": "Safe City",
        "scale": "city",
        "vendors": "huawei",
        "year": "2014",
        "status": "operational",
        "status_as_of": "",
        "value_usd": "",
        "client": "",
        "financing": "",
        "certainty": "reported",
        "description": "A city surveillance network.",
        "source_ids": "S-0001",
    }
    row.update(overrides)
    return row


def default_projects() -> list[dict[str, str]]:
    """The tiny dataset's four projects: Nairobi, Belgrade, ECU-911 and an undated M-Pesa row."""
    return [
        project_row(),
        project_row(
            project_id="DSR-0002",
            name="Belgrade cameras",
            country_iso3="SRB",
            city="Belgrade",
            latitude="44.8",
            longitude="20.46",
            categories="Surveillance",
            year="2019",
            source_ids="S-0002",
        ),
        project_row(
            project_id="DSR-0003",
            name="ECU-911",
            country_iso3="ECU",
            city="",
            latitude="",
            longitude="",
            categories="Integrated Platforms; Municipal Services",
            project_type="Command / emergency centre",
            vendors="ceiec; huawei",
            year="2011",
            status="operational",
            value_usd="240000000",
            source_ids="S-0001; S-0002",
            scale="national",
        ),
        project_row(
            project_id="DSR-0004",
            name="M-Pesa platform",
            country_iso3="KEN",
            city="",
            latitude="",
            longitude="",
            categories="Fintech",
            project_type="Payment platform",
            vendors="huawei",
            year="",
            status="unknown",
            source_ids="S-0002",
            scale="national",
        ),
    ]


def make_dataset(projects: list[dict[str, str]] | None = None, **tables: list[dict[str, str]]) -> Dataset:
    """The tiny dataset; ``tables`` (events, standards, bodies, standards_figures, retired) add rows."""
    projects = projects if projects is not None else default_projects()
    sources = pd.DataFrame(
        [
            {
                "source_id": "S-0001",
                "publisher": "Example",
                "title": "Report one",
                "url": "https://example.org/1",
                "published": "2019-04",
                "accessed": "2026-11-29",
            },
            {
                "source_id": "S-0002",
                "publisher": "Example",
                "title": "Report two",
                "url": "https://example.org/2",
                "published": "2020",
                "accessed": "2026-11-29",
            },
            {
                "source_id": "S-0003",
                "publisher": "Example",
                "title": "Report three",
                "url": "https://example.org/3",
                "published": "2023-01",
                "accessed": "2026-11-29",
            },
        ]
    )
    vendors = pd.DataFrame(
        [
            {
                "vendor_id": "huawei",
                "name": "Huawei Technologies",
                "short_name": "Huawei",
                "aliases": "Huawei",
                "headquarters": "Shenzhen",
                "ownership": "private",
            },
            {
                "vendor_id": "ceiec",
                "name": "CEIEC",
                "short_name": "",
                "aliases": "China National Electronics",
                "headquarters": "Beijing",
                "ownership": "state-owned",
            },
        ]
    )
    frames = {name: empty_table(name) for name in TABLES}
    frames["projects.csv"] = pd.DataFrame(projects, columns=column_names("projects.csv")).fillna("").astype(str)
    frames["sources.csv"] = sources.astype(str)
    frames["vendors.csv"] = vendors.astype(str)
    for key, rows in tables.items():
        name = f"{key}.csv"
        frames[name] = pd.DataFrame(rows, columns=column_names(name)).astype(object).fillna("").astype(str)
    return Dataset(tables=frames, world=make_world(), version="test", data_dir=Path("."))


def event_row(**overrides: str) -> dict[str, str]:
    row = {
        "event_id": "EV-00001",
        "project_id": "DSR-0001",
        "date": "2014",
        "date_basis": "source",
        "event": "contracted",
        "description": "Contract signed.",
        "source_ids": "S-0001",
    }
    row.update(overrides)
    return row


def tie_row(**overrides: str) -> dict[str, str]:
    row = {
        "tie_id": "ST-0001",
        "country_iso3": "KEN",
        "body_id": "",
        "kind": "standards_cooperation",
        "counterpart": "Kenya Bureau of Standards",
        "chinese_party": "SAC",
        "year": "2017",
        "date": "2017-05",
        "status": "signed",
        "description": "A standards cooperation agreement.",
        "source_ids": "S-0001",
    }
    row.update(overrides)
    return row


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
