"""Filtering is pure and table-driven; the URL state round-trips; bad URL values are ignored."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsr_map.filters import (
    Selection,
    apply_selection,
    choices,
    from_query_params,
    to_query_params,
    undated_left_out,
)
from dsr_map.join import prepare_projects
from dsr_map.resolve import build_resolver
from dsr_map.schema import CATEGORIES

from .conftest import make_dataset


@pytest.fixture
def projects():
    return prepare_projects(make_dataset())


@pytest.fixture
def resolver():
    dataset = make_dataset()
    return build_resolver(dataset.vendors, dataset.world["iso3"], dataset.world["region"])


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
        (Selection(year_from=2012, include_undated=True), ["DSR-0001", "DSR-0002", "DSR-0004"]),
        (Selection(include_undated=True), ["DSR-0001", "DSR-0002", "DSR-0003", "DSR-0004"]),
        (Selection(scales=("national",)), ["DSR-0003", "DSR-0004"]),
        (Selection(scales=("city",), statuses=("operational",)), ["DSR-0001", "DSR-0002"]),
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
    assert dict(options["categories"]) == {
        "Surveillance": 2,
        "Integrated Platforms": 2,
        "Fintech": 1,
        "Municipal Services": 1,
    }
    assert [count for _, count in options["categories"]] == [2, 2, 1, 1]
    assert dict(options["vendors"]) == {"Huawei Technologies": 4, "CEIEC": 1}
    assert dict(options["countries"]) == {"KEN": 2, "SRB": 1, "ECU": 1}
    assert "Robots" not in dict(options["categories"])


def test_undated_rows_left_out_by_a_year_bound_are_counted(projects) -> None:
    """A year bound says how many undated projects it leaves out, unless they are kept."""
    assert undated_left_out(projects, Selection(year_from=2012)) == 1
    assert undated_left_out(projects, Selection(year_from=2012, include_undated=True)) == 0
    assert undated_left_out(projects, Selection()) == 0


def test_url_state_round_trip(resolver) -> None:
    """A selection survives to_query_params -> from_query_params."""
    selection = Selection(
        categories=("Surveillance",),
        vendors=("Huawei Technologies",),
        countries=("KEN",),
        scales=("city",),
        year_from=2010,
        year_to=2020,
        include_undated=True,
        as_of=2018,
        search="safe",
    )
    params = to_query_params(selection)
    assert params["category"] == ["Surveillance"] and params["country"] == ["KEN"] and params["as_of"] == ["2018"]
    assert from_query_params(params, resolver) == (selection, [])


def test_url_values_as_typed_resolve(resolver) -> None:
    """?vendor=huawei&country=kenya&category=surveillance works like the displayed names."""
    params = {"vendor": ["huawei"], "country": ["kenya"], "category": ["surveillance"], "status": ["Operational"]}
    assert from_query_params(params, resolver) == (
        Selection(
            categories=("Surveillance",),
            vendors=("Huawei Technologies",),
            countries=("KEN",),
            statuses=("operational",),
        ),
        [],
    )


def test_bad_url_values_are_left_out_with_a_notice(resolver) -> None:
    """Unknown values and junk years are dropped with a notice naming them, never an error."""
    params = {
        "category": ["Surveillance", "<script>"],
        "vendor": "Huawai",
        "country": ["Narnia", "SRB"],
        "year_from": ["²⁰¹⁵"],
        "year_to": ["99999"],
        "colour": ["red"],
    }
    selection, notices = from_query_params(params, resolver)
    assert selection == Selection(categories=("Surveillance",), countries=("SRB",))
    assert any("'<script>'" in n for n in notices)
    assert any("'Huawai'" in n and "Huawei Technologies" in n for n in notices)
    assert any("Narnia" in n for n in notices)
    assert any("year_from" in n for n in notices) and any("year_to" in n for n in notices)


def test_an_inverted_year_range_is_dropped_with_a_notice(resolver) -> None:
    """year_from after year_to would match nothing: it is ignored and said so."""
    selection, notices = from_query_params({"year_from": "2020", "year_to": "2010"}, resolver)
    assert selection == Selection() and any("after year_to" in n for n in notices)


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "category",
                "vendor",
                "country",
                "region",
                "status",
                "type",
                "scale",
                "year_from",
                "year_to",
                "as_of",
                "undated",
                "q",
                "x",
            ]
        ),
        st.lists(st.text(max_size=30), max_size=3),
    )
)
def test_any_url_params_give_a_selection(params) -> None:
    """Arbitrary query strings never raise, keep only values the data has, and explain what they drop."""
    dataset = make_dataset()
    projects = prepare_projects(dataset)
    resolver = build_resolver(dataset.vendors, dataset.world["iso3"], dataset.world["region"])
    selection, notices = from_query_params(params, resolver)
    assert set(selection.categories) <= set(CATEGORIES)
    assert set(selection.countries) <= {"KEN", "SRB", "ECU"}
    given_values = sum(
        len([v] if isinstance(v, str) else v)
        for k, v in params.items()
        if k in ("category", "vendor", "country", "region", "status", "type", "scale")
    )
    kept = sum(
        len(getattr(selection, f))
        for f in ("categories", "vendors", "countries", "regions", "statuses", "project_types", "scales")
    )
    unknown = len([n for n in notices if n.startswith("unknown")])
    assert kept + unknown >= min(given_values, 1) or given_values == 0
    apply_selection(projects, selection)


def test_describe_names_active_filters() -> None:
    """The caption lists what was filtered."""
    text = Selection(categories=("Surveillance",), year_from=2015).describe()
    assert "Category: Surveillance" in text and "2015" in text
    assert Selection().describe() == "All projects"
