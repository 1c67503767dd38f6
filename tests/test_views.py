"""What the app shows: charts sorted by count, readable names and numbers, profiles, timelines, paging."""

from __future__ import annotations

import pandas as pd
import pytest

from dsr_map.filters import Selection
from dsr_map.join import prepare_projects
from dsr_map.views import (
    TABLE_PAGE,
    Exporter,
    both_table,
    breakdown,
    country_profile,
    headline,
    project_timelines,
    short_vendor_names,
    table_frame,
    table_page,
)

from .conftest import event_row, make_dataset, project_row, tie_row


def test_breakdown_is_sorted_by_count_then_name_with_short_names() -> None:
    """Bars run largest first (ties broken by name), with short display names where the data has them."""
    projects = pd.DataFrame(
        {
            "vendors": [
                ("B Corp",),
                ("Huawei Technologies", "B Corp"),
                ("Huawei Technologies",),
                ("A Corp",),
                ("Huawei Technologies",),
            ]
        }
    )
    frame = breakdown(projects, "vendors", label="Company", short_names={"Huawei Technologies": "Huawei"})
    assert list(frame["Company"]) == ["Huawei", "B Corp", "A Corp"]
    assert list(frame["Projects"]) == [3, 2, 1]
    assert list(breakdown(projects, "vendors", top=1, label="Company")["Company"]) == ["Huawei Technologies"]


def test_headline_labels_say_what_they_count_and_numbers_have_separators() -> None:
    """'1,324', not '1324'; 'Companies (incl. partners)', not 'Companies'."""
    rows = [project_row(project_id=f"DSR-{i:04d}", name=f"p{i}", source_ids="S-0001") for i in range(1, 1_201)]
    figures = headline(prepare_projects(make_dataset(rows)))
    assert figures["Projects"] == "1,200"
    assert set(figures) == {"Projects", "Countries", "Companies (incl. partners)", "Sources cited"}


def test_table_has_human_headers_and_sends_a_page() -> None:
    """Column headers read as words; the table sends one page of rows, clamped to the last page."""
    rows = [project_row(project_id=f"DSR-{i:04d}", name=f"p{i}") for i in range(1, 121)]
    projects = prepare_projects(make_dataset(rows))
    assert {"Project", "Country", "Place", "Companies", "Scale", "First event", "Status as of"} <= set(
        table_frame(projects).columns
    )
    page, shown, pages = table_page(projects, 99)
    assert (len(page), shown, pages) == (120 - 2 * TABLE_PAGE, 3, 3)
    assert list(page["ID"])[0] == f"DSR-{2 * TABLE_PAGE + 1:04d}"


def test_profile_lists_ties_and_timelines_together() -> None:
    """A country's profile has its ties (with sources) and one time line of agreements and project events."""
    dataset = make_dataset(
        [project_row(source_ids="S-0001; S-0003", status_as_of="2022")],
        events=[event_row(), event_row(event_id="EV-00002", date="2022", event="launched", source_ids="S-0003")],
        standards=[tie_row()],
    )
    exporter = Exporter.for_dataset(dataset)
    profile = country_profile(
        exporter.projects, exporter.ties, exporter.events, "KEN", short_vendor_names(dataset.vendors)
    )
    assert list(profile["ties"]["ID"]) == ["ST-0001"] and profile["ties"]["Source"][0] == "https://example.org/1"
    assert list(profile["timeline"][["Year", "What"]].itertuples(index=False, name=None)) == [
        (2014, "Project event"),
        (2017, "Standards tie"),
        (2022, "Project event"),
    ]
    assert list(profile["companies"]["Company"]) == ["Huawei"]
    timelines = project_timelines(profile["projects"], exporter.events)
    assert list(timelines["Event"]) == ["Contracted", "Launched"] and list(timelines["Date"]) == ["2014", "2022"]


def test_both_table_answers_the_report_question() -> None:
    """Countries with projects in view and a tie come first, with the kinds of tie."""
    dataset = make_dataset(
        standards=[tie_row(), tie_row(tie_id="ST-0002", country_iso3="ECU", kind="digital_silk_road_mou")]
    )
    exporter = Exporter.for_dataset(dataset)
    table = both_table(exporter.select(Selection(countries=("KEN", "SRB"))), exporter.ties)
    assert list(table["ISO3"]) == ["KEN", "SRB", "ECU"]
    assert list(table["Both"]) == [True, False, False]
    assert table.loc[0, "Kinds of tie"] == "Standards cooperation agreement"


@pytest.mark.parametrize("government_only", [False, True])
def test_shading_by_government_level_projects(government_only: bool) -> None:
    """Government-level shading counts national, regional and city projects, not sites or products."""
    dataset = make_dataset([project_row(), project_row(project_id="DSR-0002", name="x", scale="product in use")])
    exporter = Exporter.for_dataset(dataset)
    summary = exporter.summary(exporter.projects, government_only=government_only)
    assert int(summary.set_index("iso3").loc["KEN", "projects"]) == (1 if government_only else 2)
