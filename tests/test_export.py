"""Every export format is produced, valid, filtered and self-describing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader

from dsr_map.cli import main
from dsr_map.export import Snapshot, to_csv, to_geojson
from dsr_map.filters import Selection, apply_selection
from dsr_map.join import prepare_projects
from dsr_map.schema import EXPORT_COLUMNS, EXPORT_EXTRA_COLUMNS
from dsr_map.upload import EXPORT_ORIGIN, parse_upload
from dsr_map.views import Exporter, export_filename

from .conftest import default_projects, event_row, make_dataset, tie_row

SURVEILLANCE = Selection(categories=("Surveillance",))
SNAP = Snapshot(selection=SURVEILLANCE, version="9.9.9", exported=dt.date(2026, 11, 29))
TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def exporter() -> Exporter:
    # the first three projects, with the status and "as of" their events give
    lifecycle = [
        {"status_as_of": "2015", "source_ids": "S-0001; S-0002"},
        {"status": "contracted", "status_as_of": "2019"},
        {"status": "contracted", "status_as_of": "2011"},
    ]
    rows = [{**row, **changes} for row, changes in zip(default_projects(), lifecycle)]
    events = [
        event_row(),
        event_row(event_id="EV-00002", date="2015", event="launched", source_ids="S-0002"),
        event_row(event_id="EV-00003", project_id="DSR-0002", date="2019", event="contracted", source_ids="S-0002"),
        event_row(event_id="EV-00004", project_id="DSR-0003", date="2011", event="contracted"),
    ]
    ties = [
        tie_row(),
        tie_row(tie_id="ST-0002", country_iso3="ECU", kind="digital_silk_road_mou", year="2019", date=""),
    ]
    return Exporter.for_dataset(make_dataset(rows, events=events, standards=ties))


def _csv_rows(payload: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(payload.decode("utf-8"))))


def test_csv_follows_the_column_contract(exporter) -> None:
    """Contract columns first, in order, then the extra columns with the new ones appended; no comment lines."""
    payload = exporter.export("csv", Selection(), today=TODAY)
    header = next(csv.reader(io.StringIO(payload.decode("utf-8"))))
    assert tuple(header) == EXPORT_COLUMNS + EXPORT_EXTRA_COLUMNS
    assert header[-5:] == ["status_as_of", "first_event_year", "scale", "source_ids", "source_publishers"]
    by_id = {r["project_id"]: r for r in _csv_rows(payload)}
    assert by_id["DSR-0003"]["vendors"] == "CEIEC; Huawei Technologies"
    assert by_id["DSR-0003"]["source_urls"] == "https://example.org/1; https://example.org/2"
    assert by_id["DSR-0003"]["latitude"] == "" and by_id["DSR-0001"]["latitude"] == "-1.28"
    assert (by_id["DSR-0001"]["status_as_of"], by_id["DSR-0001"]["first_event_year"]) == ("2015", "2014")


def test_geojson_matches_csv_and_carries_metadata(exporter) -> None:
    """Same rows as CSV; null geometry without coordinates; version, licence and citation on top."""
    collection = json.loads(exporter.export("geojson", Selection(), today=TODAY))
    rows = _csv_rows(exporter.export("csv", Selection()))
    assert len(collection["features"]) == len(rows) == 3
    assert "CC BY" in collection["properties"]["licence"] and "citation" in collection["properties"]
    geometries = {f["id"]: f["geometry"] for f in collection["features"]}
    assert geometries["DSR-0003"] is None
    assert geometries["DSR-0001"] == {"type": "Point", "coordinates": [36.82, -1.28]}
    assert list(collection["features"][0]["properties"])[: len(EXPORT_COLUMNS)] == list(EXPORT_COLUMNS)


def test_filtered_exports_hold_exactly_the_matching_rows(exporter) -> None:
    """A filtered CSV holds the rows the filter selects, computed independently here."""
    rows = _csv_rows(exporter.export("csv", SURVEILLANCE))
    assert [r["project_id"] for r in rows] == ["DSR-0001", "DSR-0002"]
    as_of = _csv_rows(exporter.export("csv", Selection(as_of=2014)))
    assert [(r["project_id"], r["status"], r["status_as_of"]) for r in as_of] == [
        ("DSR-0001", "contracted", "2014"),
        ("DSR-0003", "contracted", "2011"),
    ]


def test_events_and_standards_tables(exporter) -> None:
    """--table events and --table standards export their own contracts, filtered to the view."""
    events = _csv_rows(exporter.export("csv", SURVEILLANCE, table="events"))
    assert [e["event_id"] for e in events] == ["EV-00001", "EV-00002", "EV-00003"]
    assert events[1]["state_after"] == "operational" and events[1]["precision"] == "year"
    ties = _csv_rows(exporter.export("csv", Selection(countries=("ECU",)), table="standards"))
    assert [t["tie_id"] for t in ties] == ["ST-0002"]
    points = json.loads(exporter.export("geojson", Selection(), table="standards"))["features"]
    assert {f["properties"]["country_iso3"] for f in points} == {"KEN", "ECU"}


def test_data_package_validates_and_round_trips(exporter, tmp_path) -> None:
    """The zip holds a Frictionless data package that validates; its CSV re-uploads with ids, fields and
    sources kept."""
    from frictionless import Package

    payload = exporter.export("datapackage", SURVEILLANCE, today=TODAY)
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        names = set(archive.namelist())
        assert {
            "datapackage.json",
            "projects.csv",
            "projects.geojson",
            "events.csv",
            "standards.csv",
            "sources.csv",
        } <= names
        archive.extractall(tmp_path)
        descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["version"] == "test" and descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["dsr_map"]["filters"] == "Category: Surveillance" and "citation" in descriptor["dsr_map"]
    assert descriptor["sources"][0] == {"title": "DSR Map, data version test"}  # no address we do not have
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    sources = _csv_rows((tmp_path / "sources.csv").read_bytes())
    assert {s["source_id"] for s in sources} == {"S-0001", "S-0002"}
    back = parse_upload("package.zip", payload, exporter.dataset)
    assert back.problems == []
    original = exporter.select(SURVEILLANCE)
    again = back.projects
    assert list(again["project_id"]) == list(original["project_id"])
    for column in (
        "name",
        "country_iso3",
        "vendors",
        "categories",
        "status",
        "certainty",
        "client",
        "scale",
        "source_ids",
        "source_urls",
        "source_titles",
        "status_as_of",
    ):
        assert list(again[column]) == list(original[column]), column
    assert set(again["origin"]) == {EXPORT_ORIGIN}


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_images_parse_and_differ_when_filtered(exporter, fmt: str) -> None:
    """PNG/SVG/PDF parse; a filtered map differs from the unfiltered one."""
    options = {"width_px": 800, "height_px": 600, "dpi": 100, "today": TODAY}
    full = exporter.export(fmt, Selection(), **options)
    part = exporter.export(fmt, SURVEILLANCE, **options)
    assert full != part
    if fmt == "png":
        image = Image.open(io.BytesIO(full))
        assert image.size == (800, 600)
        assert len(image.convert("RGB").getcolors(maxcolors=1_000_000)) > 20  # not blank
    elif fmt == "svg":
        assert b"<svg" in full and b"<text" in full  # text stays text, editable in a vector editor
        assert b"DSR Map: China" in full
    else:
        reader = PdfReader(io.BytesIO(full))
        assert len(reader.pages) == 1 and "DSR Map" in reader.pages[0].extract_text()
        fonts = reader.pages[0]["/Resources"]["/Font"]
        assert all(
            "/FontFile2" in fonts[f].get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            or "/FontFile2" in str(fonts[f].get_object())
            for f in fonts
        )  # TrueType fonts embedded


def test_standards_layer_changes_the_image(exporter) -> None:
    """--layer standards hatches the countries with a tie: the image differs from the plain one."""
    options = {"width_px": 800, "height_px": 600, "dpi": 100, "today": TODAY}
    assert exporter.export("png", Selection(), standards_layer=True, **options) != exporter.export(
        "png", Selection(), **options
    )
    html = exporter.export("html", Selection(), standards_layer=True, today=TODAY).decode("utf-8")
    plain = exporter.export("html", Selection(), today=TODAY).decode("utf-8")
    assert '"ties":{"KEN":[0],"ECU":[3]}' in html and '"ties":null' in plain


def test_gif_steps_through_the_years(exporter) -> None:
    """The animated GIF has one frame per year from the first event to the last."""
    payload = exporter.export("gif", Selection(), width_px=600, height_px=600, dpi=72, today=TODAY)
    image = Image.open(io.BytesIO(payload))
    assert image.format == "GIF" and image.n_frames == 2019 - 2011 + 1


def test_html_export_is_standalone(exporter) -> None:
    """The HTML names version and filters, inlines the renderer and loads nothing from the web."""
    html = exporter.export("html", SURVEILLANCE, today=TODAY).decode("utf-8")
    assert "Category: Surveillance" in html and "Natural Earth" in html and "DSRMap.DsrMap" in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_a_title_over_the_limit_is_refused_not_drawn() -> None:
    """The app's title box and the CLI stop at 150 characters; the library says so too."""
    assert Snapshot(title="$" * 150).heading() == "$" * 150
    with pytest.raises(ValueError, match="151 characters; the limit is 150"):
        Snapshot(title="$" * 151)


def test_export_filename_is_descriptive_and_safe() -> None:
    """File names say what is inside and are safe."""
    sel = Selection(categories=("Surveillance",), vendors=("Huawei Technologies",), as_of=2019)
    assert (
        export_filename(sel, "png", today=TODAY) == "dsr-map_surveillance_huawei-technologies_as-of-2019_2026-11-29.png"
    )
    name = export_filename(Selection(search="../../etc/passwd <x>"), "csv", today=TODAY)
    assert "/" not in name and "<" not in name and name.endswith(".csv")


def test_plain_csv_and_geojson_of_prepared_frames() -> None:
    """The library functions work on any prepared frame (uploads included)."""
    projects = prepare_projects(make_dataset())
    rows = _csv_rows(to_csv(apply_selection(projects, SURVEILLANCE)))
    assert [r["project_id"] for r in rows] == ["DSR-0001", "DSR-0002"]
    assert json.loads(to_geojson(projects, SNAP))["properties"]["data_version"] == "9.9.9"


def test_cli_export_every_format(tmp_path) -> None:
    """dsr-map export FORMAT -o PATH with filters as users type them writes a file per format."""
    for fmt in ("csv", "geojson", "html", "png", "svg", "pdf", "datapackage"):
        out = tmp_path / f"x.{fmt}"
        assert (
            main(
                [
                    "export",
                    fmt,
                    "-o",
                    str(out),
                    "--category",
                    "surveillance",
                    "--width",
                    "640",
                    "--height",
                    "600",
                    "--dpi",
                    "80",
                    "--extent",
                    "data",
                ]
            )
            == 0
        )
        assert out.stat().st_size > 100
    rows = list(csv.DictReader((tmp_path / "x.csv").open(encoding="utf-8")))
    assert rows and all("Surveillance" in r["categories"].split("; ") for r in rows)
    assert len(json.loads((tmp_path / "x.geojson").read_text())["features"]) == len(rows)
