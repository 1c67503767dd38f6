"""Lifecycles: events give a project's state; year, status and status_as_of derive from them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dsr_map.join import prepare_projects
from dsr_map.lifecycle import apply_derived, as_of, derive, state_after, status_changes
from dsr_map.validate import find_problems

from .conftest import event_row, make_dataset, project_row


@pytest.mark.parametrize(
    ("kinds", "state"),
    [
        ([], "unknown"),
        (["announced"], "announced/MoU"),
        (["mou_signed", "contracted"], "contracted"),
        (["contracted", "construction_started", "launched"], "operational"),
        (["launched", "financed"], "operational"),  # a later loan does not make it "contracted" again
        (
            ["contracted", "cancelled", "contracted", "launched"],
            "operational",
        ),  # Zambia: cancelled, re-signed, commissioned
        (["launched", "shut_down"], "ended"),  # Alibaba Cloud Sydney
        (["launched", "suspended", "resumed"], "operational"),
        (["contracted", "suspended", "resumed"], "contracted"),
        (["mou_signed", "tested"], "pilot/trial"),  # Alstom/Huawei eLTE test
        (["tested", "contracted"], "contracted"),  # a trial, then the contract
        (["launched", "tested"], "operational"),  # a test of a live system changes nothing
        (["launched", "exited"], "ended"),
    ],
)
def test_state_after(kinds: list[str], state: str) -> None:
    """One rule for the state after a sequence of events."""
    assert state_after(kinds) == state


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        [
            event_row(event_id="EV-00001", project_id="DSR-0001", date="2013", event="contracted"),
            event_row(event_id="EV-00002", project_id="DSR-0001", date="2016-03", event="cancelled"),
            event_row(event_id="EV-00003", project_id="DSR-0001", date="2016-09", event="contracted"),
            event_row(
                event_id="EV-00004", project_id="DSR-0001", date="2022-05-12", event="launched", source_ids="S-0003"
            ),
            event_row(
                event_id="EV-00005", project_id="DSR-0002", date="2019", event="reported_in_use", source_ids="S-0002"
            ),
        ]
    )


def test_derive_year_status_and_as_of() -> None:
    """Year is the first event's, status the state after the last, status_as_of the last date."""
    derived = derive(_events())
    assert (derived["DSR-0001"].year, derived["DSR-0001"].status, derived["DSR-0001"].status_as_of) == (
        "2013",
        "operational",
        "2022-05-12",
    )
    assert derived["DSR-0002"].status == "operational"


def test_status_changes_lists_each_change_once() -> None:
    """The time line the browser steps through."""
    assert status_changes(_events())["DSR-0001"] == [
        ("2013", "contracted"),
        ("2016-03", "suspended/cancelled"),
        ("2016-09", "contracted"),
        ("2022-05-12", "operational"),
    ]


def test_as_of_a_date_gives_the_state_then() -> None:
    """At the end of 2016 the Zambia-like project is contracted again; DSR-0002 does not exist yet."""
    dataset = make_dataset()
    projects = prepare_projects(dataset)
    then = as_of(projects, _events(), dt.date(2016, 12, 31))
    assert list(then["project_id"]) == ["DSR-0001", "DSR-0003"]  # DSR-0003 has no events: kept by its year
    assert then.set_index("project_id").loc["DSR-0001", "status"] == "contracted"
    assert then.set_index("project_id").loc["DSR-0001", "status_as_of"] == "2016-09"
    early = as_of(projects, _events(), dt.date(2012, 12, 31))
    assert list(early["project_id"]) == ["DSR-0003"]


def _with_events(events: list[dict], **project) -> list:
    row = project_row(
        year="2013", status="operational", status_as_of="2022-05-12", source_ids="S-0001; S-0003", **project
    )
    return find_problems(make_dataset([row], events=events))


def test_consistent_events_validate() -> None:
    """A project whose derived columns agree with its events has no problem."""
    rows = _events().query("project_id == 'DSR-0001'").to_dict("records")
    assert _with_events(rows) == []


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"EV-00003": {"date": "2012"}}, "date", "before the project's previous event"),
        ({"EV-00004": {"date": "2031"}}, "date", "not in the future"),
        ({"EV-00002": {"event": "exploded"}}, "event", "unknown value"),
        ({"EV-00004": {"source_ids": "S-0002"}}, "source_ids", "not cited by DSR-0001"),
        ({"EV-00004": {"source_ids": "S-0999"}}, "source_ids", "unknown id"),
        ({"EV-00004": {"date": "2022-05-32"}}, "date", "real date"),
    ],
)
def test_event_defects_are_named(change: dict, column: str, message: str) -> None:
    """Order, dates, vocabulary and sources of events are checked and named by event id and column."""
    rows = _events().query("project_id == 'DSR-0001'").to_dict("records")
    for row in rows:
        row.update(change.get(row["event_id"], {}))
    found = [p for p in _with_events(rows) if p.file == "events.csv"]
    assert any(p.column == column and message in p.message for p in found), found


def test_event_later_than_its_sources_is_reported() -> None:
    """A source published in April 2019 cannot report an event of 2022."""
    rows = _events().query("project_id == 'DSR-0001'").to_dict("records")
    rows[-1]["source_ids"] = "S-0001"  # published 2019-04 in the tiny dataset
    found = _with_events(rows)
    assert any(p.row == "EV-00004" and "later than every source" in p.message for p in found)


def test_derived_columns_must_agree_and_format_rewrites_them() -> None:
    """A status that disagrees with the events is named; apply_derived (dsr-map format) fixes it."""
    rows = _events().query("project_id == 'DSR-0001'").to_dict("records")
    dataset = make_dataset(
        [project_row(year="2014", status="contracted", status_as_of="", source_ids="S-0001; S-0003")], events=rows
    )
    found = {(p.row, p.column) for p in find_problems(dataset)}
    assert {("DSR-0001", "year"), ("DSR-0001", "status"), ("DSR-0001", "status_as_of")} <= found
    fixed = apply_derived(dataset.projects, dataset.events)
    assert list(fixed.loc[0, ["year", "status", "status_as_of"]]) == ["2013", "operational", "2022-05-12"]


def test_a_date_we_read_an_undated_page_dates_the_status_not_the_year() -> None:
    """date_basis 'read': the event gives status_as_of, never the year; its date must be an access date."""
    events = pd.DataFrame([event_row(date="2026-11-29", date_basis="read", event="reported_in_use")])
    assert derive(events)["DSR-0001"] == derive(events)["DSR-0001"].__class__("", "operational", "2026-11-29")
    dataset = make_dataset(
        [project_row(year="", status="operational", status_as_of="2026-11-29")],
        events=[event_row(date="2026-11-28", date_basis="read", event="reported_in_use")],
    )
    found = [(p.row, p.column, p.message) for p in find_problems(dataset)]
    assert ("EV-00001", "date", "a 'read' date must be the date a cited source was accessed") in found


def test_a_project_without_events_is_named_once_events_exist() -> None:
    """Every project needs an event when the dataset has events."""
    rows = _events().query("project_id == 'DSR-0001'").to_dict("records")
    dataset = make_dataset(
        [
            project_row(year="2013", status="operational", status_as_of="2022-05-12", source_ids="S-0001; S-0003"),
            project_row(project_id="DSR-0002", name="other"),
        ],
        events=rows,
    )
    assert ("DSR-0002", "project_id") in {(p.row, p.column) for p in find_problems(dataset)}
