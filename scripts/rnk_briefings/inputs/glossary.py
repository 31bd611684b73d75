"""The glossary (data/glossary.yml): one entry per term, organisation, person or place, both languages.

It renders the reference pages that list the entries (the Glossary, and People and places) and
gives every other page its hover explanations of terms, so that a term is defined once.

Every value is escaped where it is written (data_files.md_text); a name in the other language
than the page's is marked with its `lang`. Hover explanations go into a `title` that Material's
tooltips copy into innerHTML, so they are escaped for that too (data_files.tooltip_title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .data_files import (
    attribute,
    check_choice,
    check_fields,
    fields,
    lang_span,
    load_list,
    md_text,
    refuse_markup,
    reporter,
    tooltip_title,
)
from .site_model import LANGUAGES, Problem

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

KINDS = {
    "term": {"ja": "用語", "en": "Terms"},
    "organisation": {"ja": "組織", "en": "Organisations"},
    "person": {"ja": "人物", "en": "People"},
    "place": {"ja": "地名", "en": "Places"},
    "weapon": {"ja": "兵器・装備", "en": "Weapons and equipment"},
    "event": {"ja": "出来事", "en": "Events"},
}
# Kinds explained on hover wherever they are used. People and places are introduced by the text
# itself and listed on their own page; explaining every name too would double a page's tooltips.
EXPLAINED_KINDS = ("term", "organisation", "weapon", "event")
REQUIRED = ("id", "kind", "ja", "en", "ja_note", "en_note", "sources")
OPTIONAL = ("abbr", "original", "short")


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    name: dict[str, str]
    note: dict[str, str]
    sources: tuple[str, ...]
    abbr: str | None = None
    original: str | None = None
    # The short forms running text uses for a person or organisation ("Kelly", 「ケリー」), by language:
    # the build compares who is named in each claim of the two languages (checks/claims.py).
    short: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def anchor(self) -> str:
        return f"gl-{self.id}"


def load_glossary(path: Path, source_keys: set[str]) -> tuple[list[Entry], list[Problem]]:
    """All entries in file order, and every problem with its line."""
    raw, problems = load_list(path)
    entries: list[Entry] = []
    seen: set[str] = set()
    for item in raw:
        data = fields(item)
        before = len(problems)

        problem = reporter(problems, path, item)

        if not check_fields(data, REQUIRED, OPTIONAL, problem, "glossary entry", {"kind": KINDS}):
            continue
        if not ID_PATTERN.match(str(data["id"])):
            problem("id", f"glossary id {str(data['id'])!r} is not lowercase ASCII with hyphens", "e.g. `id: adiz`")
        if data["id"] in seen:
            problem("id", f"duplicate glossary id '{data['id']}'", "give each entry its own id")
        seen.add(data["id"])
        check_choice(data, "kind", KINDS, problem)
        for key in data["sources"]:
            if key not in source_keys:
                problem("sources", f"unknown source '{key}'", "use a key from data/sources.yml")
        short = _short_names(data.get("short"), problem)
        if len(problems) > before:
            continue
        entries.append(
            Entry(
                id=data["id"],
                kind=data["kind"],
                name={"ja": data["ja"], "en": data["en"]},
                note={"ja": data["ja_note"], "en": data["en_note"]},
                sources=tuple(data["sources"]),
                abbr=data.get("abbr"),
                original=data.get("original"),
                short=short,
            )
        )
    return entries, problems


def _short_names(value: object, problem) -> dict[str, tuple[str, ...]]:
    """`short: {ja: [ケリー], en: [Kelly]}`: lists of plain names, in either or both languages."""
    if value is None:
        return {}
    fix = "write `short: {ja: [ケリー], en: [Kelly]}` (lists of the short names running text uses)"
    value = fields(value) if isinstance(value, dict) else value
    if not isinstance(value, dict) or set(value) - set(LANGUAGES):
        problem("short", "short must map ja and/or en to lists of names", fix)
        return {}
    result = {}
    for lang, names in value.items():
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            problem("short", f"short.{lang} must be a list of names", fix)
            return {}
        for name in names:
            if not refuse_markup(problem, "short", name, "a short name"):
                return {}
        result[lang] = tuple(n.strip() for n in names)
    return result


def render_glossary(entries: list[Entry], lang: str, kinds: list[str]) -> str:
    """Markdown: a section per kind, an entry per term with both names, its note and citations."""
    other = "en" if lang == "ja" else "ja"
    lines, notes = [], []
    for kind in kinds:
        names = KINDS[kind]
        group = [e for e in entries if e.kind == kind]
        if not group:
            continue
        lines.append(f"## {names[lang]}\n")
        for entry in group:
            labels = [f"{entry.anchor()}-{i}" for i in range(1, len(entry.sources) + 1)]
            # The other language's name, the abbreviation and the original spelling, each once.
            # Each with its language: the other name in the other language, Latin spellings in English.
            extras = {entry.name[other]: other} if entry.name[other] else {}
            for text in (entry.abbr, entry.original):
                if text:
                    extras.setdefault(text, "en" if text.isascii() else "ja")
            extras.pop(entry.name[lang], None)
            shown = [lang_span(md_text(text), text_lang, lang) for text, text_lang in extras.items()]
            joined = "、".join(shown) if lang == "ja" else ", ".join(shown)
            aside = "" if not extras else f"（{joined}）" if lang == "ja" else f" ({joined})"
            refs = "".join(f"[^{label}]" for label in labels)
            lines.append(
                f'<span id="{attribute(entry.anchor())}"></span>**{md_text(entry.name[lang])}**{aside}  \n'
                f"{md_text(entry.note[lang])}{refs}\n"
            )
            notes += [f"[^{label}]: @{key}" for label, key in zip(labels, entry.sources, strict=True)]
    return "\n".join(lines) + "\n" + "\n".join(notes) + "\n"


TAG = re.compile(r"(<[^<>]+>)")
TAG_NAME = re.compile(r"</?([a-zA-Z0-9]+)")
# Text inside these elements is never annotated.
SKIP = {"a", "abbr", "code", "pre", "script", "style", "sup", "svg", "title", "h1", "h2", "h3", "h4", "h5", "h6"}


def _explanations(entries: list[Entry], lang: str) -> dict[str, tuple[str, str]]:
    """Each term and abbreviation of the page's language: (entry id, explanation), longest terms first."""
    other, separator = ("en", "：") if lang == "ja" else ("ja", ": ")
    explanations: dict[str, tuple[str, str]] = {}
    for entry in entries:
        if entry.kind not in EXPLAINED_KINDS:
            continue
        for text in (entry.name[lang], entry.abbr):
            if text and len(text) > 1:
                explanations.setdefault(text, (entry.id, f"{entry.name[other]}{separator}{entry.note[lang]}"))
    return dict(sorted(explanations.items(), key=lambda item: len(item[0]), reverse=True))


def _whole_word(text: str, start: int, end: int) -> bool:
    """No letter, digit or hyphen directly before or after (the rule for English and Latin script)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "-_" or after.isalnum() or after in "-_")


def annotate_terms(html_text: str, entries: list[Entry], lang: str) -> str:
    """Explain the first use of each term (EXPLAINED_KINDS) on a page with <abbr title="…">, in the page's language.

    An entry is explained once, under its name or its abbreviation, whichever comes first: each
    explanation is a tooltip that Material sets up when the page loads.

    Text inside links, code, headings, footnote markers and existing abbreviations is left alone.
    Terms match as whole words in English and in Latin script, anywhere in Japanese text; where two
    overlap, the longer one wins.
    """
    # Only the terms the page contains at all are looked for in each of its text nodes.
    explanations = {term: value for term, value in _explanations(entries, lang).items() if term in html_text}
    done: set[str] = set()  # entry ids already explained

    def explain(text: str) -> str:
        hits: list[tuple[int, int, str]] = []
        for term, (entry_id, _) in explanations.items():
            if entry_id in done or term not in text:
                continue
            whole_words = lang == "en" or term.isascii()
            start = text.find(term)
            while start >= 0 and whole_words and not _whole_word(text, start, start + len(term)):
                start = text.find(term, start + 1)
            end = start + len(term)
            if start >= 0 and not any(start < e and s < end for s, e, _ in hits):
                hits.append((start, end, term))
                done.add(entry_id)
        for start, end, term in sorted(hits, reverse=True):
            title = tooltip_title(explanations[term][1])
            text = f'{text[:start]}<abbr title="{title}">{text[start:end]}</abbr>{text[end:]}'
        return text

    parts = TAG.split(html_text)
    depth = 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = TAG_NAME.match(part)
            if name and name.group(1).lower() in SKIP and not part.endswith("/>"):
                depth += -1 if part.startswith("</") else 1
        elif depth == 0 and part.strip():
            parts[index] = explain(part)
    return "".join(parts)
