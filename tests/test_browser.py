"""In headless Chromium with every non-local request blocked: the app and the HTML export draw,
filters work from the URL, and hostile text from data or uploads never runs as script."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from .browser import OPEN_EVERYTHING, browser_page, map_frame, projects_figure, require_browser, streamlit_server

pytestmark = pytest.mark.browser

HOSTILE = [
    '<img src=x onerror="window.top.__pwned=1;alert(1)">',
    "${(window.top.__pwned=2)}",
    "`;window.top.__pwned=3;alert(3);`",
    "</script><script>window.top.__pwned=4;alert(4)</script>",
    "\\x3cimg src=x onerror=alert(5)\\x3e \\1 \\u003c",
    "javascript:alert(6)",
]


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


def test_app_draws_offline_and_url_filters(tmp_path) -> None:
    """Countries and points draw with the network blocked; ?category=Surveillance lowers Projects."""
    require_browser()
    blocked, dialogs = [], []
    with streamlit_server() as url, browser_page(blocked, dialogs) as page:
        page.goto(url)
        frame = map_frame(page)
        total = projects_figure(page)
        points = frame.evaluate("document.querySelectorAll('.marker-cluster, path.leaflet-interactive').length")
        assert points > 241  # countries plus clusters or points
        page.screenshot(path=str(tmp_path / "app.png"))
        filtered = page.context.new_page()
        filtered.goto(url + "/?category=Surveillance")
        map_frame(filtered, min_paths=10)  # zoomed to the filtered view: Leaflet draws only what is visible
        assert 0 < projects_figure(filtered) < total
    assert not [u for u in blocked if "leaflet" in u or "jquery" in u or "cdn" in u], blocked


def _hostile_data(src: Path, dst: Path) -> Path:
    """A copy of data/ with hostile strings in every text field of a few rows."""
    import shutil

    shutil.copytree(src, dst)
    path = dst / "projects.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    fields = list(rows[0])
    targets = [r for r in rows if r["latitude"]][:len(HOSTILE)]
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
    srows[0]["url"] = "javascript:alert(7)"
    with sources.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(srows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(srows)
    return dst


@pytest.fixture
def hostile_dir(tmp_path) -> Path:
    from dsr_map.load import DEFAULT_DATA_DIR

    return _hostile_data(DEFAULT_DATA_DIR, tmp_path / "hostile")


def test_hostile_text_never_runs_in_the_app(hostile_dir: Path) -> None:
    """Hostile names, cities, descriptions and source titles render as text; popups open; no script runs."""
    require_browser()
    blocked, dialogs = [], []
    with streamlit_server(hostile_dir) as url, browser_page(blocked, dialogs) as page:
        page.goto(url + "/?q=window.top")
        frame = map_frame(page, min_paths=3)
        opened = frame.evaluate(OPEN_EVERYTHING)
        page.wait_for_timeout(1000)
        assert opened >= 1
        html = frame.content()
        assert "<img src=\"x\" onerror" not in html
        assert dialogs == [] and not any(pwned(page))
        page.get_by_role("tab", name="About the data").click()
        page.wait_for_timeout(500)
        assert dialogs == [] and not any(pwned(page))


def test_html_export_draws_offline_and_stays_inert(hostile_dir: Path, tmp_path: Path) -> None:
    """The HTML export of hostile data (plus a hostile upload) draws with the network blocked; no script runs."""
    require_browser()
    upload = write_hostile_upload(tmp_path / "mine.csv", "source_url",
                                  ["Kenya", "x", "Surveillance", "bad link", "", "", "", "javascript:alert(8)"])
    out = tmp_path / "map.html"
    result = subprocess.run([sys.executable, "-m", "dsr_map", "export", "html", "-o", str(out), "--data",
                             str(hostile_dir), "--extra", str(upload)], capture_output=True, text=True)
    # the hostile source url makes the dataset invalid: the CLI refuses it, naming the row and column
    assert result.returncode == 1 and "sources.csv row S-0001 column url" in result.stdout
    fixed = hostile_dir / "sources.csv"
    fixed.write_text(fixed.read_text(encoding="utf-8").replace("javascript:alert(7)", "https://example.org/ok"),
                     encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "dsr_map", "export", "html", "-o", str(out), "--data",
                             str(hostile_dir), "--extra", str(upload)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "javascript:alert(8)" in result.stderr  # the bad upload row is reported, not shown
    blocked, dialogs = [], []
    with browser_page(blocked, dialogs) as page:
        page.goto(out.as_uri())
        page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length > 200", timeout=30_000)
        opened = page.evaluate(OPEN_EVERYTHING)
        page.wait_for_timeout(1000)
        assert opened >= 1
        assert dialogs == [] and not any(pwned(page))
    assert blocked == [], blocked


def test_hostile_upload_in_the_app(tmp_path: Path) -> None:
    """A hostile CSV uploaded in the app: valid rows draw as their own layer, bad rows are listed, no script runs."""
    require_browser()
    upload = write_hostile_upload(tmp_path / "mine.csv", "description",
                                  ["Narnia", "x", "Surveillance", "nowhere", "", "", "", ""])
    blocked, dialogs = [], []
    with streamlit_server() as url, browser_page(blocked, dialogs) as page:
        page.goto(url)
        map_frame(page)
        page.get_by_text("Your own data (CSV or XLSX)").click()
        page.locator('input[type="file"]').set_input_files(str(upload))
        page.get_by_text("Only my upload").click()
        page.wait_for_selector("text=row(s) valid and shown", timeout=60_000)
        assert f"{len(HOSTILE)} of {len(HOSTILE) + 1} row(s) valid" in page.content()
        frame = map_frame(page, min_paths=1)
        assert frame.evaluate(OPEN_EVERYTHING) >= len(HOSTILE)
        page.wait_for_timeout(1000)
        assert dialogs == [] and not any(pwned(page))
        assert projects_figure(page) == len(HOSTILE)
