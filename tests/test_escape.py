"""One escaping helper, tested against hostile strings."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsr_map.escape import escape_text

HOSTILE = [
    '<img src=x onerror="alert(1)">',
    "${alert(document.cookie)}",
    "`); alert(1); (`",
    "</script><script>alert(1)</script>",
    "\\1\\x41\\u0041",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_lose_their_special_characters(text: str) -> None:
    """No <, >, quotes, $, backtick, braces or backslash survive escaping."""
    out = escape_text(text)
    for ch in "<>\"'`$\\{}":
        assert ch not in out


@given(st.text())
def test_escape_output_is_always_inert(text: str) -> None:
    """For any text the output has no markup or template characters."""
    out = escape_text(text)
    assert not set(out) & set("<>\"'`$\\{}")


def test_escape_keeps_ordinary_text_readable() -> None:
    """Accents and ampersands are kept (as entities)."""
    assert escape_text("São Paulo & Côte d'Ivoire") == "São Paulo &amp; Côte d&#x27;Ivoire"
    assert escape_text(None) == ""


@pytest.mark.parametrize(
    "text",
    [
        "[Verify your account](https://evil.example)",
        "**bold** _x_ `code` # heading",
        "<b>html</b>",
        "$x^2$",
        ":red[alarm] :smile:",
        "www.evil.example",
        "mail me@evil.example",
        "1. list\n2. item",
        "| a | b |",
    ],
)
def test_markdown_escape_leaves_no_markup_and_no_link(text: str) -> None:
    """Every Markdown character is escaped and no bare address survives for a renderer to link."""
    from dsr_map.escape import escape_markdown

    escaped = escape_markdown(text)
    unescaped = re.sub(r"\\(.)", r"\1", escaped).replace("\u2060", "")
    assert unescaped == " ".join(text.split())  # nothing lost, only escaped
    assert "](" not in escaped and "://" not in escaped and "www." not in escaped.lower()
    assert not re.search(r"(?<!\\)[*_`#<>\[\]$|]", escaped)
