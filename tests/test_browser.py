"""In headless Chromium with every non-local request blocked: the app and the HTML export draw, colours
mean one thing, cards fit the map, the first view holds every point, phones work, and hostile text from
data, uploads or the URL never runs as script."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .browser import (
    OPEN_SOME_CARDS,
    RENDER_EVERY_CARD,
    browser_page,
    map_frame,
    projects_figure,
    require_browser,
    streamlit_server,
)

pytestmark = pytest.mark.browser

HOSTILE = [
    '<img src=x onerror="window.top.__pwned=1;alert(1)">',
    "${(window.top.__pwned=2)}",
    "`;window.top.__pwned=3;alert(3);`",
    "</script><script>window.top.__pwned=4;alert(4)</script>",
    "\\x3cimg src=x onerror=alert(5)\\x3e \\1 \\u003c",
    "javascript:alert(6)",
]
MARKERCLUSTER_DEFAULTS = {
    "#b5e28c",
    "#6ecc39",
    "#f1d357",
    "#f0c20c",
    "#fd9c73",
    "#f18017",
    "rgba(181, 226, 140, 0.6)",
    "rgba(110, 204, 57, 0.6)",
    "rgba(241, 211, 87, 0.6)",
}


def write_hostile_upload(path: Path, extra_column: str, bad_row: list[str]) -> Path:
    """A minimal-layout CSV with one Kenyan row per hostile string, plus one invalid row."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["country", "vendor", "category", "name", "city", "latitude", "longitude", extra_column])
        for text in HOSTILE:
            last = "https://example.org/x" if extra_column == "source_url" else text
            writer.writerow(["Kenya", text, "Surveillance", text, text, "-1.28", "36.82", last])
        writer.writerow(bad_row)
    return path


def pwned(page) -> list:
    return [f.evaluate("window.__pwned || null") for f in page.frames if not f.is_detached()]


@pytest.fixture(scope="module")
def server():
    require_browser()
    with streamlit_server() as url:
        yield url


def test_app_draws_offline_and_url_filters(server) -> None:
    """Countries and points draw with the network blocked; ?category=Surveillance lowers Projects."""
    blocked, dialogs = [], []
    with browser_page(blocked, dialogs) as page:
        page.goto(server)
        frame = map_frame(page)
        total = projects_figure(page)
        assert frame.evaluate("document.querySelectorAll('.dsr-cluster').length") > 10
        # the map drew first and reported it: the filters and the tabs follow, in the same map
        page.locator('[data-testid="stMultiSelect"]').first.wait_for(timeout=30_000)
        page.get_by_role("tab", name="Projects").wait_for(timeout=30_000)
        assert page.get_by_text("Loading the filters").count() == 0
        assert len([f for f in page.frames if "dsr_map" in f.url or "dsr-map" in f.url]) == 1
        filtered = page.context.new_page()
        filtered.goto(server + "/?category=Surveillance")
        map_frame(filtered)
        assert 0 < projects_figure(filtered) < total
    assert not [u for u in blocked if "leaflet" in u or "cdn" in u or "unpkg" in u], blocked


def test_colours_mean_one_thing(server) -> None:
    """Clusters are donuts in category colours (never markercluster's green/yellow/orange); the legend says so."""
    from dsr_map.palette import CATEGORY_COLOURS, OTHER_COLOUR

    allowed = {c.lower() for c in CATEGORY_COLOURS.values()} | {OTHER_COLOUR, "#fff", "#000", "#555", "none", "#222"}
    with browser_page([], []) as page:
        page.goto(server + "/?category=Surveillance")
        frame = map_frame(page)
        fills = frame.evaluate("""() => [...document.querySelectorAll('.dsr-cluster svg *')]
            .flatMap(e => [e.getAttribute('fill'), e.getAttribute('stroke')]).filter(Boolean)
            .map(c => c.toLowerCase())""")
        assert fills and set(fills) <= allowed, set(fills) - allowed
        assert not set(fills) & MARKERCLUSTER_DEFAULTS
        # a Surveillance-only view: every ring segment is Surveillance's colour
        rings = frame.evaluate("""() => [...document.querySelectorAll('.dsr-cluster svg path, .dsr-cluster svg circle[stroke-width="6"]')]
            .map(e => (e.getAttribute('fill') === 'none' ? e.getAttribute('stroke') : e.getAttribute('fill')).toLowerCase())""")
        assert set(rings) <= {CATEGORY_COLOURS["Surveillance"].lower()}, set(rings)
        legend = frame.inner_text(".dsr-legend")
        assert "Cluster: ring shows the category mix" in legend and "Surveillance" in legend


def test_first_view_holds_every_point_and_cards_fit_the_map(server) -> None:
    """At load every project point lies inside the map's bounds (Pacific included, across 180 degrees); an
    opened card lies inside the map box and keeps its point in view."""
    with browser_page([], []) as page:
        page.goto(server)
        frame = map_frame(page)
        outside = frame.evaluate("""() => {
            const m = window.dsrMap; const b = m.map.getBounds(); const rows = m.details.rows; const out = [];
            for (let i = 0; i < rows.id.length; i++) {
              if (rows.lat[i] === null) continue;
              const ll = L.latLng(rows.lat[i], DSRMap.wrapLng(rows.lon[i], m.centre));
              if (!b.contains(ll)) out.push([rows.id[i], rows.lat[i], rows.lon[i]]);
            }
            return out; }""")
        assert outside == []
        assert frame.evaluate(OPEN_SOME_CARDS, 1) == 1
        page.wait_for_timeout(1200)
        boxes = frame.evaluate("""() => {
            const map = window.dsrMap.map.getContainer().getBoundingClientRect();
            const card = document.querySelector('.leaflet-popup').getBoundingClientRect();
            const point = window.dsrMap.map.latLngToContainerPoint(window.dsrMap.map._popup.getLatLng());
            return {map: [map.left, map.top, map.right, map.bottom], card: [card.left, card.top, card.right, card.bottom],
                    point: [point.x, point.y], scroll: getComputedStyle(document.querySelector('.leaflet-popup-content')).overflowY};
        }""")
        left, top, right, bottom = boxes["map"]
        c_left, c_top, c_right, c_bottom = boxes["card"]
        assert left <= c_left and top <= c_top and c_right <= right and c_bottom <= bottom, boxes
        assert 0 <= boxes["point"][0] <= right - left and 0 <= boxes["point"][1] <= bottom - top, boxes


def test_phone_width_has_no_horizontal_scroll_and_a_visible_map(server, tmp_path) -> None:
    """At 390 x 844 the page does not scroll sideways and the map has a usable height."""
    with browser_page([], [], viewport=(390, 844)) as page:
        page.goto(server)
        map_frame(page)
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], widths
        iframe = page.locator("iframe[title*='dsr_map']").first
        box = iframe.bounding_box()
        assert box and box["width"] <= 390 and box["height"] >= 400, box
        page.screenshot(path=str(tmp_path / "phone.png"))


def test_standards_layer_draws_and_round_trips(server) -> None:
    """?layer=standards hatches the countries with a tie and the legend gains the layer's entries."""
    with browser_page([], []) as page:
        page.goto(server + "/?layer=standards")
        frame = map_frame(page)
        page.wait_for_timeout(500)
        hatched = frame.evaluate("document.querySelectorAll('.leaflet-dsrTies-pane path').length")
        assert hatched >= 45
        assert frame.evaluate("!!document.querySelector('#dsr-hatch')")
        assert "Standards ties" in frame.inner_text(".dsr-legend")
        assert "layer=standards" in page.url


def test_a_filter_change_never_resends_shapes_or_details(server) -> None:
    """Country shapes and project details come once as files; a filter change sends a few kilobytes."""
    frames: list[bytes] = []
    with browser_page([], []) as page:
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived",
                lambda payload: frames.append(payload if isinstance(payload, bytes) else payload.encode()),
            ),
        )
        page.goto(server)
        map_frame(page)
        page.wait_for_timeout(1500)
        frames.clear()
        page.get_by_label("Scale").click() if False else None
        page.locator('[data-testid="stMultiSelect"]').first.click()
        page.keyboard.type("Fintech")
        page.keyboard.press("Enter")
        page.wait_for_timeout(3000)
    sent = b"".join(frames)
    assert sent, "no update arrived"
    assert b'"arcs"' not in sent and b"Topology" not in sent  # no shapes
    assert b"Nairobi Safe City" not in sent and b'"description"' not in sent  # no details
    assert len(sent) < 250_000, len(sent)


def _hostile_data(src: Path, dst: Path) -> Path:
    """A copy of data/ with hostile strings in every text field of a few rows."""
    shutil.copytree(src, dst)
    path = dst / "projects.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    fields = list(rows[0])
    targets = [r for r in rows if r["latitude"]][: len(HOSTILE)]
    for row, text in zip(targets, HOSTILE):
        for column in ("name", "city", "description", "client", "financing"):
            row[column] = text
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    sources = dst / "sources.csv"
    srows = list(csv.DictReader(sources.open(encoding="utf-8", newline="")))
    for row, text in zip(srows, HOSTILE):
        row["title"] = text
        row["publisher"] = text
    events = dst / "events.csv"
    erows = list(csv.DictReader(events.open(encoding="utf-8", newline="")))
    for row, text in zip(erows, HOSTILE):
        row["description"] = text
    for file, fieldnames, data in ((sources, list(srows[0]), srows), (events, list(erows[0]), erows)):
        with file.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
            writer.writeheader()
            writer.writerows(data)
    return dst


@pytest.fixture
def hostile_dir(tmp_path) -> Path:
    from dsr_map.load import DEFAULT_DATA_DIR

    return _hostile_data(DEFAULT_DATA_DIR, tmp_path / "hostile")


def test_hostile_text_never_runs_in_the_app(hostile_dir: Path) -> None:
    """Hostile names, places, descriptions, events and source titles render as text through the page's own
    card and tooltip templates; real cards open; nothing runs; the About tab is inert too."""
    require_browser()
    blocked, dialogs = [], []
    with streamlit_server(hostile_dir) as url, browser_page(blocked, dialogs) as page:
        page.goto(url + "/?q=" + "%5BVerify%20your%20account%5D(https%3A%2F%2Fevil.example)")
        page.goto(url)
        frame = map_frame(page)
        assert frame.evaluate(RENDER_EVERY_CARD) >= 800
        assert frame.evaluate(OPEN_SOME_CARDS, 20) >= 5
        page.wait_for_timeout(1000)
        html = frame.content()
        assert '<img src="x" onerror' not in html
        assert dialogs == [] and not any(pwned(page))
        page.get_by_role("tab", name="About the data").click()
        page.wait_for_timeout(500)
        assert dialogs == [] and not any(pwned(page))


def test_a_link_in_the_url_stays_text() -> None:
    """?q=[Verify your account](https://evil.example) shows as text, not a link, in the 'Showing' caption."""
    require_browser()
    with streamlit_server() as url, browser_page([], []) as page:
        page.goto(url + "/?q=%5BVerify%20your%20account%5D(https%3A%2F%2Fevil.example)")
        page.wait_for_selector("text=Showing:", timeout=60_000)
        assert page.locator("a[href*='evil.example']").count() == 0
        assert "[Verify your account](https://evil.example)" in page.inner_text("body").replace("\u2060", "")


def test_html_export_draws_offline_and_stays_inert(hostile_dir: Path, tmp_path: Path) -> None:
    """The HTML export of hostile data (plus a hostile upload) draws with the network blocked; no script runs."""
    require_browser()
    upload = write_hostile_upload(
        tmp_path / "mine.csv",
        "source_url",
        ["Kenya", "x", "Surveillance", "bad link", "", "", "", "javascript:alert(8)"],
    )
    out = tmp_path / "map.html"

    def export_html() -> subprocess.CompletedProcess:
        command = ["export", "html", "-o", str(out), "--data", str(hostile_dir), "--extra", str(upload)]
        return subprocess.run([sys.executable, "-m", "dsr_map", *command], capture_output=True, text=True)

    sources = hostile_dir / "sources.csv"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(
            "https://asiasociety.org/policy-institute/stacking-deck-chinas-influence-international-technology-standards-setting",
            "javascript:alert(7)",
            1,
        ),
        encoding="utf-8",
    )
    result = export_html()
    # the hostile source url makes the dataset invalid: the CLI refuses it, naming the row and column
    assert result.returncode == 1 and "sources.csv row S-0001 column url" in result.stdout
    sources.write_text(
        sources.read_text(encoding="utf-8").replace("javascript:alert(7)", "https://example.org/ok"), encoding="utf-8"
    )
    result = export_html()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "javascript:alert(8)" in result.stderr  # the bad upload row is reported, not shown
    blocked, dialogs = [], []
    with browser_page(blocked, dialogs) as page:
        page.goto(out.as_uri())
        page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length > 200", timeout=30_000)
        assert page.evaluate(RENDER_EVERY_CARD) >= 800
        assert page.evaluate(OPEN_SOME_CARDS, 20) >= 5
        page.wait_for_timeout(1000)
        assert dialogs == [] and not any(pwned(page))
        assert page.evaluate("document.querySelectorAll('.dsr-legend').length") == 1
    assert blocked == [], blocked


def test_hostile_upload_in_the_app(server, tmp_path: Path) -> None:
    """A hostile CSV uploaded in the app: valid rows draw as their own black layer with a legend entry, bad
    rows are listed, no script runs."""
    upload = write_hostile_upload(
        tmp_path / "mine.csv", "description", ["Narnia", "x", "Surveillance", "nowhere", "", "", "", ""]
    )
    blocked, dialogs = [], []
    with browser_page(blocked, dialogs) as page:
        page.goto(server)
        map_frame(page)
        page.get_by_text("Your own data (CSV, XLSX or data package)").click()
        page.locator('input[type="file"]').set_input_files(str(upload))
        page.get_by_text("Only my upload").click()
        page.wait_for_selector("text=row(s) valid and shown", timeout=60_000)
        assert f"{len(HOSTILE)} of {len(HOSTILE) + 1} row(s) valid" in page.content()
        page.wait_for_timeout(1500)
        frame = map_frame(page, min_paths=1)
        assert frame.evaluate("window.dsrMap.upload && window.dsrMap.upload.rows.id.length") == len(HOSTILE)
        assert frame.evaluate(RENDER_EVERY_CARD) >= len(HOSTILE)
        assert "Your upload" in frame.inner_text(".dsr-legend")
        page.wait_for_timeout(1000)
        assert dialogs == [] and not any(pwned(page))
        assert projects_figure(page) == len(HOSTILE)


def test_play_steps_through_the_years_in_the_browser(server) -> None:
    """The ▶ control's year slider shows the selection as it grew: fewer points and shaded countries in 2010."""
    with browser_page([], []) as page:
        page.goto(server)
        frame = map_frame(page)
        assert frame.evaluate("!!document.querySelector('.dsr-player button')")
        counts = frame.evaluate("""() => {
            const m = window.dsrMap; const all = m.bundledIndex.points.length;
            const shaded = () => Object.values(m.counts).filter((n) => n > 0).length;
            const before = shaded();
            const range = document.querySelector('.dsr-player input');
            range.value = '2010'; range.dispatchEvent(new Event('input'));
            return {all, then: m.bundledIndex.points.length, before, after: shaded(),
                    label: document.querySelector('.dsr-player .dsr-year').textContent};
        }""")
        assert counts["then"] < counts["all"] and counts["after"] < counts["before"], counts
        assert counts["label"] == "by end of 2010"
