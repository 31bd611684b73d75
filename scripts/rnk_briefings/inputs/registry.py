"""The source registry (data/sources.yml): its schema, its validation and its citations.

A page cites a source by key; this module turns a key plus an optional locator into a full
citation in the page's language, and describes each source for the Sources page.

Locators are checked: each entry lists the headings of its copy (`sections`, spelled exactly as
the copy spells them) and, only where text stands before the first heading, a name for that
text (`opening: {ja: 冒頭, en: opening paragraphs}`). A footnote's locator is one of them in the
page's language — `冒頭` / `opening paragraphs`, `「見出し」` / `section "見出し"` — optionally
followed by `, ` and a detail (`「見出し」, 第2段落` / `section "見出し", paragraph 2`). A figure's or
timeline entry's locator names a section as the copy does (the heading, or the opening's name
in the copy's language, e.g. `冒頭`); the site writes it in each page's language.

Every text the citations show is rendered by `citation_html`, escaped, with each run in the
other language than the page's marked with its `lang`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .data_files import (
    check_choice,
    check_fields,
    fields,
    html_text,
    lang_span,
    line_of,
    load_list,
    refuse_markup,
    reporter,
)
from .notation import PartialDate, format_date, parse_partial_date
from .site_model import LANGUAGES, Problem

KINDS = {
    "news-report": {"ja": "報道記事", "en": "News report"},
    "news-analysis": {"ja": "解説記事", "en": "News analysis"},
    "interview-analysis": {"ja": "インタビューに基づく分析", "en": "Analysis based on an interview"},
    "opinion-essay": {"ja": "論考", "en": "Opinion essay"},
    "dataset": {"ja": "データセット", "en": "Data set"},
}
# A data set (the open geodata of the maps) also says who publishes it, which version and under what licence.
DATASET_REQUIRED = ("version", "publisher", "licence", "url")
REQUIRED = ("key", "kind", "language", "title", "date")
OPTIONAL = (
    "title_en",
    "original_title",
    "author",
    "outlet",
    "date_bound",
    "inferred",
    "url",
    "notes",
    "opening",
    "sections",
    "version",
    "publisher",
    "licence",
)
DATE_BOUNDS = ("on-or-after",)
BILINGUAL = ("author", "outlet", "notes", "publisher", "licence")
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# What a URL may not hold, whatever the parser says: whitespace, quotes, angle brackets, backslashes.
URL_FORBIDDEN = re.compile(r"[\s\"'<>\\`{}|^]")
DETAIL_SEPARATOR = ", "

# Words used around citations, per language.
WORDS = {
    "ja": {"inferred": "推定", "our_translation": "訳題は当サイト", "title_open": "「", "title_close": "」"},
    "en": {"inferred": "inferred", "our_translation": "our translation", "title_open": "“", "title_close": "”"},
}


@dataclass(frozen=True)
class Source:
    """One registry entry, validated."""

    key: str
    kind: str
    language: str
    title: str
    date: PartialDate
    title_en: str | None = None
    original_title: str | None = None
    author: dict[str, str] | None = None
    outlet: dict[str, str] | None = None
    inferred: tuple[str, ...] = ()
    url: str | None = None
    date_bound: str | None = None
    notes: dict[str, str] | None = None
    opening: dict[str, str] | None = None
    sections: tuple[str, ...] = ()
    version: str | None = None
    publisher: dict[str, str] | None = None
    licence: dict[str, str] | None = None
    line: int = field(default=1, compare=False)

    def is_inferred(self, name: str) -> bool:
        return name in self.inferred

    def anchor(self) -> str:
        """The id of this source's entry on the Sources page."""
        return f"src-{self.key}"

    def title_in(self, lang: str) -> tuple[str, bool]:
        """The title to show in `lang` and whether it is this site's translation."""
        if lang == self.language:
            return self.title, False
        if lang == "en" and self.original_title:
            return self.original_title, False
        if lang == "en" and self.title_en:
            return self.title_en, True
        return self.title, False

    def display_title(self, lang: str) -> str:
        """The title as a citation shows it: quoted, or bracketed when it is a description."""
        words = WORDS[lang]
        if self.is_inferred("title"):
            text = self.title if lang == "ja" else (self.title_en or self.title)
            return f"［{text}］" if lang == "ja" else f"[{text}]"
        title, translated = self.title_in(lang)
        shown = f"{words['title_open']}{title}{words['title_close']}"
        if lang == "en" and self.language == "ja" and not self.original_title:
            # Show the Japanese title the reader will find, then its meaning.
            shown = f"「{self.title}」 ({shown}, {words['our_translation']})" if translated else shown
        return shown

    def display_date(self, lang: str) -> str:
        text = format_date(self.date, lang)
        if self.date_bound == "on-or-after":
            text = f"{text}以降" if lang == "ja" else f"on or after {text}"
        if self.is_inferred("date"):
            text += "（推定）" if lang == "ja" else f" ({WORDS['en']['inferred']})"
        return text

    def display_outlet(self, lang: str) -> str:
        text = self.outlet[lang] if self.outlet else ""
        if text and self.is_inferred("outlet"):
            text += "（推定）" if lang == "ja" else f" ({WORDS['en']['inferred']})"
        return text

    # --- locators -------------------------------------------------------------------------

    def section_locator(self, section: str | None, lang: str) -> str:
        """How a page in `lang` names a section of the copy (None: the opening)."""
        if section is None:
            return self.opening[lang] if self.opening else ""
        return f"「{section}」" if lang == "ja" else f'section "{section}"'

    def locators(self, lang: str) -> list[str]:
        """Every section a page in `lang` may cite, in the order of the copy."""
        names = [self.section_locator(None, lang)] if self.opening else []
        return names + [self.section_locator(section, lang) for section in self.sections]

    def read_locator(self, locator: str, lang: str) -> tuple[str | None, str] | None:
        """(section or None for the opening, detail) of a locator written on a page in `lang`; None if invalid."""
        candidates = ([(None, self.opening[lang])] if self.opening else []) + [
            (section, self.section_locator(section, lang)) for section in self.sections
        ]
        for section, name in sorted(candidates, key=lambda c: len(c[1]), reverse=True):
            if locator == name:
                return section, ""
            if locator.startswith(name + DETAIL_SEPARATOR) and locator[len(name) + len(DETAIL_SEPARATOR) :].strip():
                return section, locator[len(name) + len(DETAIL_SEPARATOR) :].strip()
        return None

    def locator_problem(self, locator: str, lang: str) -> tuple[str, str] | None:
        """(message, fix) when `locator` is not a section of this source in `lang`; None when it is."""
        if self.read_locator(locator, lang) is not None:
            return None
        valid = self.locators(lang)
        if not valid:
            return (
                f"locator '{locator}' for @{self.key}: the registry lists no sections for this source",
                f"add `sections:` (and `opening:` if text stands before the first heading) to '{self.key}' in data/sources.yml",
            )
        section_part = locator.split(DETAIL_SEPARATOR, 1)[0]
        close = difflib.get_close_matches(section_part, valid, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return (
            f"locator '{locator}' is not a section of @{self.key}",
            f"{hint}use one of: {' | '.join(valid)} (optionally followed by ', ' and a detail)",
        )

    def data_locator(self, name: str) -> str | None:
        """The section a data file's locator names: the heading as spelled, or None for the opening; '' if unknown."""
        if self.opening and name == self.opening.get(self.language):
            return None
        return name if name in self.sections else ""

    def data_locator_names(self) -> list[str]:
        return ([self.opening[self.language]] if self.opening else []) + list(self.sections)

    def data_locator_problem(self, name: str) -> tuple[str, str]:
        """(message, fix) for a data file's locator that names no section of this source."""
        valid = self.data_locator_names()
        if not valid:
            return (
                f"locator '{name}' for '{self.key}': the registry lists no sections for this source",
                f"add `sections:` to '{self.key}' in data/sources.yml",
            )
        close = difflib.get_close_matches(name, valid, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return (
            f"locator '{name}' is not a section of '{self.key}'",
            f"{hint}use one of: {' | '.join(valid)} (the heading as the copy spells it)",
        )

    def locator_html(self, locator: str, lang: str) -> str:
        """A page's (checked) locator as HTML: escaped, the copy's heading marked with its language."""
        read = self.read_locator(locator, lang)
        if read is None:
            return html_text(locator)
        section, detail = read
        if section is None:
            shown = html_text(self.opening[lang])
        else:
            heading = lang_span(html_text(section), self.language, lang)
            shown = f"「{heading}」" if lang == "ja" else f'section "{heading}"'
        return shown + (html_text(DETAIL_SEPARATOR + detail) if detail else "")

    # --- citations --------------------------------------------------------------------------

    def title_html(self, lang: str) -> str:
        """The displayed title as HTML: escaped, the title's own language marked."""
        words = WORDS[lang]
        if self.is_inferred("title"):
            text = self.title if lang == "ja" else (self.title_en or self.title)
            text_lang = self.language if lang == "ja" or not self.title_en else "en"
            inner = lang_span(html_text(text), text_lang, lang)
            return f"［{inner}］" if lang == "ja" else f"[{inner}]"
        title, translated = self.title_in(lang)
        title_lang = self.language if title == self.title else "en"
        quoted = words["title_open"] + lang_span(html_text(title), title_lang, lang) + words["title_close"]
        if lang == "en" and self.language == "ja" and not self.original_title and translated:
            original = lang_span(f"「{html_text(self.title)}」", self.language, lang)
            return f"{original} ({quoted}, {words['our_translation']})"
        return quoted

    def citation_html(self, lang: str, locator: str | None = None) -> str:
        """The citation of `citation()` as HTML: every value escaped, runs in another language marked."""
        author = html_text(self.author[lang]) if self.author else ""
        outlet = html_text(self.display_outlet(lang))
        date = html_text(self.display_date(lang))
        where = self.locator_html(locator, lang) if locator else ""
        title = self.title_html(lang) + (f" {html_text(self.version)}" if self.version else "")
        publisher = html_text(self.publisher[lang]) if self.publisher else ""
        licence = html_text(self.licence[lang]) if self.licence else ""
        if lang == "ja":
            parts = [author + title, publisher, outlet, date, where, licence]
            return "、".join(p for p in parts if p) + "。"
        parts = [author, title, publisher, outlet, date, where, licence]
        return ", ".join(p for p in parts if p) + "."

    def citation(self, lang: str, locator: str | None = None) -> str:
        """A complete citation in the page's language (plain text, Markdown-safe)."""
        if lang == "ja":
            parts = [(self.author or {}).get("ja", "") + self.display_title("ja")]
            parts.append(self.display_outlet("ja"))
            parts.append(self.display_date("ja"))
            if locator:
                parts.append(locator)
            return "、".join(p for p in parts if p) + "。"
        parts = [self.author["en"]] if self.author else []
        parts.append(self.display_title("en"))
        parts.append(self.display_outlet("en"))
        parts.append(self.display_date("en"))
        if locator:
            parts.append(locator)
        return ", ".join(p for p in parts if p) + "."


def _check_entry(entry: dict, path: str, seen: set[str]) -> tuple[Source | None, list[Problem]]:
    """Validate one registry entry against the schema."""
    problems: list[Problem] = []
    data = fields(entry)
    line = line_of(entry)

    problem = reporter(problems, path, entry)

    check_fields(data, REQUIRED, OPTIONAL, problem, "source entry", {"kind": KINDS, "language": LANGUAGES})
    key = str(data.get("key", ""))
    if key and not KEY_PATTERN.match(key):
        problem("key", f"key '{key}' is not lowercase ASCII with hyphens", "rename it, e.g. 'salmon-2025'")
    if key in seen:
        problem("key", f"duplicate key '{key}'", "give each source its own key")
    seen.add(key)
    if data.get("kind"):
        check_choice(data, "kind", KINDS, problem)
    if data.get("language"):
        check_choice(data, "language", LANGUAGES, problem)
    date = None
    if data.get("date"):
        try:
            date = parse_partial_date(data["date"])
        except ValueError as error:
            problem("date", str(error), "write an ISO date: 2024, 2024-10 or 2024-10-31")
    for name in BILINGUAL:
        value = data.get(name)
        if value is not None and (
            not isinstance(value, dict) or any(not isinstance(value.get(lang), str) for lang in LANGUAGES)
        ):
            problem(name, f"'{name}' must give both languages", f"write `{name}: {{ja: ..., en: ...}}`")
    if data.get("url") is not None and url_problem(data["url"]):
        problem(
            "url", f"url {str(data['url'])!r} is not a well-formed http(s) URL: it {url_problem(data['url'])}", URL_FIX
        )
    opening = data.get("opening")
    if opening is not None and (
        not isinstance(opening, dict) or any(not isinstance(opening.get(lang), str) for lang in LANGUAGES)
    ):
        problem(
            "opening",
            "'opening' must name the text before the first heading in both languages",
            "write `opening: {ja: 冒頭, en: opening paragraphs}`, or leave it out when a heading comes first",
        )
        opening = None
    sections = data.get("sections") or []
    if not isinstance(sections, list) or not all(isinstance(s, str) and s.strip() for s in sections):
        problem("sections", "'sections' must be a list of the copy's headings", "write `sections: [見出し, 見出し]`")
        sections = []
    for name in [*sections, *(opening or {}).values()]:
        refuse_markup(problem, "sections" if name in sections else "opening", name, "section name")
    if len(set(sections)) != len(sections):
        problem("sections", "a heading is listed twice in 'sections'", "list each heading of the copy once")
    if data.get("date_bound") and data["date_bound"] not in DATE_BOUNDS:
        problem("date_bound", f"unknown date_bound '{data['date_bound']}'", f"use one of: {', '.join(DATE_BOUNDS)}")
    inferred = data.get("inferred") or []
    if not isinstance(inferred, list) or any(n not in REQUIRED + OPTIONAL for n in inferred):
        problem("inferred", "'inferred' must be a list of field names", "e.g. `inferred: [date, outlet]`")
        inferred = []
    if data.get("kind") == "dataset":
        for name in DATASET_REQUIRED:
            if not data.get(name):
                problem(
                    None,
                    f"a data set entry is missing '{name}'",
                    f"add `{name}:` as the package's own metadata gives it",
                )
    if data.get("language") == "ja" and not (data.get("title_en") or data.get("original_title")):
        problem(
            "title",
            "a Japanese title needs an English rendering",
            "add `title_en:` (or `original_title:` when the text gives it)",
        )
    if problems or date is None:
        return None, problems
    source = Source(
        key=key,
        kind=data["kind"],
        language=data["language"],
        title=str(data["title"]),
        date=date,
        title_en=data.get("title_en"),
        original_title=data.get("original_title"),
        author=fields(data["author"]) if data.get("author") else None,
        outlet=fields(data["outlet"]) if data.get("outlet") else None,
        inferred=tuple(inferred),
        url=data.get("url"),
        date_bound=data.get("date_bound"),
        notes=fields(data["notes"]) if data.get("notes") else None,
        opening=fields(opening) if opening else None,
        sections=tuple(s.strip() for s in sections),
        version=str(data["version"]) if data.get("version") else None,
        publisher=fields(data["publisher"]) if data.get("publisher") else None,
        licence=fields(data["licence"]) if data.get("licence") else None,
        line=line,
    )
    return source, problems


URL_FIX = (
    "give the full http(s) URL exactly as the source states it (e.g. https://example.org/article/), or leave it out"
)


def url_problem(value: object) -> str | None:
    """What is wrong with a source URL, or None: an absolute http(s) URL with a host and nothing that could break out of an attribute."""
    text = value if isinstance(value, str) else None
    if text is None:
        return "is not text"
    found = URL_FORBIDDEN.search(text)
    if found:
        return f"contains {found.group(0)!r} (no whitespace, quotes, angle brackets or backslashes)"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return "contains a control character"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as error:
        return f"cannot be parsed ({error})"
    if parts.scheme not in ("http", "https"):
        return "is not an absolute http(s) URL"
    if not parts.hostname or parts.netloc.startswith(":"):
        return "has no host"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "carries credentials (user@host)"
    return None


def load_registry(path: Path) -> tuple[dict[str, Source], list[Problem]]:
    """All valid sources by key, and every schema violation found."""
    entries, problems = load_list(path)
    sources: dict[str, Source] = {}
    seen: set[str] = set()
    for entry in entries:
        source, entry_problems = _check_entry(entry, str(path), seen)
        problems += entry_problems
        if source:
            sources[source.key] = source
    return sources, problems
