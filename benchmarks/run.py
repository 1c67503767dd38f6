"""Benchmark DSR Map against a naive folium + streamlit-folium page, on this machine, in one run.

Prints every figure of the speed issue's table beside the naive baseline (benchmarks/naive_app.py):

- websocket bytes for one filter change, and the map component's message on first load: summed from
  the frames Chromium receives (Playwright, Debian Chromium, every non-local request blocked; the
  baseline's Leaflet files are served from the folium-offline package, as a CDN would);
- time until the map is drawn after opening the page: fresh (the first page after a server start, median of
  three starts) and warm (later pages, each in a new browser context), measured alike for every page;
- server memory (RSS) before and after 50 filter changes;
- whole-process wall time of `dsr-map validate`, `stats`, `export csv`, `export png` (median of 5), beside
  the same commands when the whole export chain is imported first (what the CLI did before);
- a 100,000-row upload: the app's rerun after a filter change (Streamlit AppTest, in-process, median of 5)
  and, in the browser, that a single project in a dense spot is reachable (zoom, then the cluster list).

Not part of the test run; needs the `bench` and `test` extras and Debian's chromium.

    python benchmarks/run.py            # everything (about 10 minutes on 2 cores)
    python benchmarks/run.py --quick    # fewer repeats
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser import ARGS, CHROMIUM, LOCAL, SERVER_PIDS, streamlit_server  # noqa: E402

NAIVE_APP = REPO / "benchmarks" / "naive_app.py"
FLOOR_APP = REPO / "benchmarks" / "floor_app.py"
OUT = REPO / "benchmarks" / "out"


# ---------------------------------------------------------------- browser measurements
def _offline_assets() -> dict[str, str]:
    """The CDN files folium links to, as the folium-offline package carries them."""
    try:
        from offlinefolium.elements import _res
    except ImportError:
        return {}
    return dict(_res)


class Browser:
    def __init__(self, play) -> None:
        self.browser = play.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        self.assets = _offline_assets()

    def page(self, frames: list[int]):
        context = self.browser.new_context(viewport={"width": 1400, "height": 900})

        def route(request_route):
            url = request_route.request.url
            if url.startswith(LOCAL):
                return request_route.continue_()
            if url in self.assets:  # the baseline's CDN links, served locally
                kind = "text/css" if url.endswith(".css") else "text/javascript"
                return request_route.fulfill(status=200, content_type=kind, body=self.assets[url])
            return request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived",
                lambda payload: frames.append(len(payload) if isinstance(payload, bytes) else len(payload.encode())),
            ),
        )
        return page


def wait_for_map(page, started: float | None = None, timeout: float = 120) -> float:
    """Seconds from ``started`` (default: now) until a frame has drawn more than 100 Leaflet paths."""
    started = time.perf_counter() if started is None else started
    while time.perf_counter() - started < timeout:
        for frame in page.frames:
            try:
                if frame.evaluate("document.querySelectorAll('path.leaflet-interactive').length") > 100:
                    return time.perf_counter() - started
            except Exception:
                pass
        page.wait_for_timeout(50)
    raise TimeoutError("the map never drew")


def wait_quiet(page, frames: list[int], quiet_ms: int = 1500, timeout: float = 60) -> None:
    """Wait until no websocket frame has arrived for ``quiet_ms``."""
    started = time.perf_counter()
    last, seen = time.perf_counter(), len(frames)
    while time.perf_counter() - started < timeout:
        page.wait_for_timeout(100)
        if len(frames) != seen:
            seen, last = len(frames), time.perf_counter()
        elif (time.perf_counter() - last) * 1000 >= quiet_ms:
            return


def choose_category(page, name: str) -> None:
    box = page.locator('[data-testid="stMultiSelect"]').first
    box.click()
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def clear_categories(page) -> None:
    clear = page.locator('[data-testid="stMultiSelect"]').first.locator('[aria-label="Clear all"]')
    if clear.count():
        clear.first.click()
    else:
        page.locator('[data-testid="stMultiSelect"]').first.click()
        page.keyboard.press("Backspace")
        page.keyboard.press("Escape")


def rss_mib(pid: int) -> float:
    import psutil

    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


def measure_load(browser: Browser, app: Path, servers: int = 3, repeats: int = 3) -> dict:
    """Time to the drawn map for a page opened without interaction, the same way for every page.

    Fresh: the first page after the server started (median over ``servers`` starts). Warm: the pages
    opened after it, each in a new browser context once the one before has finished loading (median over
    all starts)."""
    fresh, warm = [], []
    for _ in range(servers):
        with streamlit_server(app=app) as url:
            for i in range(repeats + 1):
                frames: list[int] = []
                page = browser.page(frames)
                started = time.perf_counter()
                page.goto(url, wait_until="commit")
                (warm if i else fresh).append(wait_for_map(page, started))
                wait_quiet(page, frames, quiet_ms=1000)  # the page finishes loading before the next opens
                page.context.close()
    return {
        "fresh_s": statistics.median(fresh),
        "warm_s": statistics.median(warm),
        "fresh_all": fresh,
        "warm_all": warm,
    }


def measure_app(browser: Browser, app: Path | None, changes: int) -> dict:
    """Load times (``measure_load``), first-load message, one filter change's bytes, memory over changes."""
    result: dict = measure_load(browser, app or REPO / "app.py")
    with streamlit_server(app=app) as url:
        frames: list[int] = []
        page = browser.page(frames)
        page.goto(url, wait_until="commit")
        wait_for_map(page)
        wait_quiet(page, frames)
        result["first_load_message_bytes"] = max(frames) if frames else 0
        result["first_load_bytes"] = sum(frames)
        frames.clear()
        choose_category(page, "Surveillance")
        wait_quiet(page, frames)
        result["filter_change_bytes"] = sum(frames)
        pid = SERVER_PIDS[url]
        before = rss_mib(pid)
        for i in range(changes):
            clear_categories(page) if i % 2 == 0 else choose_category(page, "Fintech")
            wait_quiet(page, frames, quiet_ms=600)
        result["rss_before_mib"], result["rss_after_mib"] = before, rss_mib(pid)
        result["changes"] = changes
        page.context.close()
    return result


# ---------------------------------------------------------------- CLI measurements
CLI = {
    "validate": ["validate"],
    "stats": ["stats", "--json"],
    "export csv": ["export", "csv", "-o", os.devnull],
    "export png": ["export", "png", "-o", str(Path(tempfile.gettempdir()) / "dsr-bench.png")],
}
EAGER = "import geopandas, matplotlib.pyplot, folium, mapclassify, pandera.pandas; "


def time_command(code: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=tempfile.gettempdir())
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure_cli(repeats: int) -> dict:
    out = {}
    for name, args in CLI.items():
        call = f"import sys; from dsr_map.cli import main; sys.exit(main({args!r}))"
        out[name] = {"dsr_map": time_command(call, repeats), "naive": time_command(EAGER + call, repeats)}
    return out


# ---------------------------------------------------------------- 100k rows
def synthetic_upload(rows: int, seed: int = 7) -> bytes:
    """``rows`` projects in the minimal upload layout, at real places (jittered city points)."""
    from dsr_map.load import read_dataset

    rng = np.random.default_rng(seed)
    dataset, _ = read_dataset()
    placed = dataset.projects[dataset.projects["latitude"] != ""]
    pick = placed.iloc[rng.integers(0, len(placed), rows)]
    jitter = rng.normal(0, 0.05, (rows, 2))
    frame = pd.DataFrame(
        {
            "country": pick["country_iso3"].to_numpy(),
            "vendor": rng.choice(["Huawei", "ZTE", "Hikvision", "Dahua", "Alibaba Cloud"], rows),
            "category": rng.choice(["Surveillance", "Network Infrastructure", "Fintech", "Big Data", "Energy"], rows),
            "latitude": (pick["latitude"].astype(float).to_numpy() + jitter[:, 0] * 0.2).round(5),
            "longitude": (pick["longitude"].astype(float).to_numpy() + jitter[:, 1] * 0.2).round(5),
            "year": rng.integers(2005, 2025, rows),
            "name": [f"Synthetic project {i}" for i in range(rows)],
        }
    )
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode()


def measure_upload_rerun(payload: bytes, repeats: int) -> dict:
    """In-process (AppTest): the rerun after a filter change with a 100k-row upload shown alone."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    at.session_state["map_drawn"] = True  # AppTest has no browser: as the map reports once drawn
    at.run()
    at.get("file_uploader")[0].set_value([("big.csv", payload, "text/csv")])
    started = time.perf_counter()
    at.run()
    parse_s = time.perf_counter() - started
    at.radio(key="show_mode").set_value("Only my upload").run()
    # the browser acknowledges the upload once (then the server sends only which rows are selected);
    # AppTest has no browser, so the acknowledgement is set as the map component would set it
    import hashlib

    at.session_state["map"] = {"drawn": True, "upload_have": hashlib.sha256(payload).hexdigest()[:16]}
    at.run()
    shown = int(next(m for m in at.metric if m.label == "Projects").value.replace(",", ""))
    times = []
    for i in range(repeats):
        categories = ["Fintech"] if i % 2 == 0 else []
        started = time.perf_counter()
        at.multiselect(key="f_categories").set_value(categories).run()
        times.append(time.perf_counter() - started)
    return {"rows_shown": shown, "parse_s": parse_s, "rerun_s": statistics.median(times)}


def measure_reachability(browser: Browser, payload: bytes) -> dict:
    """In the browser: upload the rows, zoom into the densest spot, open the cluster there and a card."""
    path = Path(tempfile.gettempdir()) / "dsr-bench-100k.csv"
    path.write_bytes(payload)
    with streamlit_server() as url:
        frames: list[int] = []
        page = browser.page(frames)
        page.goto(url)
        wait_for_map(page)
        page.get_by_text("Your own data (CSV, XLSX or data package)").click()
        page.locator('input[type="file"]').set_input_files(str(path))
        page.get_by_text("Only my upload").click()
        page.wait_for_selector("text=row(s) valid and shown", timeout=300_000)
        frame = next(f for f in page.frames if f.evaluate("!!window.dsrMap"))
        started = time.perf_counter()
        frame.wait_for_function(
            "window.dsrMap.uploadPoints && window.dsrMap.uploadPoints.length > 90000", timeout=300_000
        )
        draw_s = time.perf_counter() - started
        reached = frame.evaluate("""() => {
            // Follow the densest cluster down, as clicking it does (zoom to where it splits); at the
            // deepest zoom, projects at one place are listed and each card opens from the list.
            const m = window.dsrMap; const index = m.uploadIndex;
            const size = (f) => f.properties.point_count || 1;
            let target = index.getClusters([-180, -85, 180, 85], 2).sort((a, b) => size(b) - size(a))[0];
            let zoom = 2;
            while (target && target.properties.cluster) {
              zoom = index.getClusterExpansionZoom(target.properties.cluster_id);
              if (zoom > 16) break;  // identical points: the list of the cluster is how they are reached
              target = index.getChildren(target.properties.cluster_id).sort((a, b) => size(b) - size(a))[0];
            }
            const leaf = target.properties.cluster ? index.getLeaves(target.properties.cluster_id, 1)[0] : target;
            const popup = m.openProject(m.upload, leaf.properties.i,
                                        [leaf.geometry.coordinates[1], leaf.geometry.coordinates[0]]);
            return {zoom, opened: !!(popup && popup.getElement() &&
                                     popup.getElement().textContent.includes('Synthetic project'))};
        }""")
        page.context.close()
    return {"browser_index_s": draw_s, **reached}


# ---------------------------------------------------------------- report
def fmt_bytes(n: float) -> str:
    return f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / 2**20:,.2f} MB"


def report(results: dict) -> str:
    ours, naive = results["app"], results["naive_app"]
    cli = results["cli"]
    up = results["upload"]
    rows = [
        (
            "websocket bytes for one filter change",
            fmt_bytes(ours["filter_change_bytes"]),
            fmt_bytes(naive["filter_change_bytes"]),
            "<= 250 KB",
        ),
        (
            "map component message on first load",
            fmt_bytes(ours["first_load_message_bytes"]),
            fmt_bytes(naive["first_load_message_bytes"]),
            "<= 700 KB",
        ),
        (
            "map visible after opening, warm server / fresh server",
            f"{ours['warm_s']:.2f} s / {ours['fresh_s']:.2f} s",
            f"{naive['warm_s']:.2f} s / {naive['fresh_s']:.2f} s",
            "<= 1.5 s / <= 3 s",
        ),
    ]
    for name in ("validate", "stats", "export csv"):
        rows.append(
            (f"`dsr-map {name}` wall time", f"{cli[name]['dsr_map']:.2f} s", f"{cli[name]['naive']:.2f} s", "<= 1.0 s")
        )
    rows.append(
        (
            "`dsr-map export png` wall time",
            f"{cli['export png']['dsr_map']:.2f} s",
            f"{cli['export png']['naive']:.2f} s",
            "<= 1.5 s",
        )
    )
    rows.append(
        (
            f"server memory after {ours['changes']} filter changes",
            f"{ours['rss_after_mib'] - ours['rss_before_mib']:+.0f} MiB ({ours['rss_after_mib']:.0f} MiB)",
            f"{naive['rss_after_mib'] - naive['rss_before_mib']:+.0f} MiB ({naive['rss_after_mib']:.0f} MiB)",
            "<= +30 MiB",
        )
    )
    rows.append(
        ("100k uploaded rows: filter rerun", f"{up['rerun_s']:.2f} s (AppTest)", "not run (see below)", "<= 0.5 s")
    )
    lines = ["| figure | DSR Map | naive folium page | target |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]

    def spread(times: list[float]) -> str:
        return f"{min(times):.2f}–{max(times):.2f} s over {len(times)}"

    lines.append("")
    lines.append(
        f"Map visible, every load (medians above): DSR Map warm {spread(ours['warm_all'])}, fresh "
        f"{spread(ours['fresh_all'])} server starts; naive page warm {spread(naive['warm_all'])}."
    )
    floor = results.get("floor")
    if floor:
        lines.append("")
        lines.append(
            f'Floor for "map visible": a Streamlit page holding only the map component '
            f"(benchmarks/floor_app.py) draws in {floor['warm_s']:.2f} s warm / {floor['fresh_s']:.2f} s fresh "
            "on this machine."
        )
    reach = results.get("reach", {})
    if reach:
        lines.append("")
        lines.append(
            f"100k rows in the browser: the point index built in {reach['browser_index_s'] * 1000:.0f} ms after the "
            f"upload notice; a project in the densest spot opened at zoom {reach['zoom']} "
            f"({'reachable' if reach['opened'] else 'NOT reached'})."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--report", action="store_true", help="only rewrite the table from out/results.json")
    args = parser.parse_args()
    if args.report:
        table = report(json.loads((OUT / "results.json").read_text(encoding="utf-8")))
        (OUT / "table.md").write_text(table + "\n", encoding="utf-8")
        print(table)
        return
    repeats = 3 if args.quick else 5
    changes = 20 if args.quick else 50
    from playwright.sync_api import sync_playwright

    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    results["cli"] = measure_cli(repeats)
    payload = synthetic_upload(100_000)
    results["upload"] = measure_upload_rerun(payload, repeats)
    with sync_playwright() as play:
        browser = Browser(play)
        results["app"] = measure_app(browser, None, changes)
        results["naive_app"] = measure_app(browser, NAIVE_APP, changes)
        results["floor"] = measure_load(browser, FLOOR_APP)
        try:
            results["reach"] = measure_reachability(browser, payload)
        except Exception as exc:  # report, do not lose the other figures
            results["reach_error"] = repr(exc)
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    table = report(results)
    (OUT / "table.md").write_text(table + "\n", encoding="utf-8")
    print(f"Machine: {results['machine']}")
    print(table)


if __name__ == "__main__":
    main()
