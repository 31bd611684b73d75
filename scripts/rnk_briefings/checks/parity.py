"""Japanese–English parity: the two versions of a page must say the same thing.

Compared per page: front-matter fields; the sequence of heading levels; and, section by section,
the cited sources (in order of first use) and the numbers and dates (after reading each
language's notation back into one form: 1万1000 = 11,000; 2024年6月19日 = 19 June 2024;
1万1000～1万3000 = 11,000–13,000). A numeral that legitimately appears in one language only is
wrapped by the author in <span data-parity="skip">…</span>.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass

from ..inputs.citations import FENCE, REFERENCE, PageCitations, heading_of
from ..inputs.notation import (
    EN_NUMBER,
    JA_NUMBER,
    MONTHS_EN,
    PartialDate,
    format_date,
    format_number,
    parse_en_number,
    parse_ja_number,
)
from ..inputs.site_model import Problem

# Linear patterns only (see inputs/citations.py): what a pattern scans for its end never crosses its start.
SKIP = re.compile(r'<span data-parity="skip">(?:[^<]|<(?!span data-parity="skip">))*?</span>')
NOISE = [
    re.compile(r"^\[\^[^\]\n]+\]:.*$", re.M),  # footnote definitions: compared as citations
    re.compile(r"\[\^[^\[\]\n]+\]"),  # footnote references
    re.compile(r"\]\([^)\]]*\)"),  # link targets
    re.compile(r"<https?://[^<>]*>|https?://\S+"),  # URLs
    re.compile(r"<!--(?:[^<]|<(?!!--))*?-->"),  # comments
    re.compile(r"<[^<>]+>"),  # HTML tags (their text stays)
    re.compile(r"\{[#.:][^{}]*\}"),  # attribute lists
    re.compile(r"\[\[fig:[^\[\]]*\]\]"),  # an unknown figure reference (the checks report it; its id is no number)
]
MONTH = "|".join(MONTHS_EN)
MONTH_NUMBER = {name: i for i, name in enumerate(MONTHS_EN, 1)}
RANGE_JOIN = {"ja": re.compile(r"^[年月日人発%]?\s*[～〜~–—-]\s*$"), "en": re.compile(r"^\s*[–—-]\s*$")}

# Date patterns, most precise first; each gives a normalised token.
DATES = {
    "ja": [
        (
            re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?(?:[～〜~–]|から)\s*(?:(\d{1,2})月)?(\d{1,2})日"),
            lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}/{int(m[4] or m[2]):02d}-{int(m[5]):02d}",
        ),
        (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"), lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"),
        (re.compile(r"(\d{4})年(\d{1,2})月"), lambda m: f"{m[1]}-{int(m[2]):02d}"),
        (re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日"), lambda m: f"--{int(m[1]):02d}-{int(m[2]):02d}"),
        (re.compile(r"(?<!\d)(\d{1,2})月(?![\d日])"), lambda m: f"--{int(m[1]):02d}"),
    ],
    "en": [
        (
            re.compile(rf"\b(\d{{1,2}})(?: ({MONTH}))?\s*(?:[–—-]|to)\s*(\d{{1,2}}) ({MONTH}) (\d{{4}})\b"),
            lambda m: (
                f"{m[5]}-{MONTH_NUMBER[m[2] or m[4]]:02d}-{int(m[1]):02d}/{MONTH_NUMBER[m[4]]:02d}-{int(m[3]):02d}"
            ),
        ),
        (
            re.compile(rf"\b(\d{{1,2}}) ({MONTH}) (\d{{4}})\b"),
            lambda m: f"{m[3]}-{MONTH_NUMBER[m[2]]:02d}-{int(m[1]):02d}",
        ),
        (re.compile(rf"\b({MONTH}) (\d{{4}})\b"), lambda m: f"{m[2]}-{MONTH_NUMBER[m[1]]:02d}"),
        (re.compile(rf"\b(\d{{1,2}}) ({MONTH})\b"), lambda m: f"--{MONTH_NUMBER[m[2]]:02d}-{int(m[1]):02d}"),
        # A bare month; "May" only after a word that makes it a month ("in May", not "May be").
        (
            re.compile(rf"(?:\b(in|early|late|mid-|of|since|until|by|from|to|and) )?\b({MONTH})\b"),
            lambda m: None if m[2] == "May" and not m[1] else f"--{MONTH_NUMBER[m[2]]:02d}",
        ),
    ],
}


def _plain(value: float) -> str:
    return str(int(value)) if math.isfinite(value) and value == int(value) else str(value)


def values(text: str, lang: str) -> Counter[str]:
    """The dates and numbers a piece of text states, normalised so both languages compare."""
    text = SKIP.sub(" ", text)
    for pattern in NOISE:
        text = pattern.sub(" ", text)
    found: Counter[str] = Counter()
    for pattern, token in DATES[lang]:
        found.update(f"date {t}" for t in map(token, pattern.finditer(text)) if t)
        text = pattern.sub(" ", text)
    numbers = []
    pattern = JA_NUMBER if lang == "ja" else re.compile(rf"(?:{EN_NUMBER.pattern})(?: (?:million|billion)\b)?")
    parse = parse_ja_number if lang == "ja" else parse_en_number
    for match in pattern.finditer(text):
        numbers.append((match.start(), match.end(), parse(match.group(0))))
    index = 0
    while index < len(numbers):
        start, end, value = numbers[index]
        if index + 1 < len(numbers) and RANGE_JOIN[lang].match(text[end : numbers[index + 1][0]]):
            found[f"range {_plain(value)}–{_plain(numbers[index + 1][2])}"] += 1
            index += 2
        else:
            found[_plain(value)] += 1
            index += 1
    return found


@dataclass
class Section:
    heading: str
    level: int
    line: int
    text: str


def sections(cited: PageCitations) -> list[Section]:
    """The page split at its headings (the part before the first heading is section 0)."""
    result = [Section("", 0, cited.page.body_line, "")]
    in_fence = False
    for offset, line in enumerate(cited.page.body.split("\n")):
        if FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else heading_of(line)
        if heading:
            result.append(Section(heading[1], heading[0], cited.page.body_line + offset, line + "\n"))
        else:
            result[-1].text += line + "\n"
    return result


def _keys(section: Section, cited: PageCitations, known: set[str] | None = None) -> list[str]:
    """The registry keys a section cites, in order of first use (unknown or missing keys: reported already)."""
    keys: list[str] = []
    for match in REFERENCE.finditer(section.text):
        definition = cited.definitions.get(match.group(1))
        if definition and definition.key and (known is None or definition.key in known) and definition.key not in keys:
            keys.append(definition.key)
    return keys


ITEM_START = re.compile(r"^\s*(?:[-*+]|\d+\.|\|)\s")  # a list item or a table row starts an item of its own


@dataclass
class Item:
    """A paragraph, list item or table row of a section, with the file line it starts on."""

    line: int
    text: str


def items(section: Section) -> list[Item]:
    """The section's text cut into paragraphs, list items and table rows (footnote definitions left out)."""
    result: list[Item] = []
    lines = section.text.split("\n")
    for offset, text in enumerate(lines[1:] if section.heading else lines, 1 if section.heading else 0):
        if not text.strip() or text.startswith("[^"):
            if result and result[-1].text:
                result.append(Item(0, ""))  # a blank line ends the paragraph
            continue
        if not result or not result[-1].text or ITEM_START.match(text):
            if result and not result[-1].text:
                result.pop()
            result.append(Item(section.line + offset, text))
        else:
            result[-1].text += " " + text
    return [item for item in result if item.text]


def _shown(value: str) -> str:
    """A normalised value as an author reads it: 2024-06-19, 11000, 11000–13000."""
    return value.removeprefix("date ").removeprefix("range ").removeprefix("--")


def _quote(text: str, limit: int = 70) -> str:
    """An item as the author wrote it, shortened: without its list marker, tags and footnote markers."""
    text = re.sub(r"<[^<>]+>", "", NOISE[1].sub("", ITEM_START.sub("", text, count=1)))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _extra_items(section: Section, lang: str, extra: Counter[str]) -> list[tuple[Item, list[str]]]:
    """The items of a section that state the values the other language's section lacks."""
    found: list[tuple[Item, list[str]]] = []
    left = Counter(extra)
    for item in items(section):
        stated = [v for v in values(item.text, lang) if left[v] > 0]
        for value in stated:
            left[value] -= 1
        if stated:
            found.append((item, stated))
    return found


PLAIN_DATE = re.compile(r"^date (\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
PLAIN_RANGE = re.compile(r"^range ([\d.]+)–([\d.]+)$")


def _notation_hint(ja_values: list[str], en_values: list[str]) -> str | None:
    """How to write a date or range that one side states in another notation, in that side's language."""
    for lang, mine, theirs in (("ja", ja_values, en_values), ("en", en_values, ja_values)):
        language = "Japanese" if lang == "ja" else "English"
        if not any(PLAIN_DATE.match(v) for v in mine):
            for value in theirs:
                if date := PLAIN_DATE.match(value):
                    year, month, day = (int(g) if g else None for g in date.groups())
                    written = format_date(PartialDate(year, month, day), lang)
                    return f"write the date in the {language} sentence as {written}, in that language's notation"
        if not any(v.startswith("range ") for v in mine):
            for value in theirs:
                if found := PLAIN_RANGE.match(value):
                    low, high = (format_number(float(g), lang) for g in found.groups())
                    written = f"{low}～{high}" if lang == "ja" else f"{low}–{high}"
                    return f"keep the range in the {language} sentence: {written} (a range stays a range)"
    return None


def _heading_difference(ja: PageCitations, en: PageCitations, ja_sections, en_sections) -> Problem:
    """One problem for headings that differ: the heading that has no counterpart, on its own side.

    The sections of the two pages are aligned by their level and the sources they cite (the
    headings themselves are in two languages), so a heading added anywhere is found.
    """
    files = {"ja": ja.page.path.as_posix(), "en": en.page.path.as_posix()}
    by_side = {"ja": ja_sections, "en": en_sections}
    signatures = {
        side: [(s.level, tuple(_keys(s, cited))) for s in by_side[side]] for side, cited in (("ja", ja), ("en", en))
    }
    matcher = difflib.SequenceMatcher(a=signatures["ja"], b=signatures["en"], autojunk=False)
    for tag, i1, _, j1, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag in ("delete", "insert"):
            side, other, index, at_other = ("ja", "en", i1, j1) if tag == "delete" else ("en", "ja", j1, i1)
            heading = by_side[side][index]
            before = by_side[other][at_other - 1] if at_other > 0 else None
            place = (
                f'after "{before.heading}" ({files[other]}:{before.line})'
                if before and before.heading
                else "at the top"
            )
            return Problem(
                files[side],
                heading.line,
                f'heading "{heading.heading}" ({"#" * heading.level}) has no counterpart in {files[other]}',
                f"add the same heading to {files[other]} {place}, or remove it here",
            )
        a, b = ja_sections[i1], en_sections[j1]
        return Problem(
            files["en"],
            b.line,
            f'heading "{b.heading}" ({"#" * b.level}) does not match 「{a.heading}」 ({"#" * a.level}) at {files["ja"]}:{a.line}',
            "use the same headings, at the same levels, in the same order",
        )
    raise AssertionError("the heading levels differ, so the sections cannot all match")


def compare(ja: PageCitations, en: PageCitations, known: set[str] | None = None) -> list[Problem]:
    """Every way the English page differs from the Japanese one, each at the line to edit.

    `known`: the registry's keys; a citation of an unknown key is reported where it is, not again here.
    """
    ja_file, en_file = ja.page.path.as_posix(), en.page.path.as_posix()
    files = {"ja": ja_file, "en": en_file}
    problems: list[Problem] = []  # the citations are compared by citation_parity
    readable = not ja.page.problems and not en.page.problems  # a broken front matter is reported once, by itself
    if readable and set(ja.page.meta) != set(en.page.meta):
        only = sorted(set(ja.page.meta) ^ set(en.page.meta))
        problems.append(
            Problem(
                en_file,
                1,
                f"front matter fields differ from {ja_file}: {', '.join(only)}",
                "give both pages the same front-matter fields",
            )
        )
    ja_sections, en_sections = sections(ja), sections(en)
    if [s.level for s in ja_sections] != [s.level for s in en_sections]:
        problems.append(_heading_difference(ja, en, ja_sections, en_sections))
        return problems
    for a, b in zip(ja_sections, en_sections, strict=True):
        values_ja, values_en = values(a.text, "ja"), values(b.text, "en")
        if values_ja == values_en:
            continue
        extra = {"ja": _extra_items(a, "ja", values_ja - values_en), "en": _extra_items(b, "en", values_en - values_ja)}
        section_of = {"ja": a, "en": b}
        if extra["ja"] and extra["en"]:  # a value changed on one side: one message, at the Japanese sentence
            (ja_item, ja_values), (en_item, en_values) = extra["ja"][0], extra["en"][0]
            problems.append(
                Problem(
                    ja_file,
                    ja_item.line,
                    f"「{_quote(ja_item.text)}」 states {', '.join(map(_shown, ja_values))} where {en_file}:{en_item.line} "
                    f'"{_quote(en_item.text)}" states {", ".join(map(_shown, en_values))}',
                    _notation_hint(ja_values, en_values) or "give both sentences the same numbers and dates",
                )
            )
            continue
        side = "ja" if extra["ja"] else "en"
        other = "en" if side == "ja" else "ja"
        for item, stated in extra[side]:
            there = section_of[other]
            where = (
                f'"{there.heading}" ({files[other]}:{there.line})'
                if there.heading
                else f"the opening of {files[other]}"
            )
            quote = f"「{_quote(item.text)}」" if side == "ja" else f'"{_quote(item.text)}"'
            problems.append(
                Problem(
                    files[side],
                    item.line,
                    f"{quote} states {', '.join(map(_shown, stated))}, which the same section of {files[other]} does not",
                    f"state the same in section {where}, or remove it here",
                )
            )
    return problems
