"""The command line: validate, format, stats, on the real data and on seeded defects."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from dsr_map.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dsr_map", *args], capture_output=True, text=True, timeout=120)


def test_validate_bundled_data_exits_zero() -> None:
    """python -m dsr_map validate passes on the bundled data."""
    result = run("validate")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("OK:")


def test_stats_json_reports_boundaries_and_counts() -> None:
    """stats --json is JSON with the coverage figures."""
    result = run("stats", "--json")
    stats = json.loads(result.stdout)
    assert stats["boundary_countries"] >= 240
    assert stats["projects"] > 0
    assert set(stats["by_category"]) == {"Surveillance", "Network Infrastructure", "Big Data", "Fintech",
                                         "Energy", "Integrated Platforms", "Municipal Services"}


def _rewrite(path: Path, edit) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0].keys())
    rows = edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_seeded_defects_are_all_named(data_copy: Path, capsys) -> None:
    """Eight defects in eight rows: exit 1, each row id named, no traceback."""
    defects = [
        ("DSR-9001", {"country_iso3": "XYZ"}),
        ("DSR-9002", {"year": "1850"}),
        ("DSR-9003", {"categories": "Teleportation"}),
        ("DSR-9004", {"latitude": "95"}),
        ("DSR-9005", {"vendors": "acme-corp"}),
        ("DSR-9006", {"source_ids": ""}),
        ("DSR-9007", {"name": ""}),
    ]

    def edit(rows: list[dict]) -> list[dict]:
        template = dict(rows[0])
        for pid, change in defects:
            rows.append({**template, "project_id": pid, "name": f"defect {pid}", **change})
        rows.append({**template, "name": "a duplicate id"})  # duplicates rows[0]'s id
        return rows

    _rewrite(data_copy / "projects.csv", edit)
    code = main(["validate", "--data", str(data_copy)])
    out = capsys.readouterr().out
    assert code == 1
    for pid, change in defects:
        assert any(line.startswith(f"projects.csv row {pid} column {next(iter(change))}") for line in out.splitlines()), pid
    assert "duplicate id" in out
    assert "Traceback" not in out


def test_validate_subprocess_has_no_traceback(data_copy: Path) -> None:
    """A broken file gives problem lines and exit 1, not a Python traceback."""
    (data_copy / "sources.csv").write_bytes(b"\xff\xfe garbage")
    result = run("validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert "not UTF-8" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_env_var_selects_data(data_copy: Path, monkeypatch, capsys) -> None:
    """$DSR_MAP_DATA points the CLI at another folder."""
    (data_copy / "VERSION").write_text("9.9.9-test\n")
    monkeypatch.setenv("DSR_MAP_DATA", str(data_copy))
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["data_version"] == "9.9.9-test"


def test_format_check_and_write(data_copy: Path, capsys) -> None:
    """format --check fails on a shuffled file; format fixes it."""
    _rewrite(data_copy / "projects.csv", lambda rows: list(reversed(rows)))
    assert main(["format", "--check", "--data", str(data_copy)]) == 1
    assert main(["format", "--data", str(data_copy)]) == 0
    assert main(["format", "--check", "--data", str(data_copy)]) == 0
