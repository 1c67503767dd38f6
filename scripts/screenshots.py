"""Regenerate the README's pictures from the bundled data: docs/app.png and docs/map.png.

    python scripts/screenshots.py

docs/app.png: the app at 1400 x 900 in Debian's Chromium (headless, every non-local request blocked),
with the standards layer on. docs/map.png: `dsr-map export png` of the surveillance projects with the
standards layer, fitted to the data. Needs the `test` extra (Playwright) and Debian's chromium.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser import browser_page, map_frame, streamlit_server  # noqa: E402

DOCS = REPO / "docs"


def app_screenshot(target: Path) -> None:
    with streamlit_server() as url, browser_page([], [], viewport=(1400, 900)) as page:
        page.goto(url + "/?layer=standards")
        map_frame(page)
        page.locator('[data-testid="stMultiSelect"]').first.wait_for()  # the filters follow the map
        page.wait_for_timeout(1500)
        page.screenshot(path=str(target))


def map_export(target: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "dsr_map",
            "export",
            "png",
            "-o",
            str(target),
            "--category",
            "surveillance",
            "--layer",
            "standards",
            "--title",
            "Chinese surveillance projects and standards ties",
            "--width",
            "1600",
            "--height",
            "900",
            "--dpi",
            "150",
        ],
        check=True,
        cwd=REPO,
    )


if __name__ == "__main__":
    DOCS.mkdir(exist_ok=True)
    app_screenshot(DOCS / "app.png")
    map_export(DOCS / "map.png")
    print(f"wrote {DOCS / 'app.png'} and {DOCS / 'map.png'}")
