"""Reading CSV tables: structural problems are reported with line numbers, never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dsr_map.errors import DataValidationError
from dsr_map.load import parse_csv_text, read_table, resolve_data_dir
from dsr_map.schema import column_names

HEADER = ",".join(column_names("sources.csv"))


def test_row_with_wrong_field_count_is_reported_not_kept() -> None:
    """A malformed row is named by id and line, the good rows stay."""
    text = HEADER + "\nS-0001,P,T,https://a.org,2020,2026-11-29\nS-0002,P,T\n"
    frame, problems = parse_csv_text(text, "sources.csv")
    assert list(frame["source_id"]) == ["S-0001"]
    assert [(p.row, p.message.split(":")[0]) for p in problems] == [("S-0002", "line 3")]


def test_missing_and_unknown_columns_are_reported() -> None:
    """The header is checked against the schema."""
    frame, problems = parse_csv_text("source_id,publisher,colour\n", "sources.csv")
    assert frame.empty
    assert {(p.column, p.message) for p in problems} >= {
        ("url", "required column is missing"),
        ("colour", "unknown column"),
    }


def test_empty_file_and_non_utf8_are_reported(tmp_path) -> None:
    """An empty file and a Latin-1 file give a clear message."""
    (tmp_path / "sources.csv").write_bytes(b"")
    assert "empty" in read_table(tmp_path, "sources.csv")[1][0].message
    (tmp_path / "sources.csv").write_bytes(HEADER.encode() + b"\nS-0001,Caf\xe9,T,https://a.org,,2026-11-29\n")
    assert "not UTF-8" in read_table(tmp_path, "sources.csv")[1][0].message


def test_namibia_is_not_missing() -> None:
    """'NA' stays a string, not a missing value."""
    frame, _ = parse_csv_text(HEADER + "\nS-0001,NA,NA,https://a.org,,2026-11-29\n", "sources.csv")
    assert frame.loc[0, "publisher"] == "NA"


def test_data_dir_resolution(monkeypatch, tmp_path) -> None:
    """--data wins over $DSR_MAP_DATA, which wins over the bundled folder."""
    monkeypatch.setenv("DSR_MAP_DATA", str(tmp_path))
    assert resolve_data_dir(None) == tmp_path
    assert resolve_data_dir("/elsewhere").as_posix() == "/elsewhere"
    monkeypatch.delenv("DSR_MAP_DATA")
    assert resolve_data_dir(None).name == "data"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_or_reports(text: str) -> None:
    """Arbitrary text never raises: it yields a frame and a list of problems."""
    frame, problems = parse_csv_text(text, "sources.csv")
    assert list(frame.columns) == column_names("sources.csv")
    assert isinstance(problems, list)


def test_error_message_lists_problems() -> None:
    """DataValidationError's text names each problem."""
    _, problems = parse_csv_text("x\n", "sources.csv")
    error = DataValidationError(problems)
    assert "sources.csv row header column url" in str(error)
