"""Lighter pages: the theme's template indentation removed from the built HTML.

Material's templates indent every line; the indentation is a fifth of a page's bytes and means
nothing to the browser, which collapses it into the line break before it. Text inside <pre> and
<textarea>, where whitespace is shown as written, is left as it is.
"""

from __future__ import annotations

import re

VERBATIM = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.S | re.I)
INDENT = re.compile(r"\n[ \t]+")
BLANK_LINES = re.compile(r"\n{2,}")


def strip_indentation(html: str) -> str:
    """Remove the whitespace at the start of each line and empty lines, except inside <pre> and <textarea>."""
    parts = VERBATIM.split(html)
    # split() yields text, then per match the whole element and its tag name.
    for index in range(0, len(parts), 3):
        parts[index] = BLANK_LINES.sub("\n", INDENT.sub("\n", parts[index]))
    return "".join(part for index, part in enumerate(parts) if index % 3 != 2)
