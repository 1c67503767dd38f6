"""Properties: any input loads or raises the project's own error; valid data survives format -> load."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsr_map.errors import DataValidationError
from dsr_map.fmt import canonical_frame, to_csv_text
from dsr_map.load import parse_csv_text
from dsr_map.upload import UploadError, parse_upload
from dsr_map.validate import find_problems

from .conftest import make_dataset, project_row

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
HOSTILE = st.sampled_from(["<img src=x onerror=alert(1)>", "${x}", "`", "</script>", "\\1", "javascript:x", "", ";"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["a.csv", "b.xlsx", "c.txt", "d"]))
def test_upload_parser_never_crashes(payload: bytes, name: str) -> None:
    """Any bytes either parse (with row problems) or raise UploadError."""
    dataset = make_dataset()
    try:
        result = parse_upload(name, payload, dataset)
    except UploadError as exc:
        assert str(exc).startswith(f"{name}: ")  # the message names the file
    else:
        assert len(result.projects) + len({p.row for p in result.problems}) <= max(result.rows_read, 0) + 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.one_of(TEXT, HOSTILE), min_size=3, max_size=10), max_size=8))
def test_upload_rows_of_any_text(rows) -> None:
    """Arbitrary cells under a valid header never raise anything but UploadError."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["country", "vendor", "category", "city", "latitude", "longitude", "year", "source_url"])
    writer.writerows(rows)
    try:
        result = parse_upload("x.csv", buffer.getvalue().encode(), make_dataset())
    except UploadError:
        return
    for _, row in result.projects.iterrows():
        assert row["country_iso3"] and row["categories"]


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "name",
                "city",
                "description",
                "client",
                "financing",
                "year",
                "latitude",
                "longitude",
                "categories",
                "vendors",
                "status",
                "value_usd",
            ]
        ),
        st.one_of(TEXT, HOSTILE),
        max_size=5,
    )
)
def test_validator_reports_instead_of_raising(overrides) -> None:
    """Any cell values give a list of problems, never an exception."""
    dataset = make_dataset([project_row(**overrides)])
    problems = find_problems(dataset)
    assert all(p.file == "projects.csv" for p in problems)


def _valid_rows(names: list[str]) -> list[dict[str, str]]:
    return [
        project_row(project_id=f"DSR-{i + 1:04d}", name=name or f"p{i}", description=name or "d")
        for i, name in enumerate(names)
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=string.ascii_letters + string.digits + " ,\"'<>$`\\;é中", min_size=1, max_size=30),
        min_size=1,
        max_size=12,
        unique_by=lambda s: s.strip().casefold(),
    )
)
def test_valid_dataset_survives_format_and_load(names: list[str]) -> None:
    """Canonical CSV text parses back to the same rows and ids (no row lost, none renumbered)."""
    rows = _valid_rows([n.strip() or "x" for n in names])
    dataset = make_dataset(rows)
    text = to_csv_text(canonical_frame(dataset.projects, "projects.csv"))
    frame, problems = parse_csv_text(text, "projects.csv")
    assert problems == []
    assert list(frame["project_id"]) == sorted(r["project_id"] for r in rows)
    assert list(frame["name"]) == [r["name"].strip() for r in sorted(rows, key=lambda r: r["project_id"])]
    assert to_csv_text(canonical_frame(frame, "projects.csv")) == text


def test_data_validation_error_is_a_value_error() -> None:
    """The project's own error is a ValueError carrying its problems."""
    assert issubclass(DataValidationError, ValueError)
