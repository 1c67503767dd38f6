"""The coverage report: figures and the dataset issue's floors."""

from __future__ import annotations

import pytest

from dsr_map.join import prepare_projects
from dsr_map.stats import compute_stats

from .conftest import make_dataset, project_row


def rows(located: int, total: int) -> list[dict[str, str]]:
    return [
        project_row(
            project_id=f"DSR-{i + 1:04d}",
            name=f"Project {i}",
            **({} if i < located else {"city": "", "latitude": "", "longitude": ""}),
        )
        for i in range(total)
    ]


@pytest.mark.parametrize(
    ("located", "total", "shown", "met"),
    [
        (7, 10, 0.7, True),
        (2331, 3332, 0.700, False),  # 0.69958: shows as 0.700 after rounding, yet below the floor
        (6, 10, 0.6, False),
    ],
)
def test_coordinates_floor_uses_the_exact_share(located: int, total: int, shown: float, met: bool) -> None:
    dataset = make_dataset(rows(located, total))
    stats = compute_stats(prepare_projects(dataset), dataset)
    assert stats["share_with_coordinates"] == shown
    assert stats["floors"]["share_with_coordinates"] is met


def test_counts_on_the_tiny_dataset(dataset) -> None:
    stats = compute_stats(prepare_projects(dataset), dataset)
    assert (stats["projects"], stats["countries"], stats["vendors"]) == (4, 3, 2)
    assert stats["by_category"]["Surveillance"] == 2 and stats["by_category"]["Energy"] == 0
    assert stats["floors"]["projects"] is False and stats["floors"]["per_category"] is False
