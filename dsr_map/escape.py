"""Escaping for every context text from data or a URL reaches: HTML and JavaScript, and Markdown.

(matplotlib draws user text with ``parse_math=False``, so a dollar sign needs no escaping there.)

``escape_text`` is for HTML the library writes (the HTML export's title and caption): besides
what ``html.escape`` replaces, ``$``, backtick, backslash and braces become character references,
so text stays inert even where a template literal might hold it. Popups and tooltips are built in
the browser by ``web/dsr-map.js`` with its own ``esc``, tested in the browser suite.
"""

from __future__ import annotations

import re

# One translation table: the characters html.escape(quote=True) replaces, the template-literal
# characters, and control characters (dropped; tab and newline kept).
_TABLE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#x27;",
        "$": "&#36;",
        "`": "&#96;",
        "\\": "&#92;",
        "{": "&#123;",
        "}": "&#125;",
    }
    | {chr(code): None for code in range(32) if chr(code) not in "\t\n"}
)


def escape_text(value: object) -> str:
    """HTML-escape ``value`` and neutralise JavaScript template-literal characters."""
    if value is None:
        return ""
    return str(value).translate(_TABLE)


# Characters Markdown (as Streamlit renders it) gives a meaning: emphasis, links, code, headings,
# lists, tables, HTML, LaTeX ($), emoji shortcodes (:) and Streamlit's colour directives.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$:~=])")


# What makes Markdown (GFM) turn bare text into a link even when its punctuation is escaped.
_AUTOLINK = re.compile(r"(?i)(:)(/)|(www)(\\?\.)|(@)")
WORD_JOINER = "\u2060"  # invisible, and it breaks the pattern a link needs


def escape_markdown(value: object) -> str:
    """Text shown literally by st.markdown / st.caption: every Markdown character backslash-escaped,
    line breaks turned into spaces (so a value cannot start a heading, list or link), and an invisible
    word joiner inside '://', 'www.' and '@' so no address becomes a live link."""
    text = "" if value is None else " ".join(str(value).split())
    text = _MARKDOWN.sub(r"\\\1", text)
    return _AUTOLINK.sub(
        lambda m: WORD_JOINER.join(g for g in m.groups() if g) + (WORD_JOINER if m.group(5) else ""), text
    )
