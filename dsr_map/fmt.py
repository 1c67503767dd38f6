"""Canonical form of the CSV tables: fixed column order, rows sorted by id, trimmed cells,
'; ' between multi-values, plain numbers, UTF-8 and LF line endings; the projects' derived
columns (year, status, status_as_of) written from their events."""

from __future__ import annotations

import csv
import difflib
import io
from pathlib import Path

import pandas as pd

from .lifecycle import apply_derived
from .primitives import MULTI_SEP, split_multi
from .schema import TABLES


def _canonical_number(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def canonical_frame(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    spec = TABLES[table]
    out = pd.DataFrame({c.name: frame[c.name].astype(str).str.strip() for c in spec.columns})
    for column in spec.columns:
        if column.multi:
            out[column.name] = out[column.name].map(lambda v: MULTI_SEP.join(split_multi(v)))
        if column.kind == "number":
            out[column.name] = out[column.name].map(lambda v: _canonical_number(v) if v else v)
    return out.sort_values(spec.id_column, kind="stable").reset_index(drop=True)


def to_csv_text(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    writer.writerows(frame.itertuples(index=False, name=None))
    return buffer.getvalue()


def canonical_tables(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Canonical text of each table; projects get their derived columns from events first."""
    frames = dict(frames)
    if "projects.csv" in frames and "events.csv" in frames and len(frames["events.csv"]):
        frames["projects.csv"] = apply_derived(frames["projects.csv"], frames["events.csv"])
    return {table: to_csv_text(canonical_frame(frame, table)) for table, frame in frames.items()}


def format_tables(data_dir: Path, frames: dict[str, pd.DataFrame], *, check: bool) -> list[str]:
    """Write each table in canonical form (or, with ``check``, only compare).

    Returns a unified diff (as lines) for every file that was not canonical. A table that is
    empty and has no file stays without one."""
    diffs: list[str] = []
    for table, wanted in canonical_tables(frames).items():
        path = Path(data_dir) / table
        if not path.exists() and frames[table].empty:
            continue
        current = path.read_bytes().decode("utf-8") if path.exists() else ""
        if current == wanted:
            continue
        diffs += list(
            difflib.unified_diff(
                current.splitlines(),
                wanted.splitlines(),
                f"{table} (committed)",
                f"{table} (canonical)",
                n=0,
                lineterm="",
            )
        )[:40]
        if not check:
            path.write_text(wanted, encoding="utf-8", newline="\n")
    return diffs
