"""Extents that know the antimeridian: one bounding-box function for static maps and the app."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsr_map.extent import REGIONS, WORLD, covering_interval, fit_box, parse_box, wrap_longitudes


@pytest.mark.parametrize(
    ("intervals", "expected"),
    [
        ([(177, 180), (-180, -178)], (177, 182)),  # Fiji, split at 180
        ([(27, 180), (-180, -169)], (27, 191)),  # Russia with Chukotka
        ([(-180, -66), (172, 180)], (172, 294)),  # the United States with the western Aleutians
        ([(174, 174), (-175, -175), (178, 178), (-172, -172)], (174, 188)),  # NZ, Tonga, Fiji, Samoa
        ([(10, 10)], (10, 10)),
        ([(-10, 20), (15, 40)], (-10, 40)),
        ([(-170, -170), (100, 100), (0, 0)], (0, 190)),
        ([(-180, 180)], (-180, 180)),
    ],
)
def test_covering_interval(intervals, expected) -> None:
    """The shortest interval covering every input, east beyond 180 when it crosses."""
    assert covering_interval(intervals) == pytest.approx(expected)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-180, 179.999), min_size=1, max_size=20))
def test_covering_interval_covers_every_point_and_is_at_most_a_turn(lons) -> None:
    """Every longitude lies in the interval (modulo 360), and no interval is wider than the circle."""
    west, east = covering_interval([(x, x) for x in lons])
    assert -180 <= west < 180 and 0 <= east - west <= 360
    for x in lons:
        offset = (x - west) % 360.0
        assert offset <= east - west + 1e-6 or offset >= 360 - 1e-6


def _country(iso3: str, world: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"country_iso3": [iso3], "latitude": [float("nan")], "longitude": [float("nan")]})


@pytest.mark.parametrize(
    ("iso3", "west", "east", "max_width"),
    [
        ("NZL", 160, 190, 40),
        ("FJI", 170, 185, 20),
        ("RUS", 15, 200, 200),
        ("USA", 165, 300, 140),
        ("KIR", 165, 215, 50),
        ("TON", -180, -170, 20),
    ],
)
def test_fitted_antimeridian_countries_frame_the_country(real_dataset, iso3, west, east, max_width) -> None:
    """A fitted view of a country across 180 degrees frames the country, not the world."""
    box = fit_box(_country(iso3, real_dataset.world), real_dataset.world)
    assert box is not None and box != WORLD
    assert box.width <= max_width, box
    assert box.west >= west - 10 and box.east <= east + 10, box


def test_points_across_the_antimeridian() -> None:
    """Samoa and Fiji points give a box around 180, not around the world."""
    points = pd.DataFrame({"country_iso3": ["WSM", "FJI"], "latitude": [-13.8, -18.1], "longitude": [-171.8, 178.4]})
    box = fit_box(points)
    assert box.crosses_antimeridian and box.width < 30 and box.west < 178.4 and box.east > 188.2


def test_a_box_given_across_180() -> None:
    """'165,-50,-170,-10' runs east across 180 degrees."""
    box = parse_box("165,-50,-170,-10")
    assert (box.west, box.east) == (165, 190) and box.crosses_antimeridian


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", "0,10,10,5", "0,-95,10,5", "nan,0,1,1", "-200,0,10,10"])
def test_bad_boxes_are_refused_with_a_message(text: str) -> None:
    """Wrong count, non-numbers, inverted latitudes and out-of-range values."""
    with pytest.raises(ValueError, match="extent"):
        parse_box(text)


def test_region_presets_and_wrapping() -> None:
    """The seven named regions exist; Oceania runs across 180; wrapping moves by whole turns."""
    assert set(REGIONS) == {
        "Africa",
        "Asia",
        "Europe",
        "Latin America and the Caribbean",
        "Middle East and North Africa",
        "Oceania",
        "Southeast Asia",
    }
    assert REGIONS["Oceania"].crosses_antimeridian
    assert list(wrap_longitudes([-172.0, 178.0, 10.0], 180.0)) == [188.0, 178.0, 370.0 - 360.0]
