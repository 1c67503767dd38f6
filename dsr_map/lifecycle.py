"""Project lifecycles: dated events, the state they lead to, and a project as of a date.

One rule turns a project's events into its state: progress events (announced ... operational)
never lower the state, stop events (suspended, cancelled, shut down, exited) set it, and after a
stop the next progress event starts again from where it says ("resumed" returns to the state
before the stop). A test or pilot is a side step: it shows as pilot/trial until a later step says
more (and a test of a system already operational changes nothing). ``year`` is the year of the first event, ``status`` the state after the last and
``status_as_of`` the date of the last: ``dsr-map format`` writes them and validation checks them.
An event no page dates carries the date we read the undated page that reports it (``date_basis``
"read"): it dates the status ("as of"), never the year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .errors import Problem
from .load import Dataset
from .primitives import parse_date, split_multi
from .schema import EVENTS, PROGRESS_STATES, STOPPED_STATES


@dataclass(frozen=True)
class Derived:
    year: str
    status: str
    status_as_of: str


def state_after(kinds: list[str]) -> str:
    """The project's state after these events, in order ('unknown' when there are none)."""
    state, before_stop = "unknown", "unknown"
    for kind in kinds:
        if kind not in EVENTS:
            continue  # the column rules report an unknown event
        target = EVENTS[kind].state
        if target is None:  # resumed
            state = before_stop if state in STOPPED_STATES else state
        elif target in STOPPED_STATES:
            if state not in STOPPED_STATES:
                before_stop = state
            state = target
        elif target == "pilot/trial":
            state = state if state == "operational" else target  # a test of a live system changes nothing
        elif state == "pilot/trial":
            state = target  # after a trial, the next step says where the project stands
        elif state in PROGRESS_STATES and PROGRESS_STATES.index(target) < PROGRESS_STATES.index(state):
            continue  # financing after launch does not make a project "contracted" again
        else:
            state = target
    return state


def derive(events: pd.DataFrame) -> dict[str, Derived]:
    """project_id -> Derived (year, status, status_as_of) for every project that has events.

    ``events`` is in file order (event ids ascending, which validation keeps chronological)."""
    kinds: dict[str, list[str]] = {}
    dates: dict[str, list[str]] = {}
    first_dated: dict[str, str] = {}
    for pid, date, basis, kind in zip(events["project_id"], events["date"], events["date_basis"], events["event"]):
        kinds.setdefault(pid, []).append(kind)
        dates.setdefault(pid, []).append(date)
        if basis != "read":
            first_dated.setdefault(pid, date[:4])
    return {
        str(pid): Derived(year=first_dated.get(pid, ""), status=state_after(kinds[pid]), status_as_of=dates[pid][-1])
        for pid in kinds
    }


def _starts(date: str) -> dt.date:
    span = parse_date(date)
    return span[0] if span else dt.date.max


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def as_of(projects: pd.DataFrame, events: pd.DataFrame, when: dt.date) -> pd.DataFrame:
    """The projects that existed at ``when`` (first event on or before it), with the state they had then.

    A project's event counts once its date has begun (an event dated only '2019' counts in 2019).
    Rows without events (uploads) are kept when their year is on or before ``when``'s year and keep
    their status. ``status_as_of`` becomes the date of the last event counted."""
    started = events[events["date"].map(lambda d: _starts(d) <= when)]
    derived = derive(started)
    has_events = projects["project_id"].isin(set(events["project_id"]))
    known = projects["project_id"].isin(derived)
    year = pd.to_numeric(projects["year"], errors="coerce")
    keep = known | (~has_events & (year <= when.year).fillna(False))
    out = projects[keep].copy()
    rows = out["project_id"].isin(derived)
    out.loc[rows, "status"] = out.loc[rows, "project_id"].map(lambda p: derived[p].status)
    out.loc[rows, "status_as_of"] = out.loc[rows, "project_id"].map(lambda p: derived[p].status_as_of)
    return out


def status_changes(events: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """project_id -> [(date, state after that date's events), ...]: what the browser steps through."""
    out: dict[str, list[tuple[str, str]]] = {}
    for project_id, group in events.groupby("project_id", sort=False):
        kinds: list[str] = []
        changes: list[tuple[str, str]] = []
        for date, kind in zip(group["date"], group["event"]):
            kinds.append(kind)
            state = state_after(kinds)
            if changes and changes[-1][0] == date:
                changes[-1] = (date, state)
            elif not changes or changes[-1][1] != state:
                changes.append((date, state))
        out[str(project_id)] = changes
    return out


def check_events(dataset: Dataset) -> list[Problem]:
    """Events in date order, dated no later than their sources, citing the project's sources; every
    project has an event and its year, status and status_as_of agree with its events."""
    events, projects = dataset.events, dataset.projects
    problems: list[Problem] = []
    if events.empty and projects.empty:
        return problems
    published = {row.source_id: parse_date(row.published) for row in dataset.sources.itertuples()}
    accessed = {row.source_id: row.accessed for row in dataset.sources.itertuples()}
    project_sources = {row.project_id: set(split_multi(row.source_ids)) for row in projects.itertuples()}
    previous: dict[str, tuple[str, tuple[dt.date, dt.date]]] = {}
    ordered = events.sort_values("event_id", kind="stable")
    for row in ordered.itertuples():
        span = parse_date(row.date)
        if span is None or row.event not in EVENTS:
            continue  # the column rules report these
        last = previous.get(row.project_id)
        if last is not None and span[1] < last[1][0]:
            problems.append(
                Problem(
                    "events.csv", row.event_id, "date", f"{row.date} is before the project's previous event ({last[0]})"
                )
            )
        previous[row.project_id] = (row.event_id, span)
        cited = split_multi(row.source_ids)
        if row.date_basis == "read":
            if row.date not in {accessed.get(s) for s in cited}:
                problems.append(
                    Problem(
                        "events.csv", row.event_id, "date", "a 'read' date must be the date a cited source was accessed"
                    )
                )
            continue
        dated = [d for d in (published.get(s) for s in cited) if d]
        if dated and len(dated) == len(cited) and span[0] > max(d[1] for d in dated):
            problems.append(
                Problem(
                    "events.csv", row.event_id, "date", f"{row.date} is later than every source it cites was published"
                )
            )
        outside = [s for s in cited if row.project_id in project_sources and s not in project_sources[row.project_id]]
        if outside:
            problems.append(
                Problem(
                    "events.csv", row.event_id, "source_ids", f"not cited by {row.project_id}: {', '.join(outside)}"
                )
            )
    problems += _check_derived(projects, derive(ordered), has_events=not events.empty)
    return problems


def _check_derived(projects: pd.DataFrame, derived: dict[str, Derived], *, has_events: bool) -> list[Problem]:
    problems = []
    for row in projects.itertuples():
        found = derived.get(row.project_id)
        if found is None:
            if has_events:
                problems.append(Problem("projects.csv", row.project_id, "project_id", "has no event in events.csv"))
            continue
        for column in ("year", "status", "status_as_of"):
            if getattr(row, column) != getattr(found, column):
                problems.append(
                    Problem(
                        "projects.csv",
                        row.project_id,
                        column,
                        f"{getattr(row, column)!r} differs from its events ({getattr(found, column)!r}); "
                        "run dsr-map format",
                    )
                )
    return problems


def apply_derived(projects: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """``projects`` with year, status and status_as_of rewritten from ``events`` (rows without events unchanged)."""
    derived = derive(events.sort_values("event_id", kind="stable"))
    out = projects.copy()
    for column in ("year", "status", "status_as_of"):
        out[column] = [
            getattr(derived[p], column) if p in derived else v for p, v in zip(out["project_id"], out[column])
        ]
    return out
