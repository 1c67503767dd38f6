"""Names as users type them resolve to the data's values; unknown ones are named with suggestions."""

from __future__ import annotations

import pytest

from dsr_map.resolve import UnknownValue, build_resolver

from .conftest import make_dataset


@pytest.fixture
def resolver():
    dataset = make_dataset()
    return build_resolver(dataset.vendors, dataset.world["iso3"], dataset.world["region"])


@pytest.mark.parametrize(
    ("field", "typed", "value"),
    [
        ("vendors", "huawei", "Huawei Technologies"),
        ("vendors", "HUAWEI", "Huawei Technologies"),
        ("vendors", "Huawei Technologies", "Huawei Technologies"),
        ("vendors", "ceiec", "CEIEC"),
        ("vendors", "china national electronics", "CEIEC"),
        ("countries", "Kenya", "KEN"),
        ("countries", "ken", "KEN"),
        ("countries", "KE", "KEN"),
        ("countries", "Republic of Serbia", "SRB"),
        ("countries", "ecuador", "ECU"),
        ("categories", "surveillance", "Surveillance"),
        ("categories", "big-data", "Big Data"),
        ("regions", "africa", "Africa"),
        ("statuses", "Operational", "operational"),
        ("statuses", "mou", "announced/MoU"),
        ("statuses", "cancelled", "suspended/cancelled"),
        ("project_types", "safe city", "Safe City"),
        ("scales", "Product in use", "product in use"),
    ],
)
def test_names_as_typed(resolver, field: str, typed: str, value: str) -> None:
    """Case, accents, spacing and punctuation do not matter; ids, aliases and codes all work."""
    assert resolver.resolve(field, typed) == value


@pytest.mark.parametrize(
    ("field", "typed", "suggestion"),
    [
        ("vendors", "Huawai", "Huawei Technologies"),
        ("countries", "Kenia", "Kenya (KEN)"),
        ("categories", "surveilance", "Surveillance"),
        ("regions", "Afrika", "Africa"),
    ],
)
def test_typos_are_errors_with_suggestions(resolver, field: str, typed: str, suggestion: str) -> None:
    """An unknown value names itself and suggests the closest valid ones."""
    with pytest.raises(UnknownValue) as error:
        resolver.resolve(field, typed)
    assert suggestion in error.value.suggestions
    assert typed in str(error.value) and suggestion in str(error.value)


def test_a_country_outside_the_boundaries_is_unknown(resolver) -> None:
    """France is a real country but not one of the tiny dataset's boundaries."""
    with pytest.raises(UnknownValue):
        resolver.resolve("countries", "France")


def test_resolve_all_keeps_order_and_reports_each_unknown(resolver) -> None:
    """Several values: the known ones in order, one error per unknown one."""
    kept, errors = resolver.resolve_all("vendors", ["ceiec", "Nobody Ltd", "huawei", "CEIEC"])
    assert kept == ("CEIEC", "Huawei Technologies")
    assert [e.value for e in errors] == ["Nobody Ltd"]
