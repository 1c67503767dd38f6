"""Geocoding: exact GeoNames names within the country, and the curated places table first."""

from __future__ import annotations

import csv
from pathlib import Path

from dsr_map.cli import main
from dsr_map.gazetteer import PLACE_COLUMNS, locate, read_places


def write_places(folder: Path, rows: list[dict[str, str]]) -> None:
    with open(folder / "places.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=PLACE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def place(**overrides: str) -> dict[str, str]:
    row = {
        "place": "Ngwe Saung",
        "country_iso3": "MMR",
        "latitude": "16.85",
        "longitude": "94.4",
        "source_title": "Ngwe-Saung",
        "source_url": "https://example.org/ngwe-saung",
        "accessed": "2026-11-29",
    }
    return row | overrides


def test_geonames_exact_name_within_the_country() -> None:
    lat, lon, geonameid = locate("Nairobi", "KEN")
    assert (round(lat), round(lon)) == (-1, 37) and geonameid
    assert locate("Nairobi", "UGA") is None  # never another country's city
    assert locate("Nairobbi", "KEN") is None  # no fuzzy matching


def test_curated_place_wins_and_names_are_normalised(tmp_path: Path) -> None:
    write_places(tmp_path, [place()])
    places, problems = read_places(tmp_path)
    assert problems == []
    assert locate("ngwe  saung", "MMR", places) == (16.85, 94.4, None)
    assert locate("Ngwe Saung", "MMR") is None  # not in GeoNames as bundled
    assert locate("Ngwe Saung", "THA", places) is None


def test_bad_places_rows_are_named(tmp_path: Path) -> None:
    write_places(
        tmp_path,
        [
            place(place="A", latitude="95"),
            place(place="B", longitude="east"),
            place(place="C", source_url="javascript:alert(1)"),
            place(place="D", source_title=" "),
            place(place="E"),
            place(place="E"),
        ],
    )
    places, problems = read_places(tmp_path)
    found = {(p.row, p.column) for p in problems}
    assert found == {
        ("A (MMR)", "latitude"),
        ("B (MMR)", "longitude"),
        ("C (MMR)", "source_url"),
        ("D (MMR)", "source_title"),
        ("E (MMR)", "place"),
    }
    assert ("a", "MMR") not in places and ("e", "MMR") in places


def test_missing_places_file_is_no_places(tmp_path: Path) -> None:
    assert read_places(tmp_path) == ({}, [])


def test_validate_reports_a_bad_places_file(data_copy: Path, capsys) -> None:
    write_places(data_copy, [place(latitude="not a number")])
    assert main(["validate", "--data", str(data_copy)]) == 1
    assert "places.csv row Ngwe Saung (MMR) column latitude" in capsys.readouterr().out


def test_geocode_fills_a_row_from_places(data_copy: Path, capsys) -> None:
    projects = (data_copy / "projects.csv").read_text(encoding="utf-8")
    row = next(line for line in projects.splitlines() if line.startswith("DSR-0368,"))
    assert ",Ngwe Saung,16.85,94.4," in row  # the bundled row carries the curated point
    (data_copy / "projects.csv").write_text(
        projects.replace(",Ngwe Saung,16.85,94.4,", ",Ngwe Saung,,,"), encoding="utf-8"
    )
    assert main(["geocode", "--data", str(data_copy)]) == 0
    assert ",Ngwe Saung,16.85,94.4," in (data_copy / "projects.csv").read_text(encoding="utf-8")
    write_places(data_copy, [])
    (data_copy / "projects.csv").write_text(
        projects.replace(",Ngwe Saung,16.85,94.4,", ",Ngwe Saung,,,"), encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["geocode", "--data", str(data_copy)]) == 0
    assert "DSR-0368: city 'Ngwe Saung' not found in MMR" in capsys.readouterr().out
