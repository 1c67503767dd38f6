"""seeds/: the seed report as structured data, linked to the rows that rest on it."""

from __future__ import annotations

import csv
from pathlib import Path

from dsr_map.schema import CATEGORIES
from dsr_map.validate import split_multi

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def read(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_category_table_is_the_controlled_vocabulary() -> None:
    """The report's chapter 5 table gives exactly our seven categories."""
    assert tuple(r["category"] for r in read("categories.csv")) == CATEGORIES


def test_claims_link_to_rows_that_cite_the_report(real_dataset) -> None:
    """Every project a claim names exists and cites the seed report's source."""
    report_url = read("report.csv")[0]["url"]
    report_ids = set(real_dataset.sources.loc[real_dataset.sources["url"] == report_url, "source_id"])
    assert report_ids
    projects = real_dataset.projects.set_index("project_id")
    linked = [pid for claim in read("claims.csv") for pid in split_multi(claim["project_ids"])]
    assert linked
    for pid in linked:
        assert pid in projects.index, pid
        assert set(split_multi(projects.at[pid, "source_ids"])) & report_ids, pid


def test_claims_are_well_formed(real_dataset) -> None:
    """Chapters are numbers, kinds known, vendors and countries known."""
    vendors = set(real_dataset.vendors["vendor_id"])
    countries = set(real_dataset.world["iso3"])
    for claim in read("claims.csv"):
        assert claim["chapter"].isdigit() and claim["kind"] in ("figure", "project")
        assert set(split_multi(claim["vendors"])) <= vendors
        assert set(split_multi(claim["countries"])) <= countries
