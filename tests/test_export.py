"""Every export format is produced, valid, filtered and self-describing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from PIL import Image
from pypdf import PdfReader

from dsr_map.cli import main
from dsr_map.export import Snapshot, export_bytes, to_csv, to_geojson
from dsr_map.filters import Selection, apply_selection
from dsr_map.join import prepare_projects
from dsr_map.schema import EXPORT_COLUMNS
from dsr_map.views import export_filename

from .conftest import make_dataset

SNAP = Snapshot(selection=Selection(categories=("Surveillance",)), version="9.9.9", exported=dt.date(2026, 11, 29))


@pytest.fixture
def data():
    dataset = make_dataset()
    return dataset, prepare_projects(dataset)


def test_csv_follows_the_column_contract(data) -> None:
    """Contract columns first, in order; multi-values joined by '; '; no comment lines."""
    _, projects = data
    rows = list(csv.reader(io.StringIO(to_csv(projects).decode("utf-8"))))
    assert tuple(rows[0][: len(EXPORT_COLUMNS)]) == EXPORT_COLUMNS
    assert not rows[0][0].startswith("#")
    by_id = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by_id["DSR-0003"]["vendors"] == "CEIEC; Huawei Technologies"
    assert by_id["DSR-0003"]["source_urls"] == "https://example.org/1; https://example.org/2"
    assert by_id["DSR-0003"]["latitude"] == "" and by_id["DSR-0001"]["latitude"] == "-1.28"


def test_geojson_matches_csv_and_carries_metadata(data) -> None:
    """Same rows as CSV; null geometry without coordinates; version and licence on top."""
    _, projects = data
    collection = json.loads(to_geojson(projects, SNAP))
    csv_rows = list(csv.DictReader(io.StringIO(to_csv(projects).decode("utf-8"))))
    assert len(collection["features"]) == len(csv_rows) == 4
    assert collection["properties"]["data_version"] == "9.9.9"
    assert "CC BY" in collection["properties"]["licence"]
    geometries = {f["id"]: f["geometry"] for f in collection["features"]}
    assert geometries["DSR-0003"] is None
    assert geometries["DSR-0001"] == {"type": "Point", "coordinates": [36.82, -1.28]}
    assert list(collection["features"][0]["properties"])[: len(EXPORT_COLUMNS)] == list(EXPORT_COLUMNS)


def test_filtered_export_holds_only_matching_rows(data) -> None:
    """Rows in a filtered export all match the filter."""
    _, projects = data
    filtered = apply_selection(projects, SNAP.selection)
    rows = list(csv.DictReader(io.StringIO(to_csv(filtered).decode("utf-8"))))
    assert rows and all("Surveillance" in r["categories"] for r in rows)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_images_parse_and_differ_when_filtered(data, fmt: str) -> None:
    """PNG/SVG/PDF parse; a filtered map differs from the unfiltered one."""
    dataset, projects = data
    full = export_bytes(fmt, projects, dataset.world, Snapshot(version="9.9.9"), width_px=800, height_px=450, dpi=100)
    part = export_bytes(fmt, apply_selection(projects, SNAP.selection), dataset.world, SNAP,
                        width_px=800, height_px=450, dpi=100)
    assert full != part
    if fmt == "png":
        image = Image.open(io.BytesIO(full))
        assert image.size == (800, 450)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert len(colours) > 20  # not blank
    elif fmt == "svg":
        assert full.lstrip().startswith(b"<?xml") and b"<svg" in full
        assert b"9.9.9" in full or b"DSR Map" in full
    else:
        reader = PdfReader(io.BytesIO(full))
        assert len(reader.pages) == 1
        assert "DSR Map" in reader.pages[0].extract_text()


def test_png_structure_guards_against_regressions(data) -> None:
    """The static map keeps its layout: title band on top, ocean, neutral and class colours present."""
    dataset, projects = data
    png = export_bytes("png", projects, dataset.world, SNAP, width_px=1600, height_px=900, dpi=150)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (1600, 900)
    colours = {c for _, c in image.getcolors(maxcolors=2_000_000)}
    assert (0xDF, 0xEA, 0xF2) in colours  # ocean
    assert (0xEE, 0xEE, 0xEE) in colours  # countries with no project
    assert (0xFC, 0x8D, 0x59) in colours or (0xFD, 0xD4, 0x9E) in colours  # classed countries
    top_band = image.crop((0, 0, 1600, 40)).getcolors(maxcolors=100000)
    assert len(top_band) > 2  # the title is drawn


def test_html_export_is_standalone(data) -> None:
    """The HTML names version and filters and links no CDN."""
    dataset, projects = data
    html = export_bytes("html", projects, dataset.world, SNAP).decode("utf-8")
    assert "9.9.9" in html and "Category: Surveillance" in html and "Natural Earth" in html
    assert "cdn.jsdelivr" not in html and "code.jquery.com" not in html


def test_export_filename_is_descriptive_and_safe() -> None:
    """File names say what is inside and are safe."""
    sel = Selection(categories=("Surveillance",), vendors=("Huawei Technologies",))
    assert export_filename(sel, "png", today=dt.date(2026, 11, 29)) == \
        "dsr-map_surveillance_huawei-technologies_2026-11-29.png"
    hostile = Selection(search="../../etc/passwd <x>")
    name = export_filename(hostile, "csv", today=dt.date(2026, 11, 29))
    assert "/" not in name and "<" not in name and name.endswith(".csv")


def test_cli_export_every_format(tmp_path) -> None:
    """python -m dsr_map export FORMAT -o PATH with filters writes a file per format."""
    for fmt in ("csv", "geojson", "html", "png", "svg", "pdf"):
        out = tmp_path / f"x.{fmt}"
        assert main(["export", fmt, "-o", str(out), "--category", "Surveillance", "--width", "640",
                     "--height", "360", "--dpi", "80", "--extent", "data"]) == 0
        assert out.stat().st_size > 100
    rows = list(csv.DictReader((tmp_path / "x.csv").open(encoding="utf-8")))
    assert rows and all("Surveillance" in r["categories"] for r in rows)
    features = json.loads((tmp_path / "x.geojson").read_text())["features"]
    assert len(features) == len(rows)


def test_cli_export_rejects_bad_extent(tmp_path, capsys) -> None:
    """A malformed --extent is a clear error, not a traceback."""
    assert main(["export", "png", "-o", str(tmp_path / "x.png"), "--extent", "1,2,3"]) == 2
    assert "extent" in capsys.readouterr().err
