"""Helpers for browser tests: Debian's Chromium via Playwright, every non-local request blocked."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("DSR_MAP_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
LOCAL = (
    "http://localhost",
    "http://127.0.0.1",
    "ws://localhost",
    "ws://127.0.0.1",
    "data:",
    "blob:",
    "about:",
    "file://",
)
REPO = Path(__file__).resolve().parent.parent


def require_browser():
    """Skip (with the reason) where Chromium or Playwright is missing."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e .[test])")


@contextmanager
def browser_page(blocked: list[str], dialogs: list[str], viewport: tuple[int, int] = (1400, 900)):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})

        def route(request_route):
            url = request_route.request.url
            if url.startswith(LOCAL):
                return request_route.continue_()
            blocked.append(url)
            return request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            yield page
        finally:
            context.close()
            browser.close()


SERVER_PIDS: dict[str, int] = {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(data_dir: Path | None = None, app: Path | None = None, log: Path | None = None):
    """A Streamlit server on a free local port running ``app`` (default: the project's app.py).

    Yields the URL; the server's process id is ``SERVER_PIDS[url]`` (the benchmark reads its memory)."""
    port = free_port()
    env = dict(os.environ)
    if data_dir is not None:
        env["DSR_MAP_DATA"] = str(data_dir)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(app or REPO / "app.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w") if log else subprocess.DEVNULL,
    )
    SERVER_PIDS[f"http://127.0.0.1:{port}"] = proc.pid
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("streamlit did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def map_frame(page, timeout_ms: int = 60_000, min_paths: int = 100):
    """The map component's frame once Leaflet has drawn the country shapes in it."""
    deadline = time.time() + timeout_ms / 1000
    last_error = None
    while time.time() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate(
                    "!!(window.dsrMap && window.dsrMap.countryLayer) && "
                    f"document.querySelectorAll('path.leaflet-interactive').length >= {min_paths}"
                ):
                    return frame
            except Exception as exc:  # frame not ready or detached
                last_error = exc
        page.wait_for_timeout(250)
    raise AssertionError(f"the map never drew its countries ({[f.url[:60] for f in page.frames]}, {last_error})")


def projects_figure(page) -> int:
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
    return int(page.locator('[data-testid="stMetricValue"]').first.inner_text().replace(",", ""))


# Render every project's popup and tooltip with the page's own template functions (the ones the map
# calls when a point is clicked or hovered), for the bundled details and any upload, into the page.
RENDER_EVERY_CARD = """() => {
  const map = window.dsrMap; const sink = document.createElement('div'); document.body.appendChild(sink);
  let rendered = 0;
  for (const table of [map.details, map.upload]) {
    if (!table) continue;
    for (let i = 0; i < table.rows.id.length; i++) {
      const p = DSRMap.record(table, i);
      const box = document.createElement('div');
      box.innerHTML = DSRMap.popupHtml(p, 2019) + DSRMap.tooltipHtml(p);
      sink.appendChild(box); rendered++;
    }
  }
  return rendered;
}"""

# Open real project cards on the map through its own card function (what a click on a point calls),
# for the first n located projects of the bundled details and the upload.
OPEN_SOME_CARDS = """(n) => {
  const map = window.dsrMap; let opened = 0;
  for (const table of [map.details, map.upload]) {
    if (!table) continue;
    for (let i = 0; i < table.rows.id.length && opened < n; i++) {
      if (table.rows.lat[i] === null) continue;
      const popup = map.openProject(table, i, [table.rows.lat[i], table.rows.lon[i]]);
      if (popup && popup.getElement()) opened++;
    }
  }
  return opened;
}"""
