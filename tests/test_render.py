"""Map building, asserted on the rendered HTML (no browser)."""

from __future__ import annotations

import json
import re

import folium
import pandas as pd
import pytest

from dsr_map.join import count_by_country, prepare_projects
from dsr_map.render import (
    CLASS_COLOURS, build_map, classify_counts, country_layer, point_layer, popup_html, view_for_bounds,
)

from .conftest import make_dataset, project_row


def layer_html(layer) -> str:
    fmap = folium.Map(tiles=None)
    layer.add_to(fmap)
    return fmap.get_root().render()


def html_of(projects, world) -> str:
    return build_map(projects, count_by_country(projects, world), caption="All").get_root().render()


def test_classes_are_stable() -> None:
    """0 -> none, 1, 2-3, 4-9, 10+ regardless of the data's spread."""
    counts = pd.Series([0, 1, 2, 3, 4, 9, 10, 250])
    assert list(classify_counts(counts)) == [0, 1, 2, 2, 3, 3, 4, 4]
    assert list(classify_counts(pd.Series([0, 1, 2]))) == [0, 1, 2]


def test_map_has_countries_points_legend_and_no_cdn() -> None:
    """The HTML carries every country, each point, the legend, and no CDN link."""
    dataset = make_dataset()
    projects = prepare_projects(dataset)
    html = html_of(projects, dataset.world)
    assert html.count('"iso3"') >= 3
    assert len(re.findall(r'"type": ?"Point"', html)) == 2  # two rows have coordinates
    assert "Projects per country" in html and "Municipal Services" in html
    assert not re.search(r'(src|href)="https?://(cdn|code\.jquery|cdnjs|netdna)', html)
    assert "data:text/javascript;base64," in html
    assert CLASS_COLOURS[0] in html  # countries with none are neutral, not black


def test_popup_lists_fields_and_links_sources() -> None:
    """The popup shows the fields and each source as an http(s) link."""
    projects = prepare_projects(make_dataset())
    popup = popup_html(projects.iloc[2])
    for text in ("ECU-911", "CEIEC", "Integrated Platforms", "2011", "operational", "US&#36;240.0 m", "Report one"):
        assert text in popup
    assert 'href="https://example.org/1"' in popup


def test_hostile_text_is_escaped_in_popups_and_tooltips() -> None:
    """Hostile names and descriptions never reach the page as markup or template code."""
    hostile = '<img src=x onerror=alert(1)>${alert(2)}`</script>\\1'
    dataset = make_dataset([project_row(name=hostile, description=hostile, city=hostile)])
    dataset.sources.loc[0, "title"] = hostile
    projects = prepare_projects(dataset)
    html = html_of(projects, dataset.world)
    assert "<img src=x" not in html and "${alert(2)}" not in html and "`</script>" not in html
    popups = [json.loads(m) for m in re.findall(r'"popup": ?("(?:[^"\\]|\\.)*")', html)]
    tooltips = [json.loads(m) for m in re.findall(r'"tooltip": ?("(?:[^"\\]|\\.)*")', html)]
    assert popups and tooltips
    for text in popups + tooltips:
        assert "&lt;img src=x onerror=alert(1)&gt;&#36;&#123;alert(2)&#125;&#96;" in text
        assert "<img" not in text and "${" not in text and "`" not in text


def test_many_points_are_aggregated() -> None:
    """Past the threshold the point layer draws grid cells, so the payload stops growing with rows."""
    rows = [project_row(project_id=f"DSR-{i:04d}", name=f"p{i}", latitude=str(-3 + (i % 60) * 0.1),
                        longitude=str(35 + (i // 60) * 0.1)) for i in range(1, 600)]
    projects = prepare_projects(make_dataset(rows))
    clustered = point_layer(projects, max_markers=50)
    html = layer_html(clustered)
    assert 0 < len(re.findall(r'"type": ?"Point"', html)) <= 50
    assert "projects in this area" in html


@pytest.mark.parametrize(("bounds", "zoom"), [(None, 2), ([[-5, 30], [5, 40]], 5), ([[-60, -180], [80, 180]], 2)])
def test_view_for_bounds(bounds, zoom) -> None:
    """Centre and zoom fit the bounds."""
    assert view_for_bounds(bounds)[1] == zoom


def test_country_layer_keeps_every_feature() -> None:
    """Zero-count countries are still drawn."""
    dataset = make_dataset([project_row()])
    summary = count_by_country(prepare_projects(dataset), dataset.world)
    html = layer_html(country_layer(summary))
    assert "Serbia: 0 projects" in html and "Kenya: 1 project" in html
