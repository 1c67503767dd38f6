"""Escaping for every context text from data or a URL reaches: HTML, Markdown, matplotlib.

``html.escape`` is not enough inside folium's JavaScript template strings (popups and
tooltips are built as `...` literals): ``$``, backtick and backslash are turned into
character references too, so ``${...}`` cannot interpolate, a backtick cannot close the
literal and ``\\1`` cannot become an escape sequence.
"""

from __future__ import annotations

import re

from .primitives import is_http_url

# One translation table: the characters html.escape(quote=True) replaces, the template-literal
# characters, and control characters (dropped; tab and newline kept).
_TABLE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
     "$": "&#36;", "`": "&#96;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"}
    | {chr(code): None for code in range(32) if chr(code) not in "\t\n"}
)


def escape_text(value: object) -> str:
    """HTML-escape ``value`` and neutralise JavaScript template-literal characters."""
    if value is None:
        return ""
    return str(value).translate(_TABLE)


def safe_link(url: str, label: str) -> str:
    """An <a> to ``url`` when it is an absolute http(s) address; else the escaped label alone."""
    if not is_http_url(url):
        return escape_text(label)
    return (f'<a href="{escape_text(url)}" target="_blank" rel="noopener noreferrer nofollow">'
            f"{escape_text(label)}</a>")


# Characters Markdown (as Streamlit renders it) gives a meaning: emphasis, links, code, headings,
# lists, tables, HTML, LaTeX ($), emoji shortcodes (:) and Streamlit's colour directives.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$:~=])")


def escape_markdown(value: object) -> str:
    """Text shown literally by st.markdown / st.caption: every Markdown character backslash-escaped,
    line breaks turned into spaces (so a value cannot start a heading, list or link)."""
    text = "" if value is None else " ".join(str(value).split())
    return _MARKDOWN.sub(r"\\\1", text)


def escape_mathtext(value: object) -> str:
    """Text matplotlib draws literally even where math parsing is on: '$' becomes '\\$'."""
    return ("" if value is None else str(value)).replace("$", r"\$")
