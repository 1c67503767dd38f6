"""The interactive map's payloads: shapes and details once, a few kilobytes per update, an inert page."""

from __future__ import annotations

import base64
import json
import re

import numpy as np

from dsr_map import web
from dsr_map.extent import Box
from dsr_map.join import prepare_events, prepare_projects

from .conftest import event_row, make_dataset, project_row


def _details(dataset):
    return web.details_payload(prepare_projects(dataset), prepare_events(dataset), dataset.world["iso3"], "test")


def test_details_hold_every_project_with_its_sources_and_events() -> None:
    """One row per project in order; companies, categories and sources listed once and referred to by index."""
    rows = [project_row(source_ids="S-0001; S-0003", year="2013", status="operational", status_as_of="2022")]
    dataset = make_dataset(
        rows, events=[event_row(), event_row(event_id="EV-00002", date="2022", event="launched", source_ids="S-0003")]
    )
    details = _details(dataset)
    assert details["rows"]["id"] == ["DSR-0001"]
    assert [details["vendors"][k] for k in details["rows"]["vendors"][0]] == ["Huawei Technologies"]
    sources = details["rows"]["sources"][0]
    assert [details["sources"]["url"][k] for k in sources] == ["https://example.org/1", "https://example.org/3"]
    events = details["rows"]["events"][0]
    assert [(e[0], details["event_labels"][e[1]]) for e in events] == [("2014", "Contracted"), ("2022", "Launched")]
    assert details["rows"]["changes"][0] == [["2014", "contracted"], ["2022", "operational"]] or details["rows"][
        "changes"
    ][0] == [("2014", "contracted"), ("2022", "operational")]
    assert details["country_names"]["KEN"] == "Kenya"


def test_an_update_carries_no_shapes_and_no_details() -> None:
    """What a filter change sends: a bit mask, counts, ties and the view: small and free of geometry or text."""
    dataset = make_dataset()
    args = web.view_args(
        selected=[True, False, True, True],
        counts={"KEN": 2, "SRB": 0},
        fit=Box(30, -10, 45, 10),
        ties={"KEN": ("standards_cooperation",)},
        year=2019,
        play=(2011, 2019),
    )
    text = json.dumps(args)
    assert len(text) < 3000
    assert "coordinates" not in text and "Nairobi" not in text and "arcs" not in text
    assert args["counts"] == {"KEN": 2}  # zero counts are not sent
    bits = np.unpackbits(np.frombuffer(base64.b64decode(args["sel"]), dtype=np.uint8), bitorder="little")[:4]
    assert list(bits) == [1, 0, 1, 1]
    assert args["ties"] == {"KEN": [0]} and args["play"] == {"from": 2011, "to": 2019}
    assert args["fit"] == [[-10, 30], [10, 45]] and args["centre"] == 0
    assert len(_details(dataset)["rows"]["id"]) == 4


def test_a_fit_across_180_moves_the_seam() -> None:
    """A box across the antimeridian centres the map on it, so countries there draw whole."""
    args = web.view_args(selected=[], counts={}, fit=Box(165, -50, 190, -10))
    assert args["centre"] == 177.5 and args["fit"] == [[-50, 165], [-10, 190]]


def test_json_for_a_page_cannot_close_its_script() -> None:
    """'<', U+2028 and U+2029 are escaped, so data never ends the <script> element holding it."""
    text = web.dumps({"a": "</script><script>alert(1)</script>\u2028"})
    assert "<" not in text and "\u2028" not in text
    assert json.loads(text)["a"].startswith("</script>")


def test_html_page_is_offline_and_data_is_inert() -> None:
    """The export page inlines its assets, loads nothing from a CDN, and holds hostile text only as JSON data."""
    hostile = '<img src=x onerror="alert(1)">'
    dataset = make_dataset([project_row(name=hostile, description="${alert(2)}`")])
    details = _details(dataset)
    args = web.view_args(selected=[True], counts={"KEN": 1}, fit=None)
    page = web.html_page(
        {"type": "FeatureCollection", "features": []}, details, args, title=hostile, caption="c", footer="f"
    )
    assert hostile not in page
    assert "&lt;img src=x" in page  # title and caption are escaped as HTML
    assert not re.search(r'<(script|link|img|iframe)[^>]*(src|href)="https?://', page)  # nothing loads from the web
    data = page.split('<script type="application/json" id="dsr-data">')[1].split("</script>")[0]
    assert json.loads(data)["details"]["rows"]["name"] == [hostile]


def test_component_folder_holds_assets_and_versioned_data(tmp_path) -> None:
    """The Streamlit component's folder: the renderer, vendored libraries and two content-addressed data files."""
    dataset = make_dataset()
    folder, shapes, details = web.component_dir(
        {"type": "FeatureCollection", "features": []}, _details(dataset), root=tmp_path
    )
    for name in (
        "index.html",
        "component.js",
        "dsr-map.js",
        "vendor/leaflet.js",
        "vendor/supercluster.min.js",
        "vendor/LICENSES.md",
        shapes,
        details,
    ):
        assert (folder / name).exists(), name
    assert re.fullmatch(r"data/details-[0-9a-f]{16}\.json", details)
    again = web.component_dir({"type": "FeatureCollection", "features": []}, _details(dataset), root=tmp_path)
    assert again == (folder, shapes, details)
    html = (folder / "index.html").read_text()
    assert not re.search(r'(src|href)="https?://', html)
