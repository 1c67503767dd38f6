"""One escaping helper, tested against hostile strings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsr_map.escape import escape_text, safe_link

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


def test_safe_link_refuses_non_http() -> None:
    """javascript: links are shown as text, http(s) become anchors."""
    assert "<a" not in safe_link("javascript:alert(1)", "x")
    link = safe_link("https://example.org/?a=1&b=2", "<b>t</b>")
    assert link.startswith('<a href="https://example.org/?a=1&amp;b=2"') and "&lt;b&gt;" in link
