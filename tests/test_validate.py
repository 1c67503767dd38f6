"""Validation reports every problem at once, naming file, row id and column."""

from __future__ import annotations

import datetime as dt

import pytest

from dsr_map.errors import DataValidationError
from dsr_map.validate import find_problems, is_http_url, validate_dataset

from .conftest import make_dataset, project_row


def problems_for(**overrides: str) -> list[tuple[str, str, str]]:
    data = make_dataset([project_row(**overrides)])
    return [(p.file, p.row, p.column) for p in find_problems(data)]


def test_clean_dataset_has_no_problems(dataset) -> None:
    """The tiny dataset built in code is valid."""
    assert find_problems(dataset) == []
    assert validate_dataset(dataset) is dataset


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"country_iso3": "XYZ"}, "country_iso3"),
        ({"country_iso3": "kenya"}, "country_iso3"),
        ({"year": "1989"}, "year"),
        ({"year": str(dt.date.today().year + 1)}, "year"),
        ({"year": "20x4"}, "year"),
        ({"categories": "Surveillance; Robots"}, "categories"),
        ({"categories": ""}, "categories"),
        ({"project_type": "Spaceport"}, "project_type"),
        ({"status": "done"}, "status"),
        ({"certainty": "sure"}, "certainty"),
        ({"latitude": "95"}, "latitude"),
        ({"longitude": "-181"}, "longitude"),
        ({"latitude": "north"}, "latitude"),
        ({"latitude": "1.0", "longitude": ""}, "longitude"),
        ({"vendors": "huawei; acme"}, "vendors"),
        ({"vendors": ""}, "vendors"),
        ({"source_ids": "S-0009"}, "source_ids"),
        ({"source_ids": ""}, "source_ids"),
        ({"name": "  "}, "name"),
        ({"description": ""}, "description"),
        ({"project_id": "P1"}, "project_id"),
        ({"project_id": "DSR-0001-evil"}, "project_id"),  # patterns match the whole value
        ({"country_iso3": "KENYA"}, "country_iso3"),  # every code is checked, not only three-letter ones
        ({"country_iso3": "KENX"}, "country_iso3"),
        ({"country_iso3": "ken"}, "country_iso3"),
        ({"value_usd": "-5"}, "value_usd"),
        ({"value_usd": "lots"}, "value_usd"),
        ({"value_usd": "inf"}, "value_usd"),  # shown as "US$inf bn" before
        ({"value_usd": "nan"}, "value_usd"),
        ({"latitude": "inf", "longitude": "1"}, "latitude"),
        ({"year": "²⁰¹⁵"}, "year"),
        ({"scale": "galactic"}, "scale"),
        ({"scale": ""}, "scale"),
        ({"status_as_of": "2019-02-30"}, "status_as_of"),
    ],
)
def test_each_defect_names_its_column(overrides: dict[str, str], column: str) -> None:
    """A single defect is reported once with the row id and the column."""
    found = problems_for(**overrides)
    row = overrides.get("project_id", "DSR-0001")
    assert ("projects.csv", row, column) in found
    assert problems_for() == []  # the same row without the defect is clean


def test_point_outside_country_is_reported() -> None:
    """A point in Serbia for a Kenyan project is outside its country."""
    found = problems_for(latitude="44.8", longitude="20.4")
    assert ("projects.csv", "DSR-0001", "latitude") in found


def test_point_just_off_the_coast_is_tolerated() -> None:
    """Coasts and islands get a small tolerance."""
    assert problems_for(latitude="-4.1", longitude="40.0") == []


def test_duplicate_id_and_duplicate_project_are_reported() -> None:
    """Same id twice, and same country + vendors + name under two ids."""
    rows = [project_row(), project_row(), project_row(project_id="DSR-0002", name="nairobi safe-city")]
    found = {(p.row, p.column, p.message.split(":")[0]) for p in find_problems(make_dataset(rows))}
    assert ("DSR-0001", "project_id", "duplicate id") in found
    assert ("DSR-0002", "name", "duplicate project") in found


def test_every_problem_is_reported_at_once() -> None:
    """Many defective rows give one problem each, all in one error."""
    rows = [
        project_row(project_id="DSR-0001", country_iso3="XYZ"),
        project_row(project_id="DSR-0002", name="b", year="1800"),
        project_row(project_id="DSR-0003", name="c", latitude="95"),
        project_row(project_id="DSR-0004", name="d", vendors="nobody"),
    ]
    with pytest.raises(DataValidationError) as info:
        validate_dataset(make_dataset(rows))
    rows_named = {p.row for p in info.value.problems}
    assert rows_named == {"DSR-0001", "DSR-0002", "DSR-0003", "DSR-0004"}
    assert "DSR-0003" in str(info.value)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a?b=c", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,<script>", False),
        ("ftp://example.org/file", False),
        ("//example.org/x", False),
        ("https://", False),
        ("https://exa mple.org", False),
        ("", False),
    ],
)
def test_only_http_urls_pass(url: str, ok: bool) -> None:
    """Sources must be absolute http(s) addresses."""
    assert is_http_url(url) is ok


def test_a_name_claimed_by_two_vendors_is_reported(dataset) -> None:
    """Aliases resolve to one company only: a shared alias is named (it credited both before)."""
    dataset.vendors.loc[1, "aliases"] = "Huawei"
    found = [(p.row, p.column, p.message) for p in find_problems(dataset)]
    assert ("ceiec", "aliases", "name 'Huawei' already belongs to huawei") in found


def test_standards_ties_are_checked(dataset) -> None:
    """A tie names a known country or body, one of them, from the vocabulary, with a date in its year."""
    from .conftest import tie_row

    ties = [
        tie_row(),
        tie_row(tie_id="ST-0002", country_iso3="KENYA"),
        tie_row(tie_id="ST-0003", kind="vibes"),
        tie_row(tie_id="ST-0004", body_id="asean"),
        tie_row(tie_id="ST-0005", date="2018-01"),
        tie_row(tie_id="ST-0006", source_ids="S-0999"),
        tie_row(tie_id="ST-0001-x"),
    ]
    found = {(p.row, p.column) for p in find_problems(make_dataset(standards=ties))}
    assert ("ST-0001", "country_iso3") not in found
    assert {
        ("ST-0002", "country_iso3"),
        ("ST-0003", "kind"),
        ("ST-0004", "body_id"),
        ("ST-0004", "country_iso3"),
        ("ST-0005", "date"),
        ("ST-0006", "source_ids"),
        ("ST-0001-x", "tie_id"),
    } <= found


def test_retired_ids_are_checked() -> None:
    """A retired id is not reused, and a merged one names an existing successor."""
    retired = [
        {
            "project_id": "DSR-0001",
            "retired": "2026-12-05",
            "reason": "merged",
            "successor": "DSR-0042",
            "note": "duplicate",
        },
        {"project_id": "DSR-0009", "retired": "2026-12-05", "reason": "merged", "successor": "", "note": "duplicate"},
    ]
    found = {(p.row, p.column) for p in find_problems(make_dataset(retired=retired))}
    assert {("DSR-0001", "project_id"), ("DSR-0001", "successor"), ("DSR-0009", "successor")} <= found


def test_bad_source_and_vendor_rows_are_reported(dataset) -> None:
    """Source url and vendor ownership rules name the row."""
    dataset.sources.loc[0, "url"] = "javascript:alert(1)"
    dataset.vendors.loc[1, "ownership"] = "secret"
    found = {(p.file, p.row, p.column) for p in find_problems(dataset)}
    assert ("sources.csv", "S-0001", "url") in found
    assert ("vendors.csv", "ceiec", "ownership") in found


def test_sparse_island_shapes_get_a_wider_tolerance(real_dataset) -> None:
    """Natural Earth 1:50m draws only the Male atolls for the Maldives: a northern atoll
    (Kulhudhuffushi) is accepted, a point off India's Lakshadweep coast is still refused."""
    from dataclasses import replace

    def found(lat: str, lon: str) -> set:
        rows = [project_row(country_iso3="MDV", city="", latitude=lat, longitude=lon)]
        dataset = replace(make_dataset(rows), world=real_dataset.world)
        return {(p.row, p.column) for p in find_problems(dataset)}

    assert ("DSR-0001", "latitude") not in found("6.62207", "73.06998")
    assert ("DSR-0001", "latitude") in found("10.57", "72.64")
