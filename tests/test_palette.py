"""Colours mean one thing: a colour-blind-safe category palette, greyscale-distinct country classes."""

from __future__ import annotations

import itertools

import pytest

from dsr_map.palette import (
    CATEGORY_COLOURS,
    CLASS_COLOURS,
    UPLOAD_COLOUR,
    classify_counts,
    lightness,
)
from dsr_map.schema import CATEGORIES

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
MARKERCLUSTER_DEFAULTS = {"#b5e28c", "#6ecc39", "#f1d357", "#f0c20c", "#fd9c73", "#f18017"}


def test_categories_use_okabe_ito_and_uploads_keep_black() -> None:
    """Seven categories, seven distinct Okabe-Ito colours; black is only the upload's."""
    assert list(CATEGORY_COLOURS) == list(CATEGORIES)
    assert set(CATEGORY_COLOURS.values()) <= OKABE_ITO and len(set(CATEGORY_COLOURS.values())) == 7
    assert UPLOAD_COLOUR == "#000000" and UPLOAD_COLOUR not in CATEGORY_COLOURS.values()
    assert not {c.lower() for c in CATEGORY_COLOURS.values()} & MARKERCLUSTER_DEFAULTS


def test_country_classes_stay_apart_in_greyscale() -> None:
    """Each class is at least 12 L* darker than the one before (what a greyscale print keeps)."""
    values = [lightness(c) for c in CLASS_COLOURS]
    assert all(a - b >= 12 for a, b in itertools.pairwise(values)), values


@pytest.mark.parametrize(("count", "cls"), [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (9, 3), (10, 4), (500, 4)])
def test_classes(count: int, cls: int) -> None:
    """none, 1, 2-3, 4-9, 10+."""
    assert int(classify_counts([count])[0]) == cls
