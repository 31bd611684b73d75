"""Invisible characters that no text of the site may hold: the one list, and where a text holds one.

Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) reorder what a
reader sees without changing what the checks read ("Trojan Source"), and zero-width characters
(U+200B–U+200D, U+2060, U+FEFF …) hide text inside words, labels and ids. The site has no use
for any of them, in Japanese or English, so every Unicode *format* character (general category
Cf: these, the soft hyphen, the invisible operators, the tag characters) is refused, and so are the
other invisible ones that look like a space or nothing: the Hangul fillers, the combining grapheme
joiner, and the line and paragraph separators (U+2028, U+2029). A byte order mark at the start of
a file is refused too (save files as UTF-8 without BOM).

The content policy refuses them in every file of docs/ and data/ (`find`), the YAML loader in every
value however it is written (a `"\\u202e"` escape too), and the page check in character references
(`&#x202e;`, `&rlm;`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator

# Every code point of category Cf (Unicode 14, Python 3.11's unicodedata; tests/test_hostile_inputs.py
# checks that none is missing), then the invisible letters and separators.
REFUSED = re.compile(
    "["
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
    "\u034f\u115f\u1160\u3164\uffa0\u2028\u2029"
    "]"
)
# A character reference in HTML text (named, decimal or hexadecimal): the browser decodes it.
REFERENCE = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});?")
FIX = "delete the invisible character (retype the text around it); the site has no use for direction or zero-width controls"


def describe(character: str) -> str:
    """A character as an author can look it up: U+202E RIGHT-TO-LEFT OVERRIDE."""
    return f"U+{ord(character):04X} {unicodedata.name(character, 'unnamed character')}"


def refused_in(text: str) -> Iterator[tuple[int, str]]:
    """(index, character) of every refused character in a text."""
    for match in REFUSED.finditer(text):
        yield match.start(), match.group(0)


def find(text: str, first_line: int = 1, references: bool = False) -> list[tuple[int, str]]:
    """(line, message) of every refused character of a file's text: its column (1-based) and its name.

    `references`: the text is HTML or Markdown, whose character references the browser decodes.
    """
    found: list[tuple[int, str]] = []
    if not (REFUSED.search(text) or (references and "&" in text)):
        return found  # nothing to look for line by line (most files)
    for number, line in enumerate(text.split("\n"), first_line):
        for index, character in refused_in(line):
            found.append((number, f"column {index + 1}: invisible character {describe(character)}"))
        if references and "&" in line:
            for match in REFERENCE.finditer(line):
                for _, character in refused_in(html.unescape(match.group(0))):
                    found.append(
                        (
                            number,
                            f"column {match.start() + 1}: {match.group(0)} is the invisible character {describe(character)}",
                        )
                    )
    return found
