"""Filtering is pure and table-driven; the URL state round-trips; bad URL values are ignored."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsr_map.filters import Selection, apply_selection, choices, from_query_params, to_query_params
from dsr_map.join import prepare_projects

from .conftest import make_dataset


@pytest.fixture
def projects():
    return prepare_projects(make_dataset())


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection(), ["DSR-0001", "DSR-0002", "DSR-0003", "DSR-0004"]),
        (Selection(categories=("Surveillance",)), ["DSR-0001", "DSR-0002"]),
        (Selection(categories=("Fintech", "Municipal Services")), ["DSR-0003", "DSR-0004"]),
        (Selection(vendors=("CEIEC",)), ["DSR-0003"]),
        (Selection(vendors=("Huawei Technologies",), countries=("KEN",)), ["DSR-0001", "DSR-0004"]),
        (Selection(countries=("SRB", "ECU")), ["DSR-0002", "DSR-0003"]),
        (Selection(regions=("Africa",)), ["DSR-0001", "DSR-0004"]),
        (Selection(statuses=("unknown",)), ["DSR-0004"]),
        (Selection(project_types=("Safe City",)), ["DSR-0001", "DSR-0002"]),
        (Selection(year_from=2012), ["DSR-0001", "DSR-0002"]),
        (Selection(year_to=2014), ["DSR-0001", "DSR-0003"]),
        (Selection(year_from=2012, year_to=2015), ["DSR-0001"]),
        (Selection(search="belgrade"), ["DSR-0002"]),
        (Selection(search="REPORT TWO"), ["DSR-0002", "DSR-0003", "DSR-0004"]),
        (Selection(search="ceiec"), ["DSR-0003"]),
        (Selection(search="no such thing"), []),
        (Selection(categories=("Surveillance",), countries=("ECU",)), []),
    ],
)
def test_apply_selection(projects, selection: Selection, expected: list[str]) -> None:
    """Each selection keeps exactly the expected rows (OR within a field, AND across fields)."""
    assert list(apply_selection(projects, selection)["project_id"]) == expected


def test_choices_list_present_values_with_counts(projects) -> None:
    """Choices come from the data, most frequent first."""
    options = choices(projects)
    assert dict(options["categories"]) == {"Surveillance": 2, "Integrated Platforms": 2, "Fintech": 1,
                                           "Municipal Services": 1}
    assert [count for _, count in options["categories"]] == [2, 2, 1, 1]
    assert dict(options["vendors"]) == {"Huawei Technologies": 4, "CEIEC": 1}
    assert dict(options["countries"]) == {"KEN": 2, "SRB": 1, "ECU": 1}
    assert "Robots" not in dict(options["categories"])


def test_url_state_round_trip(projects) -> None:
    """A selection survives to_query_params -> from_query_params."""
    selection = Selection(categories=("Surveillance",), vendors=("Huawei Technologies",), countries=("KEN",),
                          year_from=2010, year_to=2020, search="safe")
    params = to_query_params(selection)
    assert params["category"] == ["Surveillance"] and params["country"] == ["KEN"]
    assert from_query_params(params, projects) == selection


def test_bad_url_values_are_ignored(projects) -> None:
    """Unknown values and junk years are dropped, never an error."""
    params = {"category": ["Surveillance", "<script>"], "vendor": "Nobody", "country": ["kenya", "SRB"],
              "year_from": ["abc"], "year_to": ["99999"], "colour": ["red"]}
    assert from_query_params(params, projects) == Selection(categories=("Surveillance",), countries=("SRB",))


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["category", "vendor", "country", "region", "status", "type",
                                        "year_from", "year_to", "q", "x"]),
                       st.lists(st.text(max_size=30), max_size=3)))
def test_any_url_params_give_a_selection(params) -> None:
    """Arbitrary query strings never raise and only keep values present in the data."""
    projects = prepare_projects(make_dataset())
    selection = from_query_params(params, projects)
    assert set(selection.categories) <= {c for cs in projects["categories"] for c in cs}
    assert len(apply_selection(projects, selection)) <= len(projects)


def test_describe_names_active_filters() -> None:
    """The caption lists what was filtered."""
    text = Selection(categories=("Surveillance",), year_from=2015).describe()
    assert "Category: Surveillance" in text and "2015" in text
    assert Selection().describe() == "All projects"
