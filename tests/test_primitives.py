"""Shared primitives: multi-values, URLs, finite numbers, years written in ASCII digits, dates."""

from __future__ import annotations

import datetime as dt

import pytest

from dsr_map.primitives import (
    date_precision,
    finite_number,
    is_http_url,
    join_multi,
    parse_date,
    split_multi,
    whole_year,
)


def test_split_and_join_multi() -> None:
    """'a; b;c' splits into three values; empty parts are dropped; joining is canonical."""
    assert split_multi("a; b;c;; ") == ["a", "b", "c"]
    assert join_multi(["a", "", "b"]) == "a; b"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12.0),
        ("1,200.5", 1200.5),
        ("-3e2", -300.0),
        ("inf", None),
        ("-Infinity", None),
        ("nan", None),
        ("1e999", None),
        ("lots", None),
        ("", None),
        ("  ", None),
    ],
)
def test_finite_number(text: str, value) -> None:
    """Only finite numbers count: 'inf' and 'nan' are not numbers here."""
    assert finite_number(text) == value


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2015", 2015),
        (" 2015 ", 2015),
        ("²⁰¹⁵", None),
        ("٢٠١٥", None),
        ("2015.0", None),
        ("1989", None),
        ("2031", None),
        ("20x4", None),
        ("", None),
    ],
)
def test_whole_year_accepts_four_ascii_digits_in_range(text: str, year) -> None:
    """Superscripts and other scripts' digits pass str.isdigit but are not years."""
    assert whole_year(text, 1990, 2030) == year


@pytest.mark.parametrize(
    ("text", "span", "precision"),
    [
        ("2019", (dt.date(2019, 1, 1), dt.date(2019, 12, 31)), "year"),
        ("2020-02", (dt.date(2020, 2, 1), dt.date(2020, 2, 29)), "month"),
        ("2019-12", (dt.date(2019, 12, 1), dt.date(2019, 12, 31)), "month"),
        ("2021-06-30", (dt.date(2021, 6, 30), dt.date(2021, 6, 30)), "day"),
    ],
)
def test_parse_date_gives_the_span_of_its_precision(text, span, precision) -> None:
    """A year covers the whole year, a month the whole month."""
    assert parse_date(text) == span
    assert date_precision(text) == precision


@pytest.mark.parametrize("text", ["2021-02-30", "2021-13", "21-01-01", "2021/01/01", "2021-1", "soon"])
def test_parse_date_refuses_what_is_not_a_date(text: str) -> None:
    """Impossible calendar dates and other shapes are None."""
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a", True),
        ("http://x.y", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("https://", False),
        ("https://a b", False),
        ("ftp://x.y", False),
        ("", False),
    ],
)
def test_is_http_url(url: str, ok: bool) -> None:
    """Only absolute http(s) addresses with a host are links."""
    assert is_http_url(url) is ok
