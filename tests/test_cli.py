"""The command line: validate, format, stats, on the real data and on seeded defects."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dsr_map.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dsr_map", *args], capture_output=True, text=True, timeout=120)


def test_validate_bundled_data_exits_zero() -> None:
    """python -m dsr_map validate passes on the bundled data."""
    result = run("validate")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("OK:")


def test_stats_json_reports_boundaries_and_counts(real_dataset) -> None:
    """stats --json is JSON with the coverage figures, counted here from the tables directly."""
    result = run("stats", "--json")
    stats = json.loads(result.stdout)
    assert stats["boundary_countries"] == len(real_dataset.world)
    assert stats["projects"] == len(real_dataset.projects)
    assert stats["events"] == len(real_dataset.events)
    assert stats["standards_records"] == len(real_dataset.standards)
    assert (
        stats["standards_countries"]
        == real_dataset.standards.loc[real_dataset.standards["country_iso3"] != "", "country_iso3"].nunique()
    )
    assert set(stats["by_category"]) == {
        "Surveillance",
        "Network Infrastructure",
        "Big Data",
        "Fintech",
        "Energy",
        "Integrated Platforms",
        "Municipal Services",
    }


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
        assert any(
            line.startswith(f"projects.csv row {pid} column {next(iter(change))}") for line in out.splitlines()
        ), pid
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


def _project_ids(path: Path) -> list[str]:
    return [row["project_id"] for row in csv.DictReader(path.open(encoding="utf-8"))]


def test_names_as_users_type_them(tmp_path, real_dataset) -> None:
    """--vendor huawei and --country Kenya select what the canonical names select (counted independently)."""
    expected = [
        row.project_id
        for row in real_dataset.projects.itertuples()
        if row.country_iso3 == "KEN" and "huawei" in row.vendors.split("; ")
    ]
    for vendor, country in (("huawei", "Kenya"), ("Huawei Technologies", "KEN"), ("HUAWEI", "ke")):
        out = tmp_path / f"{vendor}-{country}.csv"
        assert main(["export", "csv", "-o", str(out), "--vendor", vendor, "--country", country]) == 0
        assert _project_ids(out) == expected
    out = tmp_path / "cat.csv"
    assert (
        main(
            [
                "export",
                "csv",
                "-o",
                str(out),
                "--category",
                "surveillance",
                "--region",
                "africa",
                "--status",
                "Operational",
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and all(
        r["status"] == "operational" and r["region"] == "Africa" and "Surveillance" in r["categories"].split("; ")
        for r in rows
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vendor", "Huawai"], "unknown company 'Huawai'; did you mean 'Huawei Technologies'"),
        (["--country", "Kenia"], "did you mean 'Kenya (KEN)'"),
        (["--category", "surveilance"], "did you mean 'Surveillance'"),
        (["--region", "Afrika"], "did you mean 'Africa'"),
        (["--status", "operationl"], "did you mean 'operational'"),
        (["--year-from", "2030"], "--year-from must be from 1990 to"),
        (["--year-from", "2020", "--year-to", "2010"], "is after --year-to"),
        (["--dpi", "0"], "--dpi must be from 72 to 600"),
        (["--width", "100000"], "--width must be from 600 to 6000"),
        (["--extent", "1,2,3"], "extent"),
        (["--extent", "Atlantis"], "extent"),
        (["--title", "$" * 151], "--title has 151 characters; the limit is 150"),
    ],
)
def test_typos_exit_2_with_a_suggestion_and_write_nothing(tmp_path, capsys, args, message) -> None:
    """A typo or an out-of-range number is a clear error (exit 2); no file is written."""
    out = tmp_path / "x.png"
    assert main(["export", "png", "-o", str(out), *args]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_filter_that_matches_nothing_writes_nothing(tmp_path, capsys) -> None:
    """Valid names with no project in common: exit 1, a message, no empty file passed off as an answer."""
    out = tmp_path / "x.csv"
    assert (
        main(["export", "csv", "-o", str(out), "--country", "NZL", "--category", "Energy", "--vendor", "Hikvision"])
        == 1
    )
    assert "no projects match these filters" in capsys.readouterr().err and not out.exists()


def test_commands_do_not_import_what_they_do_not_use() -> None:
    """validate, stats and csv exports never load matplotlib, scipy, folium or streamlit."""
    code = (
        "import sys; from dsr_map.cli import main; "
        "main(['stats', '--json']); main(['validate']); "
        "main(['export', 'csv', '-o', '/dev/null', '--country', 'KEN']); "
        "heavy = [m for m in ('matplotlib', 'scipy', 'sklearn', 'folium', 'streamlit', 'mapclassify') "
        "if m in sys.modules]; print('HEAVY', heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "HEAVY []" in result.stdout, result.stdout[-400:] + result.stderr[-400:]
