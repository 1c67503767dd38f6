"""Static maps fit for print: nothing clipped or overlapping at any DPI, size, title or extent; text literal."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import pytest

from dsr_map.export import Snapshot
from dsr_map.extent import REGIONS, WORLD
from dsr_map.filters import Selection
from dsr_map.static import Caption, MapLayers, draw_map, render_image, resolve_extent, text_boxes
from dsr_map.views import Exporter

LONG_TITLE = ("US$1 bn and US$2 bn: $\\foo$ {braces} " + "a title long enough to wrap over several lines " * 3)[:150]
BUSY = Selection(
    categories=("Surveillance", "Fintech", "Energy"),
    vendors=("Huawei Technologies", "Hikvision", "ZTE Corporation", "Dahua Technology"),
    countries=("KEN", "BRA", "NZL", "FJI", "RUS", "USA"),
)


@pytest.fixture(scope="module")
def exporter(real_dataset) -> Exporter:
    return Exporter.for_dataset(real_dataset)


def _figure(exporter, selection, title, extent, width, height, dpi, ties=False):
    projects = exporter.select(selection)
    snapshot = Snapshot(selection=selection, version="1.2.0", title=title)
    caption = Caption(snapshot.heading(), snapshot.filters_line(len(projects)), snapshot.footer(projects))
    layers = exporter.static_layers(selection, standards_layer=ties, government_only=False)
    return draw_map(
        projects,
        exporter.summary(projects),
        caption,
        extent=extent,
        width_px=width,
        height_px=height,
        dpi=dpi,
        layers=layers,
        world=exporter.dataset.world,
    )


def _faults(fig) -> list[str]:
    boxes = text_boxes(fig)
    frame = boxes["figure"]
    named = (
        [(f"text {t[:24]!r}", e) for t, e in boxes["texts"]]
        + [(f"legend {i}", e) for i, e in enumerate(boxes["legends"])]
        + [("map", e) for e in boxes["map"]]
    )
    faults = [
        f"{name} outside the image {tuple(round(v) for v in e.extents)}"
        for name, e in named
        if e.x0 < -0.5 or e.y0 < -0.5 or e.x1 > frame.x1 + 0.5 or e.y1 > frame.y1 + 0.5
    ]
    faults += [f"{a} overlaps {b}" for (a, ea), (b, eb) in itertools.combinations(named, 2) if ea.overlaps(eb)]
    labels = boxes["labels"]
    faults += ["two country labels overlap" for la, lb in itertools.combinations(labels, 2) if la.overlaps(lb)]
    return faults


@pytest.mark.parametrize("dpi", [72, 150, 300, 600])
@pytest.mark.parametrize(("width", "height"), [(600, 600), (6000, 6000), (600, 6000), (6000, 600), (1600, 900)])
@pytest.mark.parametrize(("selection", "title"), [(Selection(), ""), (BUSY, LONG_TITLE)])
@pytest.mark.parametrize("extent", ["world", "data"])
def test_layout_never_clips_or_overlaps(exporter, dpi, width, height, selection, title, extent) -> None:
    """Title, caption, legends, footer and map lie inside the image and never overlap (measured extents)."""
    fig = _figure(exporter, selection, title, extent, width, height, dpi, ties=selection != Selection())
    try:
        assert _faults(fig) == []
        texts = [t for t, _ in text_boxes(fig)["texts"]]
        shown = " ".join(texts).replace("\n", " ")
        assert (title or "DSR Map: China's Digital Silk Road projects").split()[-1] in shown  # never cut
        assert "Natural Earth" in shown and len(fig.legends) >= 2
    finally:
        plt.close(fig)


@pytest.mark.parametrize("dpi", [72, 600])
@pytest.mark.parametrize(("width", "height"), [(600, 600), (2400, 1350)])
def test_a_region_across_180_lays_out_too(exporter, dpi, width, height) -> None:
    """Oceania (drawn around 180 degrees) with the long title and the busy selection."""
    fig = _figure(exporter, BUSY, LONG_TITLE, "Oceania", width, height, dpi, ties=True)
    try:
        assert _faults(fig) == []
    finally:
        plt.close(fig)


def test_the_readme_example_fits_at_300_dpi(exporter) -> None:
    """`export png --category Surveillance --vendor Hikvision --extent data --title ... --dpi 300`."""
    selection = Selection(categories=("Surveillance",), vendors=("Hikvision",))
    fig = _figure(exporter, selection, "Hikvision surveillance projects", "data", 1600, 900, 300)
    try:
        assert _faults(fig) == []
    finally:
        plt.close(fig)


def test_user_text_is_drawn_literally(exporter) -> None:
    """Dollars, backslashes and braces render as typed (no mathtext), and a would-be TeX command never fails."""
    fig = _figure(exporter, Selection(), "US$1 bn and US$2 bn \\foo {x} $\\foo$", "world", 1600, 900, 150)
    try:
        texts = [t for t, _ in text_boxes(fig)["texts"]]
        assert any("US$1 bn and US$2 bn \\foo {x} $\\foo$" in t.replace("\n", " ") for t in texts)
        assert all(not t.get_parse_math() for t in fig.texts)
        svg = render_image(fig, "svg").decode("utf-8")
    except Exception:
        plt.close(fig)
        raise
    assert "US$1 bn and US$2 bn \\foo {x} $\\foo$" in svg.replace("\n", " ")


@pytest.mark.parametrize("extent", ["Africa", "Europe", "Southeast Asia", "Middle East and North Africa"])
def test_regional_maps_label_countries_with_projects(exporter, extent) -> None:
    """A regional extent names the countries that have projects, without colliding labels."""
    fig = _figure(exporter, Selection(), "", extent, 1600, 900, 150)
    try:
        labels = [t.get_text() for t in fig.axes[0].texts]
        assert len(labels) >= 5 and "two country labels overlap" not in _faults(fig)
    finally:
        plt.close(fig)


def test_extents_resolve(real_dataset) -> None:
    """world, data, a region by name (any case) or a box; bad text is an error naming the choices."""
    import pandas as pd

    empty = pd.DataFrame({"country_iso3": [], "latitude": [], "longitude": []})
    assert resolve_extent("world", empty, real_dataset.world) == WORLD
    assert resolve_extent("oceania", empty, real_dataset.world) == REGIONS["Oceania"]
    assert resolve_extent("165,-50,-170,-10", empty, real_dataset.world).crosses_antimeridian
    with pytest.raises(ValueError, match="region"):
        resolve_extent("Atlantis", empty, real_dataset.world)


def test_size_and_dpi_are_range_checked(exporter) -> None:
    """Out-of-range sizes and DPI are a clear error, not a traceback from deep inside matplotlib."""
    with pytest.raises(ValueError, match="dpi must be a whole number from 72 to 600"):
        _figure(exporter, Selection(), "", "world", 1600, 900, 0)
    with pytest.raises(ValueError, match="width must be a whole number from 600 to 6000"):
        _figure(exporter, Selection(), "", "world", 100000, 900, 150)


def test_layers_draw_uploads_and_ties_in_the_legend(exporter) -> None:
    """The standards layer and an upload each get a legend entry."""
    fig = _figure(exporter, Selection(countries=("KEN",)), "", "data", 1600, 900, 150, ties=True)
    try:
        titles = [legend.get_title().get_text() for legend in fig.legends]
        assert "Standards ties" in titles
    finally:
        plt.close(fig)
    assert MapLayers().upload_label == ""
