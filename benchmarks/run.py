"""Benchmark DSR Map on synthetic datasets of 1k, 10k and 100k projects over the real boundaries.

Prints, per size: load+validate, join, filter, map build (and HTML size), static PNG, and the
app's rerun time for a filter change (Streamlit AppTest, in-process). Not part of the test run.

    python benchmarks/run.py            # 1000 10000 100000
    python benchmarks/run.py 1000 5000  # other sizes
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dsr_map.export import Snapshot, to_html, to_png  # noqa: E402
from dsr_map.filters import Selection, apply_selection  # noqa: E402
from dsr_map.fmt import canonical_frame, to_csv_text  # noqa: E402
from dsr_map.join import count_by_country, prepare_projects  # noqa: E402
from dsr_map.load import DEFAULT_DATA_DIR, read_dataset  # noqa: E402
from dsr_map.render import simplify_for_web  # noqa: E402
from dsr_map.schema import CATEGORIES, PROJECT_TYPES, STATUSES  # noqa: E402
from dsr_map.validate import find_problems  # noqa: E402


def synthesize(size: int, target: Path, seed: int = 42) -> None:
    """Write a data/ folder with ``size`` valid projects spread over real countries."""
    rng = np.random.default_rng(seed)
    shutil.copytree(DEFAULT_DATA_DIR / "boundaries", target / "boundaries")
    for name in ("vendors.csv", "sources.csv", "VERSION", "CHANGELOG.md"):
        shutil.copy(DEFAULT_DATA_DIR / name, target / name)
    dataset, _ = read_dataset(target)
    world = dataset.world[~dataset.world["iso3"].isin(["ATA"])]
    anchors = world.geometry.representative_point()
    vendors = dataset.vendors["vendor_id"].to_numpy()
    sources = dataset.sources["source_id"].to_numpy()
    pick = rng.integers(0, len(world), size)
    has_point = rng.random(size) < 0.6
    frame = pd.DataFrame({
        "project_id": [f"DSR-{i:04d}" if i < 10000 else f"DSR-{i}" for i in range(1, size + 1)],
        "name": [f"Synthetic project {i}" for i in range(1, size + 1)],
        "country_iso3": world["iso3"].to_numpy()[pick],
        "city": np.where(has_point, "Somewhere", ""),
        "latitude": np.where(has_point, np.round(anchors.y.to_numpy()[pick] + rng.normal(0, 0.05, size), 4).astype(str), ""),
        "longitude": np.where(has_point, np.round(anchors.x.to_numpy()[pick] + rng.normal(0, 0.05, size), 4).astype(str), ""),
        "categories": [CATEGORIES[i] for i in rng.integers(0, len(CATEGORIES), size)],
        "project_type": [PROJECT_TYPES[i] for i in rng.integers(0, len(PROJECT_TYPES), size)],
        "vendors": vendors[rng.integers(0, len(vendors), size)],
        "year": rng.integers(2000, 2026, size).astype(str),
        "status": [STATUSES[i] for i in rng.integers(0, len(STATUSES), size)],
        "value_usd": "", "client": "", "financing": "", "certainty": "reported",
        "description": "Synthetic row for benchmarking.",
        "source_ids": sources[rng.integers(0, len(sources), size)],
    })
    (target / "projects.csv").write_text(to_csv_text(canonical_frame(frame, "projects.csv")), encoding="utf-8")


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def app_rerun_seconds(data_dir: Path) -> tuple[float, float]:
    """(first run, rerun after a filter change) of app.py in Streamlit's AppTest."""
    from streamlit.testing.v1 import AppTest

    os.environ["DSR_MAP_DATA"] = str(data_dir)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    _, first = timed(at.run)
    at.multiselect(key="f_categories").select("Surveillance")
    _, rerun = timed(at.run)
    assert not at.exception, at.exception
    return first, rerun


def run(size: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "data"
        target.mkdir()
        synthesize(size, target)
        (dataset, _), t_load = timed(read_dataset, target)
        problems, t_validate = timed(find_problems, dataset)
        assert not problems, problems[:3]
        projects, t_join = timed(prepare_projects, dataset)
        selection = Selection(categories=("Surveillance",), vendors=("Huawei Technologies",))
        filtered, t_filter = timed(apply_selection, projects, selection)
        web = simplify_for_web(dataset.world)
        html, t_map = timed(to_html, projects, web, Snapshot(version="bench"))
        png, t_png = timed(to_png, projects, dataset.world, Snapshot(version="bench"))
        first, rerun = app_rerun_seconds(target)
        return {"rows": size, "load_s": t_load, "validate_s": t_validate, "join_s": t_join,
                "filter_s": t_filter, "filtered_rows": len(filtered), "map_build_s": t_map,
                "map_html_mb": len(html) / 1e6, "png_s": t_png, "app_first_run_s": first,
                "app_filter_rerun_s": rerun}


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000, 100000]
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    header = ("rows", "load_s", "validate_s", "join_s", "filter_s", "map_build_s", "map_html_mb", "png_s",
              "app_first_run_s", "app_filter_rerun_s")
    print(" | ".join(header))
    for size in sizes:
        result = run(size)
        print(" | ".join(f"{result[k]:.3f}" if isinstance(result[k], float) else str(result[k]) for k in header),
              flush=True)


if __name__ == "__main__":
    main()
