"""Canonical form of the CSV tables: fixed column order, rows sorted by id, trimmed cells,
'; ' between multi-values, plain numbers, UTF-8 and LF line endings."""

from __future__ import annotations

import csv
import difflib
import io
from pathlib import Path

import pandas as pd

from .schema import ID_COLUMN, MULTI_SEP, TABLES
from .validate import split_multi


def _canonical_number(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def canonical_frame(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    columns = TABLES[table]
    out = pd.DataFrame({c.name: frame[c.name].astype(str).str.strip() for c in columns})
    for column in columns:
        if column.multi:
            out[column.name] = out[column.name].map(lambda v: MULTI_SEP.join(split_multi(v)))
    for name in ("latitude", "longitude", "value_usd"):
        if name in out:
            out[name] = out[name].map(lambda v: _canonical_number(v) if v else v)
    return out.sort_values(ID_COLUMN[table], kind="stable").reset_index(drop=True)


def to_csv_text(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    writer.writerows(frame.itertuples(index=False, name=None))
    return buffer.getvalue()


def format_tables(data_dir: Path, frames: dict[str, pd.DataFrame], *, check: bool) -> list[str]:
    """Write each table in canonical form (or, with ``check``, only compare).

    Returns a unified diff (as lines) for every file that was not canonical.
    """
    diffs: list[str] = []
    for table, frame in frames.items():
        path = Path(data_dir) / table
        current = path.read_bytes().decode("utf-8") if path.exists() else ""
        wanted = to_csv_text(canonical_frame(frame, table))
        if current == wanted:
            continue
        diffs += list(difflib.unified_diff(current.splitlines(), wanted.splitlines(),
                                           f"{table} (committed)", f"{table} (canonical)", n=0, lineterm=""))[:40]
        if not check:
            path.write_text(wanted, encoding="utf-8", newline="\n")
    return diffs
