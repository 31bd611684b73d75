"""The source registry (data/sources.yml): its schema, its validation and its citations.

A page cites a source by key; this module turns a key plus an optional locator into a full
citation in the page's language, and describes each source for the Sources page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .data_files import check_fields, fields, line_of, load_list, reporter
from .notation import PartialDate, format_date, parse_partial_date
from .site_model import LANGUAGES, Problem

KINDS = {
    "news-report": {"ja": "報道記事", "en": "News report"},
    "news-analysis": {"ja": "解説記事", "en": "News analysis"},
    "interview-analysis": {"ja": "インタビューに基づく分析", "en": "Analysis based on an interview"},
    "opinion-essay": {"ja": "論考", "en": "Opinion essay"},
}
REQUIRED = ("key", "kind", "language", "title", "date")
OPTIONAL = ("title_en", "original_title", "author", "outlet", "date_bound", "inferred", "url", "notes")
DATE_BOUNDS = ("on-or-after",)
BILINGUAL = ("author", "outlet", "notes")
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

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

    check_fields(data, REQUIRED, OPTIONAL, problem, "source entry")
    key = str(data.get("key", ""))
    if key and not KEY_PATTERN.match(key):
        problem("key", f"key '{key}' is not lowercase ASCII with hyphens", "rename it, e.g. 'salmon-2025'")
    if key in seen:
        problem("key", f"duplicate key '{key}'", "give each source its own key")
    seen.add(key)
    if data.get("kind") and data["kind"] not in KINDS:
        problem("kind", f"unknown kind '{data['kind']}'", f"use one of: {', '.join(KINDS)}")
    if data.get("language") and data["language"] not in LANGUAGES:
        problem("language", f"unknown language '{data['language']}'", f"use one of: {', '.join(LANGUAGES)}")
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
    if data.get("url"):
        parts = urlsplit(str(data["url"]))
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in str(data["url"]):
            problem(
                "url",
                f"'{data['url']}' is not a well-formed http(s) URL",
                "give the full URL the source states, or leave it out",
            )
    if data.get("date_bound") and data["date_bound"] not in DATE_BOUNDS:
        problem("date_bound", f"unknown date_bound '{data['date_bound']}'", f"use one of: {', '.join(DATE_BOUNDS)}")
    inferred = data.get("inferred") or []
    if not isinstance(inferred, list) or any(n not in REQUIRED + OPTIONAL for n in inferred):
        problem("inferred", "'inferred' must be a list of field names", "e.g. `inferred: [date, outlet]`")
        inferred = []
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
        line=line,
    )
    return source, problems


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
